"""The page plan: every HTML page the site has, with its template, title, description and data."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from psp_static import routes
from psp_static.model import SiteContent

DESCRIPTION_MAX = 160


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


def plan(site: SiteContent) -> list[PageSpec]:
    """Every page of the site, in a stable order."""
    return list(_plan(site))


def _plan(site: SiteContent) -> Iterator[PageSpec]:
    name = site.config.title
    yield PageSpec(routes.HOME, "home.html", site.home.title, site.home.description, "home")

    sites_crumb = (("Sites", routes.SITES),)
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
            "sites", {"item": s, "related": [n for n in site.news if s in n.sites]}, crumbs=sites_crumb,
        )  # fmt: skip
    yield PageSpec(
        routes.COHORTS, "cohorts.html", "PSP cohorts",
        f"The {len(site.cohorts)} cohorts of PSP sites, from the 2014 Violence Reduction Network pilot on, "
        "with their sites.",
        "sites", crumbs=sites_crumb,
    )  # fmt: skip
    for c in site.cohorts:
        yield PageSpec(
            routes.cohort(c.slug), "cohort.html", c.name, shorten(c.summary), "sites", {"item": c},
            crumbs=(*sites_crumb, ("Cohorts", routes.COHORTS)),
        )  # fmt: skip

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
        yield PageSpec(
            routes.area(a.slug), "area.html", a.name, shorten(a.summary), "areas",
            {"item": a, "resources": site.resources_in(a)}, crumbs=(("Core areas", routes.AREAS),),
        )  # fmt: skip

    newest = max((r.added for r in site.resources), default=None)
    yield PageSpec(
        routes.CLEARINGHOUSE, "clearinghouse.html", "Public Safety Clearinghouse",
        f"Search and filter {len(site.resources)} guides, toolkits, case studies, webinars and other "
        "resources, and build your own toolkit.",
        "clearinghouse", {"years": sorted({r.year for r in site.resources}, reverse=True)}, lastmod=newest,
    )  # fmt: skip
    ch_crumb = (("Clearinghouse", routes.CLEARINGHOUSE),)
    for t in site.clearinghouse.types:
        listed = site.resources_of(t)
        if not listed:
            continue
        yield PageSpec(
            routes.resource_type(t.slug), "resource_type.html", t.plural,
            shorten(
                f"{t.plural} in the Public Safety Clearinghouse of the {name}: {len(listed)} "
                f"resource{'s' if len(listed) != 1 else ''}. {t.description}"
            ),
            "clearinghouse", {"item": t, "resources": listed}, lastmod=max(r.added for r in listed), crumbs=ch_crumb,
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
            {"item": r}, lastmod=r.added, crumbs=ch_crumb,
        )  # fmt: skip

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
        routes.NOT_FOUND, "404.html", "Page not found",
        "The page you asked for is not on this site. Find PSP sites, core areas and clearinghouse resources here.",
        "", in_sitemap=False,
    )  # fmt: skip
