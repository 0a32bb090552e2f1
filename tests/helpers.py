"""Helpers the tests share: a folder's files as a dict, content records, and waiting on a condition."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` with its bytes, by POSIX path: two trees compare byte for byte."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@functools.cache
def records(folder: Path) -> dict[str, dict[str, Any]]:
    """The YAML files of ``folder`` by file name (the slug), parsed once a test process: many tests
    read the real content's records, none may change them."""
    return {p.stem: yaml.safe_load(p.read_text()) for p in sorted(folder.glob("*.yaml"))}


def wait_for(condition: Callable[[], object], what: str = "a condition", timeout: float = 30.0) -> None:
    """Return as soon as ``condition()`` is true; fail after ``timeout`` seconds.

    Polls every few milliseconds: a test waits as long as the thing it waits for takes, never a
    fixed time that is too short on a busy machine and wasted on an idle one.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)
