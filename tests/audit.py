"""Lighthouse scores for key pages: ``make audit`` (not part of ``make test``; it takes minutes).

Builds the real site, serves it on 127.0.0.1 with text gzipped (as GitHub Pages and CDNs serve
it) and runs Lighthouse (npm ``lighthouse``, pinned in the Makefile) with Debian's Chromium,
offline: map tile requests are blocked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, REAL_CONTENT, Server, build

PAGES = ("/", "/sites/", "/clearinghouse/")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 100}


def lighthouse(binary: Path, url: str, report: Path) -> dict[str, int]:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = [
        str(binary), url, "--quiet", "--output=json", f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}",
        "--blocked-url-patterns=*tile.openstreetmap.org*", "--max-wait-for-load=30000",
    ]  # fmt: skip
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": str(CHROMIUM)})
    data = json.loads(report.read_text())
    return {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    binary = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".cache/lighthouse/node_modules/.bin/lighthouse")
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp) / "output"
        build(REAL_CONTENT, out)
        server = Server(out, compress=True)  # as the site is served: text gzipped
        failed = False
        try:
            print(f"{'page':<18}" + "".join(f"{c:>16}" for c in CATEGORIES))
            for path in PAGES:
                scores = lighthouse(binary, server.url + path, Path(temp) / "report.json")
                print(f"{path:<18}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))
                failed |= any(scores[c] < GOALS[c] for c in CATEGORIES)
        finally:
            server.close()
    print("goals: " + ", ".join(f"{c} >= {g}" for c, g in GOALS.items()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
