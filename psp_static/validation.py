"""Check content against one JSON Schema per content type, then across files.

Every problem is collected and returned; nothing here raises for a content mistake. Messages say
what is wrong and how to fix it, and point at the offending key or value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import fastjsonschema

from psp_static import places, routes
from psp_static import workers as workers_
from psp_static.cache import BuildCache, digest
from psp_static.errors import ContentError
from psp_static.loader import KINDS, Loaded, RawDoc
from psp_static.yamldoc import KeyPath

if TYPE_CHECKING:
    import jsonschema

SCHEMA_NAMES = tuple(kind.name for kind in KINDS)
# Text `psp-static new` leaves for the editor to write; a warning until it is replaced.
PLACEHOLDER = "Replace this:"
# Pages every page links to (navigation and footer), and what each must say.
REQUIRED_PAGES = {
    "about": "what the program is",
    "contact": "how to reach the program",
    "privacy": "what the site stores and sends, including the toolkit in the browser",
    "accessibility": "the accessibility statement, with a way to report problems",
    "disclaimer": "the Notice of Federal Funding and Federal Disclaimer",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
_HOST = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema for one content type, as shipped in ``psp_static/schemas``."""
    text = resources.files("psp_static").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def is_date(value: object) -> bool:
    """True for a real calendar date written YYYY-MM-DD."""
    if not isinstance(value, str) or not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_web_url(value: object, schemes: Iterable[str] = ("https",)) -> bool:
    """True for an absolute URL with one of ``schemes`` and a plausible host name."""
    if not isinstance(value, str) or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return False
    host = (parts.hostname or "").rstrip(".")
    return parts.scheme in schemes and bool(_HOST.match(host) or host == "localhost") and port != 0


@functools.cache
def validator(name: str) -> jsonschema.Draft7Validator:
    """The full validator, which explains every problem; imported only when a file has one."""
    import jsonschema

    formats = jsonschema.FormatChecker(formats=())
    formats.checks("date")(is_date)
    formats.checks("uri")(lambda v: not isinstance(v, str) or is_web_url(v, ("http", "https")))
    formats.checks("email")(lambda v: not isinstance(v, str) or bool(_EMAIL.match(v)))
    return jsonschema.Draft7Validator(schema(name), format_checker=formats)


@functools.cache
def accepts(name: str) -> Any:
    """A compiled check of one schema with our own formats: returns quietly or raises at the first fault."""
    formats = {
        "date": is_date,
        "uri": lambda v: is_web_url(v, ("http", "https")),
        "email": lambda v: bool(_EMAIL.match(v)),
    }
    return fastjsonschema.compile(schema(name), formats=formats)


def prepare(loaded: Loaded, cache: BuildCache, workers: int) -> None:
    """Run the checks of single files (schema, warnings) that no earlier build remembered, on up
    to ``workers`` processes, into ``cache``: :func:`validate` and :func:`warnings` find them there."""
    checks = (("schema", check_schema), ("warnings", doc_warnings))
    todo = [
        (kind, check, doc)
        for doc in loaded.docs
        if doc.digest
        for kind, check in checks
        if cache.get(kind, _key(doc)) is None
    ]
    for kind in {doc.kind for _, _, doc in todo}:
        accepts(kind)  # compiled once, before any worker is forked
    found = workers_.run(lambda i: _stored(todo[i][1], todo[i][2]), range(len(todo)), workers)
    for (kind, _, doc), errors in zip(todo, found, strict=True):
        cache.put(kind, _key(doc), errors)


def validate(loaded: Loaded, cache: BuildCache | None = None) -> list[ContentError]:
    """Return every schema and cross-file problem in ``loaded``."""
    errors: list[ContentError] = []
    for doc in loaded.docs:
        errors.extend(_memo(cache, "schema", doc, check_schema))
    errors.extend(check_references(loaded, cache))
    return errors


def _memo(
    cache: BuildCache | None,
    kind: str,
    doc: RawDoc,
    check: Callable[[RawDoc], list[ContentError]],
    context: str = "",
) -> list[ContentError]:
    """``check(doc)``, remembered by the file's bytes and place (its messages name the file) and
    by ``context``, a digest of whatever else the check reads."""
    if cache is None or not doc.digest:
        return check(doc)
    key = _key(doc, context)
    found = cache.get(kind, key)
    if found is None:
        found = _stored(check, doc)
        cache.put(kind, key, found)
    return [ContentError(*e) for e in found]


def _key(doc: RawDoc, context: str = "") -> str:
    return f"{doc.digest} {doc.path} {context}"


def _stored(check: Callable[[RawDoc], list[ContentError]], doc: RawDoc) -> list[tuple[Any, ...]]:
    """``check(doc)`` as plain tuples, which the cache can keep."""
    return [dataclasses.astuple(e) for e in check(doc)]


def check_schema(doc: RawDoc) -> list[ContentError]:
    """Validate one document against its schema, one message per problem."""
    try:
        accepts(doc.kind)(doc.data)
        return []  # valid: most files are, and the compiled check is many times faster
    except fastjsonschema.JsonSchemaException:
        pass
    found: list[ContentError] = []
    for error in validator(doc.kind).iter_errors(doc.data):
        found.extend(_translate(doc, error))
    return found


