"""Checks across content files: names that must exist, values that must be unique, order.

:func:`check` is the one entry point; :mod:`psp_static.validation` calls it after checking each
file against its schema.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from psp_static import history, places, routes
from psp_static.errors import ContentError
from psp_static.formats import is_date
from psp_static.hashing import digest
from psp_static.loader import Loaded, RawDoc
from psp_static.stage import Each, plainly
from psp_static.yamldoc import KeyPath

# Pages every page links to (navigation and footer), and what each must say.
REQUIRED_PAGES = {
    "about": "what the program is",
    "contact": "how to reach the program",
    "privacy": "what the site stores and sends, including the toolkit in the browser",
    "accessibility": "the accessibility statement, with a way to report problems",
    "disclaimer": "the Notice of Federal Funding and Federal Disclaimer",
}


def check(loaded: Loaded, each: Each = plainly) -> list[ContentError]:
    """Every problem between files: unknown names, duplicates, order, required pages.

    The one entry point for checks that read more than one file: a new family of such checks
    adds a line here.
    """
    known = {
        "cohort": _ordered(loaded, "cohort"),
        "area": _ordered(loaded, "area"),
        "site": sorted(loaded.slugs.get("site", ())),
        "type": loaded.vocabulary("types", "slug"),
        "agency size": loaded.vocabulary("agency_sizes", "slug"),
        "sponsor": loaded.vocabulary("sponsors", "code"),
    }
    errors = [*_names(loaded, known, each), *_pages(loaded)]
    errors.extend(_duplicate_ids(loaded.of("resource")))
    errors.extend(_duplicates(loaded.of("area"), "name", "area name", "give each area its own name"))
    errors.extend(_duplicates(loaded.of("cohort"), "name", "cohort name", "give each cohort its own name"))
    errors.extend(_vocabulary_duplicates(loaded))
    errors.extend(_synonym_repeats(loaded))
    errors.extend(places.duplicate_sites(loaded))
    return errors


Known = dict[str, list[str]]  # what may be named, by what it is ("cohort", "area" ...)


def _unknown(known: Known, doc: RawDoc, path: KeyPath, what: str, plural: str) -> list[ContentError]:
    """An error if the value at ``path`` is not one of the known ``what``."""
    value = _get(doc.data, path)
    if value is None or isinstance(value, (dict, list, bool)) or str(value) in known[what]:
        return []
    options = sorted(known[what])
    # Suggest near spellings of names, not of years (2016 is not a typo of 2019).
    close = [] if str(value).isdigit() else difflib.get_close_matches(str(value), options, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    listed = ", ".join(options[:12]) + (", …" if len(options) > 12 else "")
    line, col = doc.doc.value_at(path)
    return [ContentError(doc.path, line, col, f"unknown {what} '{value}'; {hint}known {plural}: {listed}")]


def _resource_names(known: Known, doc: RawDoc) -> list[ContentError]:
    found = _unknown(known, doc, ("type",), "type", "types (content/clearinghouse.yaml)")
    found += _unknown(known, doc, ("sponsor",), "sponsor", "sponsors (content/clearinghouse.yaml)")
    for field, what, plural in (("areas", "area", "areas"), ("agency_sizes", "agency size", "agency sizes")):
        items = doc.data.get(field)
        for i in range(len(items) if isinstance(items, list) else 0):
            found += _unknown(known, doc, (field, i), what, plural)
    return found


def _names(loaded: Loaded, known: Known, each: Each) -> list[ContentError]:
    """Names of other files (cohorts, areas, types, sites) that no file has; years and dates in order."""
    errors: list[ContentError] = []
    for doc in loaded.of("site"):
        engagements = doc.data.get("engagements")
        for i in range(len(engagements) if isinstance(engagements, list) else 0):
            errors += _unknown(known, doc, ("engagements", i, "cohort"), "cohort", "cohorts")
            _year_order(doc, ("engagements", i), errors)
        _site_shape(doc, errors)
    # Thousands of resources, each checked against a few short lists: the key is the file and the lists.
    lists = digest(*(",".join(known[what]) for what in ("type", "sponsor", "area", "agency size")))
    resources = loaded.of("resource")
    key = functools.partial(_key, lists)
    for found in each("references", functools.partial(_resource_names, known), resources, key):
        errors += found
    for doc in loaded.of("news"):
        sites = doc.data.get("sites")
        for i in range(len(sites) if isinstance(sites, list) else 0):
            errors += _unknown(known, doc, ("sites", i), "site", "sites")
        _date_order(doc, errors)
    for doc in loaded.of("cohort"):
        _year_order(doc, (), errors)
    return errors


def _key(lists: str, doc: RawDoc) -> str:
    return digest(doc.digest, doc.path, lists)


def _pages(loaded: Loaded) -> list[ContentError]:
    """Pages the site needs, and page names the site keeps for itself."""
    errors: list[ContentError] = []
    present = {doc.slug for doc in loaded.of("page")}
    for slug in REQUIRED_PAGES:
        if slug not in present and any(doc.kind == "config" for doc in loaded.docs):
            where = str(PurePosixPath(loaded.of("config")[0].path).parent / "pages" / f"{slug}.md")
            errors.append(ContentError(where, 1, 1, f"required page missing; create it ({REQUIRED_PAGES[slug]})"))
    for doc in loaded.of("page"):
        if doc.slug in routes.RESERVED:
            taken = ", ".join(sorted(routes.RESERVED))
            errors.append(
                ContentError(
                    doc.path, 1, 1, f"the page name '{doc.slug}' is taken by the site ({taken}); rename the file"
                )
            )
    return errors


def _ordered(loaded: Loaded, kind: str) -> list[str]:
    """Slugs of ``kind`` in display order; unreadable files (no order known) go last."""
    orders = {d.slug: d.data.get("order") for d in loaded.of(kind)}
    rank = {slug: order if isinstance(order, int) else 999 for slug, order in orders.items()}
    return sorted(loaded.slugs.get(kind, ()), key=lambda slug: (rank.get(slug, 999), slug))


def _get(data: object, path: KeyPath) -> object:
    for part in path:
        if isinstance(part, int) and isinstance(data, list) and part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _year_order(doc: RawDoc, path: KeyPath, errors: list[ContentError]) -> None:
    start, end = _get(doc.data, (*path, "start_year")), _get(doc.data, (*path, "end_year"))
    if isinstance(start, int) and isinstance(end, int) and end < start:
        line, col = doc.doc.value_at((*path, "end_year"))
        errors.append(
            ContentError(doc.path, line, col, f"end_year {end} is before start_year {start}; swap or correct them")
        )


def _date_order(doc: RawDoc, errors: list[ContentError]) -> None:
    start, end = doc.data.get("date"), doc.data.get("end_date")
    if is_date(start) and is_date(end) and str(end) < str(start):
        line, col = doc.doc.value_at(("end_date",))
        errors.append(ContentError(doc.path, line, col, f"end_date {end} is before date {start}; correct one of them"))


def _site_shape(doc: RawDoc, errors: list[ContentError]) -> None:
    """A joint site lists its places and has no point of its own; others are the other way round."""
    kind, places = doc.data.get("kind"), doc.data.get("places")
    if kind == "joint":
        _joint_site(doc, places, errors)
    elif places is not None:
        line, col = doc.doc.key_at(("places",))
        errors.append(
            ContentError(doc.path, line, col, "only joint sites list 'places'; set kind: joint or remove places")
        )
    for key, other in (("latitude", "longitude"), ("longitude", "latitude")):
        if key in doc.data and other not in doc.data:
            line, col = doc.doc.key_at((key,))
            errors.append(ContentError(doc.path, line, col, f"{key} is given without {other}; give both or neither"))
    for i, place in enumerate(places if isinstance(places, list) else []):
        if isinstance(place, dict) and ("latitude" in place) != ("longitude" in place):
            line, col = doc.doc.value_at(("places", i))
            errors.append(
                ContentError(doc.path, line, col, "give both latitude and longitude for this place, or neither")
            )


def _joint_site(doc: RawDoc, places: object, errors: list[ContentError]) -> None:
    if places is None:
        line, col = doc.doc.value_at(("kind",))
        errors.append(
            ContentError(doc.path, line, col, "a joint site needs 'places:' listing each city or county in it")
        )
    if "latitude" in doc.data or "longitude" in doc.data:
        line, col = doc.doc.key_at(("latitude",) if "latitude" in doc.data else ("longitude",))
        text = "a joint site's position comes from its places; move the coordinates there"
        errors.append(ContentError(doc.path, line, col, text))


def _duplicates(docs: list[RawDoc], key: str, what: str, hint: str) -> Iterator[ContentError]:
    first: dict[object, RawDoc] = {}
    for doc in docs:
        value = doc.data.get(key)
        if value is None or isinstance(value, (dict, list)):
            continue
        marker = value.casefold() if isinstance(value, str) else value
        if marker in first:
            line, col = doc.doc.value_at((key,))
            yield ContentError(
                doc.path, line, col, f"duplicate {what} {value!r}: {first[marker].path} uses it too; {hint}"
            )
        else:
            first[marker] = doc


def _duplicate_ids(docs: list[RawDoc]) -> Iterator[ContentError]:
    """A resource id two files use: the file that took it last is the one to change (not in Git's
    last commit, else the later ``added`` date), with the next free id to take instead."""
    by_id = _by_id(docs)
    clashes = {number: found for number, found in by_id.items() if len(found) > 1}
    if not clashes:
        return
    free = max(by_id) + 1
    for number, found in sorted(clashes.items()):
        first, *later = sorted(found, key=lambda d: (not _had_id(d, number), str(d.data.get("added", "")), d.path))
        for doc in later:
            line, col = doc.doc.value_at(("id",))
            text = f"duplicate resource id {number}: {first.path} has it already; give this resource the next free id, "
            text += str(free)
            yield ContentError(doc.path, line, col, text)
            free += 1


def _had_id(doc: RawDoc, number: int) -> bool:
    """Whether the file already had this id in Git's last commit (so it is not the newcomer)."""
    text = history.committed_text(doc.path)
    return text is not None and re.search(rf"^id:\s*{number}\b", text, re.MULTILINE) is not None


