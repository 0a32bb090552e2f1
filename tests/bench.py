"""``make bench``: build synthetic sites of three sizes and print what it cost.

Every figure is measured here, on this machine: wall time of the ``psp-static build`` process
(start-up included), its peak resident memory, output bytes, and in Chromium the bytes the
clearinghouse and map pages transfer gzipped, and the search figures of :mod:`tests.bench_search`. Beside it,
Pelican and Hugo build the same resources (see :mod:`tests.peers`): paired runs, each build into
an empty folder, give psp-static's time as a ratio of theirs, measured in the same run rather than
quoted. Results go to ``.cache/bench/results.json`` and ``.cache/bench/results.md``. Not part of
``make test``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, sync_playwright

from tests import bench_search, peers, synthetic
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, TILE_HOSTS, TILE_PNG, Server

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / ".cache" / "bench"
SIZES = ((200, 70), (1000, 70), (10000, 500))
PELICAN = REPO / ".cache" / "bench" / "pelican" / "bin" / "pelican"


def run_build(content: Path, templates: Path, output: Path, *extra: str) -> tuple[float, int]:
    """Run one build in its own process: (wall seconds, peak RSS in bytes of that process)."""
    command = [sys.executable, "-m", "psp_static", "build", "--content", str(content), "--templates", str(templates)]
    os.sync()  # nothing the steps before wrote is still being written back while this one is timed
    started = time.perf_counter()
    # Its messages (the synthetic resources' review warnings) go to a file, as Pelican's and
    # Hugo's output does not reach a terminal either: printing them is not building.
    log = WORK / "build-messages.txt"
    with log.open("wb") as messages:
        process = subprocess.Popen([*command, "--output", str(output), *extra], stdout=messages, stderr=messages)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"build failed ({process.returncode}) for {content}:\n{log.read_text()[-3000:]}")
    return seconds, usage.ru_maxrss * 1024


def forget(output: Path, trash: Path) -> None:
    """What ``build --clean`` removes: the build cache beside ``output`` (the previous output stays,
    untrusted, to be rewritten). It is moved into ``trash``, deleted when everything is measured."""
    cache = output.with_name(f".{output.name}-cache")
    if cache.exists():
        trash.mkdir(parents=True, exist_ok=True)
        cache.rename(trash / f"cache-{len(list(trash.iterdir()))}")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6, mtime=0))


def transferred(browser: Browser, server: Server, path: str, action: str | None = None) -> tuple[int, int]:
    """Raw and gzipped bytes of every same-origin file a page requests until it is idle."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requested: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if (urlsplit(url).hostname or "").endswith(TILE_HOSTS):
            r.fulfill(status=200, content_type="image/png", body=TILE_PNG)
        else:
            requested.append(url)
            r.continue_()

    page.route("**/*", route)
    page.goto(server.url + path, wait_until="networkidle")
    if action:
        page.evaluate(action)
        page.wait_for_load_state("networkidle")
    context.close()
    raw = zipped = 0
    for url in dict.fromkeys(requested):
        local = urlsplit(url).path
        if local.endswith("/"):
            local += "index.html"
        target = server.root / local.lstrip("/")
        if target.is_file():
            data = target.read_bytes()
            raw, zipped = raw + len(data), zipped + gz(data)
    return raw, zipped


