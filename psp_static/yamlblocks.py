"""Reading a content file as ``psp-static fmt`` sees it: one block of text per top-level field.

A block keeps the field's exact text (the comments and blank lines just above it included), so
that a field nobody changed can be written back byte for byte, and its parsed value, so that the
formatter can tell which fields did change.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import yaml

from psp_static import yamldoc

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclasses.dataclass
class Block:
    """One top-level field of a YAML mapping: its value and its text (comments above it included)."""

    key: str
    value: Any
    text: str
    node: yaml.Node


@dataclasses.dataclass
class Parsed:
    """A content file cut into the pieces the formatter puts back together."""

    preamble: list[str]  # comment lines before the first field
    blocks: list[Block]
    trailer: str  # comment lines after the last field
    body: str | None  # the Markdown after the front matter; None for a YAML file


def value(node: yaml.Node) -> Any:
    """The data of a node, resolved the way the build reads it (YAML 1.2; dates stay text)."""
    if isinstance(node, yaml.MappingNode):
        return {value(k): value(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [value(item) for item in node.value]
    return _scalar(node.tag, node.value)


def _scalar(tag: str, text: str) -> Any:
    if tag.endswith(":int"):
        return int(text)
    if tag.endswith(":float"):
        return float(text)
    if tag.endswith(":bool"):
        return text.lower() == "true"
    if tag.endswith(":null"):
        return None
    return text


def compose(text: str) -> yaml.Node | None:
    """The node tree of ``text``, read by the build's own (YAML 1.2) loader."""
    return yaml.compose(text, Loader=yamldoc._Loader)


def split(text: str, markdown: bool) -> tuple[str, str | None]:
    """The YAML of a file and, for Markdown, the body after the front matter."""
    if not markdown:
        return text, None
    if not text.startswith("---\n"):
        raise ValueError("a Markdown content file starts with a '---' line")
    end = text.find("\n---", 3)
    if end < 0:
        raise ValueError("the front matter has no closing '---' line")
    rest = text[end + 4 :]
    return text[4 : end + 1], rest[1:] if rest.startswith("\n") else rest


def parse(text: str, markdown: bool = False) -> Parsed:
    """Split a content file into its preamble, one block per top-level field, and its body."""
    yaml_text, body = split(text, markdown)
    lines = yaml_text.splitlines(keepends=True)
    root = compose(yaml_text)
    if root is None:
        return Parsed([line.rstrip("\n") for line in lines], [], "", body)
    if not isinstance(root, yaml.MappingNode):
        raise ValueError("the file is not a list of 'field: value' lines")
    starts = [k.start_mark.line for k, _ in root.value]
    firsts = _firsts(lines, starts)
    ends = [*firsts[1:], _last_end(lines, starts[-1], root.value[-1][1])]
    blocks = [
        Block(str(value(key)), value(node), "".join(lines[first:end]), node)
        for (key, node), first, end in zip(root.value, firsts, ends, strict=True)
    ]
    preamble = [line.rstrip("\n") for line in lines[: firsts[0]]]
    return Parsed(preamble, blocks, "".join(lines[ends[-1] :]), body)


def _firsts(lines: list[str], starts: list[int]) -> list[int]:
    """The first line of each field's block: comment and blank lines just above a field belong to
    it, except above the first field, where they are the file's preamble."""
    firsts = starts[:1]
    for start in starts[1:]:
        first = start
        while first > 0 and (not lines[first - 1].strip() or lines[first - 1].lstrip().startswith("#")):
            first -= 1
        firsts.append(first)
    return firsts


def _last_end(lines: list[str], start: int, node: yaml.Node) -> int:
    """Where the last field ends: comments after it stay at the end of the file, not in its block."""
    end = max(node.end_mark.line + (1 if node.end_mark.column else 0), start + 1)
    while end < len(lines) and lines[end].startswith((" ", "\t")):
        end += 1
    return end


def empty(data: Any) -> bool:
    """True for a value an optional field may as well leave out."""
    return data is None or data == "" or data == [] or data == {}


def off_style(node: yaml.Node) -> bool:
    """True when a value is written in a style the hand-written files never use."""
    if isinstance(node, yaml.MappingNode):
        return any(off_style(v) for _, v in node.value)
    if isinstance(node, yaml.SequenceNode):
        return node.flow_style is True or any(off_style(item) for item in node.value)
    if isinstance(node, yaml.ScalarNode) and node.style in (None, "", '"', "'"):
        multi_line = node.end_mark.line != node.start_mark.line
        unquoted_date = node.style in (None, "") and bool(DATE.match(node.value))
        return multi_line or unquoted_date
    return False


def leading_comments(text: str) -> str:
    """The comment and blank lines at the top of a block."""
    head = []
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        head.append(line)
    return "".join(head)
