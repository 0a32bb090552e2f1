"""``content/site.yaml`` as the build reads it: the site's name, agency, contacts, map, policies
and the federal settings, resolved into immutable records (:class:`Config`)."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from markupsafe import Markup

# Language tags a disclosure policy may name, as the policy page writes them.
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "zh": "Chinese", "vi": "Vietnamese"}


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
