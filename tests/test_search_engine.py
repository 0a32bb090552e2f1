"""The search engine (js/search-engine.js) in Chromium: full text, typos, synonyms, highlighting
ranges, superseded queries, and the bytes a query transfers at 10,000 resources."""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from psp_static import pipeline, search_index
from psp_static.assets import Assets
from tests import synthetic
from tests.conftest import REAL_CONTENT, Server
from tests.helpers import records

PACKAGE_STATIC = Path(search_index.__file__).parent / "static"


def resources() -> list[dict[str, Any]]:
    return list(records(REAL_CONTENT / "resources").values())


def shown_text(r: dict[str, Any], *fields: str) -> str:
    """What a resource's page shows in ``fields``, lower-cased, read straight from its file."""
    return " ".join(" ".join(map(str, r.get(f) or [])) if f == "tags" else str(r.get(f) or "") for f in fields).lower()


def containing(phrase: str, *fields: str) -> set[str]:
    """Ids of the resources whose ``fields`` hold ``phrase`` (as a whole word or words)."""
    pattern = re.compile(rf"\b{re.escape(phrase.lower())}")
    return {str(r["id"]) for r in resources() if pattern.search(shown_text(r, *fields))}


ALL_FIELDS = ("title", "summary", "description", "tags", "author", "provider")

# The engine on the clearinghouse's own files; `loose` holds the refs found only through a typo.
QUERY = """async q => {
    const finder = document.getElementById("finder");
    const engine = pspSearch.open(finder.dataset.index, finder.dataset.lunr);
    const result = await engine.query(q);
    return Object.assign(result, { looseRefs: Object.keys(result.loose) });
}"""


def query(page: Page, text: str) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(QUERY, text)
    return found


def strict(result: dict[str, Any]) -> list[str]:
    return [ref for ref in result["order"] if ref not in result["looseRefs"]]


@pytest.fixture
def page(server: Server, watched: Any) -> Page:
    opened: Page = watched.page
    opened.goto(server.url + "/clearinghouse/")
    opened.wait_for_selector("#finder[data-ready=true]")
    return opened


@pytest.mark.browser
@pytest.mark.parametrize("phrase", ["homicide", "CompStat", "Family Justice"])
def test_words_only_in_a_description_are_found(page: Page, phrase: str) -> None:
    expected = containing(phrase, *ALL_FIELDS)
    only_described = expected - containing(phrase, "title", "summary", "tags", "author", "provider")
    assert only_described  # the content really has the phrase in a description only
    assert expected <= set(strict(query(page, phrase)))
    # And in the finder itself: typing it lists those resources.
    page.locator("#finder-q").fill(phrase)
    page.wait_for_function(f"() => document.getElementById('finder-count').textContent.includes({phrase!r})")
    page.wait_for_selector("#finder-results:not([aria-busy])", state="attached")
    cards = page.locator("#finder-results [data-resource-id]").evaluate_all(
        "cards => cards.map(c => c.getAttribute('data-resource-id'))"
    )
    assert only_described <= set(cards)


@pytest.mark.browser
def test_a_typo_finds_the_word_and_suggests_it(page: Page) -> None:
    right = query(page, "violence")
    typo = query(page, "violnce")
    assert strict(right)
    # Every resource the right spelling finds, the typo finds too, all through typo tolerance.
    assert set(strict(right)) <= set(typo["order"]) and set(typo["order"]) == set(typo["looseRefs"])
    assert typo["terms"]["violenc"] == "fuzzy"
    assert typo["suggestion"] == "violence" and right["suggestion"] is None
    plural = query(page, "strategys")  # the stemmer makes it "strategi", as "strategies"
    assert set(strict(plural)) == set(strict(query(page, "strategies"))) != set()


@pytest.mark.browser
def test_results_that_need_a_typo_come_after_exact_ones(page: Page) -> None:
    result = query(page, "violent")  # exact "violent"; "violence" is one edit away
    exact, loose = strict(result), result["looseRefs"]
    assert exact and loose
    assert result["order"] == exact + [ref for ref in result["order"] if ref in loose]
    assert min(result["scores"][r] for r in exact) > max(result["scores"][r] for r in loose)
    assert containing("violent", *ALL_FIELDS) <= set(exact)


@pytest.mark.browser
def test_nothing_near_gives_no_results_and_no_suggestion(page: Page) -> None:
    result = query(page, "zzyzxq")
    assert result["order"] == [] and result["suggestion"] is None


@pytest.mark.browser
def test_acronyms_find_what_they_stand_for_and_back(page: Page) -> None:
    spelled_out = containing("license plate reader", *ALL_FIELDS) - containing("lpr", *ALL_FIELDS)
    assert spelled_out  # some resources never say "LPR"
    lpr = query(page, "LPR")
    assert spelled_out <= set(strict(lpr))
    assert {"licens", "plate", "reader"} <= {t for t, kind in lpr["terms"].items() if kind == "synonym"}
    acronym_only = containing("alpr", *ALL_FIELDS) - containing("license plate", *ALL_FIELDS)
    both_ways = query(page, "license plate reader")
    assert containing("lpr", *ALL_FIELDS) <= set(strict(both_ways))
    assert acronym_only <= set(strict(both_ways))


