"""Write the site into a temporary folder and swap it into place only when everything succeeded.

A build that fails half way (a template error, a full disk, Ctrl-C) leaves the previous
``output/`` exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from psp_static.errors import BuildError


class Staging:
    """A temporary output folder next to the real one (same file system, so renames are atomic)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        self.html_pages = 0

    def write(self, rel: str, data: bytes | str) -> None:
        """Write one file; ``rel`` is a POSIX path that must stay inside the output folder."""
        target = self.root.joinpath(*safe_parts(rel))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.count += 1
        self.html_pages += rel.endswith(".html")


def safe_parts(rel: str) -> tuple[str, ...]:
    """Split ``rel`` into path parts, refusing anything that could leave the output folder."""
    path = PurePosixPath(rel)
    if path.is_absolute() or not path.parts or any(part in ("..", ".", "") for part in path.parts) or "\\" in rel:
        raise BuildError(f"refusing to write outside the output folder: {rel!r}")
    return path.parts


@contextlib.contextmanager
def staging(output: Path) -> Iterator[Staging]:
    """Yield a :class:`Staging` folder; on success, swap it in for ``output``; on failure, drop it."""
    output = output.absolute()
    if output.exists() and not output.is_dir():
        raise BuildError(f"{output} exists and is not a folder; remove it or pass another --output")
    output.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    try:
        yield Staging(temp)
        temp.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read it
        _swap(temp, output)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _swap(new: Path, output: Path) -> None:
    old = output.with_name(f".{output.name}-old-{os.getpid()}")
    if output.exists():
        output.replace(old)
    try:
        new.replace(output)
    except OSError:
        if old.exists():
            old.replace(output)  # put the previous site back
        raise
    shutil.rmtree(old, ignore_errors=True)
