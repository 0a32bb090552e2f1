"""The real editor (Decap CMS) in real Chromium, saving through the real local backend
(decap-server, Git mode) into a scratch copy of the content."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page, Route, expect

from psp_static import cms, decap_server, loader, pipeline, yamlstyle
from tests.conftest import REAL_CONTENT, REPO, Server, soup
from tests.golden import TEMPLATES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DECAP_SERVER = REPO / decap_server.DECAP_SERVER
WAIT = 60_000  # ms: Decap is a large script, and the machine may be busy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


@dataclasses.dataclass
class Scratch:
    repo: Path
    output: Path
    server: Server

    @property
    def content(self) -> Path:
        return self.repo / "content"

    def committed(self, rel: str, rev: str = "main") -> str | None:
        found = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=self.repo, capture_output=True, text=True)
        return found.stdout if found.returncode == 0 else None


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    """A Git working copy of the real content, its site built with the editor, and decap-server on it."""
    assert DECAP_SERVER.exists(), "decap-server is missing: run `make test`, which installs tools/cms"
    repo = tmp_path_factory.mktemp("cms") / "repo"
    shutil.copytree(REAL_CONTENT, repo / "content")
    port = free_port()
    site_yaml = repo / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + f"  local_port: {port}\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test Editor")
    git(repo, "config", "user.email", "editor@example.org")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "The content")
    output = repo.parent / "output"
    pipeline.build(pipeline.Options(repo / "content", TEMPLATES, output))
    server = Server(output)
    with decap_server.local_backend(repo / "content", port, DECAP_SERVER, timeout=60):
        yield Scratch(repo, output, server)
    server.close()


@pytest.fixture
def editor(browser: Browser, scratch: Scratch) -> Iterator[tuple[Page, list[str]]]:
    """The editor, signed in to the local backend; the list collects CSP violations and foreign requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    backend = f"localhost:{cms.settings(scratch.content).local_port}"  # type: ignore[union-attr]

    def route(r: Route) -> None:
        host = urlsplit(r.request.url).netloc
        if (
            r.request.url.startswith(scratch.server.url)
            or host == backend
            or r.request.url.startswith(("data:", "blob:"))
        ):
            r.continue_()
        else:
            problems.append(f"foreign request: {r.request.url}")
            r.abort()

    context.route("**/*", route)
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP ' + e.violatedDirective));"
    )
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.on("console", lambda m: problems.append(m.text) if m.text.startswith("CSP ") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: d.accept())  # "Are you sure you want to publish this entry?"
    page.goto(scratch.server.url + "/admin/")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Clearinghouse resources").first.wait_for()
    yield page, problems
    context.close()


def choose(page: Page, field: str, *labels: str) -> None:
    """Pick options of a select field (react-select): type the label, take the match."""
    for label in labels:
        page.locator(f"[id^='{field}-field-']").first.click()
        page.keyboard.type(label)
        page.keyboard.press("Enter")


def fill(page: Page, field: str, value: str) -> None:
    page.locator(f"[id^='{field}-field-']").first.fill(value)


def publish(page: Page) -> None:
    """Save as a draft (a cms/ branch), mark it ready, publish (merge into main)."""
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Entry saved").wait_for()
    page.get_by_text("Status: Draft").click()
    page.get_by_text("Ready", exact=True).click()
    page.get_by_text("Entry status updated").wait_for()
    page.get_by_text("Status: Ready").wait_for()
    page.get_by_text("Publish", exact=True).click()
    page.get_by_text("Publish now", exact=True).click()
    page.get_by_text("Entry published").wait_for()


