"""A lunr index as small files the browser fetches only as a query needs them (``js/search-engine.js``).

The layout follows Pagefind's: the terms, sorted, are cut into chunks of bounded size, and a small
manifest says where each chunk starts, so a query fetches only the chunks its terms fall in. A
second, smaller set of files lists the terms alone (with how many documents hold each and how each
is spelled), one file per first character: the engine finds a word's prefix and typo candidates
there before it fetches any postings.

Scores stay exactly lunr's. A chunk carries, per term and field, each document's element of lunr's
field vector: ``round(BM25 x field boost, 3)`` computed as lunr.py's builder does, shipped as an
integer (x 1000) so no digit is lost. Nothing else of a document is needed, because lunr 2.3.9
scores a field as ``query . field vector / |query|`` (``lunr.Vector.similarity`` divides by the
query vector's magnitude, not the document's), so the document terms a query does not name never
count. The tests hold the engine's scores to lunr.py's search over an index it built itself.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections import Counter
from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy

from psp_static.assets import content_hash
from psp_static.lunr_terms import (
    SYNONYM_FIELD,
    Document,
    Field,
    Frequencies,
    Synonyms,
    counted,
    spellings,
)
from psp_static.stage import Each, plainly

LUNR_VERSION = "2.3.9"
K1, B = 1.2, 0.75  # lunr's BM25 parameters
# Raw bytes of postings per chunk: about 5 KB gzipped, so a word's prefix and typo candidates
# (a few neighbouring chunks) stay far below the budget of 80 KB a query.
CHUNK_BYTES = 16_000


@dataclasses.dataclass(frozen=True)
class IndexFiles:
    """A built index: the manifest the engine opens, and the files it names (by names relative to
    the manifest's folder, already content-hashed)."""

    manifest: bytes
    parts: dict[str, bytes]


def dumps(data: Any) -> str:
    """Compact, key-sorted JSON: the same data always gives the same bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _numeric(refs: Sequence[str]) -> bool:
    return all(ref.isascii() and ref.isdigit() and (ref == "0" or ref[0] != "0") for ref in refs)


def _refs(documents: Sequence[Document]) -> tuple[list[Document], dict[str, Any]]:
    """Documents in index order, and how the manifest lists their refs: numbers (a clearinghouse's
    resource ids) in ascending order as differences, which gzip to almost nothing; others as they are."""
    if documents and _numeric([ref for ref, _ in documents]):
        ordered = sorted(documents, key=lambda d: int(d[0]))
        numbers = [int(ref) for ref, _ in ordered]
        return ordered, {"ids": [b - a for a, b in zip([0, *numbers], numbers, strict=False)]}
    return list(documents), {"refs": [ref for ref, _ in documents]}


def idfs(table: Frequencies, refs: Sequence[str]) -> dict[str, float]:
    """lunr's inverse document frequency of every term (documents counted once per field)."""
    holding: Counter[str] = Counter()
    for column in table.values():
        holding.update(chain.from_iterable(column[ref] for ref in refs))
    count = len(refs)
    return {term: math.log(1 + abs((count - n + 0.5) / (n + 0.5))) for term, n in holding.items()}


def postings(table: Frequencies, boosts: dict[str, int], refs: Sequence[str]) -> dict[str, list[list[int]]]:
    """Per term, per field: ``[delta, element, delta, element, ...]``, documents as differences of
    their positions in ``refs`` and elements as lunr's builder computes them, times 1000."""
    idf = idfs(table, refs)
    columns = [_column([column[ref] for ref in refs], idf, boosts[name]) for name, column in table.items()]
    return {term: [column.get(term, []) for column in columns] for term in idf}


def _column(counts: list[dict[str, int]], idf: dict[str, float], boost: int) -> dict[str, list[int]]:
    """The postings of one field, per term, from each document's term counts in index order.

    Computed with numpy over every (document, term) pair of the field at once, with the same IEEE
    operations in the same order as lunr.py's builder, so the same numbers; the pairs are listed
    by ``itertools.chain`` and ``map``, in C. About five times sooner than a loop over the pairs.
    """
    sizes = numpy.fromiter(map(len, counts), numpy.int64, len(counts))
    lengths = numpy.fromiter(map(sum, map(dict.values, counts)), numpy.float64, len(counts))
    total = int(sizes.sum())
    if not total:
        return {}
    terms = list(chain.from_iterable(counts))
    tf = numpy.fromiter(chain.from_iterable(map(dict.values, counts)), numpy.float64, total)
    document = numpy.repeat(numpy.arange(len(counts)), sizes)
    base = K1 * (1 - B + B * (lengths / (lengths.sum() / len(counts))))  # lunr's arithmetic, in lunr's order
    score = numpy.fromiter(map(idf.__getitem__, terms), numpy.float64, total) * ((K1 + 1) * tf)
    score = score / (base[document] + tf) * boost
    whole = numpy.rint(score * 1000)  # round half to even, as Python's round
    # lunr.py's round(score, 3) x 1000 is round(score * 1000) except within a hair of a half,
    # where lunr's rounding decides.
    for at in numpy.flatnonzero(numpy.abs(score * 1000 - whole) >= 0.499999):
        whole[at] = round(round(float(score[at]), 3) * 1000)
    # Per term, its documents in order: a stable sort by term keeps each term's documents in order.
    number = {term: n for n, term in enumerate(idf)}
    ids = numpy.fromiter(map(number.__getitem__, terms), numpy.int64, total)
    order = numpy.argsort(ids, kind="stable")
    ids, document, whole = ids[order], document[order], whole[order]
    starts = numpy.flatnonzero(numpy.diff(ids, prepend=-1))
    previous = numpy.empty_like(document)
    previous[0], previous[1:] = -1, document[:-1]
    previous[starts] = -1  # a term's first document counts from before the first
    pairs = numpy.empty(2 * total, numpy.int64)
    pairs[0::2], pairs[1::2] = document - previous, whole
    flat = pairs.tolist()
    named = list(idf)
    ends = [*starts[1:].tolist(), total]
    return {named[ids[s]]: flat[2 * s : 2 * e] for s, e in zip(starts.tolist(), ends, strict=True)}


def _chunks(rows: dict[str, list[list[int]]]) -> list[list[str]]:
    """The sorted terms cut into runs of about :data:`CHUNK_BYTES` of postings (a term with more
    postings than that has a chunk of its own)."""
    chunks: list[list[str]] = [[]]
    size = 0
    for term in sorted(rows):
        weight = len(term) + sum(len(row) * 4 for row in rows[term])  # about 4 bytes a number
        if chunks[-1] and size + weight > CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(term)
        size += weight
    return chunks


def _part(kind: str, data: dict[str, Any], parts: dict[str, bytes]) -> str:
    encoded = dumps(data).encode()
    name = f"{kind}.{content_hash(encoded)}.json"
    parts[name] = encoded
    return name


def _vocabulary(rows: dict[str, list[list[int]]], spellings: dict[str, str], parts: dict[str, bytes]) -> list[Any]:
    """One file per first character: its terms, sorted, how many postings each has (to prefer
    common words among typo candidates) and the spelling of terms the stemmer changed."""
    by_first: dict[str, list[str]] = {}
    for term in sorted(rows):
        by_first.setdefault(term[0], []).append(term)
    listed = []
    for first, terms in by_first.items():
        shard = {
            "terms": terms,
            "df": [sum(len(row) // 2 for row in rows[term]) for term in terms],
            "spell": {term: spellings[term] for term in terms if spellings.get(term, term) != term},
        }
        listed.append([first, _part("v", shard, parts)])
    return listed


def _counts(
    ordered: Sequence[Document], fields: Sequence[Field], synonyms: Synonyms, each: Each
) -> tuple[Frequencies, dict[str, str]]:
    """Term counts per field (the synonyms field last), and each term's spelling."""
    names = [name for name, _ in fields]
    table: Frequencies = {name: {} for name in names}
    if synonyms:
        table[SYNONYM_FIELD[0]] = {}
    words: set[str] = set()
    for (ref, _), (counts, distinct) in zip(ordered, counted(ordered, names, synonyms, each), strict=True):
        for name, field_counts in zip(table, counts, strict=True):
            table[name][ref] = field_counts
        words.update(distinct)
    return table, spellings(words)


def build_index(
    documents: Sequence[Document], fields: Sequence[Field], each: Each = plainly, synonyms: Synonyms = ()
) -> IndexFiles:
    """A lunr index of ``documents`` over ``fields`` (with a synonyms field when ``synonyms`` are
    given, see :func:`psp_static.lunr_terms.synonym_text`), as the files the engine reads."""
    ordered, listing = _refs(documents)
    all_fields = [*fields, *([SYNONYM_FIELD] if synonyms else [])]
    table, spelled = _counts(ordered, fields, synonyms, each)
    rows = postings(table, dict(all_fields), [ref for ref, _ in ordered])
    parts: dict[str, bytes] = {}
    chunks = [[terms[0], _part("t", {"terms": terms, "postings": [rows[t] for t in terms]}, parts)]
              for terms in _chunks(rows) if terms]  # fmt: skip
    manifest = {
        "version": LUNR_VERSION,
        "fields": [[name, boost] for name, boost in all_fields],
        "chunks": chunks,
        "vocabulary": _vocabulary(rows, spelled, parts),
        "synonyms": [list(group) for group in synonyms],
        **listing,
    }
    return IndexFiles(dumps(manifest).encode(), parts)
