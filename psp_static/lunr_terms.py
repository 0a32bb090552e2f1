"""Counting terms as lunr's builder does, for every document at once, and the synonyms each mentions.

lunr.py's builder (tokenizer, stop words and stemmer of lunr.js 2.3.9) is the reference; the tests
hold :func:`count` to it. A field's counts are arrays of (document, term, count) triples: lunr's
pipeline runs once per distinct word, and the rest is done by numpy over all documents together,
so 10,000 documents are counted in about a second, and the index is computed from the same arrays.

Synonyms are expanded when indexing rather than when searching: a document that says "license
plate readers" gets "LPR" and "ALPR" in a field of its own, so the index lunr.py builds holds them,
lunr.js and lunr.py agree on synonyms with no extra code in either, and a query needs no phrase
logic (lunr has no word positions to match "license plate reader" as a phrase).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain

import numpy
import numpy.typing as npt
from lunr import get_default_builder, stemmer, stop_word_filter, trimmer
from lunr.pipeline import Pipeline
from lunr.token import Token

# (name, boost): a search field and how much a match in it counts (lunr's field boost).
Field = tuple[str, int]
# (ref, {field: text}): one searchable document; the ref is what a query returns.
Document = tuple[str, Mapping[str, str]]
# Groups of words that mean the same ("LPR", "license plate reader"), from content/synonyms.yaml.
Synonyms = tuple[tuple[str, ...], ...]
Numbers = npt.NDArray[numpy.int64]

SYNONYM_FIELD: Field = ("synonyms", 1)  # a synonym counts like a word of the description
_SEPARATORS = re.compile(r"[ \t\n\r\f\v\xa0-]+")  # lunr's tokenizer splits on these
_TRIM = re.compile(r"^\W+|\W+$")  # lunr's trimmer
# Where str.split() splits and lunr does not: text without them splits faster with str.split().
_OTHER_SPACES = re.compile("[\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_BOUNDARY = "\x00"  # a word between two documents' texts, which no content text holds
_BETWEEN = f" {_BOUNDARY} "


@dataclasses.dataclass(frozen=True)
class Column:
    """One field's term counts in every document: parallel arrays of (document, term, count),
    ordered by document then term, documents by their position and terms by their number."""

    document: Numbers
    term: Numbers
    count: Numbers
    lengths: npt.NDArray[numpy.float64]  # each document's number of terms in the field (lunr's field length)


@dataclasses.dataclass(frozen=True)
class Table:
    """Every field's :class:`Column` (the synonyms field last), the terms by number, and how a
    suggestion spells each term."""

    columns: dict[str, Column]
    terms: list[str]
    spellings: dict[str, str]


def _split(text: str) -> list[str]:
    """The words of lower-cased ``text``, split where lunr's tokenizer splits."""
    if _OTHER_SPACES.search(text) is None:
        return text.replace("-", " ").split()
    return [word for word in _SEPARATORS.split(text) if word]


@functools.cache
def _terms(word: str) -> tuple[str, ...]:
    """The terms lunr's default pipeline makes of one word (trim, drop stop words, stem).

    The pipeline treats each token on its own, so running it once per distinct word and
    remembering the answer gives what lunr's builder computes, at a fraction of the cost:
    a clearinghouse has thousands of documents but a vocabulary of only a few thousand words.
    """
    return tuple(str(token) for token in _pipeline().run([Token(word, {})]))


@functools.cache
def _term(word: str) -> str:
    """The one term lunr's default pipeline makes of ``word``, or "" when it makes none (a stop word).

    Each step of that pipeline (trimmer, stop word filter, stemmer) turns a token into at most one.
    """
    if _pipeline_is_lunrs_default():
        return _stem(_trimmed(word))
    terms = _terms(word)
    if len(terms) > 1:
        raise ValueError(f"lunr's pipeline made {len(terms)} terms of {word!r}; psp-static expects at most one")
    return terms[0] if terms else ""


def _trimmed(word: str) -> str:
    """``word`` as lunr's trimmer leaves it: without the punctuation around it."""
    match = trimmer.full_re.match(word)
    return word if match is None else match.group(1)


