"""Files replaced whole: the memos, the pages' notes and the last build's record."""

from __future__ import annotations

from pathlib import Path

import pytest

from psp_static import whole_file


def test_a_file_is_replaced_whole_and_its_folder_made(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "memo.pickle"
    whole_file.replace(target, b"first")
    whole_file.replace(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["memo.pickle"]  # no temporary file left


def test_a_write_that_fails_leaves_the_old_bytes_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "memo.pickle"
    target.write_bytes(b"old")

    def full_disk(self: Path, other: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        whole_file.replace(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["memo.pickle"]
