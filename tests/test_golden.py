"""The fixture site's output, compared file by file with the saved tree (``make golden`` renews it)."""

from __future__ import annotations

import difflib
from pathlib import Path

from tests.golden import GOLDEN, asset_names, build_fixture, tree


def test_fixture_output_matches_golden(tmp_path: Path) -> None:
    out = tmp_path / "output"
    build_fixture(out)
    actual, expected = tree(out), tree(GOLDEN)
    problems = []
    for name in sorted(set(actual) | set(expected)):
        if name not in expected:
            problems.append(f"new file {name}")
        elif name not in actual:
            problems.append(f"missing file {name}")
        elif actual[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode().splitlines(),
                actual[name].decode().splitlines(),
                f"golden/{name}",
                name,
                lineterm="",
                n=1,
            )
            problems.append("\n".join(list(diff)[:40]))
    saved_assets = (GOLDEN.parent / "site-assets.txt").read_text().split()
    if asset_names(out) != saved_assets:
        problems.append(f"asset names differ: {sorted(set(asset_names(out)) ^ set(saved_assets))}")
    assert not problems, (
        "Output differs from tests/golden (run `make golden` if the change is intended):\n" + "\n".join(problems)
    )
