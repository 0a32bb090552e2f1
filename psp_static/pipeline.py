"""The build, one named stage per line: load, validate, resolve, assets, plan, render, write.

Stages are plain functions of their inputs. Around them, and only here, three things are done
that no stage knows of: results a stage computes item by item are memoised by a hash of their
inputs between builds and spread over the cores (:class:`psp_static.cache.Memo`), pages are
rendered on every core and the search data made in a process of its own while this one makes the
open data (:mod:`psp_static.workers`), and only the files whose bytes changed are
written (:mod:`psp_static.writer`). A page is rendered again unless nothing it read while it last
rendered has changed (:mod:`psp_static.page_reads` records the reads), so no page can be left
stale by a dependency nobody declared: the output is the clean build's, by construction. A build
whose inputs and output are exactly the last one's is skipped (:mod:`psp_static.unchanged`).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple, TypeVar

import click

from psp_static import (
    assets,
    cms,
    contentlinks,
    currency,
    disclosure,
    federal,
    feeds,
    geomap,
    headers,
    loader,
    locks,
    opendata,
    outfolder,
    page_reads,
    pages,
    render,
    resolve,
    routes,
    timely,
    unchanged,
    validation,
    writer,
)
from psp_static import workers as workers_
from psp_static.cache import Memo
from psp_static.errors import ContentError, ContentErrors, annotation, display_path, in_github_actions
from psp_static.geomap import SiteMap
from psp_static.made_assets import ASSETS, SEARCH_ASSETS, Inputs, made_apart
from psp_static.model import SiteContent
from psp_static.pages import PageSpec
from psp_static.runs import Options as Options  # the build's interface, re-exported
from psp_static.runs import Report as Report
from psp_static.stage import Each, plainly

log = logging.getLogger(__name__)
T = TypeVar("T")


def build(options: Options, strict: bool = False) -> Report:
    """Build the whole site into ``options.output``; on any error the old output stays as it was.

    A build whose inputs and output are exactly those of the last one is skipped
    (:mod:`psp_static.unchanged`): it would write the same bytes.
    """
    started = time.perf_counter()
    with _one_build_at_a_time(options.output):
        if not options.incremental:
            return build_all(options, strict)
        cache = cache_folder(options.output)
        settings = (options.content.absolute(), options.templates.absolute(), options.base_url, strict)
        inputs = unchanged.fingerprint(options.content, options.templates, settings)
        if last := unchanged.same_as_last(cache, inputs, options.output):
            _announce(last.warnings)
            seconds = time.perf_counter() - started
            return Report(last.pages, last.files, 0, seconds, tuple(last.warnings), tuple(last.unreviewed), True)
        unchanged.forget(cache)  # while this build runs, the output is no longer the last one's
        report = build_all(options, strict)
        state = unchanged.output_state(options.output)
        last = unchanged.LastBuild(inputs, state, report.pages, report.files, [*report.warnings], [*report.unreviewed])
        unchanged.remember(cache, last)
        return report


def build_all(options: Options, strict: bool = False) -> Report:
    """Every stage: load, validate, resolve, plan, assets, render, write."""
    started = time.perf_counter()
    with workers_.fewer_cycle_collections():
        memo = Memo(cache_folder(options.output) if options.incremental else None, processes(options))
        site, loaded, plan, warnings, due = checked(options, strict, memo.each)  # before anything is written
        urls = routes.Urls(site.config.base_url)
        maps: dict[str, SiteMap] = {}  # drawn in a process of their own, filled in before any page renders
        made = Inputs(site, urls, maps)
        with (
            memo.apart(lambda each: geomap.render(site, urls, each)) as drawn,
            workers_.meanwhile(lambda: made_apart(SEARCH_ASSETS, made), memo.processes) as search,
        ):
            static = assets.collect()
            data = [*admin_files(site, loaded), *policy_files(site, urls), *data_files(site, urls)]
            renderer = render.Renderer(options.templates, site, static, maps, memo.templates())
            pages = page_files(plan, page_reads.RecordedPages(renderer, memo.key))  # rendered later
            maps.update(drawn())
            for produce in ASSETS:
                produce(made, static)
            static.include(search())  # before any page renders: pages name the maps' and search files
        files: list[File] = [
            *pages,
            *feed_files(plan, site, urls),
            *data,
            *asset_files(static),
            (outfolder.MARK, lambda: outfolder.MARK_TEXT),  # a folder builds may replace
        ]
        files.append(headers_file(site, files, loaded))  # last: it covers every other file
        notes = cache_folder(options.output) / "pages.pickle" if options.incremental else None
        written = writer.write_files(options.output, files, memo.processes, notes)
        memo.save()
    unreviewed = tuple(display_path(w.path) for w in due)
    return Report(len(plan), len(files), written, time.perf_counter() - started, tuple(warnings), unreviewed)


def check(options: Options, strict: bool = False) -> SiteContent:
    """Load, validate and resolve the content; raise :class:`ContentErrors` listing every problem.

    Warnings are logged, or with ``strict`` reported as errors.
    """
    return checked(options, strict, plainly).site


class Checked(NamedTuple):
    site: SiteContent
    loaded: loader.Loaded  # the content as read (the editor's schemas list its vocabularies)
    plan: list[PageSpec]  # the site's pages, which its internal links were checked against
    warnings: list[ContentError]  # reported already; empty with ``strict`` (they were errors)
    due: list[ContentError]  # among the warnings: the resources due for review


def checked(options: Options, strict: bool, each: Each) -> Checked:
    """The load, validate, resolve and plan stages; warnings are logged, or with ``strict``
    reported as errors with the rest."""
    loaded = loader.load(options.content, each)
    errors = loaded.errors + validation.validate(loaded, each) + federal.refusals(loaded)
    now = timely.today()
    expired, expiring = disclosure.expiry(loaded, now)
    errors += expired
    warnings = validation.warnings(loaded, each) + timely.future_news(loaded, now) + expiring
    # Reminders that time has passed, not mistakes: --strict leaves them warnings, so that no pull
    # request fails because a resource it does not touch fell due for review.
    reminders = currency.unreviewed(loaded, now)
    if strict:
        errors, warnings = errors + warnings, []
    warnings += reminders
    _announce(warnings)
    if errors:
        raise ContentErrors(errors)
    site = resolve.resolve(loaded, options.base_url, each)
    plan = pages.plan(site, each)
    pages_made = {spec.route for spec in plan} | {routes.FEED, routes.SITEMAP, routes.ROBOTS}
    pages_made |= {path for path, _ in disclosure.outputs(site, routes.Urls(site.config.base_url))}
    pages_made |= {*opendata.FILES, *(routes.area_feed(a.slug) for a in site.areas)}
    link_errors = contentlinks.check(loaded, pages_made)
    if link_errors:
        raise ContentErrors(link_errors)
    return Checked(site, loaded, plan, warnings, reminders)


def _announce(warnings: list[ContentError]) -> None:
    """Log each warning; in GitHub Actions, also as an annotation on its file and line."""
    for warning in warnings:
        log.warning("%s", warning)
        if in_github_actions():
            click.echo(annotation(warning, "warning"))


# --- producers: each kind of output the site has ----------------------------------------------


# One output file: its path in the output folder, and how to make its bytes.
File = tuple[str, writer.Maker]


def page_files(plan: list[PageSpec], pages: page_reads.RecordedPages) -> list[File]:
    """Every page, rendered again only when something it read has changed (:mod:`psp_static.page_reads`)."""
    pages.prepare()  # templates compiled and the site digested once, before rendering may fork workers
    return [(routes.output_file(spec.route), page_reads.PageFile(spec, pages)) for spec in plan]


def feed_files(plan: list[PageSpec], site: SiteContent, urls: routes.Urls) -> list[File]:
    return [
        (routes.SITEMAP, lambda: feeds.sitemap(plan, urls)),
        (routes.ROBOTS, lambda: feeds.robots(urls)),
        (routes.FEED, lambda: feeds.atom(site, urls)),
    ]


def admin_files(site: SiteContent, loaded: loader.Loaded) -> list[File]:
    """The content editor at /admin/, when site.yaml enables it."""
    return made_already(cms.outputs(site, loaded))


def policy_files(site: SiteContent, urls: routes.Urls) -> list[File]:
    """security.txt, and what else tells browsers and researchers how to treat the site."""
    return made_already(disclosure.outputs(site, urls))


def headers_file(site: SiteContent, files: list[File], loaded: loader.Loaded) -> File:
    """``_headers``: the security headers, for hosts that read such a file."""
    text = headers.render_file(site.config, [path for path, _ in files], cms.configured(loaded))
    return (headers.HEADERS_FILE, lambda: text)


def data_files(site: SiteContent, urls: routes.Urls) -> list[File]:
    """The open data (clearinghouse and sites as JSON, CSV and GeoJSON) and each core area's feed."""
    return made_already([*opendata.outputs(site, urls), *feeds.area_feeds(site, urls)])


def made_already(outputs: Iterable[tuple[str, str | bytes]]) -> list[File]:
    """Files whose bytes a producer has already made (small ones, made while planning)."""
    return [(path, _bind(_same, data)) for path, data in outputs]


def _same(data: str | bytes) -> str | bytes:
    return data


def asset_files(static: assets.Assets) -> list[File]:
    return [(path, _bind(bytes, data)) for path, data in sorted(static.files.items())]


def _bind(make: Callable[[T], str | bytes], value: T) -> Callable[[], str | bytes]:
    return lambda: make(value)


# --- around the stages: writing, processes, the cache's place ---------------------------------


def processes(options: Options) -> int:
    return workers_.available(options.workers)


def cache_folder(output: Path) -> Path:
    """The memos live beside the output folder, like the previous output."""
    output = output.absolute()
    return output.with_name(f".{output.name}-cache")


def clean(options: Options) -> None:
    """Forget every memo and the last build (``psp-static build --clean``); the next build
    computes everything."""
    shutil.rmtree(cache_folder(options.output), ignore_errors=True)


def _one_build_at_a_time(output: Path) -> contextlib.AbstractContextManager[None]:
    """Two builds into one output (a preview running while someone builds) take turns."""
    return locks.held(cache_folder(output) / "lock")
