"""The Public Safety Clearinghouse resolved: its resources and the vocabularies that describe them
(types, agency sizes, sponsors, evidence ratings)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    from psp_static.model import Area, Site

# CrimeSolutions' evidence ratings (National Institute of Justice), as a resource's ``evidence``
# names them and as the site writes them.
EVIDENCE_RATINGS = {
    "effective": "Effective",
    "promising": "Promising",
    "no-effects": "No effects",
    "multiple": "Rated on several outcomes",
}


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
class Clearinghouse:
    intro: Markup
    types: tuple[ResourceType, ...]
    agency_sizes: tuple[AgencySize, ...]
    sponsors: tuple[Sponsor, ...]
    # Groups of words that mean the same, each a term then what it means ("LPR", "license plate
    # reader", ...): search finds a resource by any of them.
    synonyms: tuple[tuple[str, ...], ...] = ()
