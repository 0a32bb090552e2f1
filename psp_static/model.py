"""The resolved site: plain, immutable records the templates, map and search index read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from markupsafe import Markup

if TYPE_CHECKING:
    from psp_static.related import Related

ENGAGEMENT_TYPES = {
    "vrn-pilot": ("VRN pilot", "Violence Reduction Network pilot (2 years)"),
    "diagnostic": ("Diagnostic", "Diagnostic engagement (18 months)"),
    "operations": ("Operations", "Operations engagement (3 years)"),
    "intensive": ("Intensive", "Intensive engagement (3 years)"),
}
# Language tags a disclosure policy may name, as the policy page writes them.
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "zh": "Chinese", "vi": "Vietnamese"}
# CrimeSolutions' evidence ratings (National Institute of Justice), as a resource's ``evidence``
# names them and as the site writes them.
EVIDENCE_RATINGS = {
    "effective": "Effective",
    "promising": "Promising",
    "no-effects": "No effects",
    "multiple": "Rated on several outcomes",
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
class Agency:
    name: str
    short_name: str
    url: str
    parent: str = ""


@dataclasses.dataclass(frozen=True)
class MapSettings:
    tiles: str
    attribution: str
    attribution_url: str
    max_zoom: int = 18


@dataclasses.dataclass(frozen=True)
class Disclosure:
    """The vulnerability disclosure policy and its security.txt (``security`` in site.yaml)."""

    email: str
    expires: str  # YYYY-MM-DD: the last day security.txt is valid
    issued: str  # YYYY-MM-DD: when the policy was issued or last changed
    languages: tuple[str, ...]

    @property
    def language_names(self) -> str:
        """``English or Spanish``: the languages by name where the site knows it, else by tag."""
        names = [LANGUAGE_NAMES.get(tag.split("-")[0].lower(), tag) for tag in self.languages]
        return " or ".join(dict.fromkeys(names))


DAP_SCRIPT = "https://dap.digitalgov.gov/Universal-Federated-Analytics-Min.js"


@dataclasses.dataclass(frozen=True)
class Analytics:
    """The DAP script, on: its agency code and optional sub-agency code."""

    agency: str
    subagency: str = ""

    @property
    def src(self) -> str:
        """The script's address with the agency parameters DAP reads from it."""
        params = {"agency": self.agency, **({"subagency": self.subagency} if self.subagency else {})}
        return f"{DAP_SCRIPT}?{urlencode(params)}"


@dataclasses.dataclass(frozen=True)
class Section508:
    """The accessibility statement's contact, test date and reply time (OMB M-24-08)."""

    contact: str
    email: str
    phone: str
    tested: str  # YYYY-MM-DD
    reply_days: int


@dataclasses.dataclass(frozen=True)
class Config:
    """``content/site.yaml``, with the base URL split into what links and canonicals need."""

    title: str
    short_title: str
    description: str
    base_url: str  # always ends with "/"
    language: str
    identity: str
    agency: Agency
    funding_notice: Markup
    funding_text: str
    operator: str
    email: str
    phone: str
    hours: str
    federal_links: dict[str, str]
    map: MapSettings
    newest_resources: int
    security: Disclosure | None = None
    referrer_policy: str = "strict-origin-when-cross-origin"
    analytics: Analytics | None = None  # the DAP script: federal mode, switched on
    section_508: Section508 | None = None  # the accessibility statement's contact: federal mode

    @property
    def federal(self) -> bool:
        return self.identity == "federal"


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
class ResourceType:
    slug: str
    name: str
    plural: str
    description: str


@dataclasses.dataclass(frozen=True)
class AgencySize:
    slug: str
    name: str
    description: str


@dataclasses.dataclass(frozen=True)
class Sponsor:
    code: str
    name: str
    url: str | None


@dataclasses.dataclass(frozen=True)
class Evidence:
    """A rating published on CrimeSolutions for the program or practice a resource describes."""

    rating: str  # a key of EVIDENCE_RATINGS
    url: str  # its CrimeSolutions page

    @property
    def label(self) -> str:
        return EVIDENCE_RATINGS[self.rating]


@dataclasses.dataclass(frozen=True)
class Resource:
    id: int
    slug: str
    title: str
    summary: str
    description: Markup
    description_text: str  # what a reader sees of it, without markup (search and open data)
    type: ResourceType
    areas: tuple[Area, ...]
    agency_sizes: tuple[AgencySize, ...]
    author: str
    sponsor: Sponsor
    provider: str
    year: int
    format: str
    url: str | None
    added: str
    tags: tuple[str, ...]
    sites: tuple[Site, ...] = ()  # the PSP sites it is about or that used it
    access: str = ""  # how to get it when there is no url
    reviewed: str = ""  # YYYY-MM-DD: when someone last checked it is current; "" when never
    archived: bool = False  # kept for reference: still has its page, left out of "new" lists
    evidence: Evidence | None = None  # its CrimeSolutions rating, when it has one

    @property
    def card_notes(self) -> tuple[str, ...]:
        """What a result card says beside type, year and sponsor (the static and the scripted card alike)."""
        notes = [f"Evidence rating: {self.evidence.label}"] if self.evidence else []
        return (*notes, "Archived") if self.archived else tuple(notes)


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
class Clearinghouse:
    intro: Markup
    types: tuple[ResourceType, ...]
    agency_sizes: tuple[AgencySize, ...]
    sponsors: tuple[Sponsor, ...]
    # Groups of words that mean the same, each a term then what it means ("LPR", "license plate
    # reader", ...): search finds a resource by any of them.
    synonyms: tuple[tuple[str, ...], ...] = ()


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
