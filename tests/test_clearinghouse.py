"""The clearinghouse: packed lunr index, facets, search, URL state and the toolkit, in Chromium."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from lunr.index import Index
from playwright.sync_api import Browser, BrowserContext, Page

from psp_static import lunr_terms, pipeline, search_index
from tests import lunr_twin, synthetic
from tests.conftest import CHROMIUM_ARGS, REAL_CONTENT, Server, built_and_watched, watch
from tests.helpers import records

# --- the content, read independently of the generator --------------------------------------------


def resources() -> list[dict[str, Any]]:
    return list(records(REAL_CONTENT / "resources").values())


def resource_id(slug: str) -> int:
    """The permanent id of the real resource ``content/resources/<slug>.yaml``."""
    return int(yaml.safe_load((REAL_CONTENT / "resources" / f"{slug}.yaml").read_text())["id"])


# Two real resources the toolkit tests save: the primer, and the resource with the lowest other id.
LPR_SLUG = "license-plate-readers-a-primer"
LPR = resource_id(LPR_SLUG)
OTHER = min(int(r["id"]) for r in resources() if int(r["id"]) != LPR)


BATCH = 20  # results the finder shows at a time, one card file's worth (search_index.CARD_CHUNK)
FIELD = {"area": "areas", "type": "type", "size": "agency_sizes", "sponsor": "sponsor", "year": "year"}


def expected_ids(filters: dict[str, list[str]]) -> set[int]:
    """Ids matching ``filters``: OR within a facet, AND across facets."""
    found = set()
    for r in resources():
        ok = True
        for facet, wanted in filters.items():
            value = r[FIELD[facet]]
            values = {str(v) for v in value} if isinstance(value, list) else {str(value)}
            ok &= bool(values & set(wanted))
        if ok:
            found.add(r["id"])
    return found


COMBINATIONS = [
    {"area": ["crime-analysis"]},
    {"area": ["crime-analysis", "technology"]},
    {"area": ["gun-violence"], "type": ["webinar", "guide", "publication"]},
    {"size": ["small"], "sponsor": ["BJA"]},
    {"year": ["2016", "2017"], "area": ["investigations", "community-engagement"]},
    {"type": ["podcast"], "sponsor": ["FBI"]},  # nothing: both stay selected at zero
]

QUERIES = ["gun violence", "licen", "crime analysis", "webinar", "NIBIN", "social network", "peer exch",
           "camden", "toolkit", "the", "community policing trust", "xyzzy", "BJA", "officer safety"]  # fmt: skip


# --- Python side ---------------------------------------------------------------------------------


def real_index() -> tuple[Index, lunr_twin.Sharded]:
    """lunr.py's own index of the real resources, and the files the build ships, read as the engine does."""
    site = pipeline.check(pipeline.Options(content=REAL_CONTENT))
    documents = search_index.resource_documents(site.resources)
    built = lunr_twin.build_index(documents, synonyms=site.clearinghouse.synonyms).build()
    files = search_index.build_index(documents, search_index.FIELDS, synonyms=site.clearinghouse.synonyms)
    return built, lunr_twin.Sharded(files)


def test_fast_term_counts_equal_lunr_builders(tmp_path: Path) -> None:
    """The build counts terms itself (every document at once); lunr.py's builder must agree exactly."""
    real = pipeline.check(pipeline.Options(content=REAL_CONTENT))
    made = pipeline.check(pipeline.Options(content=synthetic.generate(tmp_path / "c", 300, 10)))
    for site in (real, made):
        documents = search_index.resource_documents(site.resources)
        expected = lunr_twin.builder_frequencies(lunr_twin.build_index(documents, synonyms=site.clearinghouse.synonyms))
        names = [name for name, _ in search_index.FIELDS]
        table = lunr_terms.count(documents, names, site.clearinghouse.synonyms)
        assert lunr_twin.table_frequencies(table, [ref for ref, _ in documents]) == expected


