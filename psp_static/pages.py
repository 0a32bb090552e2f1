"""The page plan: every HTML page the site has, with its template, title, description and data."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from psp_static import opendata, related, routes
from psp_static.clearinghouse import Resource, ResourceType
from psp_static.model import SiteContent
from psp_static.stage import Each, plainly

T = TypeVar("T")

DESCRIPTION_MAX = 160
# Resources per listing page: a page stays quick to load and to read at any clearinghouse size.
LISTING_PAGE = 100


@dataclasses.dataclass(frozen=True)
class Paging:
    """Where one page of a long listing sits among its pages."""

    number: int  # 1-based
    count: int
    total: int  # items in the whole listing
    first: int  # 1-based position of this page's first item
    last: int
    routes: tuple[str, ...]  # every page's route, first page first

    @property
    def route(self) -> str:
        """This page's own route."""
        return self.routes[self.number - 1]

    @property
    def previous(self) -> str | None:
        return self.routes[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.routes[self.number] if self.number < self.count else None

    def window(self) -> list[int | None]:
        """Page numbers to offer: the first, the last and the current one's neighbours; None is a gap."""
        wanted = sorted({1, self.count, *range(max(1, self.number - 1), min(self.count, self.number + 1) + 1)})
        shown: list[int | None] = []
        for n in wanted:
            if shown and n - (shown[-1] or 0) > 1:
                shown.append(None)
            shown.append(n)
        return shown

    def title(self, title: str) -> str:
        return title if self.number == 1 else f"{title} (page {self.number} of {self.count})"


def paginate(route: str, items: Sequence[T]) -> Iterator[tuple[Paging, Sequence[T]]]:
    """Split ``items`` into pages of :data:`LISTING_PAGE`; an empty listing still has one page."""
    count = max(1, -(-len(items) // LISTING_PAGE))
    routes_ = tuple(routes.paged(route, n) for n in range(1, count + 1))
    for n in range(1, count + 1):
        start = (n - 1) * LISTING_PAGE
        chunk = items[start : start + LISTING_PAGE]
        yield Paging(n, count, len(items), start + 1, start + len(chunk), routes_), chunk


@dataclasses.dataclass(frozen=True)
class PageSpec:
    """One page to render."""

    route: str
    template: str
    title: str  # the h1; the <title> adds the site name
    description: str
    section: str  # which primary navigation item is current
    context: dict[str, Any] = dataclasses.field(default_factory=dict)
    lastmod: str | None = None  # for the sitemap, from the content's own dates
    crumbs: tuple[tuple[str, str], ...] = ()  # (label, route) pairs above the page title
    in_sitemap: bool = True


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """Cut ``text`` at a word boundary so it fits a meta description."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def by_type(site: SiteContent, listed: Sequence[Resource]) -> list[tuple[ResourceType, list[Resource], bool]]:
    """A page of the clearinghouse listing in runs of one type: (type, resources, continued from before)."""
    groups: list[tuple[ResourceType, list[Resource], bool]] = []
    for r in listed:
        if not groups or groups[-1][0] != r.type:
            groups.append((r.type, [], r is not site.resources_of(r.type)[0]))
        groups[-1][1].append(r)
    return groups


def plan(site: SiteContent, each: Each = plainly) -> list[PageSpec]:
    """Every page of the site, in a stable order."""
    like = related.all_like(site, each)
    sections = (_sites, _team_and_areas, _clearinghouse, functools.partial(_types_and_resources, like=like),
                _news_and_pages)  # fmt: skip
    return [spec for section in sections for spec in section(site)]


SITES_CRUMB = (("Sites", routes.SITES),)
CLEARINGHOUSE_TITLE = "Public Safety Clearinghouse"
CLEARINGHOUSE_CRUMB = (("Clearinghouse", routes.CLEARINGHOUSE),)


def _sites(site: SiteContent) -> Iterator[PageSpec]:
    """The home page, the sites, the cohorts."""
    name = site.config.title
    cross = site.related
    yield PageSpec(routes.HOME, "home.html", site.home.title, site.home.description, "home")

    yield PageSpec(
        routes.SITES, "sites.html", "PSP sites",
        f"Map and list of all {len(site.sites)} cities and counties that have worked with the {name}, by cohort.",
        "sites",
    )  # fmt: skip
    for s in site.sites:
        first = s.engagements[0]
        kinds = " then ".join(e.type_description.split(" (")[0].lower() for e in s.engagements)
        yield PageSpec(
            routes.site(s.slug), "site.html", s.label,
            shorten(f"{s.label} joined the {name} in {first.start_year} ({first.cohort.name}): {kinds}."),
            "sites", {"item": s, "related": [n for n in site.news if s in n.sites], "about": cross.resources_about(s),
                      "peers": cross.peers(s), "involves": cross.involves}, crumbs=SITES_CRUMB,
        )  # fmt: skip
    yield PageSpec(
        routes.COHORTS, "cohorts.html", "PSP cohorts",
        f"The {len(site.cohorts)} cohorts of PSP sites, from the 2014 Violence Reduction Network pilot on, "
        "with their sites.",
        "sites", crumbs=SITES_CRUMB,
    )  # fmt: skip
    for c in site.cohorts:
        yield PageSpec(
            routes.cohort(c.slug), "cohort.html", c.name, shorten(c.summary), "sites", {"item": c},
            crumbs=(*SITES_CRUMB, ("Cohorts", routes.COHORTS)),
        )  # fmt: skip


def _team_and_areas(site: SiteContent) -> Iterator[PageSpec]:
    yield PageSpec(
        routes.TEAM, "team.html", "The PSP site team",
        "Who works with each PSP site: local leaders, a DOJ program champion, federal law enforcement, "
        "U.S. Attorneys, a Strategic Site Liaison and an analyst.",
        "team", {"role_sources": list(dict.fromkeys(u for r in site.roles for u in r.sources))},
    )  # fmt: skip

    yield PageSpec(
        routes.AREAS, "areas.html", "Core areas",
        f"The {len(site.areas)} core areas in which PSP sites get training and technical assistance, "
        "each with its clearinghouse resources.",
        "areas",
    )  # fmt: skip
    for a in site.areas:
        for paging, chunk in paginate(routes.area(a.slug), site.resources_in(a)):
            yield PageSpec(
                paging.route, "area.html", paging.title(a.name),
                shorten(a.summary if paging.number == 1 else f"{paging.title(a.name)}: resources on {a.name.lower()} "
                        f"in the Public Safety Clearinghouse, {paging.first} to {paging.last} of {paging.total}."),
                "areas", {"item": a, "resources": chunk, "paging": paging}, crumbs=(("Core areas", routes.AREAS),),
            )  # fmt: skip


def _clearinghouse(site: SiteContent) -> Iterator[PageSpec]:
    """The clearinghouse's listing of every resource, by type, and its finder on the first page."""
    newest = max((r.added for r in site.resources), default=None)
    years = sorted({r.year for r in site.resources}, reverse=True)
    ch_title = CLEARINGHOUSE_TITLE
    for paging, chunk in paginate(routes.CLEARINGHOUSE, site.listing):
        yield PageSpec(
            paging.route, "clearinghouse.html", paging.title(ch_title),
            f"Search and filter {len(site.resources)} guides, toolkits, case studies, webinars and other "
            "resources, and build your own toolkit." if paging.number == 1 else
            f"{paging.title(ch_title)}: every resource by type, {paging.first} to {paging.last} of {paging.total}.",
            "clearinghouse", {"years": years, "groups": by_type(site, chunk), "paging": paging}, lastmod=newest,
            crumbs=() if paging.number == 1 else ((ch_title, routes.CLEARINGHOUSE),),
        )  # fmt: skip


def _types_and_resources(site: SiteContent, like: dict[int, list[Resource]]) -> Iterator[PageSpec]:
    name = site.config.title
    ch_crumb = CLEARINGHOUSE_CRUMB
    for t in site.clearinghouse.types:
        of_type = site.resources_of(t)
        if not of_type:
            continue
        type_lastmod = max(r.added for r in of_type)
        for paging, chunk in paginate(routes.resource_type(t.slug), of_type):
            yield PageSpec(
                paging.route, "resource_type.html", paging.title(t.plural),
                shorten(
                    f"{paging.title(t.plural)} in the Public Safety Clearinghouse of the {name}: {len(of_type)} "
                    f"resource{'s' if len(of_type) != 1 else ''}. {t.description}"
                ),
                "clearinghouse", {"item": t, "resources": chunk, "paging": paging},
                lastmod=type_lastmod, crumbs=ch_crumb,
            )  # fmt: skip
    yield PageSpec(
        routes.TOOLKIT, "toolkit.html", "My toolkit",
        "The clearinghouse resources you saved, grouped by core area: share them as a link, print them or "
        "download them as a spreadsheet.",
        "toolkit", crumbs=ch_crumb, in_sitemap=False,
    )  # fmt: skip
    for r in site.resources:
        yield PageSpec(
            routes.resource(r.slug), "resource.html", r.title, shorten(r.summary), "clearinghouse",
            {"item": r, "like": like[r.id]}, lastmod=r.added, crumbs=ch_crumb,
        )  # fmt: skip


def _news_and_pages(site: SiteContent) -> Iterator[PageSpec]:
    yield PageSpec(
        routes.NEWS, "news_index.html", "Items of interest",
        "PSP summits, communities of practice, peer exchanges and newsletters, newest first.",
        "news", lastmod=site.news[0].date if site.news else None,
    )  # fmt: skip
    for n in site.news:
        yield PageSpec(
            routes.news(n.slug), "news_item.html", n.title, shorten(n.summary), "news", {"item": n},
            lastmod=n.date, crumbs=(("Items of interest", routes.NEWS),),
        )  # fmt: skip

    for p in site.pages:
        yield PageSpec(routes.page(p.slug), "page.html", p.title, p.description, p.slug, {"item": p}, lastmod=p.updated)

    yield PageSpec(
        routes.SEARCH, "search.html", "Search this site",
        "Search every PSP site, cohort, core area, news item, page and clearinghouse resource at once.", "",
    )  # fmt: skip
    yield PageSpec(
        routes.DATA, "data.html", "Open data",
        f"Download the {len(site.resources)} clearinghouse resources and the {len(site.sites)} PSP sites as JSON, "
        "CSV and GeoJSON, with what every column means, and follow each core area's feed.",
        "", {"resource_columns": opendata.RESOURCE_COLUMNS, "site_columns": opendata.SITE_COLUMNS},
    )  # fmt: skip
    if site.config.security:
        yield PageSpec(
            routes.DISCLOSURE, "disclosure.html", "Vulnerability disclosure policy",
            shorten("How to report a security vulnerability in this website, what testing is allowed, and our "
                    "promise not to pursue researchers who act in good faith."),
            "", {"policy": site.config.security}, lastmod=site.config.security.issued,
        )  # fmt: skip
    yield PageSpec(
        routes.NOT_FOUND, "404.html", "Page not found",
        "The page you asked for is not on this site. Find PSP sites, core areas and clearinghouse resources here.",
        "", in_sitemap=False,
    )  # fmt: skip
