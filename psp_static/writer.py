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
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from psp_static.errors import BuildError

# What a build remembers of each file it wrote, to notice later whether the file was touched.
Stamp = tuple[int, int]  # (size, modification time in ns)


def stamp(path: Path) -> Stamp:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def previous_folder(output: Path) -> Path:
    """Where the output a build replaced is kept, for the next build to update."""
    output = output.absolute()
    return output.with_name(f".{output.name}-previous")


class Staging:
    """The folder a build writes into; ``existing`` files (relative paths) may be kept as they are."""

    def __init__(self, root: Path, existing: set[str] | None = None) -> None:
        self.root = root
        self.existing = existing or set()

    def write(self, rel: str, data: bytes | str) -> Stamp:
        """Write one file; ``rel`` is a POSIX path that must stay inside the output folder."""
        target = self.root.joinpath(*safe_parts(rel))
        if rel in self.existing:
            target.unlink(missing_ok=True)  # a fresh file, never an edit of one a reader may hold
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return stamp(target)

    def link(self, rel: str, source: Path) -> Stamp:
        """Take an unchanged file over from the live output: a hard link, no bytes copied."""
        target = self.root.joinpath(*safe_parts(rel))
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links: copy, keeping the time stamp
            shutil.copy2(source, target)
        return stamp(target)

    def prune(self, wanted: set[str]) -> None:
        """Delete every file that is not ``wanted`` (pages the site no longer has, strays), and
        the folders that leaves empty."""
        folders: set[Path] = set()
        for here, _, names in os.walk(self.root):
            base = Path(here)
            prefix = base.relative_to(self.root).as_posix() + "/" if base != self.root else ""
            for name in names:
                if prefix + name not in wanted:
                    (base / name).unlink()
                    folders.update(p for p in (base / name).parents if self.root in p.parents)
        for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):  # deepest first
            with contextlib.suppress(OSError):  # not empty: it still holds wanted files
                folder.rmdir()


def safe_parts(rel: str) -> tuple[str, ...]:
    """Split ``rel`` into path parts, refusing anything that could leave the output folder."""
    path = PurePosixPath(rel)
    if path.is_absolute() or not path.parts or any(part in ("..", ".", "") for part in path.parts) or "\\" in rel:
        raise BuildError(f"refusing to write outside the output folder: {rel!r}")
    return path.parts


@contextlib.contextmanager
def staging(output: Path, reuse: bool = False, existing: set[str] | None = None) -> Iterator[Staging]:
    """Yield a :class:`Staging` folder; on success, swap it in for ``output``.

    With ``reuse``, the folder is the previous output (holding the files ``existing``), updated in
    place; otherwise a new, empty one. If the build fails, a new folder is deleted; the previous
    output is left for the next build, which checks every file it keeps against its record.
    """
    output = output.absolute()
    if output.exists() and not output.is_dir():
        raise BuildError(f"{output} exists and is not a folder; remove it or pass another --output")
    output.parent.mkdir(parents=True, exist_ok=True)
    previous = previous_folder(output)
    if reuse and previous.is_dir():
        folder = previous
    else:
        shutil.rmtree(previous, ignore_errors=True)
        folder = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
        existing = None
    try:
        yield Staging(folder, existing)
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
