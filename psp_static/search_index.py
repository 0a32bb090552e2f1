"""The clearinghouse's search data: a lunr index and a compact document store.

The index is built with lunr.py (tokenizer, stop words and stemmer of lunr.js 2.3.9) and shipped
packed: each term's postings with their term frequencies, instead of lunr's serialized form with
one score per term per field per document. The browser (``js/clearinghouse.js``) rebuilds the very
structure ``lunr.Index.load`` expects with the same BM25 arithmetic lunr's builder uses, at about a
quarter of the bytes. :func:`unpack` is the Python twin of that code, for tests and for searching
the same data with lunr.py.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import defaultdict
from typing import Any

from lunr import get_default_builder
from lunr.builder import Builder
from lunr.index import Index
from lunr.pipeline import Pipeline
from lunr.query import Query, QueryPresence
from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.tokenizer import Tokenizer
from lunr.trimmer import trimmer

from psp_static import routes
from psp_static.assets import Assets
from psp_static.cache import BuildCache, digest
from psp_static.model import Resource, SiteContent

LUNR_VERSION = "2.3.9"
FIELDS = (("title", 10), ("summary", 1), ("meta", 1))  # (name, boost): the title counts most
K1, B = 1.2, 0.75  # lunr's BM25 parameters


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


def build_index(resources: list[Resource] | tuple[Resource, ...]) -> Builder:
    """A lunr.py builder holding every resource (ref: the permanent id); the reference for tests."""
    builder = get_default_builder()
    builder.ref("id")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for resource in resources:
        builder.add(index_document(resource))
    return builder


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


def frequencies(resources: list[Resource] | tuple[Resource, ...], cache: BuildCache | None = None) -> Frequencies:
    """Per field, per resource id, per term: the counts :func:`build_index` would hold."""
    found: Frequencies = {name: {} for name, _ in FIELDS}
    for resource in resources:
        document = index_document(resource)
        key = digest(*(document[name] for name, _ in FIELDS))
        counts = cache.get("terms", key) if cache else None
        if counts is None:
            counts = [document_terms(document[name]) for name, _ in FIELDS]
            if cache:
                cache.put("terms", key, counts)
        for (name, _), field_counts in zip(FIELDS, counts, strict=True):
            found[name][resource.id] = field_counts
    return found


def builder_frequencies(builder: Builder) -> Frequencies:
    """The same table read from a lunr.py builder (for tests comparing the two)."""
    found: Frequencies = {name: {} for name, _ in FIELDS}
    for field_ref, counts in builder.field_term_frequencies.items():
        field, ref = field_ref.split("/", 1)
        found[field][int(ref)] = dict(counts)
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


def _round3(score: float) -> float:
    # Math.round(score * 1000) / 1000, as the browser computes it (not Python's round()).
    return math.floor(score * 1000 + 0.5) / 1000


def unpack(packed: dict[str, Any]) -> dict[str, Any]:
    """Rebuild lunr's serialized index from :func:`pack` output (mirrors clearinghouse.js)."""
    fields = [name for name, _ in packed["fields"]]
    boosts = dict(packed["fields"])
    docs = [str(ref) for ref in packed["docs"]]
    count = len(docs)
    frequencies: dict[str, dict[str, dict[int, int]]] = {f: defaultdict(dict) for f in fields}
    inverted = []
    for index, (term, row) in enumerate(zip(packed["terms"], packed["postings"], strict=True)):
        posting: dict[str, Any] = {"_index": index}
        for field, entries in zip(fields, row, strict=True):
            doc = 0
            posting[field] = {}
            for entry in entries:
                delta, tf = (entry, 1) if isinstance(entry, int) else entry
                doc += delta
                posting[field][str(doc)] = {}
                frequencies[field][str(doc)][index] = tf
        inverted.append([term, posting])
    idfs = []
    for _, posting in inverted:
        with_term = sum(len(posting[f]) for f in fields)
        x = (count - with_term + 0.5) / (with_term + 0.5)
        idfs.append(math.log(1 + abs(x)))
    vectors = []
    for field in fields:
        lengths = {ref: sum(frequencies[field][ref].values()) for ref in docs}
        average = sum(lengths.values()) / count if count else 0
        for ref in docs:
            elements: list[float] = []
            for index, tf in sorted(frequencies[field][ref].items()):
                norm = K1 * (1 - B + B * (lengths[ref] / average)) + tf
                elements += [index, _round3(idfs[index] * ((K1 + 1) * tf) / norm * boosts[field])]
            vectors.append([f"{field}/{ref}", elements])
    return {
        "version": packed["version"],
        "fields": fields,
        "fieldVectors": vectors,
        "invertedIndex": inverted,
        "pipeline": ["stemmer"],
    }


def query_terms(text: str) -> list[str]:
    """The stems a query searches for (the same steps clearinghouse.js takes)."""
    terms = []
    for token in Tokenizer(text):
        trimmed = trimmer(token)
        if trimmed is None or not str(trimmed) or stop_word_filter(trimmed) is None:
            continue
        terms.append(str(stemmer(Token(str(trimmed)))))
    return terms


def search(index: Index, text: str) -> list[tuple[str, float]]:
    """Every resource containing a word starting with each query stem, best first (ties by ref)."""
    terms = query_terms(text)
    if not terms:
        return []

    def build(query: Query) -> None:
        for term in terms:
            query.term(term, wildcard=Query.WILDCARD_TRAILING, presence=QueryPresence.REQUIRED, use_pipeline=False)

    results = [(result["ref"], result["score"]) for result in index.query(callback=build)]
    return sorted(results, key=lambda pair: (-pair[1], pair[0]))  # equal scores in a stable order


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


def publish_index(site: SiteContent, assets: Assets, cache: BuildCache | None = None) -> None:
    """Add the text index to ``assets``."""
    assets.add("search/index.json", dumps(pack(frequencies(site.resources, cache))).encode())
