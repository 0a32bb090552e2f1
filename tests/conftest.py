"""Shared fixtures: the fixture site, a content folder to break, and one build of the real site."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from psp_static import pipeline
from tests.golden import FIXTURE, TEMPLATES

REPO = Path(__file__).resolve().parent.parent
REAL_CONTENT = REPO / "content"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the fixture site's content."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE / "content", target)
    return target


@pytest.fixture
def write(content: Path) -> Callable[[str, str], Path]:
    """Write (or overwrite) one content file, given its path below content/."""

    def _write(rel: str, text: str) -> Path:
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def build(content: Path, output: Path, base_url: str | None = None) -> pipeline.Report:
    return pipeline.build(pipeline.Options(content, TEMPLATES, output, base_url))


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content built once per test session."""
    output = tmp_path_factory.mktemp("real") / "output"
    build(REAL_CONTENT, output)
    return output


def html_files(root: Path) -> Iterator[Path]:
    yield from sorted(root.rglob("*.html"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
