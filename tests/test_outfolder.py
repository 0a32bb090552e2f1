"""A build or preview never replaces a folder it did not make: content, templates, the project,
a Git work tree, or someone's files."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from psp_static import outfolder
from psp_static.cli import cli
from tests.conftest import REPO
from tests.golden import TEMPLATES


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path, content: Path) -> Path:
    """A Git work tree holding the fixture content and templates, as an editor's clone does."""
    root = tmp_path / "project"
    root.mkdir()
    content.rename(root / "content")
    (root / "templates").mkdir()
    for p in TEMPLATES.iterdir():
        (root / "templates" / p.name).write_bytes(p.read_bytes())
    (root / "notes.txt").write_text("an editor's notes\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def invoke(command: str, project: Path, output: str, monkeypatch: pytest.MonkeyPatch, *extra: str) -> tuple[int, str]:
    monkeypatch.chdir(project)
    args = [command, "--content", "content", "--templates", "templates", "--output", output, *extra]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output


# Each of these would have replaced files the build did not make.
UNSAFE = {
    "content": "would replace the content folder",
    "content/sites": "lies inside the content folder",
    "templates": "would replace the templates folder",
    ".": "is the project folder",
    "..": "is a folder holding the project",
    "notes-folder": "already holds files that no psp-static build made",
}


@pytest.mark.parametrize("command", ["build", "serve"])
@pytest.mark.parametrize("output", sorted(UNSAFE))
def test_unsafe_output_folders_are_refused_with_exit_2_and_nothing_touched(
    project: Path, output: str, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "notes-folder").mkdir()
    (project / "notes-folder" / "draft.md").write_text("not a build\n")
    before = snapshot(project.parent)
    code, message = invoke(command, project, output, monkeypatch, *(["--port", "0"] if command == "serve" else []))
    assert code == 2, message
    assert f"Error: --output {output} " in message
    assert UNSAFE[output] in message
    assert "choose another folder with --output" in message
    assert "Traceback" not in message
    assert snapshot(project.parent) == before


def test_a_git_work_tree_root_is_refused_even_outside_the_project(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other-repo"
    other.mkdir()
    subprocess.run(["git", "init", "-q", str(other)], check=True)
    with pytest.raises(outfolder.UnsafeOutput, match="already holds files"):
        outfolder.check(other, project / "content", project / "templates")
    monkeypatch.chdir(other)
    with pytest.raises(outfolder.UnsafeOutput, match="is the project folder"):
        outfolder.check(Path(), project / "content", project / "templates")


def test_its_own_output_an_empty_folder_and_a_new_one_are_built(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "empty").mkdir()
    for output in ("output", "output", "empty", "new/site"):
        code, message = invoke("build", project, output, monkeypatch)
        assert code == 0, message
        assert (project / output / outfolder.MARK).read_text() == outfolder.MARK_TEXT


def test_serve_on_a_busy_port_says_how_to_pick_another(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, message = invoke("serve", project, "output", monkeypatch, "--port", str(port))
    assert code == 1
    assert f"Error: port {port} is already in use on 127.0.0.1" in message
    assert "--port" in message and "make serve PORT=" in message
    assert "Traceback" not in message and "OSError" not in message


def test_serve_refuses_a_port_out_of_range(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, message = invoke("serve", project, "output", monkeypatch, "--port", "99999")
    assert code == 2
    assert "99999 is not in the range 0<=x<=65535" in message
    assert "Traceback" not in message and "OverflowError" not in message


def test_build_py_without_the_packages_says_to_run_make_build(tmp_path: Path) -> None:
    # -S and -I: a Python without site-packages and without the project on its path.
    result = subprocess.run(
        [sys.executable, "-S", "-I", str(REPO / "build.py")], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 1
    assert "Run `make build` once" in result.stderr
    assert "Traceback" not in result.stderr