@pytest.mark.browser
def test_two_words_must_both_match(page: Page) -> None:
    both = set(strict(query(page, "crime analysis")))
    assert both
    assert both <= set(strict(query(page, "crime"))) & set(strict(query(page, "analysis")))
    assert both >= containing("crime analysis", *ALL_FIELDS)


@pytest.mark.browser
def test_marks_cover_the_matched_words_only(page: Page) -> None:
    text = "License plate readers & the LPR: a primer on violence"
    ranges = page.evaluate(
        """async text => {
            const finder = document.getElementById("finder");
            const engine = pspSearch.open(finder.dataset.index, finder.dataset.lunr);
            return [engine.marks(text, await engine.query("LPR")), engine.marks(text, await engine.query("violnce"))];
        }""",
        text,
    )
    assert [text[a:b] for a, b in ranges[0]] == ["License", "plate", "readers", "LPR"]
    assert [text[a:b] for a, b in ranges[1]] == ["violence"]


@pytest.mark.browser
def test_a_superseded_query_resolves_null_and_its_files_are_kept(page: Page) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(urlsplit(r.url).path))
    first, second, again = page.evaluate(
        """async () => {
            const finder = document.getElementById("finder");
            const engine = pspSearch.open(finder.dataset.index, finder.dataset.lunr);
            const pending = engine.query("homicide");
            const latest = await engine.query("camden");
            const older = await pending;
            return [older, latest.order.length, (await engine.query("homicide")).order.length];
        }"""
    )
    assert first is None and second > 0 and again > 0
    assert len(requested) == len(set(requested))  # nothing fetched twice, the dropped query's files included


# --- transfer at 10,000 resources ---------------------------------------------------------------

BUDGET_ONE_WORD = 80 * 1024
BUDGET_THREE_WORDS = 200 * 1024
HARNESS = """<!doctype html><html lang="en"><head><title>search</title>
<script src="/lunr.min.js"></script><script src="/util.js"></script>
<script src="/search-engine.js"></script></head><body></body></html>"""


@pytest.fixture(scope="module")
def ten_thousand(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """The text index of the 10,000-resource synthetic site, as the build publishes it, served
    beside the engine and lunr.js (about 20 s to make)."""
    root = tmp_path_factory.mktemp("ten-thousand")
    site = pipeline.check(pipeline.Options(content=synthetic.generate(root / "content", 10_000, 20)))
    assets = Assets({}, {})
    search_index.publish_index(site, assets)
    served = root / "served"
    for name, data in assets.files.items():
        (served / name).parent.mkdir(parents=True, exist_ok=True)
        (served / name).write_bytes(data)
    shutil.copy(PACKAGE_STATIC / "vendor" / "lunr" / "lunr.min.js", served / "lunr.min.js")
    for script in ("util.js", "search-engine.js"):
        shutil.copy(PACKAGE_STATIC / "js" / script, served / script)
    (served / "index.html").write_text(HARNESS)
    server = Server(served)
    yield server, "/" + assets.path("search/index.json")
    server.close()


def transferred(browser: Browser, ten_thousand: tuple[Server, str], text: str) -> tuple[int, int]:
    """Gzipped bytes of the index files one query fetches, and how many results it found."""
    server, manifest = ten_thousand
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url + "/")
    fetched: list[str] = []
    page.on("requestfinished", lambda r: fetched.append(urlsplit(r.url).path))
    found = page.evaluate("async ([m, q]) => (await pspSearch.open(m, '/lunr.min.js').query(q)).order.length",
                          [manifest, text])  # fmt: skip
    context.close()
    files = [server.root / p.lstrip("/") for p in dict.fromkeys(fetched) if "/search/" in p]
    assert files and all(f.is_file() for f in files)
    return sum(len(gzip.compress(f.read_bytes(), 6)) for f in files), int(found)


ONE_WORD = ("violence", "data", "value", "communit", "strategys")
THREE_WORDS = ("gun violence data", "file value error", "community youth network")


@pytest.mark.browser
def test_queries_at_10000_resources_stay_in_budget(browser: Browser, ten_thousand: tuple[Server, str]) -> None:
    """One test for every query, so that only one of ``make test``'s processes builds the index."""
    for text in ONE_WORD:
        size, found = transferred(browser, ten_thousand, text)
        assert found > 0, text
        assert size <= BUDGET_ONE_WORD, f"{text!r} fetched {size} bytes gzipped"
    for text in THREE_WORDS:
        size, _ = transferred(browser, ten_thousand, text)
        assert size <= BUDGET_THREE_WORDS, f"{text!r} fetched {size} bytes gzipped"
