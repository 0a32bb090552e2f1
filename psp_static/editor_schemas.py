"""The JSON Schemas editors' tools read: the build's schemas with the site's own vocabularies.

The build checks names against the content (an unknown cohort, area or sponsor gets a message
with the closest name); an editor's tools do better still when the schema lists the names: VS
Code's YAML extension then offers them as you type and underlines anything else. So the schemas
written for editors carry each vocabulary as an ``enum``, with the names shown beside the values
(``enumDescriptions``, which that extension reads), made afresh from ``content/`` by
``psp-static schema`` (``make schemas``).
"""

from __future__ import annotations

import copy
from typing import Any

from psp_static import validation
from psp_static.loader import Kind, Loaded
from psp_static.validation import SCHEMA_NAMES

FOLDER = ".schemas"  # at the project's root, beside content/; `make schemas` writes it
Vocabulary = list[tuple[str, str]]  # (value, what it is called), in the content's order

# Where each content type names something from a vocabulary: a path of property names, "*" for
# the items of a list.
VOCABULARY_FIELDS: dict[str, dict[tuple[str, ...], str]] = {
    "site": {("engagements", "*", "cohort"): "cohorts"},
    "resource": {
        ("type",): "types",
        ("areas", "*"): "areas",
        ("agency_sizes", "*"): "agency_sizes",
        ("sponsor",): "sponsors",
        ("sites", "*"): "sites",
    },
    "news": {("sites", "*"): "sites"},
}


def modeline(kind: Kind) -> str:
    """The first line of every content file of ``kind`` (inside the front matter of Markdown
    files): it tells the YAML extension which editor schema the file follows."""
    up = "../../" if kind.collection else "../"
    return f"# yaml-language-server: $schema={up}{FOLDER}/{kind.name}.schema.json"


def vocabularies(loaded: Loaded) -> dict[str, Vocabulary]:
    """Every vocabulary as (value, name) pairs, from the content files as they are (unchecked)."""

    def names(kind: str, label: str) -> Vocabulary:
        docs = sorted(loaded.of(kind), key=lambda d: (_order(d.data.get("order")), d.slug))
        return [(d.slug, str(d.data.get(label, d.slug))) for d in docs]

    def listed(field: str, key: str) -> Vocabulary:
        entries = [e for d in loaded.of("clearinghouse") for e in _list(d.data.get(field)) if isinstance(e, dict)]
        return [(str(e[key]), str(e.get("name", e[key]))) for e in entries if key in e]

    return {
        "cohorts": names("cohort", "name"),
        "areas": names("area", "name"),
        "sites": sorted(((s, n) for s, n in names("site", "name")), key=lambda pair: pair[1]),
        "types": listed("types", "slug"),
        "agency_sizes": listed("agency_sizes", "slug"),
        "sponsors": listed("sponsors", "code"),
    }


def live(name: str, vocab: dict[str, Vocabulary]) -> dict[str, Any]:
    """The schema of content type ``name`` with its vocabularies filled in."""
    found = copy.deepcopy(validation.schema(name))  # looked up when called, so tests may extend it
    for path, vocabulary in VOCABULARY_FIELDS.get(name, {}).items():
        rule = find_rule(found, path)
        if rule is None:
            continue
        # A slug of digits (the 2019 cohort) may be written with or without quotes.
        values = [(v, label) for value, label in vocab.get(vocabulary, []) for v in _spellings(value)]
        rule.pop("type", None)  # the values say it all
        rule["enum"] = [value for value, _ in values]
        rule["enumDescriptions"] = [label for _, label in values]
    return found


def all_live(loaded: Loaded) -> dict[str, dict[str, Any]]:
    """Every content type's editor schema, by name."""
    vocab = vocabularies(loaded)
    return {name: live(name, vocab) for name in SCHEMA_NAMES}


def find_rule(root: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any] | None:
    """The sub-schema at ``path`` (property names, "*" for list items), if the schema has it."""
    rule: dict[str, Any] = root
    for step in path:
        inner = rule.get("items") if step == "*" else rule.get("properties", {}).get(step)
        if not isinstance(inner, dict):
            return None
        rule = inner
    return rule


def _spellings(value: str) -> list[str | int]:
    return [value, int(value)] if value.isdigit() else [value]


def _order(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 999


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
