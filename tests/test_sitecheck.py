"""The link checker finds what it is for: broken links, missing fragments, malformed addresses."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from psp_static import sitecheck
from psp_static.cli import cli
from tests.conftest import build

HEAD = (
    "<!doctype html><html lang=en><head><meta http-equiv=Content-Security-Policy content=\"default-src 'self'; "
    "script-src 'self'\"><title>A page title of some length</title><meta name=description content="
    "'A description that is long enough to pass the length rule of the checker.'></head>"
)


def page(root: Path, rel: str, body: str, head: str = HEAD) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    heading = "" if "<h1" in body else "<h1>Heading</h1>"
    path.write_text(f"{head}<body>{heading}{body}</body></html>")


def test_reports_each_kind_of_problem(tmp_path: Path) -> None:
    links = [
        '<h1 id="top">x</h1><a href="/a/">a</a><a href="/a/#here">b</a><a href="/a/#nowhere">c</a>',
        '<a href="/missing/">d</a><a href="https://exa mple.org/">e</a><a href="javascript:x()">f</a>',
        '<a href="#top">g</a><a href="mailto:someone">h</a><a href="/psp/x">i</a>',
        # Prefilled fields (RFC 6068) are fine when encoded; a raw space is not.
        '<a href="mailto:a@example.org?subject=Hi%20there&amp;body=Line%0D%0Atwo">j</a>',
        '<a href="mailto:a@example.org?subject=Hi there">k</a>',
    ]
    page(tmp_path, "index.html", "".join(links))
    page(tmp_path, "a/index.html", '<p id="here">x</p><img src="../img.png" alt="">')
    (tmp_path / "style.css").write_text("a{background:url(../nope.svg)} b{background:url('data:x')}")
    problems = sitecheck.check_output(tmp_path, "/")
    assert problems == [
        "a/index.html: link '../img.png' points to a missing file",
        "index.html: link '/a/#nowhere' points to a missing #nowhere",
        "index.html: link '/missing/' points to a missing file",
        "index.html: external link 'https://exa mple.org/' is not a well-formed https:// address",
        "index.html: <a> uses the scheme 'javascript': 'javascript:x()'",
        "index.html: malformed email link 'mailto:someone'",
        "index.html: link '/psp/x' points to a missing file",
        "index.html: malformed email link 'mailto:a@example.org?subject=Hi there'",
        "index.html: same title as a/index.html: 'A page title of some length'",
        "index.html: same description as a/index.html: "
        "'A description that is long enough to pass the length rule of the checker.'",
        "style.css: url(../nope.svg) points to a missing file",
    ]


def test_data_files_a_script_loads_must_exist(tmp_path: Path) -> None:
    """The search page names its index and cards in data- attributes: a missing one is a broken link."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index.json").write_text("{}")
    page(tmp_path, "index.html", '<div data-index="/assets/index.json" data-cards="/assets/cards.json"></div>')
    assert sitecheck.check_output(tmp_path, "/") == ["index.html: link '/assets/cards.json' points to a missing file"]


def test_reports_page_policy_problems(tmp_path: Path) -> None:
    page(tmp_path, "index.html", "<h1>a</h1><h1 style='x'>b</h1><script>x()</script><p onclick='y()'>c</p>",
         head="<!doctype html><html><title>short</title>")  # fmt: skip
    assert sitecheck.check_output(tmp_path, "/") == [
        "index.html: inline style= on <h1> (the Content-Security-Policy forbids it)",
        "index.html: inline <script> element (the Content-Security-Policy forbids it)",
        "index.html: inline onclick= on <p> (the Content-Security-Policy forbids it)",
        "index.html: missing or weak Content-Security-Policy: ''",
        "index.html: no lang attribute on <html>",
        "index.html: 2 <h1> elements (one expected)",
        "index.html: title 'short' is missing or shorter than 20 characters",
        "index.html: meta description is 0 characters (50 to 160 expected)",
    ]


def test_reports_duplicate_titles(tmp_path: Path) -> None:
    page(tmp_path, "index.html", "x")
    page(tmp_path, "a/index.html", "y")
    assert sitecheck.check_output(tmp_path, "/") == [
        "index.html: same title as a/index.html: 'A page title of some length'",
        "index.html: same description as a/index.html: "
        "'A description that is long enough to pass the length rule of the checker.'",
    ]


def test_base_path_is_respected(tmp_path: Path) -> None:
    page(tmp_path, "index.html", '<a href="/psp/">home</a><a href="/other/">out</a>')
    assert sitecheck.check_output(tmp_path, "https://example.org/psp/") == [
        "index.html: link '/other/' leaves the site's base path /psp/"
    ]


def test_check_command_on_output(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(content, out)
    runner = CliRunner()
    result = runner.invoke(cli, ["check", "--content", str(content), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Output OK in {out}" in result.output
    (out / "team" / "index.html").unlink()
    result = runner.invoke(cli, ["check", "--content", str(content), "--output", str(out)])
    assert result.exit_code == 1
    assert "link '/team/' points to a missing file" in result.output
    result = runner.invoke(cli, ["check", "--content", str(content), "--external"])
    assert result.exit_code == 2 and "--external needs --output" in result.output


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self.send_response({"/ok": 200, "/no-head": 405, "/gone": 404}.get(self.path, 500))
        self.end_headers()

    def do_GET(self) -> None:
        self.send_response({"/ok": 200, "/no-head": 200, "/gone": 404}.get(self.path, 500))
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_external_probe_falls_back_to_get_and_reports_failures(local_server: str) -> None:
    assert sitecheck._probe(f"{local_server}/ok", 5) is None
    assert sitecheck._probe(f"{local_server}/no-head", 5) is None
    assert sitecheck._probe(f"{local_server}/gone", 5) == "HTTP 404"
    assert sitecheck._probe("http://127.0.0.1:9/", 2) is not None  # nothing listens on the discard port
