"""What each JSON Schema rule says to an editor when a value breaks it: one entry per keyword.

Each entry turns the broken rule into a message saying what is wrong and how to fix it. Rules
about fields rather than values (unknown and missing fields) name a field each and are located
at that field's key, so they are explained in :mod:`psp_static.validation` instead.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable
from typing import Any

TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of 'field: value' lines",
}


@dataclasses.dataclass(frozen=True)
class Broken:
    """One broken rule: the field's name as an editor reads it, its value, and the rule's schema."""

    keyword: str
    name: str
    value: Any  # whatever YAML gave: the schema said what it should be
    rule: dict[str, Any]
    fallback: str  # the validator's own message, for a keyword without an entry here


_ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
# What one item of a list field is called.
_ITEM = {
    "engagements": "engagement", "places": "place", "areas": "area", "agency_sizes": "agency size",
    "sources": "source", "tags": "tag", "members": "member", "types": "type", "sponsors": "sponsor",
    "approach": "approach item", "sites": "site", "refused_source_hosts": "refused host",
    "synonyms": "synonym", "means": "meaning",
}  # fmt: skip


def ordinal(index: int) -> str:
    """``1`` is "second": list items counted from the first, in words, as editors count."""
    return _ORDINALS[index] if index < len(_ORDINALS) else f"number {index + 1}"


def field_name(path: Iterable[str | int]) -> str:
    """Where a value is, in words: ``("engagements", 1, "cohort")`` is "cohort of the second
    engagement", ``("areas", 0)`` is "the first area"."""
    parts, names = list(path), []
    for i, part in enumerate(parts):
        if isinstance(part, int):
            continue
        after = parts[i + 1] if i + 1 < len(parts) else None
        if isinstance(after, int):
            names.append(f"the {ordinal(after)} {_ITEM.get(part, part.replace('_', ' '))}")
        else:
            names.append(part)
    return " of ".join(reversed(names)) or "the file"


def suggestions(value: str, allowed: list[str]) -> list[str]:
    """The allowed values ``value`` may be a misspelling of. Two-letter codes are too short for a
    similarity score: those sharing a letter in place are offered instead."""
    if len(value) <= 2:
        upper = value.upper()
        return [a for a in allowed if a[:1] == upper[:1]] or [a for a in allowed if a[1:2] == upper[1:2]]
    return difflib.get_close_matches(value, allowed, n=1)


def did_you_mean(options: list[str]) -> str:
    if not options:
        return ""
    listed = options[0] if len(options) == 1 else f"{', '.join(options[:-1])} or {options[-1]}"
    return f"did you mean '{listed}'? " if len(options) == 1 else f"did you mean {listed}? "


def kind_of(value: object) -> str:
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


def _type(b: Broken) -> str:
    expected = b.rule.get("type")
    wanted = " or ".join(
        TYPE_WORDS.get(str(t), str(t)) for t in (expected if isinstance(expected, list) else [expected])
    )
    if b.value is None:
        return f"{b.name} is empty; give it {wanted}"
    return _how_to_write(b, expected) or f"{b.name} should be {wanted}, not {kind_of(b.value)}"


def _how_to_write(b: Broken, expected: object) -> str:
    """For the usual slips of YAML (quotes around a number, none around a code, one item for a
    list), the value written the way the field takes it."""
    if expected == "string" and isinstance(b.value, (bool, int, float)):
        return f"{b.name} should be text, not {kind_of(b.value)}; put the value in quotes"
    if expected == "integer" and isinstance(b.value, str) and b.value.strip().isdigit():
        return f"{b.name} should be a whole number, not text; write {b.value.strip()} without quotes"
    if expected == "array" and isinstance(b.value, (str, int, float)):
        return f"{b.name} should be a list, not {kind_of(b.value)}; write it as a list: `{b.name}: [{b.value}]`"
    return ""


def _enum(b: Broken) -> str:
    allowed = sorted(str(option) for option in b.rule.get("enum", []))
    leaf, _, where = b.name.partition(" of ")
    place = f" in {where}" if where else ""
    hint = did_you_mean(suggestions(str(b.value), allowed))
    return f"unknown {leaf} '{b.value}'{place}; {hint}allowed: {', '.join(allowed)}"


def _form(b: Broken) -> str:
    """A ``format`` or ``pattern``: dates and web addresses have messages of their own."""
    if (b.keyword == "format" and b.rule.get("format") == "date") or (b.keyword == "pattern" and "date" in b.name):
        return f"{b.name} '{b.value}' is not a valid date; write it as YYYY-MM-DD, for example 2024-05-01"
    if b.rule.get("format") == "uri":
        return f"{b.name} '{b.value}' is not a valid https:// web address; write the full address, starting https://"
    return f"{b.name} '{b.value}' is not in the expected form; {b.rule.get('description', 'see CONTRIBUTING.md')}"


def _range(b: Broken) -> str:
    low, high = b.rule.get("minimum", "…"), b.rule.get("maximum", "…")
    return f"{b.name} {b.value} is out of range; use a value from {low} to {high}"


def _min_items(b: Broken) -> str:
    n = b.rule["minItems"]
    return f"{b.name} needs at least {n} item{'s' if n != 1 else ''}"


MESSAGES: dict[str, Callable[[Broken], str]] = {
    "type": _type,
    "enum": _enum,
    "format": _form,
    "pattern": _form,
    "minLength": lambda b: f"{b.name} is too short ({len(b.value)} characters); write at least {b.rule['minLength']}",
    "maxLength": lambda b: (
        f"{b.name} is too long ({len(b.value)} characters); keep it to {b.rule['maxLength']} at most"
    ),
    "minimum": _range,
    "maximum": _range,
    "minItems": _min_items,
    "uniqueItems": lambda b: f"{b.name} lists the same value more than once; remove the repeat",
}


def message(broken: Broken) -> str:
    """The message for a value that breaks a schema rule."""
    explain = MESSAGES.get(broken.keyword)
    return explain(broken) if explain else f"{broken.name}: {broken.fallback}"
