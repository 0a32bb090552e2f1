"""What a site or resource page shows beyond its own file: related resources, the site's cohort peers,
the resources that name a site, and what each kind of engagement involves.

Computed at build from the model, deterministically (every ordering ends in a unique key).
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
import itertools
from collections.abc import Iterable

from psp_static.clearinghouse import Resource
from psp_static.hashing import digest
from psp_static.model import Cohort, Site, SiteContent
from psp_static.stage import Each, plainly

RELATED_COUNT = 5

# What each kind of engagement involves, in the site's words, from the program's published
# descriptions of its engagement tracks (see reference/psp-facts.md, section 1a).
ENGAGEMENT_INVOLVES = {
    "vrn-pilot": (
        "The Violence Reduction Network brought the help of the Department of Justice's components to "
        "bear on the site's violent crime, in an engagement planned for two years; the network's sites "
        "met at a yearly summit."
    ),
    "diagnostic": (
        "The OJP Diagnostic Center ran this 18-month engagement. It covers building relationships "
        "among the site's partners, gathering and analyzing data, setting up governance and program "
        "management, writing and evaluating an action plan, building capacity and winning community "
        "support. Sites assess themselves and form a PSP working group drawn from several agencies."
    ),
    "operations": (
        "A Strategic Site Liaison, a current or former law enforcement executive, is assigned to the "
        "site for all three years. The site has baseline assessments, a training summit tailored to it "
        "each year, and training and technical assistance built around its needs."
    ),
    "intensive": (
        "Three years of training and technical assistance at no cost to the site, built around its "
        "needs. A Strategic Site Liaison and a PSP analyst work with the site team, with expedited help "
        "in the core areas, peer exchanges with other sites and communities of practice."
    ),
}


@dataclasses.dataclass(frozen=True)
class Related:
    """Cross-references worked out once per build."""

    site: SiteContent

    @functools.cached_property
    def _about(self) -> dict[str, list[Resource]]:
        found: dict[str, list[Resource]] = {}
        for r in sorted(self.site.resources, key=lambda r: (-r.year, r.title.casefold(), r.id)):
            for s in r.sites:
                found.setdefault(s.slug, []).append(r)
        return found

    def resources_about(self, s: Site) -> list[Resource]:
        """The resources that name ``s`` in their ``sites:``, newest first."""
        return self._about.get(s.slug, [])

    def peers(self, s: Site) -> list[tuple[Cohort, list[Site]]]:
        """For each cohort of ``s``, the cohort's other sites, by name."""
        found = []
        for cohort in s.cohorts:
            others = list(dict.fromkeys(o for o, _ in self.site.sites_in(cohort) if o.slug != s.slug))
            if others:
                found.append((cohort, others))
        return found

    @functools.cached_property
    def _by_type_area(self) -> dict[tuple[str, str], list[Resource]]:
        found: dict[tuple[str, str], list[Resource]] = {}
        for r in self.site.resources:
            for a in r.areas:
                found.setdefault((r.type.slug, a.slug), []).append(r)
        return found

    @functools.cached_property
    def _by_area(self) -> dict[str, list[Resource]]:
        found: dict[str, list[Resource]] = {}
        for r in sorted(self.site.resources, key=_newest_first):
            for a in r.areas:
                found.setdefault(a.slug, []).append(r)
        return found

    @functools.cached_property
    def _ids_by_type_area(self) -> dict[tuple[str, str], frozenset[int]]:
        return {key: frozenset(r.id for r in found) for key, found in self._by_type_area.items()}

    @functools.cached_property
    def _ids_by_tag(self) -> dict[str, frozenset[int]]:
        found: dict[str, set[int]] = {}
        for r in self.site.resources:
            for t in r.tags:
                found.setdefault(t.casefold(), set()).add(r.id)
        return {t: frozenset(ids) for t, ids in found.items()}

    @functools.cached_property
    def _by_id(self) -> dict[int, tuple[Resource, str]]:
        return {r.id: (r, r.title.casefold()) for r in self.site.resources}

    def like(self, r: Resource, count: int = RELATED_COUNT) -> list[Resource]:
        """Up to ``count`` resources like ``r``, most relevant first, never ``r`` itself.

        Relevance: the same type and the most core areas in common first, then the most keywords in
        common, then the nearest year. When too few share its type, resources of other types in its
        areas fill the list, newest first.

        Resources of its type sharing ``k`` of its areas are found by intersecting sets of ids
        (resources by type and area), from all its areas down to one, and stop as soon as the list
        is full: a page's work does not grow with every resource sharing one area with it.
        """
        same_type = [self._ids_by_type_area.get((r.type.slug, a.slug), frozenset()) for a in r.areas]
        chosen: list[Resource] = []
        taken = {r.id}
        for k in range(len(same_type), 0, -1):
            level = set().union(*(frozenset.intersection(*combo) for combo in itertools.combinations(same_type, k)))
            chosen += self._best(r, level - taken, count - len(chosen))
            taken.update(c.id for c in chosen)
            if len(chosen) >= count:
                break
        return chosen + self._others_in_areas(r, taken, count - len(chosen))

    def _best(self, r: Resource, ids: set[int], wanted: int) -> list[Resource]:
        """The ``wanted`` best of ``ids`` for ``r``: most keywords in common, then nearest year,
        then by title and id."""
        common: dict[int, int] = {}
        for t in {t.casefold() for t in r.tags}:
            for i in ids & self._ids_by_tag.get(t, frozenset()):
                common[i] = common.get(i, 0) + 1
        found: list[Resource] = []
        for shared in sorted(set(common.values()), reverse=True):
            found += self._nearest(r, [i for i, n in common.items() if n == shared], wanted - len(found))
            if len(found) >= wanted:
                return found
        return found + self._nearest(r, ids.difference(common), wanted - len(found))

    def _nearest(self, r: Resource, ids: Iterable[int], wanted: int) -> list[Resource]:
        by_id = self._by_id

        def key(i: int) -> tuple[int, str, int]:
            c, title = by_id[i]
            return (abs(c.year - r.year), title, i)

        return [by_id[i][0] for i in heapq.nsmallest(wanted, ids, key=key)] if wanted > 0 else []

    def _others_in_areas(self, r: Resource, taken: set[int], wanted: int) -> list[Resource]:
        """Up to ``wanted`` resources in the areas of ``r`` (newest first), none of ``taken``."""
        found: list[Resource] = []
        for a in r.areas:
            for c in self._by_area.get(a.slug, ()):
                if len(found) >= wanted:
                    return found
                if c.id not in taken:
                    found.append(c)
                    taken.add(c.id)
        return found

    @property
    def involves(self) -> dict[str, str]:
        """What each kind of engagement involves, by type."""
        return ENGAGEMENT_INVOLVES


def _newest_first(r: Resource) -> tuple[int, str, int]:
    return (-r.year, r.title.casefold(), r.id)


def all_like(site: SiteContent, each: Each = plainly) -> dict[int, list[Resource]]:
    """:meth:`Related.like` for every resource, by id, through ``each``: a resource's list depends
    on every resource's id, type, areas, keywords, year and title, and on nothing else, so one
    digest of those keys them all (an edit to a description finds every list made already)."""
    related = site.related
    seen = digest(*(f"{r.id}\x1f{r.type.slug}\x1f{'|'.join(a.slug for a in r.areas)}\x1f{'|'.join(r.tags)}"
                    f"\x1f{r.year}\x1f{r.title}" for r in site.resources))  # fmt: skip
    ids = each("related", lambda r: [c.id for c in related.like(r)], site.resources, lambda r: f"{seen}-{r.id}")
    by_id = {r.id: r for r in site.resources}
    return {r.id: [by_id[i] for i in found] for r, found in zip(site.resources, ids, strict=True)}
