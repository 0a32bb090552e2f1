"""The build, one stage per line: load, validate, resolve, render, write.

Builds are incremental by default: a cache beside the output folder (see :mod:`psp_static.cache`)
remembers parsed files, rendered Markdown and search terms by content hash, and which page each
output file was rendered from, so an unchanged page is kept from the previous output instead of
rendered again. The output is byte-identical to a clean build's; tests hold it to that.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import gc
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import click

from psp_static import (
    assets,
    contentlinks,
    feeds,
    geomap,
    loader,
    outfolder,
    pages,
    render,
    resolve,
    routes,
    search_index,
    timely,
    usmap,
    validation,
    workers,
    writer,
)
from psp_static.cache import BuildCache, digest, stat_digest, tree_digest
from psp_static.errors import ContentError, ContentErrors, annotation, in_github_actions
from psp_static.loader import Loaded
from psp_static.model import SiteContent
from psp_static.pages import PageSpec

log = logging.getLogger(__name__)

# Assets made from sites and resources: they change with any of them, so a page that refers to
# one (the map, the finder) is rendered on every build.
DATA_ASSETS = ("map/", "search/")
# Kinds of content file that a page's dependencies name one by one; every other kind is site-wide.
LISTED_KINDS = ("site", "resource", "news")


@dataclasses.dataclass(frozen=True)
class Options:
    content: Path = Path("content")
    templates: Path = Path("templates")
    output: Path = Path("output")
    base_url: str | None = None  # overrides site.yaml's base_url
    incremental: bool = True  # reuse what earlier builds cached; False renders everything
    workers: int | None = None  # processes for Markdown and pages (default: $PSP_WORKERS or the cores)


@dataclasses.dataclass(frozen=True)
class Report:
    pages: int
    files: int
    seconds: float
    rendered: int = 0  # pages rendered by this build; the rest were unchanged and reused
    unchanged: bool = False  # nothing changed since the last build: the output was left as it was

    def summary(self) -> str:
        if self.unchanged:
            return f"Nothing changed since the last build: {self.pages} pages up to date ({self.seconds:.2f} s)."
        reused = self.pages - self.rendered
        detail = f"; {reused} unchanged pages reused" if reused else ""
        return f"Built {self.pages} pages ({self.files} files{detail}) in {self.seconds:.2f} s."


def cache_folder(output: Path) -> Path:
    """The build cache lives beside the output folder, like the staging folders."""
    output = output.absolute()
    return output.with_name(f".{output.name}-cache")


def check(options: Options, strict: bool = False, cache: BuildCache | None = None) -> SiteContent:
    """Load, validate and resolve the content; raise :class:`ContentErrors` listing every problem.

    Warnings are logged, or with ``strict`` reported as errors.
    """
    return _checked(options, strict, cache or BuildCache(None))[0]


def _checked(options: Options, strict: bool, cache: BuildCache) -> tuple[SiteContent, Loaded, list[ContentError]]:
    loaded = loader.load(options.content, cache, workers.available(options.workers))
    validation.prepare(loaded, cache, workers.available(options.workers))
    errors = loaded.errors + validation.validate(loaded, cache)
    warnings = validation.warnings(loaded, cache) + timely.future_news(loaded, timely.today())
    if strict:
        errors += warnings
    else:
        for warning in warnings:
            log.warning("%s", warning)
            if in_github_actions():
                click.echo(annotation(warning, "warning"))
    if errors:
        raise ContentErrors(errors)
    site = resolve.resolve(loaded, options.base_url, cache, workers.available(options.workers))
    pages_made = {spec.route for spec in pages.plan(site)} | {routes.FEED, routes.SITEMAP, routes.ROBOTS}
    link_errors = contentlinks.check(loaded, pages_made)
    if link_errors:
        raise ContentErrors(link_errors)
    return site, loaded, [] if strict else warnings


def build(options: Options, strict: bool = False) -> Report:
    """Build the whole site into ``options.output``; on any error the old output stays as it was."""
    with _one_build_at_a_time(options.output), _rare_collections():
        return _build(options, strict)


@contextlib.contextmanager
def _one_build_at_a_time(output: Path) -> Iterator[None]:
    """Two builds into one output (a preview running while someone builds) take turns: they share
    the cache and the previous output, which one updates in place."""
    folder = cache_folder(output)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed, or the process ends
        yield


@contextlib.contextmanager
def _rare_collections() -> Iterator[None]:
    """A build makes millions of small objects that live to its end, and hardly any cycles: Python's
    cycle collector, left to its defaults, rescans them again and again (a third of an edit's time)."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build(options: Options, strict: bool) -> Report:
    started = time.perf_counter()
    cache = BuildCache(cache_folder(options.output) if options.incremental else None)
    inputs = digest(
        cache.key,
        repr(options.base_url),
        str(strict),
        os.environ.get("SOURCE_DATE_EPOCH", ""),  # the feed's date when there is nothing newer
        stat_digest([options.content, options.templates]),
    )
    record = Record.load(cache)
    live = record.files(options.output)
    if record.inputs == inputs and live is not None and intact(options.output, live):
        for warning in record.warnings:
            log.warning("%s", warning)
        return Report(record.pages, len(live), time.perf_counter() - started, unchanged=True)

    processes = workers.available(options.workers)
    previous = writer.previous_folder(options.output)
    # The build updates the folder the live output replaced, when there is one. Unchanged files
    # are kept there when the record vouches for them (the usual case), else linked from the
    # live output; a folder the record does not know is updated all the same, trusting nothing.
    updating = previous.is_dir()
    old = record.files(previous) if updating else None
    with contextlib.ExitStack() as later:
        # Steps that need nothing from the steps beside them run on the other core, if there is one.
        # (Its size is unknown without a record: then assume it is worth a process of its own.)
        size = len(old) if old is not None else len(live) if live is not None else workers.MIN_PARALLEL
        listing = later.enter_context(workers.background(partial(writer.survey, previous, True), processes, size))
        lap = _stopwatch()
        site, loaded, warnings = _checked(options, strict, cache)  # all read and checked before anything is written
        lap("read, checked and resolved the content")
        urls = routes.Urls(site.config.base_url)
        indexing = later.enter_context(
            workers.background(partial(_text_index, site, cache), processes, len(site.resources))
        )
        static = assets.collect()
        static.append("css/site.css", cohort_styles(site).encode())
        maps = geomap.render(site, urls, cache)  # before rendering: pages refer to the maps' hashed scripts
        for name, site_map in maps.items():
            static.add(f"map/{name}.js", site_map.script.encode())
        static.add("map/us-states.js", geomap.states_script(cache).encode())
        static.add("map/sites.svg", usmap.render_svg(site).encode(), hashed=True)
        search_index.publish_cards(site, urls, static)
        renderer = render.Renderer(options.templates, site, static, maps)
        plan = pages.plan(site)
        keys = page_keys(plan, loaded, site, static, options.templates, cache.key)  # the search data is not in them
        static.include(indexing.result())
        # A build that died while updating the previous folder left files the record does not
        # describe: their stamps differ from the record's, so they are rewritten, never trusted.
        source, reused = (previous, old) if old is not None else (options.output, live or {})
        found = listing.result() if updating else None
        on_disk = found.files if found is not None and old is not None else None  # stamps of ``source``
        lap("made the maps and the search data, and planned the pages")
    made: dict[str, tuple[str | None, writer.Stamp]] = {}
    data_paths = tuple(urls.path(assets.PREFIX + prefix) for prefix in DATA_ASSETS)
    with writer.staging(options.output) as out:  # updates ``previous`` when ``updating``
        base = f"{source}/"  # a string: this runs for every file of the site

        def unchanged(rel: str, key: str | None) -> bool:
            """True when ``rel`` was made from the same inputs, and nobody touched the file since."""
            known = reused.get(rel)
            if key is None or known is None or known[0] != key:
                return False
            try:
                now = on_disk.get(rel) if on_disk is not None else writer.stamp(base + rel)
            except OSError:
                return False
            if now != tuple(known[1]):
                return False
            made[rel] = known if source == out.root else (key, out.link(rel, base + rel))
            return True

        def render_page(index: int) -> tuple[str, str | None, writer.Stamp]:
            spec, rel = plan[index], routes.output_file(plan[index].route)
            html = renderer.render(spec)
            # A page showing data assets changes with every site or resource: never reuse it.
            key = None if any(path in html for path in data_paths) else keys[index]
            return rel, key, out.write(rel, html)

        fresh = [i for i, spec in enumerate(plan) if not unchanged(routes.output_file(spec.route), keys[i])]
        if len(fresh) >= workers.MIN_PARALLEL:
            renderer.prepare()
        for rel, key, stamped in workers.run(render_page, fresh, processes):
            made[rel] = (key, stamped)
        lap(f"rendered {len(fresh)} pages, kept {len(plan) - len(fresh)}")
        others: list[tuple[str, str | bytes]] = [
            (routes.SITEMAP, feeds.sitemap(plan, urls)),
            (routes.ROBOTS, feeds.robots(urls)),
            (routes.FEED, feeds.atom(site, urls)),
            (outfolder.MARK, outfolder.MARK_TEXT),
            *sorted(static.files.items()),
        ]
        for rel, data in others:
            key = digest(data)
            if not unchanged(rel, key):
                made[rel] = (key, out.write(rel, data))
        if found is not None:
            out.prune(set(made), found)
    trees = {_identity(options.output): made}
    if live is not None and previous.is_dir():
        trees[_identity(previous)] = live  # the output just replaced, kept for the next build to update
    Record(inputs, trees, len(plan), [str(w) for w in warnings]).save(cache)
    lap("swapped the output in")
    cache.save()
    lap("saved the cache")
    return Report(len(plan), len(made), time.perf_counter() - started, rendered=len(fresh))


def _text_index(site: SiteContent, cache: BuildCache) -> assets.Assets:
    """The search index as an asset of its own. The term counts it was made from are saved to
    the cache here: this may run in a process of its own."""
    made = assets.Assets({}, {})
    search_index.publish_index(site, made, cache)
    cache.save(["terms"])
    return made


def _stopwatch() -> Callable[[str], None]:
    """Log each stage's time (``psp-static -v build``): where a slow build spends it."""
    last = time.perf_counter()

    def lap(done: str) -> None:
        nonlocal last
        now = time.perf_counter()
        log.info("%6.2f s  %s", now - last, done)
        last = now

    return lap


def clean(options: Options) -> None:
    """Forget everything earlier builds cached (``psp-static build --clean``).

    The previous output stays: with no record to vouch for it, the next build rewrites every
    file in it (the same bytes as into an empty folder), which is quicker than deleting ten
    thousand files and making them again.
    """
    shutil.rmtree(cache_folder(options.output), ignore_errors=True)


def page_keys(
    plan: list[PageSpec], loaded: Loaded, site: SiteContent, static: assets.Assets, templates: Path, generator: str
) -> list[str | None]:
    """For each page, a hash of everything it is made from, or None when that cannot be said.

    Site-wide inputs (the generator, templates, base URL, configuration, areas, cohorts, roles,
    pages, published asset names) go into every key; then the page's own ``depends``.
    """
    docs = {(doc.kind, doc.slug): doc.digest for doc in loaded.docs}
    in_order = sorted(docs.items())
    shared = digest(
        generator,
        tree_digest([templates]),
        site.config.base_url,
        *(f"{kind}/{slug}={d}" for (kind, slug), d in in_order if kind not in LISTED_KINDS),
        *(f"{name}={path}" for name, path in sorted(static.names.items()) if not name.startswith(DATA_ASSETS)),
    )
    every = {kind: digest(*(d for (k, _), d in in_order if k == kind)) for kind in LISTED_KINDS}
    counts = digest(
        str(len(site.resources)),
        *(f"{a.slug}={len(site.resources_in(a))}" for a in site.areas),
        *(f"{t.slug}={len(site.resources_of(t))}" for t in site.clearinghouse.types),
    )

    def one(kind: str, slug: str) -> str:
        if kind == "counts":
            return counts
        return every[kind] if slug == "*" else docs[(kind, slug)]

    def key(spec: PageSpec) -> str | None:
        if spec.depends is None:
            return None
        own = (one(kind, slug) for kind, slug in spec.depends)
        return digest(shared, spec.route, spec.template, spec.title, spec.description, repr(spec.crumbs), *own)

    return [key(spec) for spec in plan]


def _identity(folder: Path) -> tuple[int, int]:
    """Which folder this is, whatever its name: swapping folders swaps their names, not this."""
    st = folder.stat()
    return st.st_dev, st.st_ino


Files = dict[str, tuple[str | None, writer.Stamp]]  # path -> (what it was made from, its stamp)


@dataclasses.dataclass
class Record:
    """What the last successful build wrote: the live output and the one it replaced."""

    inputs: str = ""
    trees: dict[tuple[int, int], Files] = dataclasses.field(default_factory=dict)
    pages: int = 0
    warnings: list[str] = dataclasses.field(default_factory=list)

    @classmethod
    def load(cls, cache: BuildCache) -> Record:
        stored = cache.read("record")
        try:
            return cls(*stored)
        except TypeError:
            return cls()

    def save(self, cache: BuildCache) -> None:
        cache.write("record", (self.inputs, self.trees, self.pages, self.warnings))

    def files(self, folder: Path) -> Files | None:
        """What ``folder`` held when the record was made; None for a folder it does not know.

        A build that died after swapping its output in, but before recording it, leaves a
        record of other folders: so it cannot vouch for the new one.
        """
        try:
            return self.trees.get(_identity(folder))
        except OSError:
            return None


def intact(folder: Path, files: Files) -> bool:
    """True when ``folder`` holds exactly ``files``, each untouched since it was written."""
    found = writer.survey(folder).files
    return len(found) == len(files) and all(found.get(rel) == tuple(known[1]) for rel, known in files.items())


def cohort_styles(site: SiteContent) -> str:
    """Cohort colours come from content, so their CSS is generated (no inline styles under the CSP)."""
    rules = [f".cohort-swatch--{c.slug}, .site-pin--{c.slug} {{ background-color: {c.color}; }}" for c in site.cohorts]
    return "\n".join(rules) + "\n"
