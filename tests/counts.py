"""Read the counts a built site states in its prose ("six sites", "8 core areas") and find disagreements.

A claim is a number followed by a counted noun in one sentence of a page. What it counts (its
*thing*) is the noun's class, any qualifier between the two ("new", "pilot"), and its scope: the one
cohort, core area or resource type the sentence names (or the nearest heading above it is), or
the whole program when none is named. Figures a sentence attributes to someone else ("by the
Department of Justice's count", "BJA noted"), approximate ones ("more than 500") and what
clearinghouse resources say about their own subjects are not the site's own claims and are left out;
so are sentences naming several cohorts, which count no one thing.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from psp_static.model import SiteContent

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
WORDS = {w: i for i, w in enumerate(_UNITS)} | _TENS
WORDS |= {f"{t}-{u}": n + i for t, n in _TENS.items() for i, u in enumerate(_UNITS[1:10], 1)}

# Counted nouns, longest first, and the class each belongs to.
NOUNS = {
    "cities and counties": "sites",
    "jurisdictions": "sites",
    "cities": "sites",
    "sites": "sites",
    "core areas": "areas",
    "cohorts": "cohorts",
    "resources": "resources",
}
QUALIFIERS = ("PSP", "new", "pilot", "diagnostic", "operations", "intensive", "joint", "distinct", "other")
QUALIFIER_WORDS = {q.lower() for q in QUALIFIERS}
_NUMBER = r"\d[\d,]*|" + "|".join(sorted(WORDS, key=len, reverse=True))
_QUAL = "|".join(QUALIFIERS)
CLAIM = re.compile(
    rf"(?<![\w$.,-])(?P<n>{_NUMBER})\s+(?P<q>(?:(?:{_QUAL}|[\w-]+-(?:year|month))\s+)*)(?P<noun>{'|'.join(NOUNS)})\b",
    re.IGNORECASE,
)
# Words that make a count one of a part: before the number, between it and the noun, or in the
# rest of the clause after the noun ("one of four cities given an operations engagement").
BEFORE = re.compile(r"\b(first|last|later|original|inaugural|remaining|other)\s+$", re.I)
BETWEEN = re.compile(r"[\w-]+-(?:year|month)|" + "|".join(QUALIFIERS), re.I)
AFTER = re.compile(
    r"\b(operations|diagnostic|intensive|joint|county|counties|graduated)\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b",
)
APPROXIMATE = re.compile(
    r"\b(more than|over|about|around|nearly|almost|up to|at least|some|fewer than|under)\s*$", re.I
)
ATTRIBUTED = re.compile(r"\b(count|counted|according to|said|says|noted|reported|reports|quoted)\b", re.I)
HEDGE = re.compile(rf"\bat least\s+(?:{_NUMBER})\s+(?:(?:{_QUAL})\s+)*(?:{'|'.join(NOUNS)})\b", re.I)
_BLOCKS = ["p", "li", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "figcaption", "summary", "td", "th"]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


@dataclasses.dataclass(frozen=True)
class Claim:
    page: str
    sentence: str
    thing: tuple[str, str, str]  # (noun class, qualifiers, scope)
    value: int


def number(text: str) -> int:
    text = text.lower()
    return int(text.replace(",", "")) if text[0].isdigit() else WORDS[text]


@dataclasses.dataclass(frozen=True)
class Scopes:
    """Names that tie a sentence to one cohort, core area or resource type."""

    patterns: tuple[tuple[re.Pattern[str], str], ...]
    names: dict[str, str]  # a cohort's, area's or type's own name (casefolded) -> its scope
    # Resources' published titles ("Justice Department Adds Five New Sites ..."): others' words.
    works: frozenset[str] = frozenset()

    @classmethod
    def of(cls, site: SiteContent) -> Scopes:
        found: list[tuple[re.Pattern[str], str]] = []
        titles = {c.name.casefold(): f"cohort:{c.slug}" for c in site.cohorts}
        titles |= {a.name.casefold(): f"area:{a.slug}" for a in site.areas}
        titles |= {n.casefold(): f"type:{t.slug}" for t in site.clearinghouse.types for n in (t.name, t.plural)}
        cohort_years = {int(c.slug): c for c in site.cohorts if c.slug.isdigit()}
        for c in site.cohorts:
            names = [re.escape(c.name)]
            if c.slug.isdigit():
                names.append(rf"(?<!since )(?<!from )(?<!until )(?<!through )(?<!after )(?<!before )\b{c.slug}\b")
            else:  # the pilot: its name, and the years before the first numbered cohort
                names += [r"\bpilot\b", r"Violence Reduction Network", r"\bVRN\b"]
                first = min(cohort_years, default=c.start_year + 1)
                names += [rf"(?<!since )(?<!from )\b{y}\b" for y in range(c.start_year, first)]
            found.append((re.compile("|".join(names), re.I), f"cohort:{c.slug}"))
        for a in site.areas:
            found.append((re.compile(rf"\b{re.escape(a.name)}\b", re.I), f"area:{a.slug}"))
        for t in site.clearinghouse.types:
            found.append((re.compile(rf"\b({re.escape(t.plural)}|{re.escape(t.name)})\b", re.I), f"type:{t.slug}"))
        works = frozenset(" ".join(r.title.split()).casefold() for r in site.resources)
        return cls(tuple(found), titles, works)

    def named(self, text: str) -> set[str]:
        return {scope for pattern, scope in self.patterns if pattern.search(text)}

    def titled(self, heading: str) -> set[str]:
        """The scope of a heading that is just one cohort's, area's or type's name (a card's title)."""
        scope = self.names.get(" ".join(heading.split()).casefold())
        return {scope} if scope else set()


def page_texts(path: Path) -> tuple[tuple[str, str], ...]:
    """:func:`_texts` of the page at ``path``, worked out once a test process while the file is
    unchanged (the claims and the hedges of one built site are looked for by two tests)."""
    st = path.stat()
    return _page_texts(path, (st.st_ino, st.st_mtime_ns, st.st_size))


@functools.lru_cache(maxsize=2048)
def _page_texts(path: Path, identity: tuple[int, int, int]) -> tuple[tuple[str, str], ...]:  # identity: part of the key
    return tuple(_texts(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")))


def _texts(doc: BeautifulSoup) -> Iterator[tuple[str, str]]:
    """(text, nearest heading above it) for each innermost block of the page, and its description."""
    meta = doc.find("meta", attrs={"name": "description"})
    heading = doc.find("h1")
    about_a_resource = doc.select_one("article.resource") is not None  # its title and summary are the resource's
    if isinstance(meta, Tag) and not about_a_resource:
        yield str(meta.get("content", "")), heading.get_text(" ", strip=True) if isinstance(heading, Tag) else ""
    main = doc.find("main") or doc
    for quoted in main.find_all(["cite", "q", "blockquote"]):
        quoted.decompose()  # others' words: titles of sources, quotations
    # What clearinghouse resources say is about their own subject ("reviews of homicide units in
    # five cities"), not about PSP: their cards, a resource's page, and titles in the breadcrumbs.
    for described in main.select(".resource-list, .usa-breadcrumb, article.resource"):
        described.decompose()
    for el in main.find_all(_BLOCKS):
        if el.find(_BLOCKS):
            continue  # its inner blocks are read on their own
        above = el.find_previous(["h1", "h2", "h3", "h4"]) if el.name not in ("h1", "h2", "h3", "h4") else None
        yield el.get_text(" ", strip=True), above.get_text(" ", strip=True) if isinstance(above, Tag) else ""


def claims(page: str, doc: BeautifulSoup, scopes: Scopes) -> Iterator[Claim]:
    """The site's own count claims on one page."""
    return _claims(page, _texts(doc), scopes)


