"""Check content against one JSON Schema per content type, then across files.

Every problem is collected and returned; nothing here raises for a content mistake. Messages say
what is wrong and how to fix it (:mod:`psp_static.messages`), and point at the offending key or
value. Checks across files are in :mod:`psp_static.references`.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import TYPE_CHECKING, Any

import fastjsonschema

from psp_static import citations, references
from psp_static.errors import ContentError
from psp_static.formats import FORMATS, is_date
from psp_static.hashing import digest
from psp_static.loader import KINDS, Loaded, RawDoc
from psp_static.messages import Broken, field_name, message
from psp_static.stage import Each, plainly
from psp_static.yamldoc import KeyPath

if TYPE_CHECKING:
    import jsonschema

SCHEMA_NAMES = tuple(kind.name for kind in KINDS)
# Text `psp-static new` leaves for the editor to write; a warning until it is replaced.
PLACEHOLDER = "Replace this:"


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema for one content type, as shipped in ``psp_static/schemas``."""
    text = resources.files("psp_static").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return] # json.loads returns Any; the file is a schema object


@functools.cache
def validator(name: str) -> jsonschema.Draft7Validator:
    """The full validator, which explains every problem; imported only when a file has one."""
    import jsonschema

    formats = jsonschema.FormatChecker(formats=())
    for format_name, test in FORMATS.items():
        formats.checks(format_name)(test)
    return jsonschema.Draft7Validator(schema(name), format_checker=formats)


@functools.cache
def accepts(name: str) -> Any:  # fastjsonschema's compiled functions are untyped
    """A compiled check of one schema with the same formats: returns quietly or raises at the first fault."""
    return fastjsonschema.compile(schema(name), formats=FORMATS)


def validate(loaded: Loaded, each: Each = plainly) -> list[ContentError]:
    """Return every schema and cross-file problem in ``loaded``."""
    for kind in {doc.kind for doc in loaded.docs}:
        accepts(kind)  # compiled once, before ``each`` may fork workers that would each compile it
    errors = [e for found in each("schema", check_schema, loaded.docs, _key) for e in found]
    return errors + references.check(loaded, each) + citations.check(loaded, each)


def warnings(loaded: Loaded, each: Each = plainly) -> list[ContentError]:
    """Return likely mistakes that do not stop the build: swapped coordinates, impossible dates."""
    return [w for found in each("warnings", doc_warnings, loaded.docs, _key) for w in found]


def _key(doc: RawDoc) -> str:
    """A file's checks depend on its bytes and its place (their messages name the file)."""
    return digest(doc.digest, doc.path)


def check_schema(doc: RawDoc) -> list[ContentError]:
    """Validate one document against its schema, one message per problem."""
    try:
        accepts(doc.kind)(doc.data)
        return []  # valid: most files are, and the compiled check is many times faster
    except fastjsonschema.JsonSchemaException:
        pass
    errors = list(validator(doc.kind).iter_errors(doc.data))
    misspelt = _misspelt(errors)
    return [found for error in errors for found in _explain(doc, error, misspelt)]


def _misspelt(errors: list[jsonschema.ValidationError]) -> set[tuple[KeyPath, str]]:
    """Required fields missing only because they were misspelt (``cohrot`` for ``cohort``): the
    unknown field's message says so, and the missing field gets no message of its own."""
    unknown = {
        tuple(e.absolute_path): set(e.instance) - set(e.schema.get("properties", {}))
        for e in errors
        if e.validator == "additionalProperties" and isinstance(e.instance, dict) and isinstance(e.schema, dict)
    }
    found = set()
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "required" and path in unknown:
            missing = re.findall(r"'([^']+)' is a required property", error.message)
            found |= {(path, key) for key in missing if difflib.get_close_matches(key, sorted(unknown[path]), n=1)}
    return found


def _explain(
    doc: RawDoc, error: jsonschema.ValidationError, misspelt: set[tuple[KeyPath, str]]
) -> Iterator[ContentError]:
    path: KeyPath = tuple(error.absolute_path)
    rule: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        yield from _unknown_fields(doc, path, error.instance, rule)
    elif error.validator == "required":
        yield from _missing_fields(doc, path, error.message, rule, misspelt)
    else:
        broken = Broken(str(error.validator), field_name(path), error.instance, rule, error.message)
        yield ContentError(doc.path, *doc.doc.value_at(path), message(broken))


