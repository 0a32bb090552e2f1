"""The build, one stage per line: load, validate, resolve, render, write."""

from __future__ import annotations

import dataclasses
import logging
import time
from pathlib import Path

import click

from psp_static import (
    assets,
    feeds,
    geomap,
    loader,
    pages,
    render,
    resolve,
    routes,
    search_index,
    usmap,
    validation,
    writer,
)
from psp_static.errors import ContentErrors, annotation, in_github_actions
from psp_static.model import SiteContent

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Options:
    content: Path = Path("content")
    templates: Path = Path("templates")
    output: Path = Path("output")
    base_url: str | None = None  # overrides site.yaml's base_url


@dataclasses.dataclass(frozen=True)
class Report:
    pages: int
    files: int
    seconds: float

    def summary(self) -> str:
        return f"Built {self.pages} pages ({self.files} files) in {self.seconds:.2f} s."


def check(options: Options, strict: bool = False) -> SiteContent:
    """Load, validate and resolve the content; raise :class:`ContentErrors` listing every problem.

    Warnings are logged, or with ``strict`` reported as errors.
    """
    loaded = loader.load(options.content)
    errors = loaded.errors + validation.validate(loaded)
    warnings = validation.warnings(loaded)
    if strict:
        errors += warnings
    else:
        for warning in warnings:
            log.warning("%s", warning)
            if in_github_actions():
                click.echo(annotation(warning, "warning"))
    if errors:
        raise ContentErrors(errors)
    return resolve.resolve(loaded, options.base_url)


def build(options: Options, strict: bool = False) -> Report:
    """Build the whole site into ``options.output``; on any error the old output stays as it was."""
    started = time.perf_counter()
    site = check(options, strict)  # everything is read and validated before anything is written
    urls = routes.Urls(site.config.base_url)
    static = assets.collect()
    static.append("css/site.css", cohort_styles(site).encode())
    maps = geomap.render(site, urls)  # before rendering: pages refer to the maps' hashed scripts
    for name, site_map in maps.items():
        static.add(f"map/{name}.js", site_map.script.encode())
    static.add("map/us-states.js", geomap.states_script().encode())
    static.add("map/sites.svg", usmap.render_svg(site).encode(), hashed=True)
    search_index.publish(site, urls, static)
    renderer = render.Renderer(options.templates, site, static, maps)
    plan = pages.plan(site)
    with writer.staging(options.output) as out:
        for spec in plan:
            out.write(routes.output_file(spec.route), renderer.render(spec))
        out.write(routes.SITEMAP, feeds.sitemap(plan, urls))
        out.write(routes.ROBOTS, feeds.robots(urls))
        out.write(routes.FEED, feeds.atom(site, urls))
        for path, data in sorted(static.files.items()):
            out.write(path, data)
    return Report(out.html_pages, out.count, time.perf_counter() - started)


def cohort_styles(site: SiteContent) -> str:
    """Cohort colours come from content, so their CSS is generated (no inline styles under the CSP)."""
    rules = [f".cohort-swatch--{c.slug}, .site-pin--{c.slug} {{ background-color: {c.color}; }}" for c in site.cohorts]
    return "\n".join(rules) + "\n"