@functools.cache
def _stem(trimmed: str) -> str:
    """The stem of a trimmed word, or "" for a stop word: lunr's last two steps, called directly.

    Running lunr's generic pipeline wraps each word in a token and each step in a loop; calling
    its own stop word list and stemmer costs a third as much, 0.09 s of a build at 10,000
    resources, and punctuated spellings of one word ("violence," "violence.") share a stem.
    """
    return "" if trimmed in stop_word_filter.WORDS else stemmer.porter_stemmer.stem(trimmed)


@functools.cache
def _pipeline_is_lunrs_default() -> bool:
    """Whether the pipeline is trimmer, stop word filter and stemmer, as :func:`_stem` assumes."""
    steps: list[object] = _pipeline()._stack  # lunr.py is untyped
    return steps == [trimmer.trimmer, stop_word_filter.stop_word_filter, stemmer.stemmer]


@functools.cache
def _pipeline() -> Pipeline:
    """lunr's default pipeline, made on first use rather than whenever this module is imported."""
    return get_default_builder().pipeline


def stems(text: str) -> list[str]:
    """The terms of ``text`` in order, as lunr's builder makes them."""
    return [term for term in map(_term, _split(text.lower())) if term]


class _Numbering(dict[str, int]):
    """Word -> number of its term (-1 for a stop word), terms numbered as they are first met.

    A dict whose misses are filled in: mapping its ``__getitem__`` over a text's words looks the
    known ones up in C, and only a word never seen before runs lunr's pipeline.
    """

    def __init__(self) -> None:
        super().__init__()
        self.terms: list[str] = []  # by number
        self.by_term: dict[str, int] = {}  # term -> number

    def __missing__(self, word: str) -> int:
        term = _term(word)
        number = self.by_term.setdefault(term, len(self.terms)) if term else -1
        if number == len(self.terms):
            self.terms.append(term)
        self[word] = number
        return number


