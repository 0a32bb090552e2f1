"""Find and read every content file, keeping line numbers for later error messages."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from pathlib import Path
from typing import cast

from psp_static import strays
from psp_static.errors import ContentError, display_path
from psp_static.hashing import digest
from psp_static.stage import Each, plainly
from psp_static.yamldoc import YamlDoc, YamlError, parse

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80
_FRONT_MATTER_END = re.compile(r"^---[ \t]*$", re.MULTILINE)


@dataclasses.dataclass(frozen=True)
class Kind:
    """One content type: where its files live, how they are written, which schema checks them."""

    name: str
    location: str  # a file name for single files, a folder name for collections
    markdown: bool = False  # front matter plus a Markdown body, instead of plain YAML
    collection: bool = True

    @property
    def suffix(self) -> str:
        return ".md" if self.markdown else ".yaml"

    @functools.cached_property
    def good_name(self) -> re.Pattern[str]:
        """A well-formed file name of this kind: a slug of at most SLUG_MAX characters, then the suffix."""
        return re.compile(rf"^(?=.{{1,{SLUG_MAX}}}\.)[a-z0-9]+(?:-[a-z0-9]+)*{re.escape(self.suffix)}$")


KINDS: tuple[Kind, ...] = (
    Kind("config", "site.yaml", collection=False),
    Kind("clearinghouse", "clearinghouse.yaml", collection=False),
    Kind("home", "home.md", markdown=True, collection=False),
    Kind("area", "areas"),
    Kind("cohort", "cohorts"),
    Kind("role", "roles"),
    Kind("site", "sites"),
    Kind("resource", "resources"),
    Kind("page", "pages", markdown=True),
    Kind("news", "news", markdown=True),
)


@dataclasses.dataclass(frozen=True)
class RawDoc:
    """One content file as read: its YAML (with positions) and, for Markdown, its body."""

    kind: str
    path: str  # as shown in messages
    slug: str
    doc: YamlDoc
    body: str = ""
    body_line: int = 1  # line of the body's first line in the file
    digest: str = ""  # hash of the file's bytes: what caches and page keys use to tell versions apart

    @property
    def data(self) -> dict[str, object]:
        return cast(dict[str, object], self.doc.data)  # parse_text refuses a file that is not a mapping


@dataclasses.dataclass
class Loaded:
    """Everything read from ``content/``, and every problem met while reading it."""

    docs: list[RawDoc]
    errors: list[ContentError]
    # Every well-named file's slug by kind, readable or not, so that one broken file does not
    # also make every reference to it an "unknown" error.
    slugs: dict[str, set[str]] = dataclasses.field(default_factory=dict)

    def of(self, kind: str) -> list[RawDoc]:
        return [doc for doc in self.docs if doc.kind == kind]

    def vocabulary(self, field: str, key: str) -> list[str]:
        """The ``key`` of each entry of a clearinghouse.yaml list (``types``, ``sponsors`` ...), in file order."""
        found: list[str] = []
        for doc in self.of("clearinghouse"):
            values = doc.data.get(field)
            if isinstance(values, list):
                found += [str(v[key]) for v in values if isinstance(v, dict) and key in v]
        return found


def content_files(content: Path) -> list[tuple[Kind, Path, str]]:
    """List the content files in a stable order (kind order, then file name), each with its display path."""
    found: list[tuple[Kind, Path, str]] = []
    for kind in KINDS:
        target = content / kind.location
        if not kind.collection:
            found.append((kind, target, display_path(target)))
        elif target.is_dir():
            shown = display_path(target)  # once per folder: thousands of files share it
            prefix = "" if shown == "." else shown + os.sep
            for name in sorted(e.name for e in os.scandir(target)):
                if not name.startswith("."):
                    found.append((kind, target / name, prefix + name))
    return found


def load(content: Path, each: Each = plainly) -> Loaded:
    """Read every content file below ``content``; problems are collected, never raised.

    Files are parsed through ``each`` (one pure parse per file's bytes and place), so the build
    can keep parsed files between builds and parse many at once.
    """
    loaded = Loaded([], [])
    if not content.is_dir():
        loaded.errors.append(ContentError(display_path(content), 1, 1, "content folder not found; pass --content DIR"))
        return loaded
    loaded.errors.extend(_layout_problems(content))
    slugs: dict[tuple[str, str], str] = {}
    todo: list[_Unparsed] = []
    for kind, path, shown in content_files(content):
        problem = _check_name(kind, path, path.is_file())
        if problem:
            loaded.errors.append(ContentError(shown, 1, 1, problem))
            continue
        slug = path.name.removesuffix(kind.suffix).lower()
        if (kind.name, slug) in slugs:
            other = slugs[(kind.name, slug)]
            loaded.errors.append(
                ContentError(shown, 1, 1, f"duplicate slug '{slug}': {other} has the same name; rename one")
            )
            continue
        slugs[(kind.name, slug)] = shown
        loaded.slugs.setdefault(kind.name, set()).add(slug)
        raw = path.read_bytes()
        todo.append(_Unparsed(kind, shown, slug, raw, digest(kind.name, raw)))
    # The key: the bytes, and the place, which messages and the document name.
    for outcome in each("parsed", _parse, todo, lambda item: digest(item.digest, item.shown)):
        if isinstance(outcome, RawDoc):
            loaded.docs.append(outcome)
        else:
            loaded.errors.extend(outcome)
    return loaded


def _layout_problems(content: Path) -> list[ContentError]:
    """Folders the content must have and lacks, and entries it must not have."""
    missing = [
        ContentError(
            display_path(content / k.location), 1, 1, f"folder missing; create {k.location}/ for {k.name} files"
        )
        for k in KINDS
        if k.collection and not (content / k.location).is_dir()
    ]
    return missing + strays.unknown_entries(content, {kind.location: kind.collection for kind in KINDS})


@dataclasses.dataclass(frozen=True)
class _Unparsed:
    kind: Kind
    shown: str
    slug: str
    raw: bytes
    digest: str


def _parse(item: _Unparsed) -> RawDoc | list[ContentError]:
    try:
        doc = parse_text(item.kind, decode(item.raw, item.shown), item.shown, item.slug)
    except YamlError as exc:
        return exc.errors
    # Packed here, where it may be a worker's core: positions travel back from a worker, and are
    # kept between builds, faster as bytes than as thousands of small tuples.
    return dataclasses.replace(doc, doc=YamlDoc(doc.data, packed=doc.doc.packed()), digest=item.digest)


def _check_name(kind: Kind, path: Path, is_file: bool) -> str | None:
    """What is wrong with a content file's name or type, if anything."""
    if not kind.collection:
        return None if is_file else f"file missing; create {kind.location} (see CONTRIBUTING.md)"
    if kind.good_name.match(path.name) and is_file:
        return None  # the usual case, settled with one test
    if not is_file:
        return f"unexpected folder in {kind.location}/; content files sit directly in it"
    return _bad_name(kind, path)


def _bad_name(kind: Kind, path: Path) -> str | None:
    suffix = path.suffix
    if suffix.lower() in (".yml", ".markdown") or (suffix.lower() == kind.suffix and suffix != kind.suffix):
        return f"rename the file to end in {kind.suffix}"
    if suffix != kind.suffix:
        return f"unexpected file in {kind.location}/: content files there end in {kind.suffix}"
    stem = path.name.removesuffix(kind.suffix)
    if SLUG.match(stem) and len(stem) <= SLUG_MAX:
        return None
    suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:SLUG_MAX] or "name"
    return (
        f"file name '{path.name}' must use lowercase letters, digits and single hyphens; "
        f"rename it to '{suggestion}{kind.suffix}'"
    )