def wait_until(condition: Callable[[], object], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


RESOURCE = {
    # Longer than file names may be: the editor cuts the name as the build wants it.
    "title": "Browser Test Guide to Crime Analysis for Small and Mid-Size Police Departments Across the Country",
    "summary": "A guide written through the content editor in a test, long enough to pass the schema's "
    "sixty-character minimum for summaries.",
    "author": "National Public Safety Partnership",
    "year": "2023",
}


def test_create_a_resource_through_the_form(editor: tuple[Page, list[str]], scratch: Scratch, tmp_path: Path) -> None:
    page, problems = editor
    before = git(scratch.repo, "rev-parse", "main").strip()
    page.goto(scratch.server.url + "/admin/#/collections/resource/new")
    fill(page, "title", RESOURCE["title"])
    fill(page, "summary", RESOURCE["summary"])
    choose(page, "type", "Guide")
    choose(page, "areas", "Crime Analysis", "Technology")
    choose(page, "agency_sizes", "Small", "Mid-size")
    fill(page, "author", RESOURCE["author"])
    choose(page, "sponsor", "BJA")
    fill(page, "year", RESOURCE["year"])
    fill(page, "added", "2024-05-01")
    publish(page)
    slug = re.sub(r"[^a-z0-9]+", "-", RESOURCE["title"][: loader.SLUG_MAX].lower()).strip("-")
    rel = f"content/resources/{slug}.yaml"
    wait_until(lambda: scratch.committed(rel), f"{rel} to be published on main")
    wait_until(lambda: (scratch.repo / rel).is_file(), f"{rel} in the working copy")

    # The file the editor wrote, put in the project's style, is the one the build accepts.
    yamlstyle.format_content(scratch.content, before)
    written = (scratch.repo / rel).read_text(encoding="utf-8")
    data = yaml.safe_load(written)
    ids = [yaml.safe_load(p.read_text())["id"] for p in (REAL_CONTENT / "resources").glob("*.yaml")]
    assert data == {
        "id": max(ids) + 1,
        "title": RESOURCE["title"],
        "summary": RESOURCE["summary"],
        "type": "guide",
        "areas": ["crime-analysis", "technology"],
        "agency_sizes": ["small", "medium"],
        "author": RESOURCE["author"],
        "sponsor": "BJA",
        "year": 2023,
        "added": "2024-05-01",
    }
    assert written.startswith("# yaml-language-server: $schema=../../.schemas/resource.schema.json\n")
    assert "summary: >-\n" in written and "added: '2024-05-01'\n" in written
    git(scratch.repo, "commit", "-qam", "psp-static fmt")  # as the checks do; the backend needs a clean copy
    output = tmp_path / "output"
    pipeline.build(pipeline.Options(scratch.content, TEMPLATES, output), strict=True)
    assert (output / "resources" / slug / "index.html").is_file()
    listed = {str(a.get("href")) for a in soup(output / "clearinghouse" / "index.html").find_all("a")}
    assert f"/resources/{slug}/" in listed
    assert problems == []


def test_edit_a_site_touches_only_the_edited_field(editor: tuple[Page, list[str]], scratch: Scratch) -> None:
    page, problems = editor
    rel = "content/sites/albuquerque.yaml"
    before = git(scratch.repo, "rev-parse", "main").strip()
    page.goto(scratch.server.url + "/admin/#/collections/site/entries/albuquerque")
    name = page.locator("[id^='name-field-']").first
    expect(name).to_have_value("Albuquerque", timeout=WAIT)  # the entry has loaded
    name.fill("Albuquerque, New Mexico")
    publish(page)
    wait_until(lambda: "New Mexico" in (scratch.committed(rel) or ""), f"the edit of {rel} to be published")
    wait_until(lambda: "New Mexico" in (scratch.repo / rel).read_text(), f"the edit of {rel} in the working copy")
    yamlstyle.format_content(scratch.content, before)
    diff = git(scratch.repo, "diff", "-U0", before, "--", rel).splitlines()
    assert [line for line in diff if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))] == [
        "-name: Albuquerque",
        "+name: Albuquerque, New Mexico",
    ]
    git(scratch.repo, "commit", "-qam", "psp-static fmt")
    assert problems == []


def test_a_required_field_left_empty_is_refused(editor: tuple[Page, list[str]], scratch: Scratch) -> None:
    page, _ = editor
    branches = git(scratch.repo, "branch", "--list")
    page.goto(scratch.server.url + "/admin/#/collections/resource/new")
    fill(page, "title", "A resource without an author")
    fill(page, "summary", RESOURCE["summary"])
    choose(page, "type", "Guide")
    choose(page, "areas", "Technology")
    choose(page, "agency_sizes", "Small")
    choose(page, "sponsor", "BJA")
    fill(page, "year", "2023")
    fill(page, "added", "2024-05-01")
    saves: list[str] = []  # what the editor asks the local backend to save
    page.on(
        "request",
        lambda request: saves.append(request.post_data or "") if "persist" in (request.post_data or "") else None,
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_text("missed a required field").wait_for()
    author = page.locator("[id^='author-field-']").first
    assert page.get_by_text("Author is required.").is_visible()
    assert author.input_value() == ""
    assert saves == []  # the editor checks the entry before it sends anything: no save was asked for
    assert git(scratch.repo, "branch", "--list") == branches  # nothing was saved
    assert not (scratch.content / "resources" / "a-resource-without-an-author.yaml").exists()


def test_serve_cms_runs_the_local_backend_and_stops_it(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(REAL_CONTENT, repo / "content")
    port = free_port()
    site_yaml = repo / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + f"  local_port: {port}\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "content")
    process = subprocess.Popen(
        [sys.executable, "-m", "psp_static", "serve", "--cms", "--port", "0", "--content", str(repo / "content"),
         "--templates", str(TEMPLATES), "--output", str(tmp_path / "output")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        lines: list[str] = []
        while not any(line.startswith("Serving") for line in lines):
            line = process.stdout.readline()
            assert line, f"serve --cms ended early: {''.join(lines)}"
            lines.append(line)
        url = lines[-1].split(" on ")[1].split(" ")[0]
        assert any(f"http://localhost:{port}/api/v1" in line for line in lines)
        with urllib.request.urlopen(url + "admin/") as answer:
            page = answer.read().decode()
        assert "decap-cms.js" in page and "/__psp__/reload.js" not in page  # no live reload inside the editor
        request = urllib.request.Request(
            f"http://localhost:{port}/api/v1", b'{"action": "info"}', {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request) as answer:
            assert json.loads(answer.read())["type"] == "local_git"
    finally:
        process.terminate()
        process.wait(20)
        if process.stdout is not None:
            process.stdout.close()
    with pytest.raises(OSError), socket.create_connection(("localhost", port), timeout=2):
        pass  # the backend stopped with the preview
