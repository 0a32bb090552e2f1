"""Pelican and Hugo on psp-static's synthetic content, for ``make bench`` to time side by side.

Each gets the same resources as psp-static, one page per resource (title, summary and the
Markdown description), in a minimal layout of its own: Pelican's default theme with its
archive, category, tag and author pages turned off, and Hugo with three one-line templates and
no taxonomies. So what is compared is the cost of a generator turning the same content into
pages, not of one project's templates. ``make bench`` installs both (Pelican in a virtual
environment of its own under ``.cache/bench``, so its pins never meet ours; Hugo from Debian).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import yaml

PELICAN_CONF = """\
SITENAME = "Clearinghouse"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 100
RELATIVE_URLS = True
ARTICLE_URL = ARTICLE_SAVE_AS = "resources/{slug}/index.html"
DIRECT_TEMPLATES = ["index"]
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = TAG_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
"""

HUGO_CONF = """\
baseURL = "https://example.org/"
title = "Clearinghouse"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[pagination]
pagerSize = 100
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": "<!DOCTYPE html><html lang=en><head><title>{{ .Title }}</title></head>"
    '<body>{{ block "main" . }}{{ end }}</body></html>\n',
    "_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>'
    "{{ .Content }}{{ end }}\n",
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}'
    '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
    "index.html": '{{ define "main" }}<h1>{{ .Site.Title }}</h1>{{ end }}\n',
}


def _resources(content: Path) -> list[tuple[str, dict[str, object]]]:
    return [(p.stem, yaml.safe_load(p.read_text())) for p in sorted((content / "resources").glob("*.yaml"))]


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def pelican_site(content: Path, target: Path) -> Path:
    """A Pelican project of the resources in ``content``; returns its folder."""
    shutil.rmtree(target, ignore_errors=True)
    (target / "content").mkdir(parents=True)
    (target / "pelicanconf.py").write_text(PELICAN_CONF)
    for slug, r in _resources(content):
        head = (
            f"Title: {_one_line(r['title'])}\nCategory: Resources\nDate: {r['added']}\nSlug: {slug}\n"
            f"Summary: {_one_line(r['summary'])}\n"
        )
        (target / "content" / f"{slug}.md").write_text(f"{head}\n{r.get('description', '')}\n")
    return target


def hugo_site(content: Path, target: Path) -> Path:
    """A Hugo project of the resources in ``content``; returns its folder."""
    shutil.rmtree(target, ignore_errors=True)
    (target / "content" / "resources").mkdir(parents=True)
    (target / "hugo.toml").write_text(HUGO_CONF)
    for name, text in HUGO_LAYOUTS.items():
        path = target / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for slug, r in _resources(content):
        front = {"title": _one_line(r["title"]), "date": str(r["added"]), "summary": _one_line(r["summary"])}
        text = "---\n" + yaml.safe_dump(front, sort_keys=False, width=10_000) + "---\n\n"
        (target / "content" / "resources" / f"{slug}.md").write_text(text + str(r.get("description", "")) + "\n")
    return target


def timed(command: list[str]) -> float:
    """Wall seconds of ``command``, start-up included; fails loudly if the command does."""
    os.sync()  # as for psp-static: nothing an earlier build wrote is still being written back
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def pelican_build(pelican: Path, site: Path, output: Path) -> float:
    shutil.rmtree(output, ignore_errors=True)
    return timed([str(pelican), str(site / "content"), "-o", str(output), "-s", str(site / "pelicanconf.py"), "-q"])


def hugo_build(site: Path, output: Path) -> float:
    shutil.rmtree(output, ignore_errors=True)
    return timed(["hugo", "--quiet", "--source", str(site), "--destination", str(output)])
