"""The Python twin of the browser's search (``js/search-engine.js``), for tests only.

:func:`unpack` rebuilds lunr's serialized index from the packed form the build ships, as the
browser does; :func:`search` queries it with lunr.py as lunr.js would; :func:`build_index` is
lunr.py's own builder over the same documents, the reference both are held to.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from lunr import get_default_builder
from lunr.builder import Builder
from lunr.index import Index
from lunr.query import Query, QueryPresence
from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.tokenizer import Tokenizer
from lunr.trimmer import trimmer

from psp_static.search_index import FIELDS, Document, Field, Frequencies

K1, B = 1.2, 0.75  # lunr's BM25 parameters


def build_index(documents: list[Document], fields: tuple[Field, ...] = FIELDS) -> Builder:
    """A lunr.py builder holding every document; the reference for tests."""
    builder = get_default_builder()
    builder.ref("ref")
    for name, boost in fields:
        builder.field(name, boost=boost)
    for ref, texts in documents:
        builder.add({"ref": ref, **{name: texts.get(name, "") for name, _ in fields}})
    return builder


def builder_frequencies(builder: Builder, fields: tuple[Field, ...] = FIELDS) -> Frequencies:
    """The same table read from a lunr.py builder (for tests comparing the two)."""
    found: Frequencies = {name: {} for name, _ in fields}
    for field_ref, counts in builder.field_term_frequencies.items():
        field, ref = field_ref.split("/", 1)
        found[field][ref] = dict(counts)
    return found


def _round3(score: float) -> float:
    # Math.round(score * 1000) / 1000, as the browser computes it (not Python's round()).
    return math.floor(score * 1000 + 0.5) / 1000


def unpack(packed: dict[str, Any]) -> dict[str, Any]:
    """Rebuild lunr's serialized index from :func:`pack` output (mirrors search-engine.js)."""
    fields = [name for name, _ in packed["fields"]]
    boosts = dict(packed["fields"])
    docs = [str(ref) for ref in packed["docs"]]
    count = len(docs)
    frequencies: dict[str, dict[str, dict[int, int]]] = {f: defaultdict(dict) for f in fields}
    inverted = []
    for index, (term, row) in enumerate(zip(packed["terms"], packed["postings"], strict=True)):
        posting: dict[str, Any] = {"_index": index}
        for field, entries in zip(fields, row, strict=True):
            number = 0
            posting[field] = {}
            for entry in entries:
                delta, tf = (entry, 1) if isinstance(entry, int) else entry
                number += delta
                ref = docs[number - 1]
                posting[field][ref] = {}
                frequencies[field][ref][index] = tf
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
    """The stems a query searches for (the same steps search-engine.js takes)."""
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
