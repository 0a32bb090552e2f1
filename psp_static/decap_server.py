"""``psp-static serve --cms``: Decap's local backend (decap-server), run against a working copy.

Editors try the content editor without GitHub: saves become branches and merges of the local
Git working copy, as they would be pull requests on GitHub.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from psp_static.errors import BuildError

DECAP_SERVER = Path("tools/cms/node_modules/.bin/decap-server")


def _repository(folder: Path) -> Path:
    """The Git working copy that holds ``folder``."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as exc:
        raise BuildError(f"{folder} is not in a Git working copy: the local editor commits to one ({exc})") from exc
    return Path(top)


@contextlib.contextmanager
def local_backend(content: Path, port: int, server: Path | None = None, timeout: float = 30.0) -> Iterator[str]:
    """Run decap-server against the working copy that holds ``content``; yield its API address.

    It runs in Git mode, the one that supports the editorial workflow: a draft is a ``cms/...``
    branch of the working copy, and publishing merges it. Failing to start is an error that
    says why (its own output), never a wait without end.
    """
    repo = _repository(content.resolve())
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo, capture_output=True, text=True, check=False
    ).stdout.split("\n")[:3]
    if any(changed):
        raise BuildError(
            f"{repo} has uncommitted changes ({', '.join(c.strip() for c in changed if c)} …): commit or stash "
            "them first, because the local editor switches branches in this working copy as it saves drafts"
        )
    program = server or _find_server(repo)
    env = {**os.environ, "PORT": str(port), "MODE": "git", "GIT_REPO_DIRECTORY": str(repo), "BIND_HOST": "127.0.0.1"}
    log = (repo / ".git" / "decap-server.log").open("w+", encoding="utf-8")
    process = subprocess.Popen([str(program)], cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}/api/v1"
    try:
        _wait_for(url, process, log, timeout)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _find_server(repo: Path) -> Path:
    """decap-server as `make cms` installs it (in the repository or here), else from the PATH."""
    for base in (repo, Path.cwd()):
        if (base / DECAP_SERVER).exists():
            return base / DECAP_SERVER
    found = shutil.which("decap-server")
    if found:
        return Path(found)
    raise BuildError(f"decap-server is not installed: run `make cms`, which installs it into {DECAP_SERVER.parent}")


def _wait_for(url: str, process: subprocess.Popen[bytes], log: IO[str], timeout: float) -> None:
    """Return once the backend answers; raise with its output if it exits or stays silent."""
    deadline = time.monotonic() + timeout
    request = json.dumps({"action": "info"}).encode()
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, request, {"Content-Type": "application/json"}), timeout=2
            ) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    log.flush()
    log.seek(0)
    said = log.read().strip()[-2000:] or "(no output)"
    status = f"exited with status {process.returncode}" if process.poll() is not None else f"no answer in {timeout} s"
    raise BuildError(f"the local backend (decap-server) did not start at {url}: {status}. It said: {said}")
