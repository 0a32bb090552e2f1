"""The index's field vectors, computed with numpy, against lunr.py's builder's arithmetic written plainly."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from psp_static import lunr_index, lunr_terms, pipeline, search_index
from tests import synthetic
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


@pytest.mark.parametrize("size", [0, 300])
def test_field_vectors_are_lunrs_to_the_last_digit(size: int, tmp_path: Path) -> None:
    content = synthetic.generate(tmp_path / "content", size, 20) if size else REAL_CONTENT
    site = pipeline.check(pipeline.Options(content=content))
    documents = search_index.resource_documents(site.resources)
    table = lunr_terms.frequencies(documents, search_index.FIELDS, synonyms=site.clearinghouse.synonyms)
    refs = [ref for ref, _ in documents]
    idf = lunr_index.idfs(table, refs)
    assert all(math.isfinite(value) for value in idf.values())
    for (name, boost), column in zip(search_index.FIELDS, table.values(), strict=False):
        counts = [column[ref] for ref in refs]
        assert lunr_index._column(counts, idf, boost) == plain_column(counts, idf, boost), name