def _field(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "the file"


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return "empty"


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of 'field: value' lines",
}


def _translate(doc: RawDoc, error: jsonschema.ValidationError) -> Iterator[ContentError]:
    path: KeyPath = tuple(error.absolute_path)
    where = doc.doc.value_at(path)
    name = _field(path)
    value: Any = error.instance
    rule = error.validator
    detail: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    if rule == "additionalProperties":
        allowed = sorted(detail.get("properties", {}))
        for key in sorted(set(value) - set(allowed)):
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed fields: {', '.join(allowed)}"
            line, col = doc.doc.key_at((*path, key))
            yield ContentError(doc.path, line, col, f"unknown field '{key}'; {hint}")
        return
    if rule == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        for key in missing:
            about = detail.get("properties", {}).get(key, {}).get("description", "")
            where_text = f" in {name}" if path else ""
            hint = f" ({about})" if about else ""
            line, col = doc.doc.key_at(path) if path else where
            yield ContentError(doc.path, line, col, f"missing required field '{key}'{where_text}; add it{hint}")
        return
    line, col = where
    if rule == "type":
        expected = detail.get("type")
        expected_types = [str(t) for t in (expected if isinstance(expected, list) else [expected])]
        wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in expected_types)
        if value is None:
            message = f"{name} is empty; give it {wanted}"
        elif expected == "string" and isinstance(value, (bool, int, float)):
            message = f"{name} should be text, not {_kind_of(value)}; put the value in quotes"
        else:
            message = f"{name} should be {wanted}, not {_kind_of(value)}"
    elif rule == "enum":
        options = ", ".join(str(option) for option in detail.get("enum", []))
        close = difflib.get_close_matches(str(value), [str(o) for o in detail.get("enum", [])], n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        message = f"unknown {name.rsplit('.', 1)[-1]} '{value}'; {hint}allowed: {options}"
    elif (rule == "format" and detail.get("format") == "date") or (rule == "pattern" and "date" in name):
        message = f"{name} '{value}' is not a valid date; write it as YYYY-MM-DD, for example 2024-05-01"
    elif rule in ("format", "pattern") and detail.get("format") == "uri":
        message = f"{name} '{value}' is not a valid https:// web address; write the full address, starting https://"
    elif rule in ("format", "pattern"):
        message = f"{name} '{value}' is not in the expected form; {detail.get('description', 'see CONTRIBUTING.md')}"
    elif rule == "minLength":
        message = f"{name} is too short ({len(value)} characters); write at least {detail['minLength']}"
    elif rule == "maxLength":
        message = f"{name} is too long ({len(value)} characters); keep it to {detail['maxLength']} at most"
    elif rule in ("minimum", "maximum"):
        low, high = detail.get("minimum", "…"), detail.get("maximum", "…")
        message = f"{name} {value} is out of range; use a value from {low} to {high}"
    elif rule == "minItems":
        message = f"{name} needs at least {detail['minItems']} item{'s' if detail['minItems'] != 1 else ''}"
    elif rule == "uniqueItems":
        message = f"{name} lists the same value more than once; remove the repeat"
    else:
        message = f"{name}: {error.message}"
    yield ContentError(doc.path, line, col, message)


# --- across files -----------------------------------------------------------------------------


def _single(loaded: Loaded, kind: str) -> dict[str, Any]:
    docs = loaded.of(kind)
    return docs[0].data if docs else {}


def _slugs(values: object, key: str) -> list[str]:
    return [str(v[key]) for v in values if isinstance(v, dict) and key in v] if isinstance(values, list) else []


def check_references(loaded: Loaded, cache: BuildCache | None = None) -> list[ContentError]:
    """Check links between files: known cohorts, areas, types, sponsors; unique ids; year order."""
    vocab = _single(loaded, "clearinghouse")
    known = {
        "cohort": _ordered(loaded, "cohort"),
        "area": _ordered(loaded, "area"),
        "site": sorted(loaded.slugs.get("site", ())),
        "type": _slugs(vocab.get("types"), "slug"),
        "agency size": _slugs(vocab.get("agency_sizes"), "slug"),
        "sponsor": _slugs(vocab.get("sponsors"), "code"),
    }
    errors: list[ContentError] = []

    def ref(doc: RawDoc, path: KeyPath, what: str, plural: str, errors: list[ContentError] = errors) -> None:
        value = _get(doc.data, path)
        if value is None or isinstance(value, (dict, list, bool)) or str(value) in known[what]:
            return
        options = known[what]
        # Suggest near spellings of names, not of years (2016 is not a typo of 2019).
        close = [] if str(value).isdigit() else difflib.get_close_matches(str(value), options, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        listed = ", ".join(options[:12]) + (", …" if len(options) > 12 else "")
        line, col = doc.doc.value_at(path)
        errors.append(ContentError(doc.path, line, col, f"unknown {what} '{value}'; {hint}known {plural}: {listed}"))

    for doc in loaded.of("site"):
        engagements = doc.data.get("engagements")
        for i in range(len(engagements) if isinstance(engagements, list) else 0):
            ref(doc, ("engagements", i, "cohort"), "cohort", "cohorts")
            _year_order(doc, ("engagements", i), errors)
        _site_shape(doc, errors)

    def resource_refs(doc: RawDoc) -> list[ContentError]:
        found: list[ContentError] = []
        ref(doc, ("type",), "type", "types (content/clearinghouse.yaml)", found)
        ref(doc, ("sponsor",), "sponsor", "sponsors (content/clearinghouse.yaml)", found)
        for field, what, plural in (("areas", "area", "areas"), ("agency_sizes", "agency size", "agency sizes")):
            items = doc.data.get(field)
            for i in range(len(items) if isinstance(items, list) else 0):
                ref(doc, (field, i), what, plural, found)
        return found

    # Thousands of resources, each checked against a few short lists: remembered per file.
    lists = digest(*(",".join(known[what]) for what in ("type", "sponsor", "area", "agency size")))
    for doc in loaded.of("resource"):
        errors.extend(_memo(cache, "references", doc, resource_refs, lists))
    for doc in loaded.of("news"):
        sites = doc.data.get("sites")
        for i in range(len(sites) if isinstance(sites, list) else 0):
            ref(doc, ("sites", i), "site", "sites")
        _date_order(doc, errors)
    for doc in loaded.of("cohort"):
        _year_order(doc, (), errors)
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
    errors.extend(_duplicates(loaded.of("resource"), "id", "resource id", "give this resource the next free id"))
    errors.extend(_duplicates(loaded.of("area"), "name", "area name", "give each area its own name"))
    errors.extend(_duplicates(loaded.of("cohort"), "name", "cohort name", "give each cohort its own name"))
    errors.extend(_vocabulary_duplicates(loaded))
    errors.extend(places.duplicate_sites(loaded))
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
    kind, places = doc.data.get("kind"), doc.data.get("places")
    has_point = "latitude" in doc.data or "longitude" in doc.data
    if kind == "joint" and places is None:
        line, col = doc.doc.value_at(("kind",))
        errors.append(
            ContentError(doc.path, line, col, "a joint site needs 'places:' listing each city or county in it")
        )
    if kind != "joint" and places is not None:
        line, col = doc.doc.key_at(("places",))
        errors.append(
            ContentError(doc.path, line, col, "only joint sites list 'places'; set kind: joint or remove places")
        )
    if kind == "joint" and has_point:
        line, col = doc.doc.key_at(("latitude",) if "latitude" in doc.data else ("longitude",))
        errors.append(
            ContentError(
                doc.path, line, col, "a joint site's position comes from its places; move the coordinates there"
            )
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


# --- warnings: likely mistakes that still build (errors under --strict) ---------------------------

# Roughly the United States with Alaska, Hawaii and the territories.
_US_LAT = (13.0, 72.0)
_US_LON = (-180.0, -64.0)


def warnings(loaded: Loaded, cache: BuildCache | None = None) -> list[ContentError]:
    """Return likely mistakes that do not stop the build: swapped coordinates, impossible dates."""
    return [w for doc in loaded.docs for w in _memo(cache, "warnings", doc, doc_warnings)]


def doc_warnings(doc: RawDoc) -> list[ContentError]:
    """The warnings of one file (each is about that file alone)."""
    found: list[ContentError] = []
    if doc.kind == "site":
        points: list[tuple[KeyPath, object]] = [((), doc.data)]
        places = doc.data.get("places")
        points += [(("places", i), p) for i, p in enumerate(places if isinstance(places, list) else [])]
        for path, point in points:
            lat, lon = _get(point, ("latitude",)), _get(point, ("longitude",))
            numbers = isinstance(lat, (int, float)) and isinstance(lon, (int, float))
            if numbers and not (_US_LAT[0] <= lat <= _US_LAT[1] and _US_LON[0] <= lon <= _US_LON[1]):  # type: ignore[operator]
                line, col = doc.doc.value_at((*path, "latitude"))
                message = (
                    f"warning: {lat}, {lon} is outside the United States; "
                    "check the coordinates (swapped? missing minus sign?)"
                )
                found.append(ContentError(doc.path, line, col, message))
    for path, value in _strings(doc.data, ()):
        if PLACEHOLDER in value:
            line, col = doc.doc.value_at(path)
            found.append(
                ContentError(doc.path, line, col, f"warning: {_field(path)} still says '{PLACEHOLDER}'; write it")
            )
    if PLACEHOLDER in doc.body:
        line = doc.body_line + doc.body[: doc.body.index(PLACEHOLDER)].count("\n")
        found.append(ContentError(doc.path, line, 1, f"warning: the text still says '{PLACEHOLDER}'; write it"))
    if doc.kind == "resource":
        year, added = doc.data.get("year"), doc.data.get("added")
        if isinstance(year, int) and is_date(added) and int(str(added)[:4]) < year:
            line, col = doc.doc.value_at(("added",))
            message = f"warning: added {added} is before the publication year {year}; check both dates"
            found.append(ContentError(doc.path, line, col, message))
    return found


def _strings(data: object, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*path, i))