def _unknown_fields(doc: RawDoc, path: KeyPath, value: Any, rule: dict[str, Any]) -> Iterator[ContentError]:
    """One error per field the schema does not know, at its key, with the nearest known name."""
    allowed, required = sorted(rule.get("properties", {})), set(rule.get("required", ()))
    for key in sorted(set(value) - set(allowed)):
        close = difflib.get_close_matches(key, allowed, n=1)
        needed = " (a required field)" if close and close[0] in required and close[0] not in value else ""
        hint = f"did you mean '{close[0]}'{needed}?" if close else f"allowed fields: {', '.join(allowed)}"
        where = f" in {field_name(path)}" if path else ""
        yield ContentError(doc.path, *doc.doc.key_at((*path, key)), f"unknown field '{key}'{where}; {hint}")


def _missing_fields(
    doc: RawDoc, path: KeyPath, text: str, rule: dict[str, Any], misspelt: set[tuple[KeyPath, str]]
) -> Iterator[ContentError]:
    """One error per missing field (not merely misspelt), at the group that lacks it, with what
    the field is for."""
    for key in re.findall(r"'([^']+)' is a required property", text):
        if (path, key) in misspelt:
            continue
        about = rule.get("properties", {}).get(key, {}).get("description", "")
        where_text = f" in {field_name(path)}" if path else ""
        hint = f" ({about})" if about else ""
        line, col = doc.doc.key_at(path) if path else doc.doc.value_at(path)
        yield ContentError(doc.path, line, col, f"missing required field '{key}'{where_text}; add it{hint}")


# --- warnings: likely mistakes that still build (errors under --strict) ---------------------------

# Roughly the United States with Alaska, Hawaii and the territories.
_US_LAT = (13.0, 72.0)
_US_LON = (-180.0, -64.0)


def doc_warnings(doc: RawDoc) -> list[ContentError]:
    """The warnings of one file (each is about that file alone)."""
    found = _placeholders(doc)
    if doc.kind == "site":
        found += _far_points(doc)
    if doc.kind == "resource":
        year, added = doc.data.get("year"), doc.data.get("added")
        if isinstance(year, int) and is_date(added) and int(str(added)[:4]) < year:
            line, col = doc.doc.value_at(("added",))
            text = f"warning: added {added} is before the publication year {year}; check both dates"
            found.append(ContentError(doc.path, line, col, text))
    return found


def _far_points(doc: RawDoc) -> list[ContentError]:
    """Coordinates outside the United States: most likely swapped, or missing a minus sign."""
    found: list[ContentError] = []
    places = doc.data.get("places")
    points: list[tuple[KeyPath, object]] = [((), doc.data)]
    points += [(("places", i), p) for i, p in enumerate(places if isinstance(places, list) else [])]
    for path, point in points:
        lat, lon = _number(point, "latitude"), _number(point, "longitude")
        if lat is None or lon is None or (_US_LAT[0] <= lat <= _US_LAT[1] and _US_LON[0] <= lon <= _US_LON[1]):
            continue
        line, col = doc.doc.value_at((*path, "latitude"))
        text = (
            f"warning: {lat}, {lon} is outside the United States; check the coordinates (swapped? missing minus sign?)"
        )
        found.append(ContentError(doc.path, line, col, text))
    return found


def _placeholders(doc: RawDoc) -> list[ContentError]:
    """Text that ``psp-static new`` left for the editor to write."""
    found: list[ContentError] = []
    for path, value in _strings(doc.data, ()):
        if PLACEHOLDER in value:
            line, col = doc.doc.value_at(path)
            text = f"warning: {field_name(path)} still says '{PLACEHOLDER}'; write it"
            found.append(ContentError(doc.path, line, col, text))
    if PLACEHOLDER in doc.body:
        line = doc.body_line + doc.body[: doc.body.index(PLACEHOLDER)].count("\n")
        found.append(ContentError(doc.path, line, 1, f"warning: the text still says '{PLACEHOLDER}'; write it"))
    return found


def _number(point: object, key: str) -> int | float | None:
    value = point.get(key) if isinstance(point, dict) else None
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _strings(data: object, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*path, i))
