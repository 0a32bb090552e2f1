"""Write the site into a folder beside ``output/`` and swap it into place only when everything succeeded.

A build that fails half way (a template error, a full disk, Ctrl-C) leaves the previous
``output/`` exactly as it was. The output a build replaces is kept as ``.<output>-previous/``:
the next build updates that folder, rewriting only the files that differ, and swaps again.
So an incremental build touches a handful of files rather than recreating ten thousand, and
the published folder is never written into while it is live.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from stat import S_ISDIR, S_ISREG

from psp_static.errors import BuildError

# What a build remembers of each file it wrote, to notice later whether the file was touched.
Stamp = tuple[int, int]  # (size, modification time in ns)


def stamp(path: str | os.PathLike[str]) -> Stamp:
    st = os.stat(path)  # noqa: PTH116 - takes plain strings too, for the per-file loops
    return st.st_size, st.st_mtime_ns


def previous_folder(output: Path) -> Path:
    """Where the output a build replaced is kept, for the next build to update."""
    output = output.absolute()
    return output.with_name(f".{output.name}-previous")


class Staging:
    """The folder a build writes into: a new one, or (``updating``) one holding an earlier output,
    in which anything may stand where a file goes.

    Paths are handled as plain strings: these methods run once for every file of the site.
    """

    def __init__(self, root: Path, updating: bool = False) -> None:
        self.root = root
        self.base = f"{root}/"
        self.updating = updating

    def write(self, rel: str, data: bytes | str) -> Stamp:
        """Write one file; ``rel`` is a POSIX path that must stay inside the output folder."""
        target = self.base + safe_path(rel)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        if self.updating:
            try:
                st = os.lstat(target)
            except (FileNotFoundError, NotADirectoryError):  # nothing there, or a file where a folder goes
                pass
            else:
                if S_ISREG(st.st_mode) and st.st_nlink == 1:
                    # Nothing else shares the file: rewrite it where it is. A new file needs a new
                    # inode, which ext4 without a journal hands out slowly for minutes after many
                    # files were deleted (it skips every recently freed one): a template edit
                    # that replaced every page took 4 s here instead of 0.5 s. The new bytes go
                    # over the old ones, then the file is cut to length: a file first truncated
                    # to nothing is flushed to disk when closed (ext4's auto_da_alloc).
                    return _fill(os.open(target, os.O_WRONLY | os.O_CLOEXEC), payload, st.st_size)
                _remove(target, st)  # a hard link into the live output (never edit that), or a folder
        self._parents(target)
        return _fill(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666), payload)

    def link(self, rel: str, source: str) -> Stamp:
        """Take an unchanged file over from the live output: a hard link, no bytes copied."""
        target = self.base + safe_path(rel)
        if self.updating:
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                _remove(target, os.lstat(target))
        self._parents(target)
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links: copy, keeping the time stamp
            shutil.copy2(source, target)
        return stamp(target)

    def _parents(self, target: str) -> None:
        folder = os.path.dirname(target)  # noqa: PTH120 - plain strings, as above
        try:
            os.makedirs(folder, exist_ok=True)  # noqa: PTH103
        except (FileExistsError, NotADirectoryError):
            if not self.updating:
                raise
            # An earlier output had a file where this one has a folder.
            path = self.base[:-1]
            for part in folder[len(self.base) :].split("/"):
                path += "/" + part
                with contextlib.suppress(FileNotFoundError):
                    st = os.lstat(path)
                    if not S_ISDIR(st.st_mode):
                        _remove(path, st)
                        break  # the rest of the path is made below
            os.makedirs(folder, exist_ok=True)  # noqa: PTH103

    def prune(self, wanted: set[str], found: Survey) -> None:
        """Delete every file ``found`` in the folder that is not ``wanted`` (pages the site no
        longer has, strays), and the folders that leaves empty."""
        for rel in found.files.keys() - wanted:
            # Gone with a folder a file replaced, or replaced by a folder this build made.
            with contextlib.suppress(FileNotFoundError, NotADirectoryError, IsADirectoryError):
                os.unlink(self.base + rel)  # noqa: PTH108 - plain strings: this may run for every output file
        keep = {rel[:end] for rel in wanted for end in _slashes(rel)}
        for folder in sorted(found.folders, key=lambda f: f.count("/"), reverse=True):  # deepest first
            if folder not in keep:
                with contextlib.suppress(OSError):
                    os.rmdir(self.base + folder)  # noqa: PTH106 - as above


def _slashes(rel: str) -> Iterator[int]:
    end = rel.find("/")
    while end != -1:
        yield end
        end = rel.find("/", end + 1)


@dataclasses.dataclass
class Survey:
    """What a folder holds: every file (relative path) with its stamp, and every folder below it."""

    files: dict[str, Stamp]
    folders: list[str]


def survey(root: Path, warm: bool = False) -> Survey:
    """List ``root`` (symbolic links are listed, not followed).

    With ``warm``, ask the system to read each file's last, partly filled block into memory
    meanwhile: a file rewritten in place needs it (full blocks are simply overwritten), and
    reading 11,000 of them one at a time, as each page is written, took seconds when they had
    left the cache.
    """
    found = Survey({}, [])
    advise = getattr(os, "posix_fadvise", None) if warm else None  # Linux; macOS has no such call

    def visit(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    found.folders.append(rel)
                    visit(entry.path, rel + "/")
                else:
                    st = entry.stat(follow_symlinks=False)
                    found.files[rel] = (st.st_size, st.st_mtime_ns)
                    if advise is not None and S_ISREG(st.st_mode) and st.st_size % st.st_blksize:
                        fd = os.open(entry.path, os.O_RDONLY | os.O_CLOEXEC)
                        try:
                            tail = st.st_size - st.st_size % st.st_blksize
                            advise(fd, tail, st.st_blksize, os.POSIX_FADV_WILLNEED)
                        finally:
                            os.close(fd)

    visit(str(root), "")
    return found


def _remove(path: str, st: os.stat_result) -> None:
    """Delete a file, or a whole folder, that stands where something else must go."""
    if S_ISDIR(st.st_mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)  # noqa: PTH108 - plain strings, as above


def _fill(fd: int, payload: bytes, old_size: int = 0) -> Stamp:
    """Write ``payload`` over the open file ``fd`` (``old_size`` bytes long), close it, and return
    its stamp."""
    try:
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
        if old_size > len(payload):
            os.ftruncate(fd, len(payload))
        st = os.fstat(fd)
    finally:
        os.close(fd)
    return st.st_size, st.st_mtime_ns


def safe_path(rel: str) -> str:
    """Return ``rel`` if it is a relative POSIX path that cannot leave the output folder."""
    if not rel or rel.startswith("/") or "\\" in rel or any(part in ("", ".", "..") for part in rel.split("/")):
        raise BuildError(f"refusing to write outside the output folder: {rel!r}")
    return rel


@contextlib.contextmanager
def staging(output: Path) -> Iterator[Staging]:
    """Yield a :class:`Staging` folder; on success, swap it in for ``output``.

    The folder is the previous output, updated in place, when there is one; otherwise a new,
    empty one. If the build fails, a new folder is deleted; the previous output is left for the
    next build, which checks every file it keeps against its record.
    """
    output = output.absolute()
    if output.exists() and not output.is_dir():
        raise BuildError(f"{output} exists and is not a folder; remove it or pass another --output")
    output.parent.mkdir(parents=True, exist_ok=True)
    previous = previous_folder(output)
    folder = previous if previous.is_dir() else Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    try:
        yield Staging(folder, updating=folder == previous)
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
    parked = output.with_name(f".{output.name}-old-{os.getpid()}")
    output.replace(parked)
    try:
        new.replace(output)
    except OSError:
        parked.replace(output)  # put the site back
        raise
    shutil.rmtree(previous, ignore_errors=True)  # only if it was not the folder swapped in
    parked.replace(previous)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux ``renameat2`` with RENAME_EXCHANGE); False if unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, bytes(a), at_fdcwd, bytes(b), rename_exchange) == 0  # type: ignore[no-any-return]
