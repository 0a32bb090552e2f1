"""workers.meanwhile: a task in another process while the build goes on."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from psp_static import workers
from tests.golden import FIXTURE, TEMPLATES


def test_a_task_runs_in_another_process_and_its_result_comes_back() -> None:
    with workers.meanwhile(lambda: (os.getpid(), {"search/index.json": b"{}"}), 2) as result:
        here = os.getpid()
        pid, data = result()
    assert pid != here and data == {"search/index.json": b"{}"}


def test_with_one_worker_the_task_runs_here_when_asked() -> None:
    ran: list[int] = []

    def task() -> str:
        ran.append(os.getpid())
        return "done"

    with workers.meanwhile(task, 1) as result:
        assert ran == []
        assert result() == "done"
    assert ran == [os.getpid()]


def fails() -> None:
    raise ValueError("the task's own error")


@pytest.mark.parametrize("processes", [1, 2])
def test_the_tasks_error_is_raised_when_its_result_is_asked_for(processes: int) -> None:
    with workers.meanwhile(fails, processes) as result, pytest.raises(ValueError, match="the task's own error"):
        result()


def test_leaving_without_the_result_stops_the_process(tmp_path: Path) -> None:
    started = tmp_path / "pid"

    def blocks() -> None:
        started.write_text(str(os.getpid()))
        os.read(os.pipe()[0], 1)  # waits for ever: nothing writes to this pipe

    with pytest.raises(KeyError), workers.meanwhile(blocks, 2):
        deadline = time.monotonic() + 30
        while not started.exists() or not started.read_text():
            assert time.monotonic() < deadline, "the task never started"
            time.sleep(0.01)
        raise KeyError("the build failed meanwhile")
    with pytest.raises(ProcessLookupError):
        os.kill(int(started.read_text()), 0)


# What a two-process build leaves to the processes it forks: the maps' Folium (and the numpy it
# brings) and the search data's lunr and numpy. Imported in the main process, they would add
# their import time to the start of every build and of every other command.
APART = ("folium", "branca", "numpy", "lunr")


def test_a_build_leaves_the_maps_and_search_libraries_to_the_processes_it_forks(tmp_path: Path) -> None:
    script = f"""
import logging, sys
from pathlib import Path
from psp_static import pipeline
logging.disable(logging.WARNING)
content, templates = Path({str(FIXTURE / "content")!r}), Path({str(TEMPLATES)!r})
output = Path({str(tmp_path / "out")!r})
pipeline.build(pipeline.Options(content, templates, output, workers=2))
print(sorted(name for name in {APART!r} if name in sys.modules))
"""
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert (tmp_path / "out" / "index.html").is_file()
    assert ran.stdout.strip().splitlines()[-1] == "[]"
