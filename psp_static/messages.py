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


def field_name(path: Iterable[str | int]) -> str:
    """``engagements[1].cohort``: list items counted from 1, as editors count."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "the file"


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
    if expected == "string" and isinstance(b.value, (bool, int, float)):
        return f"{b.name} should be text, not {kind_of(b.value)}; put the value in quotes"
    return f"{b.name} should be {wanted}, not {kind_of(b.value)}"


def _enum(b: Broken) -> str:
    allowed = [str(option) for option in b.rule.get("enum", [])]
    close = difflib.get_close_matches(str(b.value), allowed, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown {b.name.rsplit('.', 1)[-1]} '{b.value}'; {hint}allowed: {', '.join(allowed)}"


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
