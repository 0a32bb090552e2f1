"""What a pull request changes on the site, for its reviewers: the pages it adds, removes and
changes, with a short diff of each changed page's main text, written as Markdown for the checks'
job summary; and (with Playwright) screenshots of those pages at a phone's and a desktop's width.

Pages are compared by the text of their ``<main>``: a change of style or of an asset's hashed
name alters the bytes of every page, but a reviewer wants the pages whose words changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import functools
import http.server
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

WIDTHS = (375, 1280)
MAX_DIFF_LINES = 30  # of one page: a long diff is cut, the rest is in the artifact's screenshots
MAX_SCREENSHOT_PAGES = 20
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "br", "div", "section", "caption"}
_SKIPPED = {"script", "style", "template", "noscript"}


class _MainText(HTMLParser):
    """The visible text inside ``<main>``, one line per block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <main> when > 0
        self.skipping = 0
        self.lines: list[str] = [""]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002 - the parser's API
        if tag == "main":
            self.depth += 1
        elif tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS and self.depth:
            self.lines.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.depth -= 1
        elif tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS and self.depth:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skipping:
            self.lines[-1] += data

    def text(self) -> list[str]:
        return [" ".join(line.split()) for line in self.lines if line.strip()]


def main_text(html: str) -> list[str]:
    """The lines of text a visitor reads in a page's main content."""
    parser = _MainText()
    parser.feed(html)
    return parser.text()


def pages(output: Path) -> dict[str, Path]:
    """Every HTML page of a built site by its address below the site root (``sites/memphis/``)."""
    found = {}
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output).as_posix()
        found[rel.removesuffix("index.html")] = path
    return found


@dataclasses.dataclass(frozen=True)
class Changes:
    """The pages of ``new`` compared with those of ``old``."""

    added: list[str]
    removed: list[str]
    changed: dict[str, list[str]]  # address -> unified diff lines of its main text
    restyled: int  # pages whose bytes differ but whose main text does not

    @property
    def shown(self) -> list[str]:
        """The pages a reviewer should look at in the new site: added and changed ones."""
        return sorted([*self.added, *self.changed])


def compare(old: Path, new: Path) -> Changes:
    """Compare two built sites page by page."""
    before, after = pages(old), pages(new)
    changed: dict[str, list[str]] = {}
    restyled = 0
    for address in sorted(before.keys() & after.keys()):
        old_bytes, new_bytes = before[address].read_bytes(), after[address].read_bytes()
        if old_bytes == new_bytes:
            continue
        old_text, new_text = _text(old_bytes), _text(new_bytes)
        if old_text == new_text:
            restyled += 1
            continue
        diff = difflib.unified_diff(old_text, new_text, "before", "after", n=1, lineterm="")
        changed[address] = list(diff)[2:]  # without the file header lines
    return Changes(sorted(after.keys() - before.keys()), sorted(before.keys() - after.keys()), changed, restyled)


def _text(data: bytes) -> list[str]:
    return main_text(data.decode("utf-8", errors="replace"))


def summary(changes: Changes) -> str:
    """The changes as Markdown for a job summary or a pull-request comment."""
    if not (changes.added or changes.removed or changes.changed):
        extra = f" ({changes.restyled} pages differ only in layout or style)" if changes.restyled else ""
        return f"## What this pull request changes\n\nNo page's text changes{extra}.\n"
    lines = ["## What this pull request changes", ""]
    counts = [f"{len(changes.added)} added", f"{len(changes.removed)} removed", f"{len(changes.changed)} changed"]
    lines.append(f"Pages: {', '.join(counts)}; {changes.restyled} more differ only in layout or style.")
    for title, addresses in (("Added", changes.added), ("Removed", changes.removed)):
        if addresses:
            lines += ["", f"### {title}", "", *(f"- `/{a}`" for a in addresses)]
    if changes.changed:
        lines += ["", "### Changed", ""]
        for address, diff in changes.changed.items():
            lines += _folded_diff(address, diff)
    return "\n".join(lines) + "\n"


def _folded_diff(address: str, diff: list[str]) -> list[str]:
    """One page's diff, cut to :data:`MAX_DIFF_LINES`, folded under its address."""
    cut = diff[:MAX_DIFF_LINES]
    more = [f"… {len(diff) - MAX_DIFF_LINES} more lines"] if len(diff) > MAX_DIFF_LINES else []
    body = "\n".join(line.replace("```", "'''") for line in [*cut, *more])
    return [f"<details><summary><code>/{address}</code></summary>", "", "```diff", body, "```", "", "</details>"]


@contextlib.contextmanager
def served(output: Path, base_path: str = "/") -> Iterator[str]:
    """Serve a built site on a free local port under ``base_path``; yield its address."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            inside = path[len(base_path) - 1 :] if path.startswith(base_path) else "/404.html"
            return super().translate_path(inside)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(output)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    finally:
        server.shutdown()
        server.server_close()


def screenshots(output: Path, addresses: list[str], folder: Path, base_path: str = "/",
                browser_path: str = "/usr/bin/chromium") -> list[Path]:  # fmt: skip
    """Full-page screenshots of ``addresses`` (at most :data:`MAX_SCREENSHOT_PAGES`) at each of
    :data:`WIDTHS`, as PNG files in ``folder``; needs Playwright, a development dependency."""
    from playwright.sync_api import sync_playwright  # only the pull-request check takes pictures

    folder.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"]  # fmt: skip
    with served(output, base_path) as root, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=args)
        try:
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 900})
                for address in addresses[:MAX_SCREENSHOT_PAGES]:
                    page.goto(root + address, wait_until="load")
                    name = (address.strip("/").replace("/", "_") or "home") + f"-{width}.png"
                    page.screenshot(path=str(folder / name), full_page=True)
                    made.append(folder / name)
                page.close()
        finally:
            browser.close()
    return made
