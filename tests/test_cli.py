"""The command line: exit codes, clean messages, atomic output, and build.py as an alias."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner

from psp_static import pages, pipeline
from psp_static.cli import cli
from tests.conftest import REPO
from tests.golden import TEMPLATES
from tests.helpers import tree


def run_build(runner: CliRunner, content: Path, output: Path, *extra: str) -> tuple[int, str]:
    args = ["build", "--content", str(content), "--templates", str(TEMPLATES), "--output", str(output), *extra]
    result = runner.invoke(cli, args)
    return result.exit_code, result.output


def test_build_writes_the_site_and_a_summary_line(runner: CliRunner, content: Path, tmp_path: Path) -> None:
    code, output = run_build(runner, content, tmp_path / "out")
    assert code == 0, output
    planned = len(pages.plan(pipeline.check(pipeline.Options(content=content))))
    assert output.startswith(f"Built {planned} pages (") and output.rstrip().endswith(" s.")
    assert (tmp_path / "out" / "index.html").is_file()


def test_content_error_exits_1_lists_every_problem_and_keeps_old_output(
    runner: CliRunner, content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run_build(runner, content, out)[0] == 0
    before = tree(out)
    (content / "sites" / "memphis.yaml").write_text("name: Memphis\ncohrot: 2017\n")
    (content / "areas" / "technology.yaml").write_text("name: [\n")
    code, output = run_build(runner, content, out)
    assert code == 1
    lines = output.strip().splitlines()
    assert any(line.startswith(f"{content}/sites/memphis.yaml:2:1: unknown field 'cohrot'") for line in lines)
    assert any(line.startswith(f"{content}/areas/technology.yaml:2:1: invalid YAML") for line in lines)
    assert lines[-1].startswith("Error: ") and "nothing was written" in lines[-1]
    assert "Traceback" not in output
    assert tree(out) == before
    # No temporary folder left: only the content, the output and the build cache beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, content.name, f".{out.name}-cache"])


def test_template_error_keeps_old_output_and_names_the_template(
    runner: CliRunner, content: Path, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    for p in TEMPLATES.iterdir():
        (templates / p.name).write_text(p.read_text())
    out = tmp_path / "out"
    args = ["build", "--content", str(content), "--templates", str(templates), "--output", str(out)]
    assert runner.invoke(cli, args).exit_code == 0
    before = tree(out)
    (templates / "site.html").write_text(
        (templates / "site.html").read_text().replace("{{ item.label }}", "{{ item.nope }}")
    )
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert f"{templates}/site.html:" in result.output and "nope" in result.output
    assert tree(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out-new-")]


def test_check_counts_every_kind_of_file_and_writes_nothing(runner: CliRunner, content: Path, tmp_path: Path) -> None:
    files = sorted(p for p in content.rglob("*") if p.is_file())
    before = {p: p.read_bytes() for p in files}
    result = runner.invoke(cli, ["check", "--content", str(content)])
    assert result.exit_code == 0
    count = {folder: len(list((content / folder).iterdir())) for folder in ("sites", "resources", "news", "pages")}
    assert result.output.startswith(f"Content OK: {len(files)} files: ")
    for folder, noun in (("sites", "sites"), ("resources", "resources"), ("news", "news item"), ("pages", "pages")):
        assert f" {count[folder]} {noun}" in result.output
    assert result.output.endswith(", and site.yaml, clearinghouse.yaml, home.md.\n")
    (content / "sites" / "memphis.yaml").write_text("name: Memphis\n")
    result = runner.invoke(cli, ["check", "--content", str(content)])
    assert result.exit_code == 1
    assert "missing required field 'state'" in result.output
    found = [line for line in result.output.splitlines() if line.startswith(f"{content}/sites/memphis.yaml:")]
    assert len(found) > 1  # one line per problem, then the count
    assert result.output.rstrip().endswith(
        f"found {len(found)} problems; fix them and run check again (it writes nothing)"
    )
    assert "nothing was written" not in result.output
    assert {p: p.read_bytes() for p in files if p.name != "memphis.yaml"} == {
        p: b for p, b in before.items() if p.name != "memphis.yaml"
    }
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == files  # nothing new anywhere


def test_check_of_named_files_reports_only_theirs(runner: CliRunner, content: Path) -> None:
    memphis, harris = content / "sites" / "memphis.yaml", content / "sites" / "harris-county.yaml"
    memphis.write_text(memphis.read_text().replace("state: TN", "state: TQ"))
    result = runner.invoke(cli, ["check", "--content", str(content), str(harris)])
    assert result.exit_code == 0 and result.output == f"1 file OK: {harris}.\n"
    result = runner.invoke(cli, ["check", "--content", str(content), str(memphis), str(harris)])
    assert result.exit_code == 1
    assert f"{memphis}:2:8: unknown state 'TQ'" in result.output and "found 1 problem" in result.output


def test_check_strict_is_what_pull_requests_and_pre_commit_run(runner: CliRunner, content: Path) -> None:
    memphis = content / "sites" / "memphis.yaml"
    memphis.write_text(memphis.read_text().replace("longitude: -90.05", "longitude: 90.05"))
    assert runner.invoke(cli, ["check", "--content", str(content)]).exit_code == 0
    result = runner.invoke(cli, ["check", "--strict", "--content", str(content)])
    assert result.exit_code == 1 and "warning: 35.15, 90.05 is outside the United States" in result.output
    hooks = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    [content_hook] = [h for h in hooks if h["id"] == "psp-content"]
    assert content_hook["entry"] == ".venv/bin/psp-static check --strict --content content"


def test_strict_turns_warnings_into_errors(runner: CliRunner, content: Path, tmp_path: Path) -> None:
    path = content / "sites" / "memphis.yaml"
    path.write_text(path.read_text().replace("longitude: -90.05", "longitude: 90.05"))
    assert run_build(runner, content, tmp_path / "a")[0] == 0
    code, output = run_build(runner, content, tmp_path / "b", "--strict")
    assert code == 1
    assert "warning: 35.15, 90.05 is outside the United States" in output
    assert not (tmp_path / "b").exists()


def test_base_url_option_sets_links_and_canonicals(runner: CliRunner, content: Path, tmp_path: Path) -> None:
    code, _ = run_build(runner, content, tmp_path / "out", "--base-url", "https://example.gov/psp")
    assert code == 0
    html = (tmp_path / "out" / "sites" / "memphis" / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.gov/psp/sites/memphis/">' in html
    assert 'href="/psp/sites/"' in html


def test_output_that_is_a_file_is_a_clean_error(runner: CliRunner, content: Path, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    code, output = run_build(runner, content, tmp_path / "out")
    assert code == 1
    assert "exists and is not a folder" in output
    assert "Traceback" not in output


def test_build_py_does_what_the_build_command_does(content: Path, tmp_path: Path) -> None:
    args = ["--content", str(content), "--templates", str(TEMPLATES)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args, "--output", str(tmp_path / "a")], check=True, env=env
    )
    result = CliRunner().invoke(cli, ["build", *args, "--output", str(tmp_path / "b")])
    assert result.exit_code == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_console_script_is_installed() -> None:
    result = subprocess.run(
        [Path(sys.executable).parent / "psp-static", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("psp-static, version ")