def test_shipped_index_searches_exactly_like_lunrs_own() -> None:
    built, sharded = real_index()
    for query in QUERIES:
        expected = lunr_twin.search(built, query)
        found = sharded.search(query)
        assert [ref for ref, _ in found] == [ref for ref, _ in expected], query
        for (_, mine), (_, theirs) in zip(found, expected, strict=True):
            assert abs(mine - theirs) < 1e-9, query


def test_query_terms_drop_stop_words_and_stem() -> None:
    assert lunr_twin.query_terms("The Gun-Violence analyses, Camden!") == ["gun", "violenc", "analys", "camden"]
    assert lunr_twin.query_terms("the and of") == []


def test_prefix_search_and_summary_words_find_resources() -> None:
    _, index = real_index()
    assert str(LPR) in [ref for ref, _ in index.search("licen")]
    for r in resources():
        word = max(r["summary"].replace(",", " ").replace(".", " ").split(), key=len)
        assert str(r["id"]) in [ref for ref, _ in index.search(word)], (r["id"], word)


def test_index_size_stays_small_per_resource(real_site: Path) -> None:
    folder = real_site / "assets" / "search"
    index = [*folder.glob("index.*.json"), *folder.glob("t.*.json"), *folder.glob("v.*.json")]
    assert len(gzip.compress(b"".join(p.read_bytes() for p in index), 9)) < 1200 * len(resources())


# --- in Chromium ---------------------------------------------------------------------------------


def open_finder(page: Page, server: Server, query: str = "") -> None:
    page.goto(server.url + "/clearinghouse/" + query)
    page.wait_for_selector("#finder[data-ready=true]")


def settled(page: Page) -> None:
    """Waits until the finder has put the results of the last change on the page."""
    page.wait_for_selector("#finder-results:not([aria-busy])", state="attached")


def result_ids(page: Page) -> list[int]:
    """Every result, in order, as the page lists them: "Show more" is pressed until none is left."""
    settled(page)
    more = page.locator("#finder-more")
    while more.is_visible():
        before = len(shown_ids(page))
        more.click()
        page.wait_for_function(
            f"() => document.querySelectorAll('#finder-results [data-resource-id]').length > {before}"
        )
    return shown_ids(page)


def wait_for_count(page: Page, n: int) -> None:
    """Waits until the finder lists ``n`` results, by its count line (the cards come in batches)."""
    line = (
        "No resources match"
        if n == 0
        else (f"Showing all {n} resources" if n == len(resources()) else f"{n} resource{'s' if n != 1 else ''} match")
    )
    page.wait_for_function(f"() => document.getElementById('finder-count').textContent.startsWith({line!r})")
    settled(page)


def shown_ids(page: Page) -> list[int]:
    settled(page)
    return [int(x) for x in page.locator("#finder-results [data-resource-id]").evaluate_all(
        "cards => cards.map(c => c.getAttribute('data-resource-id'))")]  # fmt: skip


