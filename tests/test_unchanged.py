"""Skipped builds: a build whose inputs and output are the last build's writes nothing, and any
change to what a build reads, or to the output, makes it build again."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from psp_static import assets, cache, pipeline, unchanged
from psp_static.errors import ContentErrors
from tests.golden import FIXTURE, TEMPLATES
from tests.helpers import tree


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path / "content", tmp_path / "templates"


def build(folders: tuple[Path, Path], output: Path, strict: bool = False) -> pipeline.Report:
    content, templates = folders
    return pipeline.build(pipeline.Options(content, templates, output, workers=1), strict=strict)


def clean_build(folders: tuple[Path, Path], output: Path) -> dict[str, bytes]:
    content, templates = folders
    pipeline.build(pipeline.Options(content, templates, output, incremental=False, workers=1))
    return tree(output)


def test_a_build_that_would_change_nothing_is_skipped(folders: tuple[Path, Path], tmp_path: Path) -> None:
    output = tmp_path / "output"
    first = build(folders, output)
    before = tree(output)
    again = build(folders, output)
    assert not first.skipped and again.skipped
    assert (again.pages, again.files, again.written) == (first.pages, first.files, 0)
    assert tree(output) == before


def _edit_content(folders: tuple[Path, Path]) -> None:
    page = next((folders[0] / "pages").glob("*.md"))
    page.write_text(page.read_text() + "\nOne more sentence, added by an editor.\n")


def _add_content(folders: tuple[Path, Path]) -> None:
    page = next((folders[0] / "pages").glob("*.md"))
    shutil.copy(page, page.with_name("copied-" + page.name))


def _edit_template(folders: tuple[Path, Path]) -> None:
    base = folders[1] / "base.html"
    base.write_text(base.read_text() + "<!-- edited -->\n")


def _rename_template_folder_file(folders: tuple[Path, Path]) -> None:
    footer = folders[1] / "_footer.html"
    shutil.copy(footer, folders[1] / "_unused.html")


def _another_day(_: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2031, 5, 6, tzinfo=dt.UTC).timestamp())))


def _edit_stylesheet(_: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The package's own stylesheet edited while a preview runs (the generator key, worked out
    once a process, stays the same)."""
    static = tmp_path / "static"
    shutil.copytree(assets.static_folder(), static)
    with (static / "css" / "site.css").open("a") as css:
        css.write("\n.edited { color: inherit; }\n")
    monkeypatch.setattr(assets, "static_folder", lambda: static)


def _other_code(_: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unchanged, "generator_key", lambda: cache.generator_key() + "-changed")


CHANGES: dict[str, Callable[..., None]] = {
    "a content file edited": lambda f, *_: _edit_content(f),
    "a content file added": lambda f, *_: _add_content(f),
    "a template edited": lambda f, *_: _edit_template(f),
    "a template added": lambda f, *_: _rename_template_folder_file(f),
    "another day": lambda f, patch, _: _another_day(f, patch),
    "other generator code": lambda f, patch, _: _other_code(f, patch),
    "the package's stylesheet edited": _edit_stylesheet,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_to_what_a_build_reads_builds_again(
    change: str, folders: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "output"
    build(folders, output)
    CHANGES[change](folders, monkeypatch, tmp_path)
    assert not build(folders, output).skipped
    assert tree(output) == clean_build(folders, tmp_path / "clean")
    assert build(folders, output).skipped  # and the build after it has nothing to do


@pytest.mark.parametrize("harm", ["edited", "deleted", "stray"])
def test_an_output_changed_by_hand_is_built_again(harm: str, folders: tuple[Path, Path], tmp_path: Path) -> None:
    output = tmp_path / "output"
    build(folders, output)
    page = output / "about" / "index.html"
    if harm == "edited":
        page.write_text("vandalised")
    elif harm == "deleted":
        page.unlink()
    else:
        (output / "stray.html").write_text("not ours")
    assert not build(folders, output).skipped
    assert tree(output) == clean_build(folders, tmp_path / "clean")


def _future_news(folders: tuple[Path, Path]) -> None:
    """Date a news item after today: a warning, or with ``strict`` an error."""
    news = next((folders[0] / "news").glob("*.md"))
    text = news.read_text()
    year = text.split("date: '", 1)[1][:4]
    news.write_text(text.replace(f"date: '{year}", "date: '2099"))  # end_date too


def test_strict_after_a_lenient_build_checks_again(folders: tuple[Path, Path], tmp_path: Path) -> None:
    output = tmp_path / "output"
    _future_news(folders)
    assert build(folders, output).warnings
    with pytest.raises(ContentErrors) as caught:
        build(folders, output, strict=True)
    assert "is after today" in caught.value.errors[0].message


def test_a_skipped_build_reports_the_last_builds_warnings(
    folders: tuple[Path, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    output = tmp_path / "output"
    _future_news(folders)
    first = build(folders, output)
    assert first.warnings
    caplog.clear()
    again = build(folders, output)
    assert again.skipped and again.warnings == first.warnings
    assert [r.getMessage() for r in caplog.records] == [str(w) for w in first.warnings]


def test_a_damaged_record_only_costs_a_build(folders: tuple[Path, Path], tmp_path: Path) -> None:
    output = tmp_path / "output"
    build(folders, output)
    (pipeline.cache_folder(output) / unchanged.RECORD).write_text("{not json")
    assert not build(folders, output).skipped
    assert tree(output) == clean_build(folders, tmp_path / "clean")