def parse_text(kind: Kind, text: str, shown: str, slug: str) -> RawDoc:
    """Parse one file's decoded text."""
    if not text.strip():
        raise YamlError([ContentError(shown, 1, 1, "the file is empty; fill it in (see CONTRIBUTING.md)")])
    if not kind.markdown:
        return RawDoc(kind.name, shown, slug, _mapping(parse(text, shown), shown))
    if not text.startswith("---\n"):
        raise YamlError(
            [ContentError(shown, 1, 1, "a Markdown file must start with a line '---' opening its front matter")]
        )
    end = _FRONT_MATTER_END.search(text, 4)
    if end is None:
        raise YamlError(
            [ContentError(shown, 1, 1, "front matter is not closed; add a line '---' after its last field")]
        )
    front = text[4 : end.start()]
    body_line = text.count("\n", 0, end.end()) + 2
    body = text[end.end() + 1 :]
    doc = _mapping(parse(front, shown, line_offset=1), shown)
    if not body.strip():
        line = body_line - 1
        raise YamlError(
            [ContentError(shown, line, 1, "nothing below the front matter; write the text after the closing '---'")]
        )
    return RawDoc(kind.name, shown, slug, doc, body, body_line)


def decode(raw: bytes, shown: str) -> str:
    """Decode UTF-8 (with or without a byte-order mark) and normalise line endings."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - raw.rfind(b"\n", 0, exc.start)
        message = "the file is not UTF-8 text; save it as UTF-8 (in VS Code: 'Save with Encoding', UTF-8)"
        raise YamlError([ContentError(shown, line, col, message)]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _mapping(doc: YamlDoc, shown: str) -> YamlDoc:
    if not isinstance(doc.data, dict):
        line, col = doc.value_at(())
        found = "a list" if isinstance(doc.data, list) else "a single value"
        raise YamlError([ContentError(shown, line, col, f"expected 'field: value' lines, found {found}")])
    return doc
