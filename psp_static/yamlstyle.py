"""``psp-static fmt``: keep content files in the project's YAML style, whoever wrote them.

The content editor (Decap CMS) writes a whole file on every save, in its own style: it drops
comments, breaks long text over plain lines, leaves dates unquoted and may reorder keys. This
module puts such a file back into the style of the hand-written ones without churn:

- a top-level field whose value did not change since the reference version (``git`` HEAD by
  default) keeps that version's text exactly, comments and line breaks included;
- a changed or new field keeps the text it has, unless that text is in a style the project does
  not use (plain text broken over lines, unquoted dates, empty optional values), which is written
  again the project's way: quoted dates, folded ``>-`` blocks for long text, ``|`` for text with
  line breaks, lists indented under their key;
- keys follow the reference's order, new keys going where the schema puts them;
- the file starts with its ``yaml-language-server`` modeline.

The result always parses to the same data as the file it came from, less empty optional fields.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from psp_static import editor_schemas, loader, validation, yamldoc

WIDTH = 92  # where folded text is broken, as in the hand-written files
MAX_LINE = 100  # a one-line value longer than this is folded
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MODELINE = re.compile(r"^#\s*yaml-language-server:")


@dataclasses.dataclass
class Block:
    """One top-level field of a YAML mapping: its value and its text (comments above it included)."""

    key: str
    value: Any
    text: str
    node: yaml.Node


@dataclasses.dataclass
class Parsed:
    preamble: list[str]  # comment lines before the first field
    blocks: list[Block]
    trailer: str  # comment lines after the last field
    body: str | None  # the Markdown after the front matter; None for a YAML file


def modeline(kind: loader.Kind) -> str:
    return editor_schemas.modeline(kind)


def _value(node: yaml.Node) -> Any:
    """The data of a node, resolved the way the build reads it (YAML 1.2; dates stay text)."""
    if isinstance(node, yaml.MappingNode):
        return {_value(k): _value(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_value(item) for item in node.value]
    tag, text = node.tag, node.value
    if tag.endswith(":int"):
        return int(text)
    if tag.endswith(":float"):
        return float(text)
    if tag.endswith(":bool"):
        return text.lower() == "true"
    if tag.endswith(":null"):
        return None
    return text


def _compose(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=yamldoc._Loader)


def _split(text: str, markdown: bool) -> tuple[str, str | None]:
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
    yaml_text, body = _split(text, markdown)
    lines = yaml_text.splitlines(keepends=True)
    root = _compose(yaml_text)
    if root is None:
        return Parsed([line.rstrip("\n") for line in lines], [], "", body)
    if not isinstance(root, yaml.MappingNode):
        raise ValueError("the file is not a list of 'field: value' lines")
    starts = [k.start_mark.line for k, _ in root.value]
    # Comment and blank lines just above a field belong to that field.
    firsts = []
    for i, start in enumerate(starts):
        first = start
        if i == 0:  # what comes before the first field is the file's preamble
            firsts.append(first)
            continue
        while first > 0 and (not lines[first - 1].strip() or lines[first - 1].lstrip().startswith("#")):
            first -= 1
        firsts.append(first)
    ends = [*firsts[1:], len(lines)]
    blocks = []
    for i, (key, value) in enumerate(root.value):
        end = ends[i]
        if i == len(root.value) - 1:  # comments after the last field stay at the end of the file
            end = max(value.end_mark.line + (1 if value.end_mark.column else 0), starts[i] + 1)
            while end < len(lines) and lines[end].startswith((" ", "\t")):
                end += 1
        blocks.append(Block(str(_value(key)), _value(value), "".join(lines[firsts[i] : end]), value))
    preamble = [line.rstrip("\n") for line in lines[: firsts[0]]]
    return Parsed(preamble, blocks, "".join(lines[end:]), body)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _off_style(node: yaml.Node) -> bool:
    """True when a value is written in a style the hand-written files never use."""
    if isinstance(node, yaml.MappingNode):
        return any(_off_style(v) for _, v in node.value)
    if isinstance(node, yaml.SequenceNode):
        return node.flow_style is True or any(_off_style(item) for item in node.value)
    if isinstance(node, yaml.ScalarNode) and node.style in (None, "", '"', "'"):
        multi_line = node.end_mark.line != node.start_mark.line
        unquoted_date = node.style in (None, "") and bool(_DATE.match(node.value))
        return multi_line or unquoted_date
    return False


# --- writing values the project's way -------------------------------------------------------------


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or _DATE.match(text) or "\n" in text:
        return False
    try:
        if _value(_compose(text) or yaml.ScalarNode("tag:yaml.org,2002:null", "")) != text:
            return False  # it would read as a number, true/false, null, a list or a mapping
    except yaml.YAMLError:
        return False
    dumped = yaml.safe_dump(text, width=10**6, allow_unicode=True)
    return not dumped.startswith(("'", '"', "|", ">", "!"))


def _scalar(value: Any, indent: int, room: int) -> str:
    """A scalar after ``key: `` (``room`` characters used on that line already)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if "\n" in text:
        chomp = "" if text.endswith("\n") and not text.endswith("\n\n") else "-"
        pad = " " * (indent + 2)
        lines = text.removesuffix("\n").split("\n")
        return f"|{chomp}\n" + "\n".join(pad + line if line else "" for line in lines)
    if room + len(text) <= MAX_LINE and _plain_ok(text):
        return text
    quoted = "'" + text.replace("'", "''") + "'"
    if room + len(quoted) <= MAX_LINE or not _foldable(text) or " " not in text:
        return quoted
    pad = " " * (indent + 2)
    return ">-\n" + "\n".join(pad + line for line in _wrap(text, WIDTH - len(pad)))


