"""What a site or resource page shows beyond its own file: related resources, the site's cohort peers,
the resources that name a site, and what each kind of engagement involves.

Computed at build from the model, deterministically (every ordering ends in a unique key).
"""

from __future__ import annotations

import dataclasses
import functools
import heapq

from psp_static.model import Cohort, Resource, Site, SiteContent

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
    def _by_tag(self) -> dict[str, list[Resource]]:
        found: dict[str, list[Resource]] = {}
        for r in self.site.resources:
            for t in {t.casefold() for t in r.tags}:
                found.setdefault(t, []).append(r)
        return found

    @functools.cached_property
    def _title_keys(self) -> dict[int, str]:
        return {r.id: r.title.casefold() for r in self.site.resources}

    def like(self, r: Resource, count: int = RELATED_COUNT) -> list[Resource]:
        """Up to ``count`` resources like ``r``, most relevant first, never ``r`` itself.

        Relevance: the same type and the most core areas in common first, then the most keywords in
        common, then the nearest year. When too few share its type, resources of other types in its
        areas fill the list, newest first. Areas and keywords in common are counted from indexes
        (resources by type and area, by keyword), so each page's work grows with the resources
        sharing its areas, not with the square of the clearinghouse.
        """
        shared: dict[int, int] = {}
        candidates: dict[int, Resource] = {}
        for a in r.areas:
            for c in self._by_type_area.get((r.type.slug, a.slug), ()):
                shared[c.id] = shared.get(c.id, 0) + 1
                candidates[c.id] = c
        candidates.pop(r.id, None)
        common: dict[int, int] = {}
        for t in {t.casefold() for t in r.tags}:
            for c in self._by_tag.get(t, ()):
                if c.id in candidates:
                    common[c.id] = common.get(c.id, 0) + 1
        titles = self._title_keys

        def score(c: Resource) -> tuple[int, int, int, str, int]:
            return (-shared[c.id], -common.get(c.id, 0), abs(c.year - r.year), titles[c.id], c.id)

        chosen = heapq.nsmallest(count, candidates.values(), key=score)
        return chosen + self._others_in_areas(r, {r.id, *(c.id for c in chosen)}, count - len(chosen))

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
