"""The resolved site: plain, immutable records the templates, map and search index read. The
site's settings are in :mod:`psp_static.site_config`, the clearinghouse's records in
:mod:`psp_static.clearinghouse`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup

from psp_static.clearinghouse import Clearinghouse, Resource, ResourceType
from psp_static.site_config import Config

if TYPE_CHECKING:
    from psp_static.related import Related

ENGAGEMENT_TYPES = {
    "vrn-pilot": ("VRN pilot", "Violence Reduction Network pilot (2 years)"),
    "diagnostic": ("Diagnostic", "Diagnostic engagement (18 months)"),
    "operations": ("Operations", "Operations engagement (3 years)"),
    "intensive": ("Intensive", "Intensive engagement (3 years)"),
}
SITE_KINDS = {"city": "City", "county": "County", "joint": "Joint site"}
NEWS_KINDS = {
    "summit": "Summit",
    "community-of-practice": "Community of practice",
    "peer-exchange": "Peer exchange",
    "newsletter": "Newsletter",
    "announcement": "Announcement",
    "training": "Training",
}


@dataclasses.dataclass(frozen=True)
class Citation:
    """One source of a page's facts: what it is, who published it, when, and where to read it."""

    title: str
    publisher: str
    date: str  # YYYY-MM-DD, YYYY-MM, YYYY, or "" when unknown
    url: str

    @property
    def date_label(self) -> str:
        """The date as the site writes dates: ``June 3, 2019``, ``June 2019`` or ``2019``."""
        if len(self.date) == 10:
            day = dt.date.fromisoformat(self.date)
            return f"{day:%B} {day.day}, {day.year}"
        if len(self.date) == 7:
            return f"{dt.date.fromisoformat(self.date + '-01'):%B %Y}"
        return self.date


@dataclasses.dataclass(frozen=True)
class Area:
    slug: str
    name: str
    order: int
    summary: str
    description: Markup
    sources: tuple[Citation, ...]


@dataclasses.dataclass(frozen=True)
class Cohort:
    slug: str
    name: str
    order: int
    start_year: int
    end_year: int | None
    announced: str | None
    color: str
    summary: str
    description: Markup
    sources: tuple[Citation, ...]


@dataclasses.dataclass(frozen=True)
class Member:
    name: str
    abbreviation: str
    url: str | None


@dataclasses.dataclass(frozen=True)
class Role:
    slug: str
    name: str
    order: int
    summary: str
    description: Markup
    members: tuple[Member, ...]
    sources: tuple[Citation, ...]


@dataclasses.dataclass(frozen=True)
class Place:
    """A point on the map: the site itself, or one member of a joint site."""

    name: str
    state: str
    latitude: float
    longitude: float
    looked_up: bool  # True when the coordinates came from the gazetteer


@dataclasses.dataclass(frozen=True)
class Engagement:
    cohort: Cohort
    type: str
    start_year: int
    end_year: int | None
    note: str

    @property
    def type_label(self) -> str:
        return ENGAGEMENT_TYPES[self.type][0]

    @property
    def type_description(self) -> str:
        return ENGAGEMENT_TYPES[self.type][1]

    @property
    def years(self) -> str:
        if self.end_year is None:
            return f"{self.start_year}–"
        return f"{self.start_year}–{self.end_year}" if self.end_year != self.start_year else str(self.start_year)


@dataclasses.dataclass(frozen=True)
class Site:
    slug: str
    name: str
    state: str
    kind: str
    places: tuple[Place, ...]  # one for a city or county, several for a joint site
    engagements: tuple[Engagement, ...]
    summary: Markup
    sources: tuple[Citation, ...]

    @property
    def label(self) -> str:
        """Name with state, e.g. ``Memphis, TN``."""
        return f"{self.name}, {self.state}"

    @property
    def kind_label(self) -> str:
        return SITE_KINDS[self.kind]

    @property
    def cohorts(self) -> tuple[Cohort, ...]:
        seen: dict[str, Cohort] = {}
        for engagement in self.engagements:
            seen.setdefault(engagement.cohort.slug, engagement.cohort)
        return tuple(seen.values())

    @property
    def first_year(self) -> int:
        return min(e.start_year for e in self.engagements)


@dataclasses.dataclass(frozen=True)
class Page:
    slug: str
    title: str
    description: str
    updated: str
    nav: bool
    body: Markup
    sources: tuple[Citation, ...] = ()


@dataclasses.dataclass(frozen=True)
class ApproachItem:
    title: str
    text: str


@dataclasses.dataclass(frozen=True)
class Home:
    title: str
    description: str
    lead: str
    approach: tuple[ApproachItem, ...]
    body: Markup


@dataclasses.dataclass(frozen=True)
class NewsItem:
    slug: str
    title: str
    date: str
    end_date: str | None
    kind: str
    summary: str
    location: str
    sites: tuple[Site, ...]
    sources: tuple[Citation, ...]
    body: Markup

    @property
    def kind_label(self) -> str:
        return NEWS_KINDS[self.kind]


@dataclasses.dataclass(frozen=True)
class SiteContent:
    """Everything the output is made from, each collection in its display order."""

    config: Config
    home: Home
    clearinghouse: Clearinghouse
    areas: tuple[Area, ...]
    cohorts: tuple[Cohort, ...]
    roles: tuple[Role, ...]
    sites: tuple[Site, ...]
    resources: tuple[Resource, ...]
    pages: tuple[Page, ...]
    news: tuple[NewsItem, ...]

    def sites_in(self, cohort: Cohort) -> list[tuple[Site, Engagement]]:
        """Each site with an engagement in ``cohort``, by name."""
        return [(s, e) for s in self.sites for e in s.engagements if e.cohort.slug == cohort.slug]

    def resources_in(self, area: Area) -> list[Resource]:
        """The resources of one core area, by title."""
        return self._by_area.get(area.slug, [])

    def resources_of(self, rtype: ResourceType) -> list[Resource]:
        """The resources of one type, newest year first, then by title."""
        return self._by_type.get(rtype.slug, [])

    @functools.cached_property
    def listing(self) -> list[Resource]:
        """Every resource as the clearinghouse lists it: by type, then newest year first, then by title."""
        return [r for t in self.clearinghouse.types for r in self.resources_of(t)]

    # Listings are asked for by many pages; work them out once (cached_property writes around
    # the frozen dataclass, which is what it is for).
    @functools.cached_property
    def _by_area(self) -> dict[str, list[Resource]]:
        found: dict[str, list[Resource]] = {}
        for r in self.resources:
            for a in r.areas:
                found.setdefault(a.slug, []).append(r)
        return found

    @functools.cached_property
    def _by_type(self) -> dict[str, list[Resource]]:
        found: dict[str, list[Resource]] = {}
        for r in sorted(self.resources, key=lambda r: (-r.year, r.title.lower())):  # stable: ties keep title order
            found.setdefault(r.type.slug, []).append(r)
        return found

    @functools.cached_property
    def related(self) -> Related:
        """Cross-references worked out once: related resources, a site's peers and resources."""
        from psp_static.related import Related

        return Related(self)

    @property
    def newest(self) -> Sequence[Resource]:
        """The newest resources by date added (ties by id, newest id first), archived ones left out."""
        ordered = sorted((r for r in self.resources if not r.archived), key=lambda r: (r.added, r.id), reverse=True)
        return ordered[: self.config.newest_resources]
