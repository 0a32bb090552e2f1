"""Counting terms as lunr's builder does, fast, and the synonyms a document mentions.

lunr.py's builder (tokenizer, stop words and stemmer of lunr.js 2.3.9) is the reference; the tests
hold :func:`frequencies` to it. Synonyms are expanded when indexing (see :func:`synonym_text`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from lunr import get_default_builder
from lunr.pipeline import Pipeline
from lunr.token import Token

from psp_static.hashing import digest
from psp_static.stage import Each, plainly

# (name, boost): a search field and how much a match in it counts (lunr's field boost).
Field = tuple[str, int]
# (ref, {field: text}): one searchable document; the ref is what a query returns.
Document = tuple[str, Mapping[str, str]]
# Groups of words that mean the same ("LPR", "license plate reader"), from content/synonyms.yaml.
Synonyms = tuple[tuple[str, ...], ...]
# Frequencies[field][ref][term]: how often each term occurs in each field of each document.
Frequencies = dict[str, dict[str, dict[str, int]]]
# What one document gives the index: per field its term counts; its distinct words.
Counted = tuple[list[dict[str, int]], tuple[str, ...]]

SYNONYM_FIELD: Field = ("synonyms", 1)  # a synonym counts like a word of the description
_SEPARATORS = re.compile(r"[ \t\n\r\f\v\xa0-]+")  # lunr's tokenizer splits on these
_TRIM = re.compile(r"^\W+|\W+$")  # lunr's trimmer
# Where str.split() splits and lunr does not: text without them splits faster with str.split().
_OTHER_SPACES = re.compile("[\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


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
    Cached by ``functools.cache``, whose C wrapper looks a single string up without entering
    Python: mapping it over a text's words counts the text's terms at the speed of C.
    """
    terms = _terms(word)
    if len(terms) > 1:
        raise ValueError(f"lunr's pipeline made {len(terms)} terms of {word!r}; psp-static expects at most one")
    return terms[0] if terms else ""


@functools.cache
def _pipeline() -> Pipeline:
    """lunr's default pipeline, made on first use rather than whenever this module is imported."""
    return get_default_builder().pipeline


def stems(text: str) -> list[str]:
    """The terms of ``text`` in order, as lunr's builder makes them."""
    return [term for term in map(_term, _split(text.lower())) if term]


def _tally(text: str, words: set[str]) -> dict[str, int]:
    """Term frequencies of one field's text, as lunr's builder counts them; its distinct words
    are added to ``words``. Every step runs in C once a word's term is known (see :func:`_term`)."""
    split = _split(text.lower())
    words.update(split)
    counts = Counter(map(_term, split))
    counts.pop("", None)  # the stop words
    return dict(counts)  # a plain dict: memoised, it loads in half the time of a Counter


def spellings(words: Iterable[str]) -> dict[str, str]:
    """Each term's spelling, as a suggestion shows it: the term itself when it is a word, else the
    shortest (then first in order) of ``words`` it was made from."""
    found: dict[str, str] = {}
    for word in words:
        shown = _TRIM.sub("", word)
        for term in _terms(word) if word else ():
            known = found.get(term)
            if known is None or (shown != term, len(shown), shown) < (known != term, len(known), known):
                found[term] = shown
    return found


def document_terms(text: str) -> dict[str, int]:
    """Term frequencies of one field's text, as lunr's builder counts them."""
    return _tally(text, set())


@functools.cache
def _phrase(member: str) -> tuple[str, ...]:
    return tuple(stems(member))


def _mentions(sequences: list[list[str]], present: set[str], phrase: tuple[str, ...]) -> bool:
    """Whether the terms of ``phrase`` occur one after the other in one of ``sequences``."""
    if not phrase or not present.issuperset(phrase):
        return False
    size, wanted = len(phrase), list(phrase)
    return any(seq[i : i + size] == wanted for seq in sequences for i, term in enumerate(seq) if term == phrase[0])


@functools.cache
def _triggers(synonyms: Synonyms) -> dict[str, list[tuple[int, frozenset[str]]]]:
    """For each synonym's first term: the groups (by position) whose member starts with it, and
    all the terms that member needs. A document can mention only the groups its terms trigger."""
    found: dict[str, list[tuple[int, frozenset[str]]]] = {}
    for number, group in enumerate(synonyms):
        for member in group:
            if phrase := _phrase(member):
                found.setdefault(phrase[0], []).append((number, frozenset(phrase)))
    return found


def _may_mention(present: set[str], synonyms: Synonyms) -> list[tuple[str, ...]]:
    """The groups of which a document with the terms ``present`` holds every term of some member."""
    triggers = _triggers(synonyms)
    hits = {number for first in present.intersection(triggers) for number, needs in triggers[first] if needs <= present}
    return [group for number, group in enumerate(synonyms) if number in hits]


def synonym_text(texts: Sequence[str], synonyms: Synonyms, present: set[str] | None = None) -> str:
    """Every word of every synonym group that ``texts`` mention, as one text.

    Synonyms are expanded when indexing rather than when searching: a document that says "license
    plate readers" gets "LPR" and "ALPR" in a field of its own, so the index lunr.py builds holds
    them, lunr.js and lunr.py agree on synonyms with no extra code in either, and a query needs no
    phrase logic (lunr has no word positions to match "license plate reader" as a phrase).
    ``present``, the terms of ``texts`` when known, spares reading texts that mention no group.
    """
    known = present if present is not None else _present(texts)
    candidates = _may_mention(known, synonyms)
    sequences = [stems(text) for text in texts] if candidates else []
    matched = [group for group in candidates if _mentions_any(sequences, known, group)]
    return " ".join(" ".join(group) for group in matched)


def _present(texts: Sequence[str]) -> set[str]:
    return {term for text in texts for term in stems(text)}


def _mentions_any(sequences: list[list[str]], present: set[str], group: tuple[str, ...]) -> bool:
    return any(_mentions(sequences, present, _phrase(member)) for member in group)


def count(document: Document, names: Sequence[str], synonyms: Synonyms) -> Counted:
    """Per field of ``names`` the term counts of ``document``, the synonyms field last when there
    are ``synonyms``; and the document's distinct words (for :func:`spellings`)."""
    texts = [document[1].get(name, "") for name in names]
    words: set[str] = set()
    counts = [_tally(text, words) for text in texts]
    if synonyms:
        present = {term for field_counts in counts for term in field_counts}
        counts.append(document_terms(synonym_text(texts, synonyms, present)))
    return counts, tuple(words)


def counted(documents: Sequence[Document], names: Sequence[str], synonyms: Synonyms, each: Each) -> list[Counted]:
    """:func:`count` for every document, through ``each`` (memoised, spread over the cores)."""
    salt = digest(*names, *("\x1f".join(group) for group in synonyms))

    def key(document: Document) -> str:
        return digest(salt, *(document[1].get(name, "") for name in names))

    return each("terms", lambda document: count(document, names, synonyms), documents, key)


def frequencies(
    documents: Sequence[Document], fields: Sequence[Field], each: Each = plainly, synonyms: Synonyms = ()
) -> Frequencies:
    """Per field, per ref, per term: the counts lunr.py's builder would hold."""
    names = [name for name, _ in fields]
    found: Frequencies = {name: {} for name in [*names, *([SYNONYM_FIELD[0]] if synonyms else [])]}
    for (ref, _), (counts, _) in zip(documents, counted(documents, names, synonyms, each), strict=True):
        for name, field_counts in zip(found, counts, strict=True):
            found[name][ref] = field_counts
    return found
