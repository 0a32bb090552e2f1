"""A clearinghouse larger than one listing page: every resource listed once, pages linked, valid."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext

from psp_static import pipeline, sitecheck
from psp_static.pages import LISTING_PAGE
from tests import synthetic
from tests.conftest import Server, html_files, soup, watch
from tests.test_browser import axe_violations
from tests.test_html_valid import vnu_errors

RESOURCES = 450  # five clearinghouse pages, and core areas long enough to need a second page


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("large")
    content = synthetic.generate(root / "content", RESOURCES, 20)
    pipeline.build(pipeline.Options(content=content, output=root / "output"))
    return content, root / "output"


def listed_ids(output: Path, route: str) -> Iterator[tuple[int, Path]]:
    """Resource ids listed on every page of a listing, following its "Next" links (and the page)."""
    page = output / route / "index.html"
    while True:
        doc = soup(page)
        for card in doc.select("#static-listing [data-resource-id], .resource-list [data-resource-id]"):
            yield int(str(card["data-resource-id"])), page
        following = doc.select_one("nav.pager a[rel=next]")
        if following is None:
            return
        page = output / str(following["href"]).lstrip("/") / "index.html"


def test_clearinghouse_pages_list_every_resource_once_by_type(large: tuple[Path, Path]) -> None:
    content, output = large
    docs = [yaml.safe_load(p.read_text()) for p in sorted((content / "resources").glob("*.yaml"))]
    type_order = [t["slug"] for t in yaml.safe_load((content / "clearinghouse.yaml").read_text())["types"]]
    expected = sorted(docs, key=lambda d: (type_order.index(d["type"]), -d["year"], d["title"].lower(), d["id"]))
    found = list(listed_ids(output, "clearinghouse"))
    assert [i for i, _ in found] == [d["id"] for d in expected]
    pages = sorted({page for _, page in found})
    assert len(pages) == -(-RESOURCES // LISTING_PAGE)
    second = soup(output / "clearinghouse" / "page" / "2" / "index.html")
    assert [h.get_text() for h in second.select("h1")] == [f"Public Safety Clearinghouse (page 2 of {len(pages)})"]
    assert second.select_one("#finder") is None  # the finder lives on the first page only
    assert [a.get_text() for a in second.select("nav.pager [aria-current=page]")] == ["Page 2"]
    headings = [h.get_text() for h in second.select("#static-listing h3")]
    assert headings[0].endswith(", continued") or headings[0].split(" (")[0] != headings[-1].split(" (")[0]


def test_core_area_pages_together_list_the_area(large: tuple[Path, Path]) -> None:
    content, output = large
    docs = [yaml.safe_load(p.read_text()) for p in sorted((content / "resources").glob("*.yaml"))]
    paged = 0
    for area in synthetic.AREAS:
        ids = [i for i, _ in listed_ids(output, f"areas/{area}")]
        assert sorted(ids) == sorted(d["id"] for d in docs if area in d["areas"]), area
        assert len(ids) == len(set(ids))
        paged += len(ids) > LISTING_PAGE
    assert paged  # the fixture really exercises a second page


@pytest.mark.tools
def test_paged_site_has_sound_links_unique_titles_and_valid_html(large: tuple[Path, Path], tmp_path: Path) -> None:
    _, output = large
    assert sitecheck.check_output(output) == []
    titles = [soup(p).title.get_text() for p in html_files(output) if p.name == "index.html"]  # type: ignore[union-attr]
    assert len(titles) == len(set(titles))
    sample = tmp_path / "sample"
    for rel in ("clearinghouse/page/2/index.html", "clearinghouse/index.html"):
        target = sample / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((output / rel).read_bytes())
    assert vnu_errors(sample) == []


@pytest.fixture
def served(large: tuple[Path, Path], browser: Browser) -> Iterator[tuple[Server, BrowserContext]]:
    """The large site on a local server, and a fresh browser context to look at it."""
    server = Server(large[1])
    context = browser.new_context()
    yield server, context
    context.close()
    server.close()


@pytest.mark.browser
def test_listing_pages_pass_axe(large: tuple[Path, Path], served: tuple[Server, BrowserContext]) -> None:
    output, (server, context) = large[1], served
    area = next(a for a in synthetic.AREAS if (output / "areas" / a / "page" / "2").is_dir())
    for path in ("/clearinghouse/page/3/", f"/areas/{area}/page/2/"):
        watched = watch(context, server.url)
        watched.page.goto(server.url + path)
        assert axe_violations(watched.page) == [], path
        assert watched.problems == [] and watched.foreign == [], path


@pytest.mark.browser
def test_first_screen_of_results_needs_one_card_file_and_no_index(served: tuple[Server, BrowserContext]) -> None:
    """Card files follow the finder's first order (newest first): the first results come from one."""
    server, context = served
    watched = watch(context, server.url)
    requested: list[str] = []
    watched.page.on("request", lambda r: requested.append(r.url))
    watched.page.goto(server.url + "/clearinghouse/")
    watched.page.wait_for_selector("#finder[data-ready=true]")
    watched.page.wait_for_load_state("networkidle")
    cards = [u for u in requested if "/assets/search/cards-" in u]
    assert len(cards) == 1 and "/cards-0." in cards[0]
    assert not [u for u in requested if "/assets/search/index." in u or "lunr" in u]
    shown = watched.page.locator("#finder-results [data-resource-id]").count()
    assert shown > 0 and watched.problems == []
