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

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from psp_static import editor_schemas, loader, validation
from psp_static.yamlblocks import Block, Parsed, empty, leading_comments, off_style, parse
from psp_static.yamlemit import emit, order

_MODELINE = re.compile(r"^#\s*yaml-language-server:")


def modeline(kind: loader.Kind) -> str:
    return editor_schemas.modeline(kind)


def format_text(text: str, kind: loader.Kind, reference: str | None = None) -> str:
    """``text`` in the project's style; ``reference`` is the version whose layout unchanged fields keep."""
    schema = validation.schema(kind.name)
    own = parse(text, kind.markdown)
    ref = _reference(reference, kind.markdown)
    required = set(schema.get("required", []))
    blocks = {b.key: b for b in own.blocks if not (empty(b.value) and b.key not in required)}
    old = {b.key: b for b in ref.blocks} if ref else {}
    props = schema.get("properties", {})
    parts = [_preamble(ref.preamble if ref and ref.preamble else own.preamble, kind)]
    parts += [_field(blocks[key], old.get(key), props.get(key, {})) for key in _keys(blocks, ref, schema)]
    parts.append(_trailer(own, ref))
    front = "".join(parts)
    return front if own.body is None else f"---\n{front}---\n{_body(own.body, ref)}"


def _trailer(own: Parsed, ref: Parsed | None) -> str:
    """The comments after the last field: the file's own, or else the reference's."""
    for parsed in (own, ref):
        if parsed is not None and parsed.trailer.strip():
            return parsed.trailer
    return ""


def _body(body: str, ref: Parsed | None) -> str:
    """The Markdown body; the reference's when only spacing differs, so that spacing makes no churn."""
    if ref is not None and ref.body is not None and ref.body.strip() == body.strip():
        return ref.body
    return body


def _reference(text: str | None, markdown: bool) -> Parsed | None:
    """The reference version, parsed; None when there is none or it does not parse."""
    if text is None:
        return None
    try:
        return parse(text, markdown)
    except (ValueError, yaml.YAMLError):
        return None


def _keys(blocks: dict[str, Block], ref: Parsed | None, schema: dict[str, Any]) -> list[str]:
    """The fields' order: the reference's (or the file's own), new keys placed where the schema puts them."""
    keys = [k for k in dict.fromkeys(b.key for b in ref.blocks) if k in blocks] if ref else list(blocks)
    known = list(schema.get("properties", {}))
    for key in order(list(blocks), schema):
        if key not in keys:
            keys.insert(_place(key, keys, known), key)
    return keys


def _place(key: str, keys: list[str], known: list[str]) -> int:
    """Where a new key goes: after the last key the schema puts before it; first, if none; last if
    the schema does not know it."""
    if key not in known:
        return len(keys)
    before = [k for k in keys if k in known and known.index(k) < known.index(key)]
    return keys.index(before[-1]) + 1 if before else 0


def _preamble(lines: list[str], kind: loader.Kind) -> str:
    """The comment lines before the first field, with this kind's modeline first or in its place."""
    line = modeline(kind)
    if not any(_MODELINE.match(p) for p in lines):
        lines = [line, *lines]
    else:
        lines = [line if _MODELINE.match(p) else p for p in lines]
    return "".join(p + "\n" for p in lines)


def _field(block: Block, old: Block | None, schema: dict[str, Any]) -> str:
    """One field's text: as the reference had it if its value is the same, as written if that is in
    the project's style, otherwise written anew under the comments it had."""
    if old is not None and old.value == block.value:
        return _ending(old.text)
    if off_style(block.node) or _comment_lost(block, old):
        return leading_comments(old.text if old else block.text) + emit(block.key, block.value, schema)
    return _ending(block.text)


def _ending(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _comment_lost(block: Block, old: Block | None) -> bool:
    """A changed field whose comments above it the new text dropped: keep them, write the value anew."""
    return old is not None and bool(leading_comments(old.text)) and not leading_comments(block.text)


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
