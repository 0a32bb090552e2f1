"""The clearinghouse's search data: a lunr index and a compact document store.

The index is built with lunr.py (tokenizer, stop words and stemmer of lunr.js 2.3.9) and shipped
packed: each term's postings with their term frequencies, instead of lunr's serialized form with
one score per term per field per document. The browser (``js/clearinghouse.js``) rebuilds the very
structure ``lunr.Index.load`` expects with the same BM25 arithmetic lunr's builder uses, at about a
quarter of the bytes. ``tests/lunr_twin.py`` holds the Python twin of that code, which the tests
hold to lunr.py's own builder and search.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from typing import Any

from lunr import get_default_builder
from lunr.pipeline import Pipeline
from lunr.token import Token

from psp_static import routes
from psp_static.assets import Assets
from psp_static.hashing import digest
from psp_static.model import Resource, SiteContent
from psp_static.stage import Each, plainly

LUNR_VERSION = "2.3.9"
FIELDS = (("title", 10), ("summary", 1), ("meta", 1))  # (name, boost): the title counts most


def index_document(resource: Resource) -> dict[str, str]:
    """What search sees of a resource: title, summary, and its names (type, areas, people, tags)."""
    meta = [
        resource.type.name,
        *(area.name for area in resource.areas),
        resource.author,
        resource.sponsor.name,
        resource.sponsor.code,
        resource.provider,
        *resource.tags,
    ]
    return {"id": str(resource.id), "title": resource.title, "summary": resource.summary, "meta": " ".join(meta)}


# Frequencies[field][ref][term]: how often each term occurs in each field of each document.
Frequencies = dict[str, dict[int, dict[str, int]]]
_SEPARATORS = re.compile(r"[ \t\n\r\f\v\xa0-]+")  # lunr's tokenizer splits on these


@functools.cache
def _terms(word: str) -> tuple[str, ...]:
    """The terms lunr's default pipeline makes of one word (trim, drop stop words, stem).

    The pipeline treats each token on its own, so running it once per distinct word and
    remembering the answer gives what lunr's builder computes, at a fraction of the cost:
    a clearinghouse has thousands of documents but a vocabulary of only a few thousand words.
    """
    return tuple(str(token) for token in _pipeline().run([Token(word, {})]))


@functools.cache
def _pipeline() -> Pipeline:
    """lunr's default pipeline, made on first use rather than whenever this module is imported."""
    return get_default_builder().pipeline


def document_terms(text: str) -> dict[str, int]:
    """Term frequencies of one field's text, as lunr's builder counts them."""
    counts: dict[str, int] = {}
    for word in _SEPARATORS.split(text.lower()):
        if word:
            for term in _terms(word):
                counts[term] = counts.get(term, 0) + 1
    return counts


def term_counts(resource: Resource) -> list[dict[str, int]]:
    """Per field of :data:`FIELDS`, how often each term occurs in ``resource``."""
    document = index_document(resource)
    return [document_terms(document[name]) for name, _ in FIELDS]


def terms_key(resource: Resource) -> str:
    """What :func:`term_counts` reads of a resource."""
    document = index_document(resource)
    return digest(*(document[name] for name, _ in FIELDS))


def frequencies(resources: Sequence[Resource], each: Each = plainly) -> Frequencies:
    """Per field, per resource id, per term: the counts lunr.py's builder would hold."""
    found: Frequencies = {name: {} for name, _ in FIELDS}
    for resource, counts in zip(resources, each("terms", term_counts, resources, terms_key), strict=True):
        for (name, _), field_counts in zip(FIELDS, counts, strict=True):
            found[name][resource.id] = field_counts
    return found


def pack(table: Frequencies) -> dict[str, Any]:
    """Terms, and per term and field the documents (delta-coded ids) with term frequency > 1 noted."""
    fields = [name for name, _ in FIELDS]
    postings: dict[str, list[list[Any]]] = {}
    refs = sorted(table[fields[0]])
    for position, field in enumerate(fields):
        column = table[field]
        last: dict[str, int] = {}  # each term's previous document in this field
        for ref in refs:  # ascending, so each delta is small and positive
            for term, tf in column[ref].items():
                row = postings.get(term)
                if row is None:
                    row = postings[term] = [[] for _ in fields]
                delta = ref - last.get(term, 0)
                last[term] = ref
                row[position].append(delta if tf == 1 else [delta, tf])
    terms = sorted(postings)
    return {
        "version": LUNR_VERSION,
        "fields": [[name, boost] for name, boost in FIELDS],
        "docs": refs,
        "terms": terms,
        "postings": [postings[term] for term in terms],
    }


CARD_CHUNK = 100  # result cards per file: the first screen of results needs one small download


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
    ch = site.clearinghouse
    vocab = {
        "area": [[a.slug, a.name] for a in site.areas],
        "type": [[t.slug, t.name] for t in ch.types],
        "size": [[s.slug, s.name] for s in ch.agency_sizes],
        "sponsor": [[s.code, s.name] for s in ch.sponsors],
        "evidence": [["rated", "Has an evidence rating"]],
    }
    position = {key: {slug: i for i, (slug, _) in enumerate(values)} for key, values in vocab.items()}
    by_title = sorted(range(len(resources)), key=lambda i: (resources[i].title.casefold(), resources[i].id))
    return {
        "vocab": vocab,
        "id": [r.id for r in resources],
        "area": [_mask([position["area"][a.slug] for a in r.areas]) for r in resources],
        "type": [position["type"][r.type.slug] for r in resources],
        "size": [_mask([position["size"][s.slug] for s in r.agency_sizes]) for r in resources],
        "sponsor": [position["sponsor"][r.sponsor.code] for r in resources],
        "year": [r.year for r in resources],
        "evidence": [1 if r.evidence else 0 for r in resources],  # has a CrimeSolutions rating
        "order": {"title": _ranks(by_title)},
        "chunkSize": CARD_CHUNK,
        "chunks": chunk_names,
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


def dumps(data: Any) -> str:
    """Compact, key-sorted JSON: the same data always gives the same bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def publish_cards(site: SiteContent, urls: routes.Urls, assets: Assets) -> None:
    """Add what the finder shows and filters by to ``assets``: the card files, then the facet
    file naming them."""
    resources = display_order(site)
    chunks = card_chunks(resources, urls)
    names = [assets.add(f"search/cards-{i}.json", dumps(chunk).encode()) for i, chunk in enumerate(chunks)]
    assets.add("search/facets.json", dumps(facets(site, resources, [urls.path(name) for name in names])).encode())


def publish_index(site: SiteContent, assets: Assets, each: Each = plainly) -> None:
    """Add the text index to ``assets``."""
    assets.add("search/index.json", dumps(pack(frequencies(site.resources, each))).encode())