def counts(page: Page, facet: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for box in page.locator(f"input[data-facet={facet}]").all():
        wrapper = box.locator("xpath=..")
        if wrapper.get_attribute("hidden") is not None:
            continue
        text = wrapper.locator(".finder__count").text_content() or ""
        found[str(box.get_attribute("value"))] = int(text.strip("()"))
    return found


@pytest.mark.browser
@pytest.mark.parametrize("filters", COMBINATIONS)
def test_facet_combinations_give_exactly_the_expected_resources(
    server: Server, watched: Any, filters: dict[str, list[str]]
) -> None:
    page = watched.page
    open_finder(page, server, "?" + urlencode({k: ",".join(v) for k, v in filters.items()}))
    expected = expected_ids(filters)
    assert len(shown_ids(page)) == min(BATCH, len(expected))  # the first batch, then all of them
    assert set(result_ids(page)) == expected
    for facet, values in filters.items():
        for value in values:
            assert page.locator(f"input[data-facet={facet}][value='{value}']").is_checked()
    if not expected:
        assert page.locator("#finder-empty").is_visible()
        # Selected values stay visible at zero results, so they can be unticked.
        for facet, values in filters.items():
            for value in values:
                assert page.locator(f"input[data-facet={facet}][value='{value}']").is_visible()
                assert (
                    page.locator(f"[data-facet={facet}][value='{value}'] + label .finder__count").inner_text() == "(0)"
                )
    assert watched.problems == []


@pytest.mark.browser
def test_counts_are_what_adding_each_value_would_give(server: Server, watched: Any) -> None:
    page = watched.page
    selected = {"area": ["gun-violence"], "size": ["small"]}
    open_finder(page, server, "?area=gun-violence&size=small")
    for facet in ("type", "sponsor", "year", "area"):
        others = {k: v for k, v in selected.items() if k != facet}
        shown = counts(page, facet)
        values = {
            str(v)
            for r in resources()
            for v in (r[FIELD[facet]] if isinstance(r[FIELD[facet]], list) else [r[FIELD[facet]]])
        }
        for value in values:
            n = len(expected_ids({**others, facet: [value]}))
            if n or value in selected.get(facet, []):
                assert shown.get(value) == n, (facet, value)
            else:
                assert value not in shown, (facet, value)


@pytest.mark.browser
def test_typing_searches_by_prefix_and_announces_the_count(server: Server, watched: Any) -> None:
    page = watched.page
    open_finder(page, server)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    assert not [u for u in requests if "/search/index." in u]  # the text index is not loaded up front
    found = {int(ref) for ref, _ in real_index()[1].search("licen")}
    assert LPR in found
    page.locator("#finder-q").fill("licen")
    wait_for_count(page, len(found))
    assert set(result_ids(page)) == found
    assert any("/search/index." in u for u in requests) and any("lunr.min" in u for u in requests)
    matched = f"{len(found)} resources match" if len(found) != 1 else "1 resource matches"
    status = f"{matched} \u201clicen\u201d."
    page.wait_for_function(f"() => document.getElementById('finder-status').textContent === {status!r}")
    assert "q=licen" in page.url
    page.locator("#finder-q").fill("xyzzy")
    wait_for_count(page, 0)
    assert page.locator("#finder-empty").is_visible()
    page.locator("#finder-reset").click()
    wait_for_count(page, len(resources()))
    assert page.locator("#finder-q").input_value() == ""
    assert page.evaluate("document.activeElement.id") == "finder-results-heading"


@pytest.mark.browser
def test_url_state_round_trip_and_back_forward(server: Server, watched: Any) -> None:
    page = watched.page
    open_finder(page, server)
    page.locator("label[for='f-area-gun-violence']").click()
    page.wait_for_function("() => location.search === '?area=gun-violence'")
    page.locator("label[for='f-type-webinar']").click()
    page.wait_for_function("() => location.search.includes('type=webinar')")
    page.select_option("#finder-sort", "title")
    page.wait_for_function("() => location.search.includes('sort=title')")
    both = result_ids(page)
    assert set(both) == expected_ids({"area": ["gun-violence"], "type": ["webinar"]})
    page.reload()
    page.wait_for_selector("#finder[data-ready=true]")
    assert result_ids(page) == both and page.locator("#finder-sort").input_value() == "title"
    page.go_back()
    page.wait_for_function("() => !location.search.includes('sort=')")
    page.go_back()
    page.wait_for_function("() => location.search === '?area=gun-violence'")
    assert not page.locator("input[data-facet=type][value=webinar]").is_checked()
    assert set(result_ids(page)) == expected_ids({"area": ["gun-violence"]})
    page.go_forward()
    page.wait_for_function("() => location.search.includes('type=webinar')")
    assert set(result_ids(page)) == set(both)
    # A chip removes its filter; Clear all removes the rest, and focus lands on the results heading.
    page.locator(".finder__chip", has_text="Type: Webinar").click()
    page.wait_for_function("() => !location.search.includes('type=')")
    page.locator("#finder-clear").click()
    page.wait_for_function("() => location.search === ''")
    assert page.evaluate("document.activeElement.id") == "finder-results-heading"


@pytest.mark.browser
def test_unknown_url_values_are_ignored_and_payloads_do_not_run(server: Server, watched: Any) -> None:
    page = watched.page
    payload = "<img src=x onerror=window.__xss=1>"
    open_finder(
        page, server, "?" + urlencode({"q": payload, "area": "nope,crime-analysis", "sort": "evil", "type": payload})
    )
    page.wait_for_function("() => document.getElementById('finder-count').textContent !== 'Loading search…'")
    assert page.evaluate("window.__xss") is None
    assert page.locator("#finder-q").input_value() == payload
    assert page.locator("#finder-sort").input_value() == "relevance"
    assert [c.inner_text() for c in page.locator(".finder__chip").all()] == ["Area: Crime Analysis ✕"]
    assert watched.problems == []


@pytest.mark.browser
def test_sorting_by_title_and_newest(server: Server, watched: Any) -> None:
    page = watched.page
    open_finder(page, server, "?sort=title")
    by_title = sorted(resources(), key=lambda r: (r["title"].casefold(), r["id"]))
    assert result_ids(page) == [r["id"] for r in by_title]
    open_finder(page, server, "?sort=newest")
    newest = sorted(resources(), key=lambda r: (r["year"], r["added"], r["id"]), reverse=True)
    assert result_ids(page) == [r["id"] for r in newest]


@pytest.mark.browser
def test_show_more_reveals_the_rest_and_moves_focus(server: Server, watched: Any) -> None:
    page = watched.page
    open_finder(page, server)
    total, step = len(resources()), BATCH
    assert total > step
    assert len(shown_ids(page)) == step
    shown = step
    while shown < total:  # each click reveals the next batch, until none is left
        page.locator("#finder-more").click()
        first_new, shown = shown, min(total, shown + step)
        page.wait_for_function(
            f"() => document.querySelectorAll('#finder-results [data-resource-id]').length === {shown}"
        )
        # Focus lands on the first result of the new batch, in the same step as the batch appears.
        focused = page.evaluate(
            "[...document.querySelectorAll('#finder-results [data-resource-id]')]"
            ".indexOf(document.activeElement.closest('[data-resource-id]'))"
        )
        assert focused == first_new
    assert page.locator("#finder-more").is_hidden()


ENGINE_QUERY = """async q => {
    const finder = document.getElementById("finder");
    const engine = pspSearch.open(finder.dataset.index, finder.dataset.lunr);
    const result = await engine.query(q);
    return result.order.filter(ref => !result.loose[ref]).map(ref => [ref, result.scores[ref]]);
}"""


@pytest.mark.browser
def test_lunr_js_and_lunr_py_return_the_same_results(server: Server, watched: Any) -> None:
    """The engine, reading the shipped files in Chromium, finds what lunr.py finds in an index it
    built itself, in the same order and with the same scores (results that needed a typo aside)."""
    page = watched.page
    open_finder(page, server)
    built, _ = real_index()
    for query in QUERIES:
        browser_results = page.evaluate(ENGINE_QUERY, query)
        python_results = lunr_twin.search(built, query)
        assert [ref for ref, _ in browser_results] == [ref for ref, _ in python_results], query
        for (_, mine), (_, theirs) in zip(browser_results, python_results, strict=True):
            assert abs(mine - theirs) < 1e-9, (query, mine, theirs)


@pytest.mark.browser
def test_area_page_link_opens_the_clearinghouse_filtered(server: Server, watched: Any) -> None:
    page = watched.page
    page.goto(server.url + "/areas/technology/")
    page.locator("a", has_text="Filter these in the clearinghouse").click()
    page.wait_for_selector("#finder[data-ready=true]")
    assert set(result_ids(page)) == expected_ids({"area": ["technology"]})


# --- the toolkit ---------------------------------------------------------------------------------


@pytest.mark.browser
def test_toolkit_add_remove_survives_reload_and_is_counted(server: Server, watched: Any) -> None:
    page = watched.page
    open_finder(page, server, "?area=technology&sort=title")
    first, second = result_ids(page)[:2]
    page.locator(f"[data-resource-id='{first}'] .toolkit-toggle").click()
    page.locator(f"[data-resource-id='{second}'] .toolkit-toggle").click()
    assert page.locator(f"[data-resource-id='{first}'] .toolkit-toggle").get_attribute("aria-pressed") == "true"
    assert page.locator("[data-toolkit-count]").first.inner_text() == "(2)"
    assert "2 saved" in page.locator("#toolkit-status").inner_text()
    page.goto(server.url + f"/resources/{LPR_SLUG}/")
    button = page.locator(".resource .toolkit-toggle")
    assert button.is_visible() and button.get_attribute("aria-pressed") == "false"
    button.click()
    page.reload()
    assert page.locator(".resource .toolkit-toggle").get_attribute("aria-pressed") == "true"
    page.goto(server.url + "/toolkit/")
    page.wait_for_selector("#toolkit[data-ready=true]")
    assert sorted(int(x) for x in page.locator("#toolkit-groups [data-resource-id]").evaluate_all(
        "cards => cards.map(c => c.getAttribute('data-resource-id'))")) == sorted({first, second, LPR})  # fmt: skip
    # Grouped by each resource's main area, under area headings.
    headings = page.locator("#toolkit-groups h2").all_inner_texts()
    assert headings and all("(" in h for h in headings)
    page.locator(f"#toolkit-groups [data-resource-id='{first}'] .toolkit-toggle").click()
    page.wait_for_function(f"() => !document.querySelector(\"#toolkit-groups [data-resource-id='{first}']\")")
    page.reload()
    page.wait_for_selector("#toolkit[data-ready=true]")
    assert page.locator(f"#toolkit-groups [data-resource-id='{first}']").count() == 0
    page.locator("#toolkit-clear").click()
    assert page.locator("#toolkit-empty").is_visible()
    page.locator("#toolkit-undo").click()
    page.wait_for_selector(f"#toolkit-groups [data-resource-id='{LPR}']")
    assert watched.problems == []


@pytest.mark.browser
def test_share_link_opens_the_same_toolkit_in_a_fresh_browser(server: Server, browser: Browser, watched: Any) -> None:
    page = watched.page
    page.goto(server.url + "/toolkit/")
    page.wait_for_selector("#toolkit[data-ready=true]")
    page.evaluate(f"pspToolkit.set([{LPR}, {OTHER}, 999999])")
    page.reload()
    page.wait_for_selector("#toolkit[data-ready=true]")
    link = page.locator("#toolkit-share").input_value()
    base_url = yaml.safe_load((REAL_CONTENT / "site.yaml").read_text())["base_url"].rstrip("/")
    assert link == base_url + f"/toolkit/?r={LPR},{OTHER}"  # the published address, ids the site has only
    fresh = browser.new_context()
    try:
        other = watch(fresh, server.url).page
        other.goto(server.url + f"/toolkit/?r={LPR},{OTHER},424242")
        other.wait_for_selector("#toolkit[data-ready=true]")
        shown = sorted(int(x) for x in other.locator("#toolkit-groups [data-resource-id]").evaluate_all(
            "cards => cards.map(c => c.getAttribute('data-resource-id'))"))  # fmt: skip
        assert shown == sorted([LPR, OTHER])
        assert "no longer in the clearinghouse" in other.locator("#toolkit-notice").inner_text()
        assert other.evaluate("pspToolkit.ids()") == []
        other.locator("#toolkit-save-shared").click()
        assert other.evaluate("pspToolkit.ids()") == [LPR, OTHER]
    finally:
        fresh.close()


@pytest.mark.browser
def test_csv_download_holds_the_chosen_rows(server: Server, watched: Any) -> None:
    page = watched.page
    page.goto(server.url + "/toolkit/")
    page.wait_for_selector("#toolkit[data-ready=true]")
    page.evaluate(f"pspToolkit.set([{OTHER}, {LPR}])")
    page.wait_for_selector(f"#toolkit-groups [data-resource-id='{LPR}']")
    with page.expect_download() as info:
        page.locator("#toolkit-download").click()
    download = info.value
    assert download.suggested_filename == "psp-toolkit.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:2] == ["Resource number", "Title"]
    titles = {int(r["id"]): r["title"] for r in resources()}
    assert [(int(row[0]), row[1]) for row in rows[1:]] == [(OTHER, titles[OTHER]), (LPR, titles[LPR])]
    assert rows[2][7].endswith(f"/resources/{LPR_SLUG}/")


@pytest.mark.browser
def test_payload_in_a_resource_title_stays_text(content: Path, tmp_path: Path, context: BrowserContext) -> None:
    path = content / "resources" / "lpr-primer.yaml"
    path.write_text(
        path.read_text().replace("'License Plate Readers: A Primer'", "'<img src=x onerror=window.__xss=1> LPR'")
    )
    out = tmp_path / "out"
    with built_and_watched(content, out, context) as (server, watched):
        page = watched.page
        open_finder(page, server, "?q=lpr")
        wait_for_count(page, 1)
        assert "<img src=x" in page.locator("#finder-results").inner_text()
        page.evaluate("pspToolkit.set([373])")
        page.goto(server.url + "/toolkit/")
        page.wait_for_selector("#toolkit[data-ready=true]")
        assert "<img src=x" in page.locator("#toolkit-groups").inner_text()
        assert page.evaluate("window.__xss") is None
        assert watched.problems == []


@pytest.mark.browser
def test_first_load_of_the_clearinghouse_stays_within_budget(server: Server, real_site: Path, browser: Browser) -> None:
    context = browser.new_context()
    try:
        page = watch(context, server.url).page
        loaded: list[str] = []
        page.on("response", lambda r: loaded.append(r.url))
        page.goto(server.url + "/clearinghouse/")
        page.wait_for_selector("#finder[data-ready=true]")
        page.wait_for_load_state("networkidle")  # whatever the finder fetches once ready, too
        total = 0
        for url in loaded:
            rel = url[len(server.url) + 1 :].split("?")[0]
            file = real_site / (rel + "index.html" if rel.endswith("/") or not rel else rel)
            total += len(gzip.compress(file.read_bytes(), 9))
        assert not [u for u in loaded if "/search/index." in u or "lunr" in u]
        assert total <= 150_000, total
    finally:
        context.close()


_ = CHROMIUM_ARGS


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_finder_takes_the_lists_place_without_moving_anything(server: Server, browser: Browser, width: int) -> None:
    """No layout shift while the finder loads: it replaces the static list in one step."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = watch(context, server.url).page
    page.add_init_script(
        "window.__shifts = []; new PerformanceObserver(list => list.getEntries().forEach("
        "e => window.__shifts.push(e.value))).observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(server.url + "/clearinghouse/")
    page.wait_for_selector("#finder[data-ready=true]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#static-listing").is_hidden() and page.locator("#finder-results li").count() > 0
    assert sum(page.evaluate("window.__shifts")) < 0.01
    context.close()


def test_fields_empty_everywhere_and_no_documents_build() -> None:
    """A field no document uses, or no documents at all, still gives an index the engine can read."""
    documents: list[search_index.Document] = [("1", {"title": "Crime gun intelligence"}), ("2", {"title": "Guns"})]
    found = lunr_twin.Sharded(search_index.build_index(documents, search_index.FIELDS)).search("gun")
    expected = lunr_twin.search(lunr_twin.build_index(documents).build(), "gun")
    assert [ref for ref, _ in found] == [ref for ref, _ in expected] == ["2", "1"]
    assert all(abs(a - b) < 1e-9 for (_, a), (_, b) in zip(found, expected, strict=True))
    assert lunr_twin.Sharded(search_index.build_index([], search_index.FIELDS)).search("gun") == []
