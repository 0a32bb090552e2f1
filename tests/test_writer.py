"""The writer: paths that cannot leave the output folder, and files written only when their bytes change."""

from __future__ import annotations

from pathlib import Path

import pytest

from psp_static import writer
from psp_static.errors import BuildError


@pytest.mark.parametrize("rel", ["index.html", "a/b/index.html", "assets/css/site.0123abcd.css", ".well-known/x"])
def test_safe_path_accepts_relative_paths_inside_the_folder(rel: str) -> None:
    assert writer.safe_path(rel) == rel


@pytest.mark.parametrize("rel", ["", "/etc/passwd", "../outside.html", "a/../../b", "a//b", "./a", "a/.", "a\\b", "a/"])
def test_safe_path_refuses_anything_that_could_leave_or_is_malformed(rel: str) -> None:
    with pytest.raises(BuildError, match="refusing to write outside the output folder"):
        writer.safe_path(rel)


def test_put_writes_only_changed_bytes(tmp_path: Path) -> None:
    folder = writer.Folder(tmp_path)
    assert folder.put("a/b/index.html", "one") is True
    page = tmp_path / "a" / "b" / "index.html"
    before = page.stat().st_mtime_ns
    assert folder.put("a/b/index.html", b"one") is False  # the same bytes: left alone
    assert page.stat().st_mtime_ns == before
    assert folder.put("a/b/index.html", "a longer second version") is True
    assert folder.put("a/b/index.html", "short") is True
    assert page.read_text() == "short"  # cut to its new length


def test_put_clears_whatever_stands_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("a file where a folder goes")
    (tmp_path / "page.html").mkdir()
    (tmp_path / "page.html" / "inside.txt").write_text("a folder where a file goes")
    folder = writer.Folder(tmp_path)
    folder.put("a/index.html", "x")
    folder.put("page.html", "y")
    assert (tmp_path / "a" / "index.html").read_text() == "x" and (tmp_path / "page.html").read_text() == "y"


def test_keep_only_deletes_the_rest_and_empty_folders(tmp_path: Path) -> None:
    folder = writer.Folder(tmp_path)
    for rel in ("keep/index.html", "gone/deep/index.html", "stray.txt", "keep/old.html"):
        folder.put(rel, rel)
    folder.keep_only({"keep/index.html"})
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["keep", "keep/index.html"]


def test_a_failed_build_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    output = tmp_path / "output"
    with writer.updating(output) as folder:
        folder.put("index.html", "first")
    with pytest.raises(RuntimeError), writer.updating(output) as folder:
        folder.put("index.html", "second")
        raise RuntimeError("a template error half way")
    assert (output / "index.html").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]  # the new folder is gone


def test_a_folder_the_build_made_is_written_without_comparing_and_an_old_one_is_put_right(tmp_path: Path) -> None:
    output = tmp_path / "output"
    for build in range(3):  # the first two builds make new folders; the third updates the first's
        with writer.updating(output) as folder:
            assert folder.new is (build < 2)
            assert folder.put("a/b/index.html", f"build {build}") is True
            assert folder.put("a/c.html", "same") is (build < 2)
            if build == 0:
                folder.put("stray/old.html", "a page the site no longer has")
            folder.keep_only({"a/b/index.html", "a/c.html"})
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*")) == [
        "a",
        "a/b",
        "a/b/index.html",
        "a/c.html",
    ]
    assert (output / "a" / "b" / "index.html").read_text() == "build 2"