def _claims(page: str, texts: Iterable[tuple[str, str]], scopes: Scopes) -> Iterator[Claim]:
    seen: set[str] = set()
    for text, heading in texts:
        text = " ".join(text.split())
        for title in scopes.works:  # a resource's own title, as published, wherever it is shown
            if title in text.casefold():
                start = text.casefold().index(title)
                text = text[:start] + text[start + len(title) :]
        for sentence in _SENTENCE.split(text):
            if sentence in seen or ATTRIBUTED.search(sentence):
                continue
            seen.add(sentence)
            named = scopes.named(sentence)
            if not named:
                named = scopes.titled(heading) or {"all"}
            for m in CLAIM.finditer(sentence):
                before = sentence[: m.start()]
                value = number(m.group("n"))
                if APPROXIMATE.search(before) or 1900 <= value <= 2100:
                    continue  # an estimate, or a year ("the 2017 cohorts")
                noun = NOUNS[m.group("noun").lower()]
                kinds = {"sites": ("cohort:",), "resources": ("area:", "type:")}.get(noun, ())
                relevant = {s for s in named if s.startswith(kinds)} if kinds else set()
                if len(relevant) > 1:
                    continue  # several cohorts (or an area and a type) named: not a count of one thing
                relevant = relevant or {"all"}
                clause = re.split(r"[,;:.]|\band\b", sentence[m.end() :], maxsplit=1)[0]
                parts = [w.group(0).lower() for w in BETWEEN.finditer(m.group("q"))]
                parts = [p for p in parts if p in QUALIFIER_WORDS]
                parts += [w.group(1).lower() for w in [BEFORE.search(before)] if w]
                parts += [w.group(0).lower() for w in AFTER.finditer(clause)]
                qualifiers = " ".join(sorted(set(parts) - {"psp"}))
                yield Claim(page, sentence, (noun, qualifiers, relevant.pop()), value)


