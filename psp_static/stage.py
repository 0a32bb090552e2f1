"""What a stage is given to map a function over many items: :data:`Each`.

Stages are plain functions of their inputs. Where one applies the same pure function to many
items (parse each file, check each document, render each Markdown text), it does so through
an ``each`` it is passed, so that the build can memoise those results and spread the work over
the cores from outside (:meth:`psp_static.cache.Memo.each`) while the stage knows nothing of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Each(Protocol):
    """``each(kind, task, items, key)`` returns ``[task(item) for item in items]``.

    ``kind`` names the memo the results belong to; ``key(item)`` must be a hash of everything
    ``task(item)`` depends on.
    """

    def __call__(
        self, kind: str, task: Callable[[T], R], items: Sequence[T], key: Callable[[T], str], /
    ) -> list[R]: ...


def plainly(kind: str, task: Callable[[T], R], items: Sequence[T], key: Callable[[T], str], /) -> list[R]:  # noqa: ARG001 - the signature of Each
    """The :data:`Each` that simply calls ``task`` for every item (``check``, tests)."""
    return [task(item) for item in items]
