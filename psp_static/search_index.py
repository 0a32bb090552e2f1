"""The clearinghouse's search data: the text index of resources, their facets and result cards.

The index is built by :func:`build_index` (``psp_static/lunr_index.py``), which is generic: any
documents, any weighted fields, so the site-wide search uses the same builder and the same engine
(``js/search-engine.js``). ``tests/lunr_twin.py`` holds the tests' reference, lunr.py's own
builder and search over the same documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psp_static import routes
from psp_static.assets import Assets
from psp_static.clearinghouse import Resource
from psp_static.lunr_index import IndexFiles, build_index, dumps
from psp_static.lunr_terms import Document, Field
from psp_static.model import SiteContent

__all__ = ["FIELDS", "Document", "Field", "IndexFiles", "build_index", "publish", "resource_documents"]

# (name, boost): a title match counts most, then keywords, the summary, the names on the page
# (type, areas, people, sponsor) and last the description, the longest text.
FIELDS: tuple[Field, ...] = (("title", 10), ("keywords", 6), ("summary", 4), ("names", 2), ("description", 1))


def index_document(resource: Resource) -> dict[str, str]:
    """Every word the resource's page shows, by field."""
    names = [
        resource.type.name,
        *(area.name for area in resource.areas),
        *(size.name for size in resource.agency_sizes),
        resource.author,
        resource.sponsor.name,
        resource.sponsor.code,
        resource.provider,
        resource.format,
        *(site.name for site in resource.sites),
    ]
    return {
        "title": resource.title,
        "keywords": " ".join(resource.tags),
        "summary": resource.summary,
        "names": " ".join(names),
        "description": " ".join([resource.description_text, resource.access]),
    }


def resource_documents(resources: Sequence[Resource]) -> list[Document]:
    """The clearinghouse's searchable documents: each resource under its permanent id."""
    return [(str(resource.id), index_document(resource)) for resource in resources]


def publish(assets: Assets, name: str, index: IndexFiles) -> str:
    """Add ``index`` to ``assets``, its manifest as ``name`` (e.g. ``search/index.json``), its parts
    beside it; return the manifest's published path."""
    folder = name.rpartition("/")[0]
    for part, data in index.parts.items():
        assets.add(f"{folder}/{part}", data, hashed=False)
    return assets.add(name, index.manifest)


# Result cards per file. The finder's first screen (newest first) needs one file; a text search's
# results fall anywhere in that order, so each of its 20 results may need a file of its own, and
# small files keep that to a few kilobytes each (at 100 a file, a query at 10,000 resources fetched
# about 475 KB of cards).
CARD_CHUNK = 20


def display_order(site: SiteContent) -> list[Resource]:
    """Resources as the finder first shows them, newest first: facet columns and card files follow
    this order, so the first results come from the first card file, and "newest" needs no ranks."""
    return sorted(site.resources, key=lambda r: (r.year, r.added, r.id), reverse=True)


def _mask(positions: list[int]) -> int:
    """Several values of one facet as one number: bit i set for the i-th value."""
    return sum(1 << i for i in set(positions))


def facets(site: SiteContent, resources: list[Resource], chunk_names: list[str]) -> dict[str, Any]:
    """Everything filtering and sorting need, as columns of small numbers (one entry per resource,
    ``resources`` in display order). Values are indexes into the vocabularies, areas and agency sizes bit masks;
    ``order.title`` is each resource's rank by title, so no title is downloaded to sort by it."""
    vocab = _vocabularies(site)
    by_title = sorted(range(len(resources)), key=lambda i: (resources[i].title.casefold(), resources[i].id))
    return {
        "vocab": vocab,
        "id": [r.id for r in resources],
        **_columns(resources, {key: {slug: i for i, (slug, _) in enumerate(values)} for key, values in vocab.items()}),
        # The columns holding bit masks, for the browser to unpack (evidence: bit 0, "rated").
        "masks": ["area", "size", "evidence"],
        "order": {"title": _ranks(by_title)},
        "chunkSize": CARD_CHUNK,
        "chunks": chunk_names,
    }


def _vocabularies(site: SiteContent) -> dict[str, list[list[str]]]:
    """Each facet's values as [slug, name], in the order the finder lists them."""
    ch = site.clearinghouse
    return {
        "area": [[a.slug, a.name] for a in site.areas],
        "type": [[t.slug, t.name] for t in ch.types],
        "size": [[s.slug, s.name] for s in ch.agency_sizes],
        "sponsor": [[s.code, s.name] for s in ch.sponsors],
        "evidence": [["rated", "Has an evidence rating"]],
    }


def _columns(resources: list[Resource], position: dict[str, dict[str, int]]) -> dict[str, list[int]]:
    """One column per facet: each resource's value, as its position in the facet's vocabulary."""
    return {
        "area": [_mask([position["area"][a.slug] for a in r.areas]) for r in resources],
        "type": [position["type"][r.type.slug] for r in resources],
        "size": [_mask([position["size"][s.slug] for s in r.agency_sizes]) for r in resources],
        "sponsor": [position["sponsor"][r.sponsor.code] for r in resources],
        "year": [r.year for r in resources],
        "evidence": [1 if r.evidence else 0 for r in resources],  # has a CrimeSolutions rating
    }


def _ranks(order: list[int]) -> list[int]:
    ranks = [0] * len(order)
    for rank, index in enumerate(order):
        ranks[index] = rank
    return ranks


def card_chunks(resources: list[Resource], urls: routes.Urls) -> list[dict[str, Any]]:
    """What a result card shows, in files of :data:`CARD_CHUNK` resources (``resources`` in
    display order)."""
    chunks = []
    for start in range(0, len(resources), CARD_CHUNK):
        chunks.append(
            {
                str(r.id): {
                    "title": r.title,
                    "url": urls.path(routes.resource(r.slug)),
                    "summary": r.summary,
                    "link": r.url or "",
                    **({"notes": list(r.card_notes)} if r.card_notes else {}),  # archived, evidence rating
                }
                for r in resources[start : start + CARD_CHUNK]
            }
        )
    return chunks


def publish_cards(site: SiteContent, urls: routes.Urls, assets: Assets) -> None:
    """Add what the finder shows and filters by to ``assets``: the card files, then the facet
    file naming them."""
    resources = display_order(site)
    chunks = card_chunks(resources, urls)
    names = [assets.add(f"search/cards-{i}.json", dumps(chunk)) for i, chunk in enumerate(chunks)]
    assets.add("search/facets.json", dumps(facets(site, resources, [urls.path(name) for name in names])))


def publish_index(site: SiteContent, assets: Assets) -> None:
    """Add the clearinghouse's text index to ``assets``."""
    documents = resource_documents(site.resources)
    publish(assets, "search/index.json", build_index(documents, FIELDS, site.clearinghouse.synonyms))
