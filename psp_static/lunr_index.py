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
import math
from collections.abc import Sequence
from typing import Any

import numpy
import numpy.typing as npt
import orjson

from psp_static.assets import content_hash
from psp_static.lunr_terms import SYNONYM_FIELD, Column, Document, Field, Synonyms, Table, count

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


def dumps(data: Any) -> bytes:
    """Compact, key-sorted JSON in UTF-8: the same data always gives the same bytes.

    orjson writes the very bytes of ``json.dumps(data, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)`` for the search data's strings, lists and integers (a test compares them),
    five times as fast: 0.2 s of every build at 10,000 resources.
    """
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


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


def idfs(table: Table, documents: int) -> dict[int, float]:
    """lunr's inverse document frequency of every term that some document holds, by term number
    (documents counted once per field)."""
    holding = sum((numpy.bincount(c.term, minlength=len(table.terms)) for c in table.columns.values()),
                  numpy.zeros(len(table.terms), numpy.int64))  # fmt: skip
    return {
        number: math.log(1 + abs((documents - n + 0.5) / (n + 0.5))) for number, n in enumerate(holding.tolist()) if n
    }


def postings(table: Table, boosts: dict[str, int], documents: int) -> dict[str, list[list[int]]]:
    """Per term, per field: ``[delta, element, delta, element, ...]``, documents as differences of
    their positions and elements as lunr's builder computes them, times 1000."""
    idf = idfs(table, documents)
    weights = numpy.zeros(len(table.terms), numpy.float64)
    weights[list(idf)] = list(idf.values())
    columns = [_column(column, weights, boosts[name]) for name, column in table.columns.items()]
    return {table.terms[number]: [column.get(number, []) for column in columns] for number in idf}


def _column(column: Column, idf: npt.NDArray[numpy.float64], boost: int) -> dict[int, list[int]]:
    """The postings of one field, by term number, from its counts.

    Computed with numpy over every (document, term) pair of the field at once, with the same IEEE
    operations in the same order as lunr.py's builder, so the same numbers.
    """
    total = column.term.size
    if not total:
        return {}
    lengths = column.lengths
    base = K1 * (1 - B + B * (lengths / (lengths.sum() / lengths.size)))  # lunr's arithmetic, in lunr's order
    tf = column.count.astype(numpy.float64)
    score = idf[column.term] * ((K1 + 1) * tf)
    score = score / (base[column.document] + tf) * boost
    whole = numpy.rint(score * 1000)  # round half to even, as Python's round
    # lunr.py's round(score, 3) x 1000 is round(score * 1000) except within a hair of a half,
    # where lunr's rounding decides.
    for at in numpy.flatnonzero(numpy.abs(score * 1000 - whole) >= 0.499999):
        whole[at] = round(round(float(score[at]), 3) * 1000)
    # Per term, its documents in order: the pairs are ordered by document, and a stable sort by
    # term keeps each term's documents in that order.
    order = numpy.argsort(column.term, kind="stable")
    ids, document, whole = column.term[order], column.document[order], whole[order]
    starts = numpy.flatnonzero(numpy.diff(ids, prepend=-1))
    previous = numpy.empty_like(document)
    previous[0], previous[1:] = -1, document[:-1]
    previous[starts] = -1  # a term's first document counts from before the first
    pairs = numpy.empty(2 * total, numpy.int64)
    pairs[0::2], pairs[1::2] = document - previous, whole
    flat = pairs.tolist()
    ends = [*starts[1:].tolist(), total]
    return {int(ids[s]): flat[2 * s : 2 * e] for s, e in zip(starts.tolist(), ends, strict=True)}


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
    encoded = dumps(data)
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


def build_index(documents: Sequence[Document], fields: Sequence[Field], synonyms: Synonyms = ()) -> IndexFiles:
    """A lunr index of ``documents`` over ``fields`` (with a synonyms field when ``synonyms`` are
    given, see :mod:`psp_static.lunr_terms`), as the files the engine reads."""
    ordered, listing = _refs(documents)
    all_fields = [*fields, *([SYNONYM_FIELD] if synonyms else [])]
    table = count(ordered, [name for name, _ in fields], synonyms)
    rows = postings(table, dict(all_fields), len(ordered))
    parts: dict[str, bytes] = {}
    chunks = [[terms[0], _part("t", {"terms": terms, "postings": [rows[t] for t in terms]}, parts)]
              for terms in _chunks(rows) if terms]  # fmt: skip
    manifest = {
        "version": LUNR_VERSION,
        "fields": [[name, boost] for name, boost in all_fields],
        "chunks": chunks,
        "vocabulary": _vocabulary(rows, table.spellings, parts),
        "synonyms": [list(group) for group in synonyms],
        **listing,
    }
    return IndexFiles(dumps(manifest), parts)
