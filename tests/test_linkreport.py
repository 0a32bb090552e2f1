"""The nightly link check: the Markdown report names the content file and line of each broken
link, and the workflow's script keeps one GitHub issue in step with it (run here with a fake
``gh`` on PATH that records what it was asked)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from psp_static import linkreport, sitecheck
from tests.conftest import REPO, build

SCRIPT = REPO / ".github" / "scripts" / "broken-links-issue.sh"


def lines_holding(url: str, content: Path) -> list[str]:
    """Where ``url`` is written, found without the module under test: ``content/…:line``."""
    return [
        f"{path.relative_to(content.parent).as_posix()}:{n}"
        for path in sorted(content.rglob("*.yaml"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if line.rstrip().endswith(url)
    ]


def test_report_names_the_content_file_and_line_of_each_broken_link(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(content.parent)
    url = yaml.safe_load((content / "resources" / "lpr-primer.yaml").read_text())["url"]
    where = linkreport.locate([url], linkreport.sources([Path("content")]))
    assert where[url] == lines_holding(url, content) and where[url]
    text = linkreport.report([(url, "HTTP 404")], where)
    assert f"- <{url}> (HTTP 404)" in text
    for place in where[url]:
        assert f"  - `{place}`" in text
    assert "1 external link that did not answer" in text


def test_a_longer_address_is_not_taken_for_a_broken_one(content: Path) -> None:
    url = yaml.safe_load((content / "resources" / "lpr-primer.yaml").read_text())["url"]
    shorter = url.rsplit(".", 1)[0]  # https://…/lpr, a prefix of the real address
    assert linkreport.locate([shorter], linkreport.sources([content]))[shorter] == []
    text = linkreport.report([(shorter, "HTTP 404 <b>[x](y)</b>")], {})
    assert "the generator makes it" in text
    assert "<b>" not in text and "[x]" not in text  # a server's reason cannot add markup


def test_no_broken_link_is_an_empty_report() -> None:
    assert linkreport.report([], {}) == ""


def test_make_target_command_writes_the_report_from_a_built_site(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "output"
    build(content, output)
    urls = sitecheck.external_links(output)
    broken = yaml.safe_load((content / "resources" / "lpr-primer.yaml").read_text())["url"]
    assert broken in urls
    monkeypatch.setattr(sitecheck, "_probe", lambda url, _timeout: "HTTP 404" if url == broken else None)
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "broken-links.md"
    args = [
        "--output",
        "output",
        "--content",
        "content",
        "--templates",
        str(REPO / "templates"),
        "--report",
        str(target),
    ]
    result = CliRunner().invoke(linkreport.main, args)
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert f"<{broken}> (HTTP 404)" in text
    assert all(f"`{place}`" in text for place in lines_holding(broken, content))
    assert text.count("\n- <") == 1  # only the broken one
    monkeypatch.setattr(sitecheck, "_probe", lambda _url, _timeout: None)
    assert CliRunner().invoke(linkreport.main, args).exit_code == 0
    assert target.read_text() == ""


FAKE_GH = """#!/bin/sh
echo "$*" >> "$GH_LOG"
case "$1 $2" in
  "issue list") printf '%s' "$FAKE_OPEN" ;;
  "issue create") echo "https://github.com/o/r/issues/12" ;;
esac
"""


def run_script(tmp_path: Path, report: str, open_issue: str) -> list[str]:
    """Run the workflow's script with a fake gh; return the gh commands it ran."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "gh"
    fake.write_text(FAKE_GH)
    fake.chmod(0o755)
    log = tmp_path / "gh.log"
    log.write_text("")
    (tmp_path / "report.md").write_text(report)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GH_LOG": str(log),
        "FAKE_OPEN": open_issue,
    }
    subprocess.run(["sh", str(SCRIPT), "report.md"], cwd=tmp_path, env=env, check=True, capture_output=True)
    return log.read_text().splitlines()


LIST = "issue list --label broken-links --state open --limit 1 --json number --jq .[0].number // empty"


def test_broken_links_and_no_open_issue_opens_one(tmp_path: Path) -> None:
    calls = run_script(tmp_path, "- <https://example.org/x> (HTTP 404)\n", "")
    assert calls[0] == LIST
    assert calls[1].startswith("label create broken-links ") and calls[1].endswith(" --force")
    assert calls[2] == "issue create --title Broken external links --label broken-links --body-file report.md"
    assert len(calls) == 3


def test_broken_links_and_an_open_issue_updates_it(tmp_path: Path) -> None:
    calls = run_script(tmp_path, "- <https://example.org/x> (HTTP 404)\n", "7")
    assert calls == [LIST, "issue edit 7 --body-file report.md"]


def test_no_broken_links_closes_the_open_issue(tmp_path: Path) -> None:
    calls = run_script(tmp_path, "", "7")
    assert len(calls) == 2 and calls[0] == LIST and calls[1].startswith("issue close 7 --comment ")


def test_no_broken_links_and_no_issue_does_nothing(tmp_path: Path) -> None:
    assert run_script(tmp_path, "", "") == [LIST]


def test_the_workflow_may_write_issues_and_runs_both_targets() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "links.yml").read_text())
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    runs = [step.get("run", "") for step in workflow["jobs"]["links"]["steps"]]
    assert runs.index("make link-report LINK_REPORT=broken-links.md") < runs.index(
        "make links-issue LINK_REPORT=broken-links.md"
    )
    makefile = (REPO / "Makefile").read_text()
    assert "sh .github/scripts/broken-links-issue.sh $(LINK_REPORT)" in makefile