def _foldable(text: str) -> bool:
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


def _order(keys: list[str], schema: dict[str, Any]) -> list[str]:
    known = list(schema.get("properties", {}))
    return sorted(keys, key=lambda k: (known.index(k) if k in known else len(known), keys.index(k)))


def emit(key: str, value: Any, schema: dict[str, Any], indent: int = 0) -> str:
    """``key: value`` in the project's style, ending with a newline."""
    pad = " " * indent
    if isinstance(value, dict):
        return f"{pad}{key}:\n" + _mapping(value, schema, indent + 2)
    if isinstance(value, list):
        items = schema.get("items", {})
        out = [f"{pad}{key}:\n"]
        for item in value:
            if isinstance(item, dict):
                inner = _mapping(item, items, indent + 4)
                out.append(f"{pad}  - " + inner[indent + 4 :])
            else:
                out.append(f"{pad}  - {_scalar(item, indent + 2, indent + 4)}\n")
        return "".join(out)
    return f"{pad}{key}: {_scalar(value, indent, indent + len(key) + 2)}\n"


def _mapping(value: dict[str, Any], schema: dict[str, Any], indent: int) -> str:
    props = schema.get("properties", {})
    return "".join(
        emit(k, value[k], props.get(k, {}), indent) for k in _order(list(value), schema) if not _empty(value[k])
    )


# --- the whole file --------------------------------------------------------------------------------


def format_text(text: str, kind: loader.Kind, reference: str | None = None) -> str:
    """``text`` in the project's style; ``reference`` is the version whose layout unchanged fields keep."""
    schema = validation.schema(kind.name)
    props, required = schema.get("properties", {}), set(schema.get("required", []))
    own = parse(text, kind.markdown)
    ref: Parsed | None = None
    if reference is not None:
        try:
            ref = parse(reference, kind.markdown)
        except (ValueError, yaml.YAMLError):
            ref = None
    ref_blocks = {b.key: b for b in ref.blocks} if ref else {}
    blocks = {b.key: b for b in own.blocks if not (_empty(b.value) and b.key not in required)}
    # Order: the reference's (or the file's own), with new keys placed where the schema puts them.
    order = [k for k in ref_blocks if k in blocks] if ref else list(blocks)
    for key in _order(list(blocks), schema):
        if key in order:
            continue
        known = list(props)
        before = [k for k in order if k in known and key in known and known.index(k) < known.index(key)]
        order.insert(order.index(before[-1]) + 1 if before else (0 if key in known else len(order)), key)
    parts = []
    preamble = ref.preamble if ref and ref.preamble else own.preamble
    line = modeline(kind)
    if not any(_MODELINE.match(p) for p in preamble):
        preamble = [line, *preamble]
    else:
        preamble = [line if _MODELINE.match(p) else p for p in preamble]
    parts.append("".join(p + "\n" for p in preamble))
    for key in order:
        block = blocks[key]
        old = ref_blocks.get(key)
        if old is not None and old.value == block.value:
            parts.append(_ending(old.text))
        elif _off_style(block.node) or _comment_lost(block, old):
            parts.append(
                _leading_comments(old.text if old else block.text) + emit(key, block.value, props.get(key, {}))
            )
        else:
            parts.append(_ending(block.text))
    parts.append(own.trailer if own.trailer.strip() else (ref.trailer if ref and ref.trailer.strip() else ""))
    front = "".join(parts)
    if own.body is None:
        return front
    body = own.body
    if ref is not None and ref.body is not None and ref.body.strip() == body.strip():
        body = ref.body
    return f"---\n{front}---\n{body}"


def _ending(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _comment_lost(block: Block, old: Block | None) -> bool:
    """A changed field whose comments above it the new text dropped: keep them, write the value anew."""
    return old is not None and bool(_leading_comments(old.text)) and not _leading_comments(block.text)


def _leading_comments(text: str) -> str:
    lines = text.splitlines(keepends=True)
    head = []
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            break
        head.append(line)
    return "".join(head)


# --- files and Git --------------------------------------------------------------------------------


def committed(paths: list[Path], rev: str) -> dict[Path, str]:
    """Each file's text at ``rev`` in its Git repository; files it lacks (or no Git) are left out."""
    if not paths:
        return {}
    try:
        top = Path(
            subprocess.run(
                ["git", "rev-parse", "--show-toplevel"],
                cwd=paths[0].parent,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        return {}
    names = [p.resolve().relative_to(top.resolve()).as_posix() for p in paths]
    request = "".join(f"{rev}:{name}\n" for name in names).encode()
    answer = subprocess.run(["git", "cat-file", "--batch"], cwd=top, input=request, capture_output=True, check=False)
    found: dict[Path, str] = {}
    data, at = answer.stdout, 0
    for path in paths:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[path] = data[at : at + size].decode("utf-8", errors="replace")
            at += size + 1
    return found


def format_content(content: Path, rev: str | None = "HEAD", check: bool = False) -> list[Path]:
    """Format every content file below ``content`` (or, with ``check``, only list those it would change).

    Raise ValueError naming the file for one that cannot be read as YAML.
    """
    files = [(kind, path) for kind, path, _ in loader.content_files(content) if path.is_file()]
    references = committed([p for _, p in files], rev) if rev else {}
    changed = []
    for kind, path in files:
        text = path.read_text(encoding="utf-8")
        try:
            new = format_text(text, kind, references.get(path))
        except (ValueError, yaml.YAMLError) as exc:
            raise ValueError(f"{path}: {exc}") from exc
        if new != text:
            changed.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    return changed