def tree_size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def side_by_side(content: Path, templates: Path, folder: Path, pairs: int) -> dict[str, float]:
    """Medians over ``pairs`` rounds of psp-static, Pelican and Hugo, each building into an empty
    folder (psp-static with nothing cached), run one after the other so that each round's
    three builds meet the same load on the machine. Each round starts with a different one of
    the three, and no round deletes what an earlier one wrote (see :func:`measure`): whichever
    build came first would pay for the disk's work."""
    pelican_site = peers.pelican_site(content, folder / "pelican")
    hugo_site = peers.hugo_site(content, folder / "hugo")
    trash = folder / "side-by-side"
    shutil.rmtree(trash, ignore_errors=True)
    times: dict[str, list[float]] = {"psp": [], "pelican": [], "hugo": []}
    builds: list[tuple[str, Callable[[Path], float]]] = [
        ("psp", lambda empty: run_build(content, templates, empty / "output")[0]),
        ("pelican", lambda empty: peers.pelican_build(PELICAN, pelican_site, empty / "pelican-output")),
        ("hugo", lambda empty: peers.hugo_build(hugo_site, empty / "hugo-output")),
    ]
    for n in range(pairs):
        for name, build in builds[n % 3 :] + builds[: n % 3]:
            times[name].append(build(trash / str(n)))
    shutil.rmtree(trash, ignore_errors=True)
    ours, pelican, hugo = times["psp"], times["pelican"], times["hugo"]
    return {
        "psp_empty_build_s": round(statistics.median(ours), 2),
        "pelican_s": round(statistics.median(pelican), 2),
        "hugo_s": round(statistics.median(hugo), 2),
        "vs_pelican": round(statistics.median(o / p for o, p in zip(ours, pelican, strict=True)), 2),
        "vs_hugo": round(statistics.median(o / h for o, h in zip(ours, hugo, strict=True)), 2),
    }


def measure(resources: int, sites: int, browser: Browser, pairs: int = 3) -> dict[str, Any]:
    folder = WORK / f"{resources}-{sites}"
    content = synthetic.generate(folder / "content", resources, sites)
    templates = folder / "templates"
    shutil.rmtree(templates, ignore_errors=True)
    shutil.copytree(REPO / "templates", templates)
    output = folder / "output"
    run_build(content, templates, output)  # warms the operating system's file cache
    # Whatever a step deletes is only moved aside, into a folder deleted when everything is
    # measured: deleting thousands of files keeps this VM's disk busy (it discards the blocks)
    # and, on ext4 without a journal, slows the making of new files for minutes after.
    trash = folder / "trash"
    shutil.rmtree(trash, ignore_errors=True)
    empty = trash / "first-build"
    first, first_peak = run_build(content, templates, empty / "output")  # a first build, as in CI
    forget(output, trash)  # a full build starts without our cache (moved away outside the timing)
    full, peak = run_build(content, templates, output)
    pages = sum(1 for _ in output.rglob("*.html"))
    unchanged, _ = run_build(content, templates, output)
    edits = []
    for number in (1, 2, 3, 4):  # the first edit after --clean links the output; later ones update in place
        edited = content / "resources" / f"resource-{number:05d}.yaml"
        edited.write_text(edited.read_text().replace(f"Resource {number}.", f"Resource {number}, edited.", 1))
        edits.append(run_build(content, templates, output)[0])
    base = templates / "base.html"
    base.write_text(base.read_text() + "{# edited by the benchmark #}\n<!-- bench -->\n")
    template_edit, _ = run_build(content, templates, output)
    size, files = tree_size(output)
    server = Server(output)
    try:
        first_raw, first_gz = transferred(browser, server, "/clearinghouse/")
        map_raw, map_gz = transferred(browser, server, "/sites/")
        search = bench_search.measure(browser, server, output, content)
    finally:
        server.close()
    peer = side_by_side(content, templates, folder, pairs)
    shutil.rmtree(trash)  # only now: deleting it would slow the builds timed side by side
    return {
        "load_average": round(os.getloadavg()[0], 1),  # the machine may be shared: say how busy it was
        **peer,
        "edit_vs_full": round(statistics.median(edits[1:]) / peer["psp_empty_build_s"], 3),
        "resources": resources,
        "sites": sites,
        "pages": pages,
        "first_build_s": round(first, 2),
        "full_build_s": round(full, 2),
        "ms_per_page": round(full * 1000 / pages, 2),
        "peak_memory_mb": round(max(peak, first_peak) / 2**20),
        "no_change_rebuild_s": round(unchanged, 2),
        "first_edit_after_clean_s": round(edits[0], 2),
        "one_resource_edit_s": round(statistics.median(edits[1:]), 2),
        "template_edit_s": round(template_edit, 2),
        "output_mb": round(size / 2**20, 1),
        "output_files": files,
        "clearinghouse_first_load_kb": round(first_raw / 1024),
        "clearinghouse_first_load_gz_kb": round(first_gz / 1024, 1),
        "map_page_kb": round(map_raw / 1024),
        "map_page_gz_kb": round(map_gz / 1024, 1),
        **search,
    }


