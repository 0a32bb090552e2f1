"""Search figures for ``make bench`` (:mod:`tests.bench`), measured on a built synthetic site.

Bytes are those of the files a query makes the page fetch, gzipped as a server would send them;
times are taken in Chromium with ``performance.now()`` in the page. The issue's budgets (issue 14)
are printed beside each figure; nothing here asserts a time (tests count bytes, never times).
"""

from __future__ import annotations

import gzip
import logging
import statistics
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page

from psp_static import made_assets, pipeline, routes, workers
from tests.conftest import Server

ONE_WORD = ("violence", "data", "train", "communit", "file", "value", "youth", "report", "network", "program",
            "strategy", "method", "object", "list", "error", "gun", "police", "time")  # fmt: skip
THREE_WORDS = ("gun violence data", "police training program", "community youth network", "file value error",
               "crime analysis report", "object list method")  # fmt: skip
TYPOS = ("violnce", "strategys", "trainng", "comunity", "reprot", "netwrok")
TYPED = ("violence", "training data", "community", "strategys")

# One query through the engine on the finder's own files: its time in ms once the data is there.
QUERY = """async q => {
    const finder = document.getElementById("finder");
    const engine = pspSearch.open(finder.dataset.index, finder.dataset.lunr);
    await engine.query(q);
    const started = performance.now();
    await engine.query(q);
    return performance.now() - started;
}"""

# Notes when the last keystroke happened and when the finder last finished rendering results.
WATCH = """() => {
    const list = document.getElementById("finder-results");
    window.benchTimes = { key: 0, shown: 0 };
    document.getElementById("finder-q").addEventListener("input", () => {
        window.benchTimes.key = performance.now();
    }, true);
    new MutationObserver(() => {
        if (!list.hasAttribute("aria-busy")) window.benchTimes.shown = performance.now();
    }).observe(list, { attributes: true, attributeFilter: ["aria-busy"] });
}"""


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6, mtime=0))


def local_bytes(server: Server, urls: list[str]) -> int:
    """Gzipped bytes of the distinct local files ``urls`` name."""
    total = 0
    for url in dict.fromkeys(urls):
        target = server.root / urlsplit(url).path.lstrip("/")
        if target.is_file():
            total += gz(target.read_bytes())
    return total


def open_finder(browser: Browser, server: Server) -> tuple[Any, Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server.url + "/clearinghouse/", wait_until="networkidle")
    page.wait_for_selector("#finder[data-ready=true]")
    return context, page


def query_bytes(browser: Browser, server: Server, query: str) -> int:
    """Gzipped bytes one query fetches on a freshly opened clearinghouse page (lunr.js included)."""
    context, page = open_finder(browser, server)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.evaluate(QUERY, query)
    context.close()
    return local_bytes(server, requested)


def query_times(browser: Browser, server: Server) -> list[float]:
    """ms per query once its files are fetched, five runs of each query, typos included."""
    context, page = open_finder(browser, server)
    times = [float(page.evaluate(QUERY, q)) for q in (*ONE_WORD, *THREE_WORDS, *TYPOS) for _ in range(5)]
    context.close()
    return sorted(times)


def keystroke_times(browser: Browser, server: Server) -> list[float]:
    """ms from the last keystroke of a typed query to its results on the page (files fetched as
    the typing needs them, as a visitor's would be)."""
    context, page = open_finder(browser, server)
    page.evaluate(WATCH)
    found = []
    for text in TYPED:
        page.locator("#finder-q").fill("")
        page.wait_for_selector("#finder-results:not([aria-busy])", state="attached")
        page.locator("#finder-q").press_sequentially(text, delay=40)  # a quick typist
        page.wait_for_function("() => benchTimes.shown > benchTimes.key")
        found.append(float(page.evaluate("benchTimes.shown - benchTimes.key")))
    context.close()
    return found


def index_bytes(output: Path) -> tuple[int, int]:
    """Raw and gzipped bytes of every file of the text index."""
    folder = output / "assets" / "search"
    files = [p for pattern in ("index.*.json", "t.*.json", "v.*.json") for p in folder.glob(pattern)]
    return sum(p.stat().st_size for p in files), sum(gz(p.read_bytes()) for p in files)


def search_data_seconds(content: Path) -> float:
    """Seconds all search data takes to build, in one process with nothing cached: the
    clearinghouse's cards, facets and text index, and the site search's index and cards."""
    logging.disable(logging.WARNING)  # the resources due for review: the build has listed them
    try:
        site = pipeline.check(pipeline.Options(content=content))
    finally:
        logging.disable(logging.NOTSET)
    made = made_assets.Inputs(site, routes.Urls(site.config.base_url), {})
    with workers.fewer_cycle_collections():  # as in a build
        started = time.perf_counter()
        made_assets.made_apart(made_assets.SEARCH_ASSETS, made)
        return time.perf_counter() - started


def measure(browser: Browser, server: Server, output: Path, content: Path) -> dict[str, Any]:
    one = [query_bytes(browser, server, q) for q in ONE_WORD]
    three = [query_bytes(browser, server, q) for q in THREE_WORDS]
    times = query_times(browser, server)
    keys = keystroke_times(browser, server)
    raw, zipped = index_bytes(output)
    return {
        "index_kb": round(raw / 1024),
        "index_gz_kb": round(zipped / 1024),
        "query_one_word_gz_kb_median": round(statistics.median(one) / 1024, 1),
        "query_one_word_gz_kb_max": round(max(one) / 1024, 1),
        "query_three_words_gz_kb_median": round(statistics.median(three) / 1024, 1),
        "query_three_words_gz_kb_max": round(max(three) / 1024, 1),
        "query_median_ms": round(statistics.median(times), 2),
        "query_p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "keystroke_to_results_ms_median": round(statistics.median(keys), 1),
        "search_data_build_s": round(search_data_seconds(content), 2),
    }


LABELS = {
    "index_kb": "Text index, all files (KB)",
    "index_gz_kb": "Text index, all files gzipped (KB)",
    "query_one_word_gz_kb_median": "One-word query transfer, gzipped, median (KB; budget 80)",
    "query_one_word_gz_kb_max": "One-word query transfer, gzipped, largest (KB; budget 80)",
    "query_three_words_gz_kb_median": "Three-word query transfer, gzipped, median (KB; budget 200)",
    "query_three_words_gz_kb_max": "Three-word query transfer, gzipped, largest (KB; budget 200)",
    "query_median_ms": "Query median in Chromium, typos included (ms; budget 30)",
    "query_p95_ms": "Query 95th percentile (ms; budget 60)",
    "keystroke_to_results_ms_median": "Last keystroke to results, median (ms; budget 100)",
    "search_data_build_s": "Search data build, both indexes and cards, one process, nothing cached (s; budget 2)",
}
