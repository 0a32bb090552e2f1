"""Decap CMS fields made from JSON Schema properties: one widget per property, as its type says.

A property is required or optional as the schema says, hinted by its description, and held to
its limits (lengths, patterns, numbers of items) as early as the form can. A property the editor
schemas give an ``enum`` (a fixed list, or a vocabulary of the content with its names in
``enumDescriptions``) becomes a select list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Schema = dict[str, Any]  # a JSON Schema, or one property of one
Field = dict[str, Any]  # a Decap field, as config.yml has it

LINE = 240  # a string that may be longer than this gets a multi-line text box


def fields(schema: Schema) -> list[Field]:
    """The Decap fields for every property of an object schema, in the schema's order."""
    required = set(schema.get("required", []))
    return [field(name, prop, name in required) for name, prop in schema.get("properties", {}).items()]


def field(name: str, schema: Schema, required: bool) -> Field:
    """The Decap field for one schema property."""
    schema = variant(schema)
    out: Field = {"label": label(name), "name": name}
    hint = schema.get("description") or schema.get("items", {}).get("description")
    if hint:
        out["hint"] = hint
    if not required:
        out["required"] = False
    made = out | widget(name, schema) | _pattern(schema)
    if not required and made["widget"] == "boolean":
        del made["default"]  # a default is written into every new file; absent reads as false anyway
    if not required and made["widget"] == "object":
        # Decap checks an optional object's required fields even when the object is left empty
        # (decap-cms issues 2103, 7748), so the form leaves them optional; the build's schema
        # check still wants them together once any is given.
        made["fields"] = [sub | {"required": False} for sub in made["fields"]]
    return made


def label(name: str) -> str:
    """``agency_sizes`` becomes ``Agency sizes``; ``attribution_url`` becomes ``Attribution URL``."""
    words = [{"id": "ID", "url": "URL"}.get(w, w) for w in name.split("_")]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def variant(schema: Schema) -> Schema:
    """One schema for a property that accepts several (``anyOf``/``oneOf``): the richest, an object."""
    options = schema.get("anyOf") or schema.get("oneOf")
    if not options:
        return schema
    merged = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
    best = next((o for o in options if o.get("type") == "object"), options[0])
    return {**best, **merged}


def widget(name: str, schema: Schema) -> Field:
    """The widget and its settings for a property, by the first rule of :data:`WIDGETS` that fits."""
    for fits, make in WIDGETS:
        if fits(schema):
            return make(name, schema)
    return _string(name, schema)


def _select(_name: str, schema: Schema) -> Field:
    return {"widget": "select", "options": options(schema)}


def _multiple_select(_name: str, schema: Schema) -> Field:
    items = variant(schema["items"])
    return {"widget": "select", "multiple": True, "options": options(items), **_bounds(schema, "minItems", "maxItems")}


def _list(name: str, schema: Schema) -> Field:
    out: Field = {"widget": "list", **_bounds(schema, "minItems", "maxItems")}
    items = variant(schema.get("items", {}))
    if items.get("type") != "object":
        return out | {"field": field(name.rstrip("s") or name, items, True)}
    out["fields"] = fields(items)
    first = next(iter(items.get("properties", {})), None)
    if first:
        out["summary"] = "{{fields." + first + "}}"  # a list entry is shown by its first field
    return out


def _object(_name: str, schema: Schema) -> Field:
    return {"widget": "object", "fields": fields(schema)}


def _number(_name: str, schema: Schema) -> Field:
    whole = schema["type"] == "integer"
    step = {"step": 1} if whole else {"step": 0.01}
    return {
        "widget": "number",
        "value_type": "int" if whole else "float",
        **step,
        **_bounds(schema, "minimum", "maximum"),
    }


def _boolean(_name: str, _schema: Schema) -> Field:
    return {"widget": "boolean", "default": False}


def _date(_name: str, _schema: Schema) -> Field:
    return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}


def _markdown(_name: str, _schema: Schema) -> Field:
    # New lists each time: shared ones would come out of yaml.safe_dump as anchors and aliases.
    return {"widget": "markdown", "minimal": True, "buttons": ["bold", "italic", "link", "bulleted-list"],
            "editor_components": [], "modes": ["rich_text", "raw"]}  # fmt: skip


def _string(_name: str, schema: Schema) -> Field:
    long = schema.get("maxLength", 0) > LINE or schema.get("minLength", 0) > LINE // 4
    return {"widget": "text" if long else "string"}


def _array_of_enum(schema: Schema) -> bool:
    return schema.get("type") == "array" and "enum" in variant(schema.get("items", {}))


# Which widget a property gets: the first rule whose test it passes; plain text if none.
WIDGETS: list[tuple[Callable[[Schema], bool], Callable[[str, Schema], Field]]] = [
    (lambda s: "enum" in s, _select),
    (_array_of_enum, _multiple_select),
    (lambda s: s.get("type") == "array", _list),
    (lambda s: s.get("type") == "object", _object),
    (lambda s: s.get("type") in ("integer", "number"), _number),
    (lambda s: s.get("type") == "boolean", _boolean),
    (lambda s: s.get("format") == "date", _date),
    (lambda s: "Markdown" in str(s.get("description", "")), _markdown),  # the schemas say which text is Markdown
]


def options(schema: Schema) -> list[Any]:
    """A select list's options: the values, each labelled by its name when the schema gives names."""
    names = schema.get("enumDescriptions")
    if names is None:
        return [str(v) for v in schema["enum"]]
    # A vocabulary value that may be written two ways (the cohort 2019, as text or as a number)
    # is offered once, as text, which the build reads the same.
    labelled: dict[str, str] = {}
    for value, name in zip(schema["enum"], names, strict=True):
        labelled.setdefault(str(value), name)
    return [{"label": name, "value": value} for value, name in labelled.items()]


def _pattern(schema: Schema) -> Field:
    """A pattern the form checks, from the schema's pattern or its length limits."""
    if "pattern" in schema:
        return {"pattern": [schema["pattern"], _pattern_message(schema)]}
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    # Decap has no length limits of its own: a pattern holds them, so the form says so early.
    if schema.get("type") != "string" or not (high or low > 1):
        return {}
    regex = "^[\\s\\S]{" + str(low) + "," + (str(high) if high else "") + "}$"
    span = f"{low} to {high}" if high else f"at least {low}"
    return {"pattern": [regex, f"Write {span} characters."]}


def _pattern_message(schema: Schema) -> str:
    """What the form says when a value does not have the form the schema asks for."""
    if schema.get("format") == "uri" and schema["pattern"] == "^https://":
        return "Write a full web address starting with https://."
    return f"Not in the expected form. {schema.get('description', '')}".strip()


def _bounds(schema: Schema, low: str, high: str) -> Field:
    """Decap's ``min`` and ``max`` from the schema's limits (a minimum of no items is no limit)."""
    out = {}
    if low in schema and (low == "minimum" or schema[low] > 0):
        out["min"] = schema[low]
    if high in schema:
        out["max"] = schema[high]
    return out