def site_claims(output: Path, scopes: Scopes) -> list[Claim]:
    """Every claim on every HTML page of a built site."""
    found: list[Claim] = []
    for path in sorted(output.rglob("*.html")):
        found.extend(_claims(path.relative_to(output).as_posix(), page_texts(path), scopes))
    return found


def disagreements(found: Iterable[Claim]) -> list[str]:
    """One line for each thing counted differently on two pages (or twice on one)."""
    by_thing: dict[tuple[str, str, str], dict[int, Claim]] = {}
    for c in found:
        by_thing.setdefault(c.thing, {}).setdefault(c.value, c)
    problems = []
    for thing, values in sorted(by_thing.items()):
        if len(values) > 1:
            shown = "; ".join(f"{v} on {c.page} ({c.sentence!r})" for v, c in sorted(values.items()))
            problems.append(f"{thing}: {shown}")
    return problems


def expected(site: SiteContent) -> dict[tuple[str, str, str], int]:
    """What the content says each plainly stated count must be."""
    want = {
        ("sites", "", "all"): len(site.sites),
        ("areas", "", "all"): len(site.areas),
        ("cohorts", "", "all"): len(site.cohorts),
        ("resources", "", "all"): len(site.resources),
    }
    for c in site.cohorts:
        want[("sites", "", f"cohort:{c.slug}")] = len({s.slug for s, _ in site.sites_in(c)})
    for a in site.areas:
        want[("resources", "", f"area:{a.slug}")] = len(site.resources_in(a))
    for t in site.clearinghouse.types:
        want[("resources", "", f"type:{t.slug}")] = len(site.resources_of(t))
    return want


def hedges(output: Path) -> list[str]:
    """Sentences that hedge a count of the site's own ("at least 66 cities")."""
    found = []
    for path in sorted(output.rglob("*.html")):
        for text, _ in page_texts(path):
            for m in HEDGE.finditer(" ".join(text.split())):
                found.append(f"{path.relative_to(output).as_posix()}: {m.group(0)!r}")
    return found
