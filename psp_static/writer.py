"""Write the site beside ``output/``, only the files whose bytes changed, and swap it in when done.

A build that fails half way (a template error, a full disk, Ctrl-C) leaves ``output/`` exactly
as it was. The output a build replaces is kept as ``.<output>-previous/``, and the next build
writes into that folder: each file is compared with the bytes already there and written only if
they differ, files the site no longer has are deleted, and the folder is swapped in. Nothing is
trusted but the bytes themselves, so a folder left half-written by a build that died, or edited
by hand, is put right by the next build like any other.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from psp_static import whole_file, workers
from psp_static.errors import BuildError


class Reusable(Protocol):
    """A file worth not making again: made with a note of what it was made from, and current
    (its bytes what making it now would give) while that note holds. Not itself callable."""

    def make(self) -> tuple[str | bytes, object]: ...

    def current(self, note: object) -> bool: ...


# How to make a file's bytes: a plain function, or a file worth not making again.
Maker = Callable[[], str | bytes] | Reusable
# A file, its identity and the note it was made with: kept for the two output folders a build may write into.
Identity = tuple[int, int, int, int]
Notes = dict[str, dict[Identity, object]]
Written = dict[str, tuple[Identity, object]]  # one build's reusable files: path -> (identity, note)
Made = tuple[bool, tuple[Identity, object] | None]  # written or not; for a reusable file, its identity and note


def write_files(output: Path, files: Sequence[tuple[str, Maker]], processes: int, notes: Path | None = None) -> int:
    """Make and write every file (on up to ``processes`` processes) into the folder that replaces
    ``output``, only where the bytes changed; return how many were written.

    With a ``notes`` file, a :class:`Reusable` file whose copy in that folder was made with a note
    that still holds is left as it is, without being made.
    """
    latest, before = _read_notes(notes)
    kept = _by_identity(before, latest)
    with updating(output) as folder:
        done = workers.run(lambda i: folder.make(*files[i], kept.get(files[i][0], {})), range(len(files)), processes)
        folder.keep_only({rel for rel, _ in files})
    if notes is not None:
        # This build's notes and the last build's: the next build writes into the folder the
        # last build wrote (see :func:`updating`).
        made = {rel: note for (rel, _), (_, note) in zip(files, done, strict=True) if note}
        _save_notes(notes, made, latest)
    return sum(changed for changed, _ in done)


def _read_notes(path: Path | None) -> tuple[Written, Written]:
    """The notes of the files the last build and the one before it wrote."""
    try:
        latest, before = pickle.loads(path.read_bytes()) if path else ({}, {})
    except Exception:  # missing or damaged: every file is made
        return {}, {}
    return latest, before


def _by_identity(*builds: Written) -> Notes:
    """The notes of ``builds``, by path and identity."""
    found: Notes = {}
    for made in builds:
        for rel, (identity, note) in made.items():
            found.setdefault(rel, {})[identity] = note
    return found


def _save_notes(path: Path, latest: Written, before: Written) -> None:
    whole_file.replace(path, pickle.dumps((latest, before), pickle.HIGHEST_PROTOCOL))


def _identity(path: str) -> Identity | None:
    """What tells this file from any other, and from itself once changed: device, inode, size, time."""
    try:
        st = os.stat(path)  # noqa: PTH116 - plain strings, as in Folder
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def previous_folder(output: Path) -> Path:
    """Where the output a build replaced is kept, for the next build to update."""
    output = output.absolute()
    return output.with_name(f".{output.name}-previous")


class Folder:
    """The folder a build writes into. Paths are plain strings: :meth:`put` runs for every file of
    the site, in worker processes too."""

    def __init__(self, root: Path, new: bool = False) -> None:
        self.root = root
        self.base = f"{root}/"
        # A folder this build made holds only what the build writes: nothing to compare, clear
        # away or delete (at 10,000 resources, 1.4 s of CPU in a build into an empty folder).
        self.new = new
        self._folders: set[str] = set()  # in a new folder: the folders made so far (by this process)

    def make(self, rel: str, maker: Maker, notes: dict[Identity, object]) -> Made:
        """Make the file ``rel`` and :meth:`put` it, unless it is a :class:`Reusable` whose copy
        here was made with a note (in ``notes``, by identity) that still holds. Return whether it
        was written, and for a reusable file its identity and note."""
        # A plain maker is a function, a Reusable an object that is not callable: callable() tells
        # them apart 100 times faster than isinstance() with a runtime-checkable protocol.
        if callable(maker):
            return self.put(rel, maker()), None
        target = self.base + safe_path(rel)
        identity = _identity(target)
        if identity is not None and (note := notes.get(identity)) is not None and maker.current(note):
            return False, (identity, note)
        data, note = maker.make()
        changed = self.put(rel, data)
        identity = _identity(target)
        return changed, (identity, note) if identity else None

    def put(self, rel: str, data: bytes | str) -> bool:
        """Make the file ``rel`` (a POSIX path that must stay inside the folder) hold ``data``;
        True if that meant writing it, False if it held those bytes already."""
        target = self.base + safe_path(rel)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        if self.new:
            self._make_folder(target.rpartition("/")[0])
        else:
            try:
                with open(target, "rb") as old:  # noqa: PTH123 - plain strings, as above
                    if old.read() == payload:
                        return False
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                _clear_way(self.base, rel)
        with open(target, "wb") as out:  # noqa: PTH123
            out.write(payload)
        return True

    def keep_only(self, wanted: set[str]) -> None:
        """Delete every file that is not ``wanted`` (pages the site no longer has, strays), and the
        folders that leaves empty."""
        if self.new:
            return
        for folder, folders, files in os.walk(self.root, topdown=False):
            prefix = os.path.relpath(folder, self.root) + "/"
            prefix = "" if prefix == "./" else prefix
            for name in files + [f for f in folders if Path(folder, f).is_symlink()]:
                if prefix + name not in wanted:
                    Path(folder, name).unlink()
            if prefix and not os.listdir(folder):  # noqa: PTH208 - one call per folder
                Path(folder).rmdir()

    def _make_folder(self, path: str) -> None:
        if path not in self._folders:
            os.makedirs(path, exist_ok=True)  # noqa: PTH103 - another worker may make it at the same moment
            self._folders.add(path)


def _clear_way(base: str, rel: str) -> None:
    """Make room for the file ``rel``: its folders made, and anything standing in its way removed
    (a file or link where one of its folders goes, a folder where the file goes)."""
    path = base[:-1]
    *folders, name = rel.split("/")
    for part in folders:
        path += "/" + part
        if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):  # noqa: PTH114, PTH112
            os.unlink(path)  # noqa: PTH108 - plain strings, as above
        if not os.path.isdir(path):  # noqa: PTH112
            os.makedirs(path, exist_ok=True)  # noqa: PTH103 - another worker may make it at the same moment
    target = f"{path}/{name}"
    if os.path.isdir(target) and not os.path.islink(target):  # noqa: PTH112, PTH114
        shutil.rmtree(target)


def safe_path(rel: str) -> str:
    """Return ``rel`` if it is a relative POSIX path that cannot leave the output folder."""
    if not rel or rel.startswith("/") or "\\" in rel or any(part in ("", ".", "..") for part in rel.split("/")):
        raise BuildError(f"refusing to write outside the output folder: {rel!r}")
    return rel


@contextlib.contextmanager
def updating(output: Path) -> Iterator[Folder]:
    """Yield the :class:`Folder` to write the new output into; on success, swap it in for ``output``.

    It is the previous output, when there is one, else a new, empty folder. If the build fails, a
    new folder is deleted and the previous output is left for the next build to put right.
    """
    output = output.absolute()
    if output.exists() and not output.is_dir():
        raise BuildError(f"{output} exists and is not a folder; remove it or pass another --output")
    output.parent.mkdir(parents=True, exist_ok=True)
    previous = previous_folder(output)
    folder = previous if previous.is_dir() else Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    try:
        yield Folder(folder, new=folder != previous)
        folder.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read it
        _swap(folder, output, previous)
    except BaseException:
        if folder != previous:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _swap(new: Path, output: Path, previous: Path) -> None:
    """Put ``new`` at ``output`` in one step, and the output it replaces at ``previous``."""
    if not output.exists():
        new.replace(output)
        return
    if new == previous and _exchange(new, output):
        return
    # Without an atomic exchange, ``output`` is missing for the moment between two renames.
    parked = output.with_name(f".{output.name}-old-{os.getpid()}")
    output.replace(parked)
    try:
        new.replace(output)
    except OSError:
        parked.replace(output)  # put the site back
        raise
    shutil.rmtree(previous, ignore_errors=True)  # only if it was not the folder swapped in
    parked.replace(previous)


# renameat2(2) on Linux, which Python's os module does not offer: AT_FDCWD makes the paths
# relative to the working folder, RENAME_EXCHANGE swaps the two names in one step.
AT_FDCWD = -100
RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; False where the system cannot (not Linux, an old kernel)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):  # TypeError: Windows has no C library to open by None
        return False
    done: int = renameat2(AT_FDCWD, bytes(a), AT_FDCWD, bytes(b), RENAME_EXCHANGE)
    return done == 0
