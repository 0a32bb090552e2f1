"""What a pull request changes: a fixture pull request of two commits, built at each, compared."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from psp_static import changes, pipeline
from psp_static.cli import cli
from psp_static.errors import ContentError, ContentErrors
from tests.conftest import REPO


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture
def pull_request(content: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The fixture content built at a base commit and at a pull request's commit on top of it."""
    repo = content.parent
    git(repo, "init", "-q")
    git(repo, "add", "content")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    memphis = content / "sites" / "memphis.yaml"
    memphis.write_text(memphis.read_text().replace("worked with the fixture twice.", "joined the fixture twice."))
    news = (content / "news" / "fixture-summit.md").read_text()
    (content / "news" / "fixture-exchange.md").write_text(news.replace("Fixture summit in", "Fixture exchange in"))
    (content / "resources" / "deterrence-notes.yaml").unlink()
    git(repo, "add", "-A", "content")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "the pull request")
    built = []
    for commit in ("HEAD~1", "HEAD"):
        tree = tmp_path / f"at-{commit.replace('~', '-')}"
        tree.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(repo), "archive", commit, "content"], check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
        pipeline.build(pipeline.Options(tree / "content", REPO / "templates", tree / "output"))
        built.append(tree / "output")
    return built[0], built[1]


def test_the_summary_lists_added_removed_and_changed_pages_with_a_text_diff(
    pull_request: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = pull_request
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier steps' summary\n")
    result = CliRunner().invoke(cli, ["changes", str(old), str(new), "--summary", str(summary)])
    assert result.exit_code == 0, result.output
    text = summary.read_text()
    assert text.startswith("# earlier steps' summary\n## What this pull request changes\n")  # appended
    found = changes.compare(old, new)
    assert found.added == ["news/fixture-exchange/"]
    assert found.removed == ["resources/deterrence-notes/"]
    assert "sites/memphis/" in found.changed
    diff = found.changed["sites/memphis/"]
    assert "-Memphis worked with the fixture twice." in diff and "+Memphis joined the fixture twice." in diff
    # The news listing and the clearinghouse list the new and removed items: their text changed too.
    assert {"news/", "clearinghouse/"} <= set(found.changed)
    assert "- `/news/fixture-exchange/`" in text and "- `/resources/deterrence-notes/`" in text
    assert "<summary><code>/sites/memphis/</code></summary>" in text
    assert f"Pages: 1 added, 1 removed, {len(found.changed)} changed; {found.restyled} more differ only" in text


def test_pages_whose_text_did_not_change_are_not_listed(content: Path, tmp_path: Path) -> None:
    pipeline.build(pipeline.Options(content, REPO / "templates", tmp_path / "a"))
    pipeline.build(pipeline.Options(content, REPO / "templates", tmp_path / "b"))
    page = tmp_path / "b" / "team" / "index.html"
    page.write_text(page.read_text().replace("</head>", '<meta name="x" content="y">\n</head>'))  # not main text
    found = changes.compare(tmp_path / "a", tmp_path / "b")
    assert (found.added, found.removed, found.changed, found.restyled) == ([], [], {}, 1)
    assert "No page's text changes (1 pages differ only in layout or style)." in changes.summary(found)


@pytest.mark.browser
def test_screenshots_of_changed_pages_at_phone_and_desktop_width(
    pull_request: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = pull_request
    found = changes.compare(old, new)
    # In a process of its own: this test process may already drive a browser of its own.
    command = Path(sys.executable).parent / "psp-static"
    done = subprocess.run(
        [command, "changes", str(old), str(new), "--screenshots", str(tmp_path / "shots")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    made = sorted((tmp_path / "shots").glob("*.png"))
    assert len(made) == len(found.shown) * len(changes.WIDTHS)
    assert f"Saved {len(made)} screenshots" in done.stdout
    for path in made:
        width = struct.unpack(">I", path.read_bytes()[16:20])[0]  # the PNG header's width
        assert path.name.endswith(f"-{width}.png") and width in changes.WIDTHS
    assert (tmp_path / "shots" / "sites_memphis-375.png").is_file()


def test_every_problem_goes_into_the_job_summary_table(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    for n in range(12):  # more than the ten annotations GitHub shows for one step
        (content / "sites" / f"stray-{n:02}.yaml").write_text("name: Stray | one\n")
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    caught.value.show()
    rows = [line for line in summary.read_text().splitlines() if line.startswith("| `")]
    assert len(rows) == len(caught.value.errors) > 12
    first: ContentError = caught.value.errors[0]
    assert rows[0].startswith(f"| `{first.path}` | {first.line} | {first.col} | ")
    assert summary.read_text().startswith(f"### {caught.value.message}\n\n| file | line | column |")
