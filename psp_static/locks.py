"""Builds into one output folder take turns, on any system: each holds a lock on a file beside it.

Two builds into one output (a preview running while someone builds) share the memos and the
previous output, which one of them updates in place. The locking module is the system's own
(``fcntl`` on Linux and macOS, ``msvcrt`` on Windows), imported when a build starts, so that the
package imports everywhere.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def _lock(handle: IO[str]) -> None:
    try:
        fcntl = importlib.import_module("fcntl")
    except ImportError:  # Windows
        msvcrt = importlib.import_module("msvcrt")
        handle.seek(0)
        while True:
            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # released when the file is closed
                return
            except OSError:
                continue  # LK_LOCK gives up after ten seconds; the other build is still running
    fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed, or the process ends


@contextlib.contextmanager
def held(path: Path) -> Iterator[None]:
    """Wait until no other build holds ``path``, then hold it until the block ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        _lock(handle)
        yield
