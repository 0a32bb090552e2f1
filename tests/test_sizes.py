"""The package keeps the size limits of ``tests/sizes.py``, and the check notices a breach."""

from __future__ import annotations

from pathlib import Path

from tests import sizes


def test_the_package_keeps_the_limits() -> None:
    assert sizes.problems() == []


def test_long_complex_functions_and_long_modules_are_reported(tmp_path: Path) -> None:
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(11))
    (tmp_path / "complex.py").write_text(f"def pick(x: int) -> int:\n{branches}    return -1\n")
    (tmp_path / "long.py").write_text("def f() -> None:\n" + "    pass\n" * 60)
    (tmp_path / "big.py").write_text("x = 1\n" * 301)
    found = sizes.problems(tmp_path)
    assert found == [
        "big.py: 301 lines; split it (at most 300)",
        "complex.py:1: pick has complexity 12 (C); simplify it",
        "long.py:1: f is 61 lines long; split it (at most 60)",
    ]
