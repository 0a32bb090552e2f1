"""The index's field vectors, computed with numpy, against lunr.py's builder's arithmetic written plainly."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy
import pytest

from psp_static import lunr_index, lunr_terms, made_assets, pipeline, routes, search_index
from tests import lunr_twin, synthetic
from tests.conftest import REAL_CONTENT


def plain_column(counts: list[dict[str, int]], idf: dict[str, float], boost: int) -> dict[str, list[int]]:
    """lunr.py's builder, pair by pair: BM25 x boost rounded to 3 places, each document a delta."""
    lengths = [sum(c.values()) for c in counts]
    average = sum(lengths) / len(counts)
    found: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    for number, (field_counts, length) in enumerate(zip(counts, lengths, strict=True)):
        for term, tf in field_counts.items():
            score = idf[term] * ((lunr_index.K1 + 1) * tf)
            score = score / (lunr_index.K1 * (1 - lunr_index.B + lunr_index.B * (length / average)) + tf) * boost
            found.setdefault(term, []).extend((number - last.get(term, -1), round(round(score, 3) * 1000)))
            last[term] = number
    return found


def plain_idfs(frequencies: lunr_twin.Frequencies, refs: list[str], terms: list[str]) -> dict[int, float]:
    """lunr.py's idf, by term number: documents holding the term, counted once per field."""
    holding: dict[str, int] = {}
    for column in frequencies.values():
        for ref in refs:
            for term in column[ref]:
                holding[term] = holding.get(term, 0) + 1
    n = len(refs)
    return {terms.index(t): math.log(1 + abs((n - h + 0.5) / (h + 0.5))) for t, h in holding.items()}


@pytest.mark.parametrize("size", [0, 300])
def test_field_vectors_are_lunrs_to_the_last_digit(size: int, tmp_path: Path) -> None:
    content = synthetic.generate(tmp_path / "content", size, 20) if size else REAL_CONTENT
    site = pipeline.check(pipeline.Options(content=content))
    documents = search_index.resource_documents(site.resources)
    refs = [ref for ref, _ in documents]
    table = lunr_terms.count(documents, [name for name, _ in search_index.FIELDS], site.clearinghouse.synonyms)
    frequencies = lunr_twin.table_frequencies(table, refs)
    idf = lunr_index.idfs(table, len(documents))
    assert all(math.isfinite(value) for value in idf.values())
    assert idf == plain_idfs(frequencies, refs, table.terms)
    weights = numpy.zeros(len(table.terms))
    weights[list(idf)] = list(idf.values())
    by_term = {table.terms[number]: value for number, value in idf.items()}
    for name, boost in [*search_index.FIELDS, lunr_terms.SYNONYM_FIELD]:
        made = lunr_index._column(table.columns[name], weights, boost)
        counts = [frequencies[name][ref] for ref in refs]
        assert {table.terms[n]: row for n, row in made.items()} == plain_column(counts, by_term, boost), name


ODD_TEXTS = [
    "Plain words, and the words again.",
    "A word\x00glued, a \x00 alone, and \x00 again",  # the word the build puts between documents
    "line\u2028separated\u3000by\x1cother-spaces and\xa0hyphen-ated",
    "",
    "THE and OF only",
]


def test_odd_texts_are_counted_as_lunrs_builder_counts_them() -> None:
    documents = [(str(i), {"title": text, "summary": ODD_TEXTS[-1 - i]}) for i, text in enumerate(ODD_TEXTS)]
    fields = (("title", 10), ("summary", 4))
    synonyms = (("lpr", "license plate reader"), ("words", "glued"))
    expected = lunr_twin.builder_frequencies(lunr_twin.build_index(documents, fields, synonyms))
    table = lunr_terms.count(documents, ["title", "summary"], synonyms)
    assert lunr_twin.table_frequencies(table, [ref for ref, _ in documents]) == expected
    clean = [(ref, {name: text.replace("\x00", " ") for name, text in texts.items()}) for ref, texts in documents]
    plain = lunr_twin.build_index(clean, fields, synonyms)
    table = lunr_terms.count(clean, ["title", "summary"], synonyms)  # split as one text
    assert lunr_twin.table_frequencies(table, [ref for ref, _ in clean]) == lunr_twin.builder_frequencies(plain)


def test_words_are_stemmed_as_lunrs_pipeline_stems_them(tmp_path: Path) -> None:
    """The build calls lunr's stop words and stemmer directly: every word of the real and of
    synthetic content, and punctuated ones, gets the term lunr's whole pipeline makes of it."""
    words = {"...", '"quoted"', "x-ray", "café", "it's", "1990s", "(cvi)", "the", "a", "ll", "running", "analyses"}
    for content in (REAL_CONTENT, synthetic.generate(tmp_path / "content", 300, 20)):
        site = pipeline.check(pipeline.Options(content=content))
        for _, texts in search_index.resource_documents(site.resources):
            for text in texts.values():
                words.update(lunr_terms._split(text.lower()))
    assert len(words) > 2000
    assert {w: lunr_terms._term(w) for w in words} == {w: "".join(lunr_terms._terms(w)) for w in words}


def standard_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


ODD_STRINGS = [
    'quote " and back\\slash',
    "\x00\x1f\x7f controls",
    "line\u2028para\u2029",
    "é ✓ 𝔸 emoji 🙂",
    "</script>",
]


def test_search_data_is_the_json_modules_bytes() -> None:
    """The search data's JSON is written by orjson, for speed: every file is byte for byte what
    the standard json module writes of the same data, and so are odd strings."""
    site = pipeline.check(pipeline.Options(content=REAL_CONTENT))
    made = made_assets.Inputs(site, routes.Urls(site.config.base_url), {})
    static = made_assets.made_apart(made_assets.SEARCH_ASSETS, made)
    assert len(static.files) > 10
    for path, data in static.files.items():
        assert data == standard_json(json.loads(data)), path
    odd = {text: [text, -1, 0, 2**40, {"b": text, "a": [text]}] for text in ODD_STRINGS}
    assert lunr_index.dumps(odd) == standard_json(odd)
