"""Every HTML file of the real site passes the Nu Html Checker (vnu.jar) with zero errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

VNU = REPO / "tests" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = [pytest.mark.slow, pytest.mark.tools]


def vnu_errors(folder: Path) -> list[str]:
    java = shutil.which("java")
    assert java, "Java is missing: run `make test`, which installs it"
    assert VNU.exists(), "vnu.jar is missing: run `make test`, which installs the Node test tools"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [f"{m.get('url', '').split(str(folder))[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]


def test_real_site_has_no_html_errors(real_site: Path) -> None:
    assert vnu_errors(real_site) == []


def test_the_checker_does_catch_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text(
        "<!doctype html><html lang=en><title>x</title><p>a</span><table align=left></table>"
    )
    found = vnu_errors(tmp_path)
    assert any("Stray end tag" in m for m in found), found
