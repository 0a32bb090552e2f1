"""Golden output of the fixture site: ``python -m tests.golden`` (``make golden``) regenerates it.

The golden tree holds every generated file except the static assets (their names are checked,
their bytes are the vendored files themselves).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from psp_static import pipeline
from tests import helpers

ROOT = Path(__file__).resolve().parent
FIXTURE = ROOT / "fixtures" / "site"
GOLDEN = ROOT / "golden" / "site"
TEMPLATES = ROOT.parent / "templates"


def build_fixture(output: Path) -> None:
    pipeline.build(pipeline.Options(FIXTURE / "content", TEMPLATES, output))


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` except static assets, by POSIX path."""
    return {rel: data for rel, data in helpers.tree(root).items() if not rel.startswith("assets/")}


def asset_names(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "assets").rglob("*") if p.is_file())


def regenerate() -> None:
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp) / "output"
        build_fixture(out)
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in tree(out).items():
            target = GOLDEN / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (GOLDEN.parent / "site-assets.txt").write_text("\n".join(asset_names(out)) + "\n", encoding="utf-8")
    print(f"Golden output written to {GOLDEN.relative_to(ROOT.parent)}")


if __name__ == "__main__":
    regenerate()
