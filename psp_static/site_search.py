"""Site-wide search: sites, cohorts, core areas, news and pages in one text index, built with the
clearinghouse's builder (:func:`psp_static.search_index.build_index`); resources are found in the
clearinghouse's own index. The search page (``js/site-search.js``) queries both with the same engine
(``js/search-engine.js``), loads them only when someone searches, and merges the results by score.
Indexing every resource a second time cost as much as the clearinghouse's index (2 s at 10,000).

Each document's ref is its position in :func:`entries`; a resource's is its id. The result cards
(kind, title, link, summary) ship in small files of :data:`CARD_CHUNK` entries, a resource's
(title, link, summary) in files of as many resources in id order: the results shown fetch only
their own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from markupsafe import Markup

from psp_static import routes, search_index
from psp_static.assets import Assets
from psp_static.lunr_index import dumps
from psp_static.model import SiteContent
from psp_static.pages import shorten

# What each kind of result is called on the search page.
KINDS = {
    "site": "PSP site",
    "cohort": "Cohort",
    "area": "Core area",
    "news": "News",
    "page": "Page",
    "resource": "Resource",
}
# The clearinghouse's fields and weights: a page's words count as a resource's description does.
FIELDS = search_index.FIELDS
CARD_CHUNK = 20  # a page of results lies anywhere in this order: small files keep each fetch small
MANIFEST = "search/site/index.json"
CARDS = "search/site/cards.json"


@dataclasses.dataclass(frozen=True)
class Entry:
    """One thing the site search can find, and what its result shows."""

    kind: str
    title: str
    route: str
    summary: str
    body: str  # the rest of what its page says


def _text(*parts: str | Markup) -> str:
    """Plain text of the parts, markup stripped (what a reader sees of them)."""
    return " ".join(part.striptags() if isinstance(part, Markup) else part for part in parts if part)


def entries(site: SiteContent) -> Iterator[Entry]:
    """Everything the site index holds, kind by kind, each in its display order (resources are
    the clearinghouse index's)."""
    for s in site.sites:
        engagements = [f"{e.cohort.name} {e.type_label} {e.note}" for e in s.engagements]
        places = [f"{p.name} {p.state}" for p in s.places]
        yield Entry("site", s.label, routes.site(s.slug), _text(s.summary), _text(s.kind_label, *places, *engagements))
    for c in site.cohorts:
        yield Entry("cohort", c.name, routes.cohort(c.slug), c.summary, _text(c.description))
    for a in site.areas:
        yield Entry("area", a.name, routes.area(a.slug), a.summary, _text(a.description))
    for n in site.news:
        yield Entry("news", n.title, routes.news(n.slug), n.summary, _text(n.kind_label, n.location, n.body))
    for p in site.pages:
        yield Entry("page", p.title, routes.page(p.slug), p.description, _text(p.body))


def documents(listed: list[Entry]) -> list[search_index.Document]:
    """Each entry under its position; a page's own words are its description."""
    return [(str(i), {"title": e.title, "summary": e.summary, "description": e.body}) for i, e in enumerate(listed)]


def cards(listed: list[Entry], urls: routes.Urls) -> list[list[list[str]]]:
    """Per file of :data:`CARD_CHUNK` entries: [kind, title, link, summary] for each, in ref order."""
    rows = [[e.kind, e.title, urls.path(e.route), shorten(e.summary, 200)] for e in listed]
    return [rows[start : start + CARD_CHUNK] for start in range(0, len(rows), CARD_CHUNK)]


def resource_cards(site: SiteContent, urls: routes.Urls) -> list[list[list[Any]]]:
    """Per file of :data:`CARD_CHUNK` resources in id order: [id, title, link, summary] for each."""
    rows = [[r.id, r.title, urls.path(routes.resource(r.slug)), shorten(r.summary, 200)]
            for r in sorted(site.resources, key=lambda r: r.id)]  # fmt: skip
    return [rows[start : start + CARD_CHUNK] for start in range(0, len(rows), CARD_CHUNK)]


def publish(site: SiteContent, urls: routes.Urls, assets: Assets) -> None:
    """Add the site search's index and result cards to ``assets`` (``CARDS`` names the card files,
    the first resource id of each resource card file, and what each kind is called)."""
    listed = list(entries(site))
    index = search_index.build_index(documents(listed), FIELDS, site.clearinghouse.synonyms)
    search_index.publish(assets, MANIFEST, index)
    names = [assets.add(f"search/site/cards-{i}.json", dumps(c)) for i, c in enumerate(cards(listed, urls))]
    resources = resource_cards(site, urls)
    held = [assets.add(f"search/site/resources-{i}.json", dumps(c)) for i, c in enumerate(resources)]
    listing: dict[str, Any] = {
        "chunkSize": CARD_CHUNK,
        "chunks": [urls.path(n) for n in names],
        "resources": {"first": [chunk[0][0] for chunk in resources], "chunks": [urls.path(n) for n in held]},
        "kinds": KINDS,
    }
    assets.add(CARDS, dumps(listing))