def _by_id(docs: list[RawDoc]) -> dict[int, list[RawDoc]]:
    by_id: dict[int, list[RawDoc]] = {}
    for doc in docs:
        number = doc.data.get("id")
        if isinstance(number, int) and not isinstance(number, bool):
            by_id.setdefault(number, []).append(doc)
    return by_id


def _vocabulary_duplicates(loaded: Loaded) -> Iterator[ContentError]:
    for doc in loaded.of("clearinghouse"):
        for field, key in (("types", "slug"), ("agency_sizes", "slug"), ("sponsors", "code")):
            seen: set[str] = set()
            items = doc.data.get(field)
            for i, item in enumerate(items if isinstance(items, list) else []):
                value = item.get(key) if isinstance(item, dict) else None
                if isinstance(value, str) and value in seen:
                    line, col = doc.doc.value_at((field, i, key))
                    yield ContentError(
                        doc.path, line, col, f"duplicate {key} '{value}' in {field}; each must be unique"
                    )
                seen.add(str(value))


def _synonym_repeats(loaded: Loaded) -> Iterator[ContentError]:
    """A word listed twice among the synonyms (capitals and spacing aside): one entry per meaning,
    so search never has to choose between two lists for the same word."""
    for doc in loaded.of("clearinghouse"):
        entries = doc.data.get("synonyms")
        seen: dict[str, int] = {}
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict):
                continue
            means = entry.get("means")
            paths: list[tuple[KeyPath, object]] = [(("synonyms", i, "term"), entry.get("term"))]
            paths += [(("synonyms", i, "means", j), v) for j, v in enumerate(means if isinstance(means, list) else [])]
            for path, value in paths:
                if not isinstance(value, str):
                    continue
                line, col = doc.doc.value_at(path)
                key = " ".join(value.casefold().split())
                if key in seen:
                    yield ContentError(
                        doc.path, line, col, f"'{value}' is already listed in synonyms (line {seen[key]}); list it once"
                    )
                seen.setdefault(key, line)
