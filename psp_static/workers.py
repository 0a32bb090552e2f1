"""Spread CPU-bound steps (parsing, Markdown, page rendering) over the machine's cores.

:func:`run` maps a task over many items. Workers are forked, so they start with the parent's
memory (the resolved site, the template environment) and nothing has to be pickled but small
task numbers and results. Below :data:`MIN_PARALLEL` items, or off Linux,
work runs in-process: a pool costs more than it saves on a small site, and a single process
keeps tracebacks simple. (On macOS, forking a process that has loaded system frameworks is
unsafe.)
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 1000
ENV = "PSP_WORKERS"  # set to 1 to build in one process, or to a number of processes

_task: Callable[[Any], Any] | None = None  # what forked workers run; set just before forking
_apart: Callable[[], Any] | None = None  # what :func:`meanwhile`'s process runs; set just before forking


def available(requested: int | None = None) -> int:
    """How many processes to use: ``requested``, else $PSP_WORKERS, else the usable cores."""
    if requested is None:
        env = os.environ.get(ENV, "").strip()
        requested = int(env) if env.isdigit() else _cores()
    return max(1, requested)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (Linux)
    except AttributeError:  # macOS has no affinity call
        return os.cpu_count() or 1


def forking(workers: int) -> bool:
    """Whether ``workers`` processes may be forked here (on Linux only: forking on macOS, after
    system frameworks are loaded, is unsafe)."""
    return workers > 1 and sys.platform.startswith("linux")


def run(task: Callable[[T], R], items: Sequence[T], workers: int = 1) -> list[R]:
    """``[task(item) for item in items]``, in order, on up to ``workers`` processes."""
    if len(items) < MIN_PARALLEL or not forking(workers):
        return [task(item) for item in items]
    global _task
    _task = task
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            # Several chunks per worker even out uneven pages without much messaging.
            return pool.map(_run_one, items, chunksize=max(1, len(items) // (workers * 8)))
    finally:
        _task = None


def _run_one(item: Any) -> Any:
    assert _task is not None
    return _task(item)


@contextlib.contextmanager
def meanwhile(task: Callable[[], R], workers: int = 1) -> Iterator[Callable[[], R]]:
    """Start ``task`` in a forked process while the caller goes on with other work; yield a
    function that waits for its result (which is pickled back).

    With one worker, or off Linux, the function runs ``task`` itself when called. Leaving the
    block without asking for the result (an error) stops the process.
    """
    if not forking(workers):
        yield task
        return
    global _apart
    _apart = task
    try:
        pool = multiprocessing.get_context("fork").Pool(1)
    finally:
        _apart = None
    with pool:  # terminated on leaving: a result not asked for is not waited for
        pending = pool.apply_async(_run_apart)
        yield pending.get


def _run_apart() -> Any:
    assert _apart is not None
    return _apart()


@contextlib.contextmanager
def fewer_cycle_collections() -> Iterator[None]:
    """A build makes millions of small objects that live to its end, and hardly any cycles: Python's
    cycle collector, left to its defaults, scans them again and again."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
