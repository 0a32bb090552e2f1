"""The site-wide search: a field in every page's header, and the search page it leads to, which
finds sites, cohorts, core areas, news, pages and resources, each labelled by kind (in Chromium,
and without scripts)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page

from psp_static import pipeline, site_search
from psp_static.site_search import KINDS
from tests.conftest import REAL_CONTENT, Server, sitemap_paths, soup, watch


def record(path: Path) -> dict[str, Any]:
    """A content file's fields: YAML, or a Markdown file's front matter."""
    text = path.read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text.split("---")[1] if path.suffix == ".md" else text)
    return data


def first(folder: str) -> Path:
    return sorted((REAL_CONTENT / folder).glob("*.*"))[0]


# (kind, query, the page it should find): the first site, news item, core area and resource in the
# content, each searched for by its name or title.
CASES = [
    ("site", record(first("sites"))["name"], f"/sites/{first('sites').stem}/"),
    ("news", record(first("news"))["title"], f"/news/{first('news').stem}/"),
    ("area", record(first("areas"))["name"], f"/areas/{first('areas').stem}/"),
    ("resource", record(first("resources"))["title"], f"/resources/{first('resources').stem}/"),
]
# Pages to start from: the home page, a resource, and the page for addresses that do not exist.
STARTS = ["/", f"/resources/{first('resources').stem}/", "/404.html"]


def search_from_header(page: Page, start: str, query: str) -> None:
    """Reaches the header's field with the keyboard alone, types ``query`` and presses Enter."""
    page.goto(start)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    else:
        pytest.fail("Tab never reached the header's search field")
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector("#site-search[data-ready=true]")
    page.wait_for_selector("#search-results:not([aria-busy])", state="attached")


def results(page: Page) -> list[tuple[str, str]]:
    """(kind label, link) of every result, pressing "Show more results" until none is left."""
    more = page.locator("#search-more")
    while more.is_visible():
        before = page.locator("#search-results li").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('#search-results li').length > {before}")
    found = page.locator("#search-results li").evaluate_all(
        "items => items.map(li => [li.querySelector('.site-search-result__kind').textContent,"
        " li.querySelector('a').getAttribute('href')])"
    )
    return [(kind, href) for kind, href in found]


@pytest.mark.browser
@pytest.mark.parametrize(("kind", "query", "target"), CASES, ids=[c[0] for c in CASES])
def test_the_header_search_finds_it_from_any_page(
    server: Server, watched: Any, kind: str, query: str, target: str
) -> None:
    page = watched.page
    for start in STARTS:
        search_from_header(page, server.url + start, query)
        assert page.locator("#search-q").input_value() == query
        found = results(page)
        count = page.locator("#search-count").inner_text()
        assert count == f"{len(found)} result{'s' if len(found) != 1 else ''} for “{query}”.", count
        assert (KINDS[kind], target) in found, (start, query, found[:5])
        assert {label for label, _ in found} <= set(KINDS.values())
    assert watched.problems == [] and watched.foreign == []


@pytest.mark.browser
def test_typing_on_the_search_page_updates_results_and_the_address(server: Server, watched: Any) -> None:
    page = watched.page
    page.goto(server.url + "/search/")
    page.wait_for_selector("#site-search[data-ready=true]")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    assert page.locator("#search-results li").count() == 0
    kind, query, target = CASES[0]
    page.locator("#search-q").fill(query)
    page.wait_for_function("() => document.getElementById('search-count').textContent.includes('result')")
    page.wait_for_selector("#search-results:not([aria-busy])", state="attached")
    assert (KINDS[kind], target) in results(page)
    assert page.url.endswith("/search/?" + "q=" + query.replace(" ", "+"))
    assert any("/assets/search/site/" in url for url in requests)  # the index, loaded only now
    assert page.locator(f"#search-results a[href='{target}'] mark").count() >= 1
    assert watched.problems == []


@pytest.mark.browser
def test_without_scripts_the_header_form_still_leads_to_a_page_that_says_so(server: Server, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = watch(context, server.url).page
        page.goto(server.url + "/sites/")
        page.locator("#site-search-q").fill("memphis")
        page.locator(".site-search button[type=submit]").click()
        page.wait_for_url("**/search/?q=memphis")
        note = page.locator(".search-nojs")
        assert note.is_visible() and "needs JavaScript" in note.inner_text()
        links = note.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert set(links) == {"/clearinghouse/", "/sites/", "/areas/", "/news/"}
        assert page.locator("#site-search").is_hidden()
    finally:
        context.close()


def test_the_search_page_is_in_the_sitemap_and_its_index_is_not(real_site: Path) -> None:
    paths = sitemap_paths(real_site)
    assert "/search/" in paths
    assert not [p for p in paths if "/assets/" in p]
    assert list((real_site / "assets" / "search" / "site").glob("index.*.json"))


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_header_field_fits_and_is_wide_enough(server: Server, browser: Browser, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = watch(context, server.url).page
        page.goto(server.url + "/")
        field = page.locator("#site-search-q").bounding_box()
        button = page.locator(".site-search button").bounding_box()
        assert field and button
        assert field["width"] >= (150 if width == 320 else min(240, 0.6 * width)), field
        assert button["width"] >= 24 and button["height"] >= 24 and field["height"] >= 24
        assert button["x"] + button["width"] <= width  # nothing sticks out: no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.goto(server.url + "/search/")
        assert page.locator("#site-search-q").count() == 0  # the page's own field stands in for it
        box = page.locator("#search-q").bounding_box()
        assert box and box["width"] >= min(240, 0.6 * width), box
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def test_resources_are_searched_in_the_clearinghouses_index_not_indexed_twice(real_site: Path) -> None:
    site = pipeline.check(pipeline.Options(content=REAL_CONTENT))
    listed = list(site_search.entries(site))
    assert listed and "resource" not in {e.kind for e in listed}
    search = soup(real_site / "search" / "index.html").select_one("#site-search")
    finder = soup(real_site / "clearinghouse" / "index.html").select_one("#finder")
    assert search is not None and finder is not None
    assert search["data-resources"] == finder["data-index"]  # the very files the finder loads
    manifest = json.loads((real_site / str(search["data-index"]).lstrip("/")).read_text())
    assert list(itertools.accumulate(manifest["ids"])) == list(range(len(listed)))  # refs, as differences
    listing = json.loads((real_site / str(search["data-cards"]).lstrip("/")).read_text())
    rows = [
        row for url in listing["resources"]["chunks"] for row in json.loads((real_site / url.lstrip("/")).read_text())
    ]
    assert [row[0] for row in rows] == sorted(r.id for r in site.resources)
    assert listing["resources"]["first"] == [row[0] for row in rows[:: site_search.CARD_CHUNK]]