def _tallied(document: Numbers, term: Numbers, count: Numbers | None, documents: int) -> Column:
    """The :class:`Column` of (document, term) occurrences, each weighing ``count`` (or one)."""
    width = int(term.max()) + 1 if term.size else 1
    if count is None:
        keys, summed = numpy.unique(document * width + term, return_counts=True)
    else:
        keys, where = numpy.unique(document * width + term, return_inverse=True)
        summed = numpy.bincount(where.ravel(), weights=count, minlength=keys.size).astype(numpy.int64)
    lengths = numpy.bincount(keys // width, weights=summed, minlength=documents).astype(numpy.float64)
    return Column(keys // width, keys % width, summed, lengths)


def _field(texts: Sequence[str], numbering: _Numbering) -> Column:
    """The counts of one field whose text in each document is ``texts`` (its words are numbered
    in ``numbering``).

    The texts are split as one, with a word of their own between them, and the documents told
    apart by counting those words: one call into C for all of them. A text that holds that word
    itself (YAML can write it as "\\0") is split on its own.
    """
    joined = _BETWEEN.join(texts)
    if joined.count(_BOUNDARY) == max(len(texts) - 1, 0):
        flat = _split(joined.lower())
        numbering[_BOUNDARY] = -2  # for this field only: another may hold the word as a word
        numbers = numpy.fromiter(map(numbering.__getitem__, flat), numpy.int64, len(flat))
        del numbering[_BOUNDARY]
        document = numpy.cumsum(numbers == -2)
    else:
        split = [_split(text.lower()) for text in texts]
        flat = list(chain.from_iterable(split))
        numbers = numpy.fromiter(map(numbering.__getitem__, flat), numpy.int64, len(flat))
        document = numpy.repeat(numpy.arange(len(texts)), [len(part) for part in split])
    kept = numbers >= 0  # stop words (and boundaries) are not counted
    return _tallied(document[kept], numbers[kept], None, len(texts))


def spellings(words: Iterable[str]) -> dict[str, str]:
    """Each term's spelling, as a suggestion shows it: the term itself when it is a word, else the
    shortest (then first in order) of ``words`` it was made from."""
    found: dict[str, str] = {}
    for word in words:
        term = _term(word) if word else ""
        if term:
            shown = _TRIM.sub("", word)
            known = found.get(term)
            if known is None or (shown != term, len(shown), shown) < (known != term, len(known), known):
                found[term] = shown
    return found


@functools.cache
def phrase(member: str) -> tuple[str, ...]:
    """The terms of one synonym ("license plate reader": license, plate, reader)."""
    return tuple(stems(member))


def mentions(sequences: Iterable[list[str]], wanted: tuple[str, ...]) -> bool:
    """Whether the terms ``wanted`` occur one after the other in one of ``sequences``."""
    size, listed = len(wanted), list(wanted)
    return any(seq[i : i + size] == listed for seq in sequences for i, term in enumerate(seq) if term == wanted[0])


class _Holders:
    """Which documents hold each term in any field: the (document, term) pairs sorted by term."""

    def __init__(self, columns: Iterable[Column]) -> None:
        listed = list(columns)
        document = numpy.concatenate([c.document for c in listed]) if listed else numpy.zeros(0, numpy.int64)
        term = numpy.concatenate([c.term for c in listed]) if listed else numpy.zeros(0, numpy.int64)
        order = numpy.argsort(term, kind="stable")
        self.document, self.term = document[order], term[order]

    def of(self, number: int) -> Numbers:
        start, end = numpy.searchsorted(self.term, [number, number + 1])
        return numpy.unique(self.document[start:end])


def _mentioned(documents: Sequence[Document], names: Sequence[str], columns: Iterable[Column], synonyms: Synonyms,
               numbering: _Numbering) -> set[tuple[int, int]]:  # fmt: skip
    """(document, group) for every group one of whose members a document mentions."""
    holders = _Holders(columns)

    @functools.cache
    def fields(document: int) -> list[list[str]]:  # a document's fields as terms, made when first needed
        return [stems(documents[document][1].get(name, "")) for name in names]

    matched: set[tuple[int, int]] = set()
    for number, group in enumerate(synonyms):
        for member in group:
            matched.update((document, number) for document in _mentioning(phrase(member), holders, numbering, fields))
    return matched


def _mentioning(wanted: tuple[str, ...], holders: _Holders, numbering: _Numbering,
                fields: Callable[[int], list[list[str]]]) -> list[int]:  # fmt: skip
    """The documents that mention the terms ``wanted``: hold them all, one after the other in one
    field where there are several."""
    if not wanted or any(term not in numbering.by_term for term in wanted):
        return []  # no document holds all of them
    holding = functools.reduce(numpy.intersect1d, (holders.of(numbering.by_term[term]) for term in wanted)).tolist()
    return holding if len(wanted) == 1 else [d for d in holding if mentions(fields(d), wanted)]


def _synonyms(documents: Sequence[Document], names: Sequence[str], columns: Iterable[Column], synonyms: Synonyms,
              numbering: _Numbering) -> Column:  # fmt: skip
    """The synonyms field: in each document, every word of each group it mentions, counted as
    lunr's builder counts the text ``" ".join(" ".join(group) for group in mentioned)``."""
    groups = [Counter(numbering[w] for w in _split(" ".join(group).lower())) for group in synonyms]
    mentioned = _mentioned(documents, names, columns, synonyms, numbering)
    rows = [(d, t, n) for d, g in sorted(mentioned) for t, n in groups[g].items() if t >= 0]
    table = numpy.array(rows, numpy.int64).reshape(-1, 3)
    return _tallied(table[:, 0], table[:, 1], table[:, 2], len(documents))


def count(documents: Sequence[Document], names: Sequence[str], synonyms: Synonyms = ()) -> Table:
    """The term counts of every field of ``names`` in every document (in order), with a synonyms
    field last when there are ``synonyms``."""
    numbering = _Numbering()
    columns = {name: _field([texts.get(name, "") for _, texts in documents], numbering) for name in names}
    spelled = spellings(numbering)  # every word of the documents, before the synonyms add theirs
    if synonyms:
        columns[SYNONYM_FIELD[0]] = _synonyms(documents, names, list(columns.values()), synonyms, numbering)
    return Table(columns, numbering.terms, spelled)
