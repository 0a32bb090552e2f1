"""The package imports and builds where POSIX-only modules are missing, as on Windows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

SIMULATED_WINDOWS = """
import sys, types
for name in ("fcntl", "termios", "resource"):
    sys.modules[name] = None  # importing any of them now fails, as on Windows
from pathlib import Path
from psp_static import cli, pipeline, serve  # noqa: F401 - every module the commands start from
# Windows's locking module, only now: the standard library takes its presence for Windows.
msvcrt = types.ModuleType("msvcrt")
msvcrt.LK_LOCK = 1
msvcrt.locked = []
msvcrt.locking = lambda fd, mode, size: msvcrt.locked.append(mode)
sys.modules["msvcrt"] = msvcrt
content, templates, output = (Path(arg) for arg in sys.argv[1:4])
report = pipeline.build(pipeline.Options(content, templates, output))
assert msvcrt.locked == [msvcrt.LK_LOCK], "the build did not take its lock"
print(report.pages)
"""


def test_builds_without_posix_only_modules(content: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SIMULATED_WINDOWS, str(content), str(REPO / "templates"), str(tmp_path / "out")],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0
    assert (tmp_path / "out" / "index.html").is_file()
