"""The tests' references for search: lunr.py's own builder and search, and a Python twin of the
browser engine's scoring (``js/search-engine.js``) over the files the build ships.

:func:`build_index` is lunr.py's builder over the same documents (synonyms expanded as the build
does); :func:`search` queries it as the engine queries its files; :func:`sharded_search` reads the
shipped files as the engine does. Tests hold the three to each other.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
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

from psp_static.lunr_index import IndexFiles
from psp_static.lunr_terms import SYNONYM_FIELD, Synonyms, Table, mentions, phrase, stems
from psp_static.search_index import FIELDS, Document, Field

# Frequencies[field][ref][term]: how often each term occurs in each field of each document.
Frequencies = dict[str, dict[str, dict[str, int]]]


def synonym_text(texts: list[str], synonyms: Synonyms) -> str:
    """The synonyms field of a document whose fields say ``texts``, by the rule the build applies to
    all documents at once: every word of each group one of whose members some field mentions."""
    sequences = [stems(text) for text in texts]
    mentioned = [group for group in synonyms if any(phrase(m) and mentions(sequences, phrase(m)) for m in group)]
    return " ".join(" ".join(group) for group in mentioned)


def build_index(documents: Sequence[Document], fields: tuple[Field, ...] = FIELDS, synonyms: Synonyms = ()) -> Builder:
    """A lunr.py builder holding every document; the reference for tests."""
    builder = get_default_builder()
    builder.ref("ref")
    for name, boost in fields:
        builder.field(name, boost=boost)
    if synonyms:
        builder.field(SYNONYM_FIELD[0], boost=SYNONYM_FIELD[1])
    for ref, texts in documents:
        document = {"ref": ref, **{name: texts.get(name, "") for name, _ in fields}}
        if synonyms:
            document[SYNONYM_FIELD[0]] = synonym_text([texts.get(name, "") for name, _ in fields], synonyms)
        builder.add(document)
    return builder


def table_frequencies(table: Table, refs: list[str]) -> Frequencies:
    """The build's counts (:func:`psp_static.lunr_terms.count` over documents with ``refs``) as
    :func:`builder_frequencies` gives lunr.py's."""
    found: Frequencies = {name: {ref: {} for ref in refs} for name in table.columns}
    for name, column in table.columns.items():
        for document, term, count in zip(
            column.document.tolist(), column.term.tolist(), column.count.tolist(), strict=True
        ):
            found[name][refs[document]][table.terms[term]] = count
    return found


def builder_frequencies(builder: Builder) -> Frequencies:
    """The term counts a lunr.py builder holds, per field, ref and term."""
    found: Frequencies = {name: {} for name in builder._fields}
    for field_ref, counts in builder.field_term_frequencies.items():
        field, ref = field_ref.split("/", 1)
        found[field][ref] = dict(counts)
    return found


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
    """Every document holding a word starting with each query stem, best first (ties by ref)."""
    terms = query_terms(text)
    if not terms:
        return []

    def build(query: Query) -> None:
        for term in terms:
            wildcard = Query.WILDCARD_TRAILING if len(term) >= 3 else Query.WILDCARD_NONE  # as the engine
            query.term(term, wildcard=wildcard, presence=QueryPresence.REQUIRED, use_pipeline=False)

    results = [(result["ref"], result["score"]) for result in index.query(callback=build)]
    return sorted(results, key=lambda pair: (-pair[1], pair[0]))  # equal scores in a stable order


class Sharded:
    """The shipped files read as the engine reads them (its results without typo tolerance)."""

    def __init__(self, files: IndexFiles) -> None:
        self.manifest: dict[str, Any] = json.loads(files.manifest)
        self.fields = len(self.manifest["fields"])
        if "ids" in self.manifest:
            numbers = [sum(self.manifest["ids"][: i + 1]) for i in range(len(self.manifest["ids"]))]
            self.refs = [str(n) for n in numbers]
        else:
            self.refs = list(self.manifest["refs"])
        self.rows: dict[str, list[list[int]]] = {}
        for _, name in self.manifest["chunks"]:
            chunk = json.loads(files.parts[name])
            self.rows.update(zip(chunk["terms"], chunk["postings"], strict=True))

    def expand(self, term: str) -> list[str]:
        return [t for t in self.rows if t == term or (len(term) >= 3 and t.startswith(term))]

    def positions(self, term: str) -> set[int]:
        found = set()
        for postings in self.rows[term]:
            position = -1
            for delta in postings[::2]:
                position += delta
                found.add(position)
        return found

    def search(self, text: str) -> list[tuple[str, float]]:
        """What :func:`search` finds, scored from the shipped elements as the engine scores them."""
        expanded = [self.expand(term) for term in query_terms(text)]
        if not expanded:
            return []
        weights: dict[str, int] = {}
        for terms in expanded:
            for term in terms:
                weights[term] = weights.get(term, 0) + 1
        norm = math.sqrt(sum(w * w for w in weights.values()))
        hits = [{p for term in terms for p in self.positions(term)} for terms in expanded]
        dots: dict[tuple[int, int], float] = {}
        for term, weight in weights.items():
            for field, postings in enumerate(self.rows[term]):
                position = -1
                for delta, element in zip(postings[::2], postings[1::2], strict=True):
                    position += delta
                    dots[position, field] = dots.get((position, field), 0.0) + weight * (element / 1000)
        found = set.intersection(*hits)
        scores = {p: sum(dots.get((p, f), 0.0) / norm for f in range(self.fields)) for p in found}
        return sorted(((self.refs[p], s) for p, s in scores.items()), key=lambda pair: (-pair[1], pair[0]))