def measure_search(resources: int, sites: int, browser: Browser) -> dict[str, Any]:
    """Only the search figures (``--search-only``): one build, then the clearinghouse in Chromium."""
    folder = WORK / f"{resources}-{sites}"
    content = synthetic.generate(folder / "content", resources, sites)
    output = folder / "output"
    build_s, _ = run_build(content, REPO / "templates", output)
    server = Server(output)
    try:
        _, first_gz = transferred(browser, server, "/clearinghouse/")
        search = bench_search.measure(browser, server, output, content)
    finally:
        server.close()
    return {
        "load_average": round(os.getloadavg()[0], 1),
        "resources": resources,
        "sites": sites,
        "build_s": round(build_s, 2),
        "clearinghouse_first_load_gz_kb": round(first_gz / 1024, 1),
        **search,
    }


LABELS = {
    "load_average": "Load average (1 min) when measured",
    "psp_empty_build_s": "psp-static, build into an empty folder, median (s)",
    "pelican_s": "Pelican, same resources, median (s)",
    "hugo_s": "Hugo, same resources, median (s)",
    "vs_pelican": "psp-static / Pelican, median of paired runs",
    "vs_hugo": "psp-static / Hugo, median of paired runs",
    "edit_vs_full": "One-resource edit / build into an empty folder",
    "pages": "HTML pages",
    "first_build_s": "First build, into an empty folder (s)",
    "full_build_s": "Full build, nothing cached (build --clean) (s)",
    "ms_per_page": "ms per page (full build)",
    "peak_memory_mb": "Peak memory (MB)",
    "no_change_rebuild_s": "No-change rebuild (s)",
    "first_edit_after_clean_s": "Rebuild after editing one resource, first after build --clean (s)",
    "one_resource_edit_s": "Rebuild after editing one resource, median of the next three (s)",
    "template_edit_s": "Rebuild after editing one template (s)",
    "output_mb": "Output size (MB)",
    "output_files": "Output files",
    "clearinghouse_first_load_kb": "Clearinghouse first load (KB)",
    "clearinghouse_first_load_gz_kb": "Clearinghouse first load gzipped (KB; budget 150)",
    "map_page_kb": "Sites (map) page (KB)",
    "map_page_gz_kb": "Sites (map) page gzipped (KB)",
    **bench_search.LABELS,
    "build_s": "Build into an empty folder (s)",
}


def markdown(results: list[dict[str, Any]]) -> str:
    head = "| Figure | " + " | ".join(f"{r['resources']} resources, {r['sites']} sites" for r in results) + " |"
    lines = [head, "|---|" + "---:|" * len(results)]
    for key, label in LABELS.items():
        if all(key in r for r in results):
            lines.append(f"| {label} | " + " | ".join(str(r[key]) for r in results) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", help="comma-separated RESOURCES:SITES pairs, e.g. 100:70,1000:70")
    parser.add_argument("--pairs", type=int, default=3, help="paired runs of psp-static, Pelican and Hugo per size")
    parser.add_argument("--search-only", action="store_true", help="only the search figures: one build per size")
    args = parser.parse_args()
    sizes = [tuple(int(n) for n in pair.split(":")) for pair in args.sizes.split(",")] if args.sizes else SIZES
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for resources, sites in sizes:
            print(f"Measuring {resources} resources and {sites} sites ...", flush=True)
            if args.search_only:
                results.append(measure_search(resources, sites, browser))
            else:
                results.append(measure(resources, sites, browser, args.pairs))
        browser.close()
    table = markdown(results)
    (WORK / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (WORK / "results.md").write_text(table)
    print(table)
    print(f"Saved to {WORK / 'results.json'} and {WORK / 'results.md'}")


if __name__ == "__main__":
    main()
