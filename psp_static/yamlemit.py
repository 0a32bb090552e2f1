"""Writing a field's value the way the hand-written content files do.

Quoted dates, plain text where YAML reads it back as the same text, ``|`` for text with line
breaks, folded ``>-`` blocks for long text, lists indented under their key, keys in the schema's
order and empty optional values left out.
"""

from __future__ import annotations

from typing import Any

import yaml

from psp_static.yamlblocks import DATE, compose, empty, value

WIDTH = 92  # where folded text is broken, as in the hand-written files
MAX_LINE = 100  # a one-line value longer than this is folded


def emit(key: str, data: Any, schema: dict[str, Any], indent: int = 0) -> str:
    """``key: value`` in the project's style, ending with a newline."""
    pad = " " * indent
    if isinstance(data, dict):
        return f"{pad}{key}:\n" + _mapping(data, schema, indent + 2)
    if isinstance(data, list):
        return f"{pad}{key}:\n" + "".join(_item(item, schema.get("items", {}), indent) for item in data)
    return f"{pad}{key}: {_scalar(data, indent, indent + len(key) + 2)}\n"


def _item(item: Any, schema: dict[str, Any], indent: int) -> str:
    """One ``- item`` of a list whose key is at ``indent``."""
    pad = " " * indent
    if isinstance(item, dict):
        inner = _mapping(item, schema, indent + 4)
        return f"{pad}  - " + inner[indent + 4 :]  # the first key goes on the dash's line
    return f"{pad}  - {_scalar(item, indent + 2, indent + 4)}\n"


def _mapping(data: dict[str, Any], schema: dict[str, Any], indent: int) -> str:
    props = schema.get("properties", {})
    return "".join(emit(k, data[k], props.get(k, {}), indent) for k in order(list(data), schema) if not empty(data[k]))


def order(keys: list[str], schema: dict[str, Any]) -> list[str]:
    """``keys`` in the schema's order; keys it does not know keep theirs, after the rest."""
    known = list(schema.get("properties", {}))
    return sorted(keys, key=lambda k: (known.index(k) if k in known else len(known), keys.index(k)))


def _scalar(data: Any, indent: int, room: int) -> str:
    """A scalar after ``key: `` (``room`` characters used on that line already)."""
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, int | float):
        return repr(data)
    text = str(data)
    if "\n" in text:
        return _literal(text, indent)
    if room + len(text) <= MAX_LINE and _plain_ok(text):
        return text
    return _quoted(text, indent, room)


def _quoted(text: str, indent: int, room: int) -> str:
    """Text that may not go plain: in single quotes, or folded over lines when that is too long."""
    quoted = "'" + text.replace("'", "''") + "'"
    if room + len(quoted) <= MAX_LINE or not _foldable(text) or " " not in text:
        return quoted
    pad = " " * (indent + 2)
    return ">-\n" + "\n".join(pad + line for line in _wrap(text, WIDTH - len(pad)))


def _literal(text: str, indent: int) -> str:
    """Text with line breaks as a ``|`` block, keeping a single final line break if it has one."""
    chomp = "" if text.endswith("\n") and not text.endswith("\n\n") else "-"
    pad = " " * (indent + 2)
    lines = text.removesuffix("\n").split("\n")
    return f"|{chomp}\n" + "\n".join(pad + line if line else "" for line in lines)


def _plain_ok(text: str) -> bool:
    """True when ``text`` may go unquoted: YAML reads it back as the same text."""
    if not text or text != text.strip() or DATE.match(text) or "\n" in text:
        return False
    try:
        if value(compose(text) or yaml.ScalarNode("tag:yaml.org,2002:null", "")) != text:
            return False  # it would read as a number, true/false, null, a list or a mapping
    except yaml.YAMLError:
        return False
    dumped = yaml.safe_dump(text, width=10**6, allow_unicode=True)
    return not dumped.startswith(("'", '"', "|", ">", "!"))


def _foldable(text: str) -> bool:
    """True when folding ``text`` over lines reads back as the same text."""
    return text == text.strip() and "  " not in text and "\t" not in text and text.isprintable()


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines
