"""Steps run beside the build: same results as in-process, failures reported, nothing left running."""

from __future__ import annotations

import os
import time

import pytest

from psp_static import workers
from psp_static.errors import ContentError, ContentErrors


@pytest.fixture(autouse=True)
def _small_tasks_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_PARALLEL", 1)


def test_a_background_step_runs_in_another_process_and_returns_its_result() -> None:
    with workers.background(lambda: (os.getpid(), {"files": [1, 2, 3]}), workers=2, size=1) as pending:
        pid, value = pending.result()
    assert pid != os.getpid() and value == {"files": [1, 2, 3]}


def test_without_a_second_process_the_step_runs_when_asked_for() -> None:
    ran: list[int] = []

    def task() -> int:
        ran.append(os.getpid())
        return len(ran)

    for processes, size in ((1, 5), (2, 0)):  # one process allowed; too little work to fork for
        with workers.background(task, processes, size) as pending:
            before = len(ran)
            assert pending.result() == before + 1  # it ran only now, in this process
    assert ran == [os.getpid(), os.getpid()]


def test_a_failure_in_the_background_is_raised_where_the_result_is_asked_for() -> None:
    def broken() -> None:
        raise ContentErrors([ContentError("content/x.yaml", 3, 4, "something is wrong; fix it")])

    with workers.background(broken, workers=2, size=1) as pending, pytest.raises(ContentErrors) as caught:
        pending.result()
    assert [str(e) for e in caught.value.errors] == ["content/x.yaml:3:4: something is wrong; fix it"]


def test_a_step_whose_result_is_never_asked_for_is_stopped() -> None:
    with workers.background(lambda: time.sleep(60), workers=2, size=1) as pending:
        child = pending.pid
        assert child is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # already stopped and reaped: no such child
