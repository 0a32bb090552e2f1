"""Shared fixtures: the fixture site, a content folder to break, and one build of the real site."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import gzip
import http.server
import io
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from psp_static import pipeline
from psp_static.cms import ADMIN
from tests.golden import FIXTURE, TEMPLATES

REPO = Path(__file__).resolve().parent.parent
REAL_CONTENT = REPO / "content"
BROWSER_FIXTURES = {"browser", "context", "watched"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that drives Chromium must be marked ``browser`` (``make test-fast`` leaves those out):
    one that asks for the browser's fixtures without the mark is refused, not run slowly by surprise."""
    unmarked = [
        item.nodeid
        for item in items
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError("mark these tests @pytest.mark.browser: " + ", ".join(unmarked))


def pytest_configure() -> None:
    """Tests make millions of objects that live to the end of the run (parsed pages, built
    sites): with Python's defaults the cycle collector goes over them again and again, as it
    would in a build (:func:`psp_static.workers.fewer_cycle_collections`)."""
    gc.set_threshold(100_000, 50, 100)


def pytest_sessionfinish() -> None:
    """What a test process made (the parsed pages above all, a million objects) lives to its
    exit: freezing it spares the cycle collector going over it all, as pytest and the interpreter
    would at the end of the run (seconds, in each process)."""
    gc.freeze()


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
    """The public pages: not the content editor at admin/, which tests of its own cover."""
    yield from sorted(p for p in root.rglob("*.html") if not p.relative_to(root).as_posix().startswith(ADMIN))


def soup(path: Path) -> BeautifulSoup:
    """The page at ``path``, parsed once a test process while the file is unchanged: dozens of
    tests read every page of the same built site. Read it, never change it; a test that must
    change a page changes a copy (``copy.copy``)."""
    st = path.stat()
    return _parsed(path, (st.st_ino, st.st_mtime_ns, st.st_size))


@functools.lru_cache(maxsize=1024)
def _parsed(path: Path, identity: tuple[int, int, int]) -> BeautifulSoup:  # identity: part of the key only
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# --- browser tests ------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# A 1x1 transparent PNG standing in for every map tile: tests never leave this machine.
TILE_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)
TILE_HOSTS = ("tile.openstreetmap.org",)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _GzipHandler(_QuietHandler):
    """Compresses text as GitHub Pages and CDNs do, so page weights are measured as visitors get them."""

    TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.name.endswith(self.TEXT):
            return super().send_head()
        if not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class Server:
    """A static file server on 127.0.0.1 for one folder, in a background thread."""

    def __init__(self, root: Path, compress: bool = False) -> None:
        handler = functools.partial(_GzipHandler if compress else _QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.root = root
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def server(real_site: Path) -> Iterator[Server]:
    serving = Server(real_site)
    yield serving
    serving.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Chromium is missing: run `make test`, which installs it"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclasses.dataclass
class Watched:
    """A page plus everything that went wrong while it was used."""

    page: Page
    problems: list[str]
    foreign: list[str]  # requests to hosts other than the local server (tiles excepted)


def _cancelled_icon(url: str, failure: str | None) -> bool:
    # Chromium fetches the favicon after the load event and cancels it when the test navigates on;
    # Leaflet cancels (stubbed) tiles it no longer needs. Neither is an error of the page.
    host = urlsplit(url).hostname or ""
    return failure == "net::ERR_ABORTED" and ("favicon" in url or host.endswith(TILE_HOSTS))


def watch(context: BrowserContext, origin: str) -> Watched:
    """Open a page that records console errors, failed requests, CSP violations and foreign requests."""
    page = context.new_page()
    watched = Watched(page, [], [])

    def route(r: Route) -> None:
        url = r.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(origin) or url.startswith("data:"):
            r.continue_()
        elif host.endswith(TILE_HOSTS):
            r.fulfill(status=200, content_type="image/png", body=TILE_PNG)
        else:
            watched.foreign.append(url)
            r.abort()

    page.route("**/*", route)
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.on(
        "console",
        lambda m: watched.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: watched.problems.append(f"page error: {e}"))
    page.on(
        "requestfailed",
        lambda r: (
            None
            if _cancelled_icon(r.url, r.failure)
            else watched.problems.append(f"request failed: {r.url} {r.failure}")
        ),
    )
    page.on("response", lambda r: watched.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    return watched


@contextlib.contextmanager
def built_and_watched(content: Path, out: Path, context: BrowserContext) -> Iterator[tuple[Server, Watched]]:
    """``content`` built into ``out`` and served, with a watched page open on it; the server stops after."""
    build(content, out)
    server = Server(out)
    try:
        yield server, watch(context, server.url)
    finally:
        server.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    made = browser.new_context(viewport={"width": 1280, "height": 900})
    yield made
    made.close()


@pytest.fixture
def watched(context: BrowserContext, server: Server) -> Watched:
    return watch(context, server.url)


def sitemap_paths(root: Path) -> list[str]:
    """URL paths of every page in the built site's sitemap, plus the 404 page."""
    tree = ET.parse(root / "sitemap.xml").getroot()
    locs = [el.text or "" for el in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    return [urlsplit(loc).path for loc in locs] + ["/404.html"]


def page_kinds(paths: list[str]) -> list[str]:
    """One page of each kind: the first path for each (first segment, depth) pair."""
    seen: dict[tuple[str, int], str] = {}
    for path in paths:
        parts = [p for p in path.split("/") if p]
        seen.setdefault((parts[0] if parts else "", len(parts)), path)
    return sorted(seen.values())
