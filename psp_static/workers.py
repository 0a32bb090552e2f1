"""Spread CPU-bound steps (Markdown, page rendering) over the machine's cores.

:func:`run` maps a task over many items; :func:`background` runs one step beside the build
(the search data, a listing of the folder to update). Workers are forked, so they start with
the parent's memory (the resolved site, the template environment) and nothing has to be
pickled but small task numbers and results. Below :data:`MIN_PARALLEL` items, or off Linux,
work runs in-process: a pool costs more than it saves on a small site, and a single process
keeps tracebacks simple. (On macOS, forking a process that has loaded system frameworks is
unsafe.)
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 1000
ENV = "PSP_WORKERS"  # set to 1 to build in one process, or to a number of processes

_task: Callable[[Any], Any] | None = None  # what forked workers run; set just before forking


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


class Pending(Generic[R]):
    """A task started by :func:`background`; :meth:`result` waits for what it returned."""

    def __init__(self, task: Callable[[], R], pid: int | None = None, pipe: int | None = None) -> None:
        self.task, self.pid, self.pipe = task, pid, pipe

    def result(self) -> R:
        if self.pid is None:
            return self.task()  # not forked: run it now, in this process
        assert self.pipe is not None
        with os.fdopen(self.pipe, "rb") as reader:
            self.pipe = None
            payload = reader.read()  # before waiting: a child blocked on a full pipe never ends
        os.waitpid(self.pid, 0)
        self.pid = None
        if not payload:
            raise RuntimeError("a background step of the build died without a word")
        ok, value = pickle.loads(payload)
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the task if it still runs (the build failed before it needed the result)."""
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None


@contextlib.contextmanager
def background(task: Callable[[], R], workers: int, size: int) -> Iterator[Pending[R]]:
    """Run ``task`` in a forked process while the caller goes on, when ``workers`` allows two
    processes (see :func:`forking`) and its ``size`` (the items it handles) is worth a process
    (:data:`MIN_PARALLEL`); otherwise it runs when its result is asked for.

    The task starts with a copy of the caller's memory and returns its result pickled, so it
    must not change anything the caller relies on but the files it is given to write.
    """
    if size < MIN_PARALLEL or not forking(workers):
        yield Pending(task)
        return
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send the result back, and leave without running exit handlers
        os.close(read)
        try:
            try:
                payload = pickle.dumps((True, task()), pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # every failure goes back to the parent
                try:
                    payload = pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
                except Exception:  # an exception that cannot be pickled
                    payload = pickle.dumps((False, RuntimeError(repr(exc))), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as writer:
                writer.write(payload)
        finally:
            os._exit(0)
    os.close(write)
    pending = Pending(task, pid, read)
    try:
        yield pending
    finally:
        pending.cancel()
