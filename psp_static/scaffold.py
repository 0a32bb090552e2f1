"""``psp-static new``: start a content file with every field present or explained.

New files build at once; the text an editor must still write is marked with :data:`PLACEHOLDER`,
which the build reports as a warning (an error with ``--strict``, as pull requests are built), so
an unfinished file cannot be published by accident.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from psp_static import gazetteer
from psp_static.errors import BuildError, display_path
from psp_static.loader import SLUG_MAX, Loaded, load
from psp_static.validation import PLACEHOLDER

KINDS = ("site", "resource", "page", "news")
_FIRST_ID = 1001


def slugify(title: str) -> str:
    """``"Kansas City, MO"`` becomes ``kansas-city-mo``."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create(kind: str, title: str, content: Path, today: dt.date, latitude: float | None = None,
           longitude: float | None = None) -> Path:  # fmt: skip
    """Write a new ``kind`` file for ``title`` below ``content``; refuse to overwrite anything."""
    title = " ".join(title.split())
    if not title:
        raise BuildError('give the new file a title, for example: psp-static new news "Summit in Tulsa"')
    if kind == "site":
        name, state = _site_name(title)
        slug = slugify(name)
    else:
        slug = slugify(f"{today.year} {title}" if kind == "news" else title)
    if not slug:
        raise BuildError(f"cannot make a file name from {title!r}; use some letters or digits")
    folder = {"site": "sites", "resource": "resources", "page": "pages", "news": "news"}[kind]
    path = content / folder / f"{slug}{'.md' if kind in ('page', 'news') else '.yaml'}"
    if path.exists():
        raise BuildError(f"{display_path(path)} already exists; edit it, or choose another title")
    loaded = load(content)
    if kind == "site":
        text = _site(name, state, loaded, latitude, longitude)
    elif kind == "resource":
        text = _resource(title, loaded, today)
    else:
        text = _page(title, today) if kind == "page" else _news(title, today)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never replace a file, even in a race
        handle.write(text)
    return path


def _site_name(title: str) -> tuple[str, str]:
    match = re.fullmatch(r"(.+?),\s*([A-Za-z]{2})", title)
    if not match:
        raise BuildError("give a site as 'Name, ST', for example: psp-static new site \"Tulsa, OK\"")
    return match.group(1), match.group(2).upper()


def _latest_cohort(loaded: Loaded) -> tuple[str, int]:
    cohorts = [(d.data.get("order", 0), d.slug, d.data.get("start_year", 0)) for d in loaded.of("cohort")]
    if not cohorts:
        raise BuildError("there are no cohorts yet; add one in content/cohorts/ first")
    _, slug, year = max(cohorts, key=lambda c: (c[0] if isinstance(c[0], int) else 0, c[1]))
    return slug, int(year) if isinstance(year, int) else 2024


def _site(name: str, state: str, loaded: Loaded, latitude: float | None, longitude: float | None) -> str:
    cohort, year = _latest_cohort(loaded)
    if latitude is None or longitude is None:
        if gazetteer.lookup(name, state) is None:
            raise BuildError(
                f"'{name}, {state}' is not in the gazetteer (counties never are); "
                "give its position with --latitude and --longitude"
            )
        position = "# latitude and longitude: looked up from the name and state; add both to place it exactly.\n"
    else:
        position = f"latitude: {latitude}\nlongitude: {longitude}\n"
    kind = "county" if name.lower().endswith((" county", " parish")) else "city"
    return (
        "# yaml-language-server: $schema=../../psp_static/schemas/site.schema.json\n"
        f"name: {_quote(name)}\n"
        f"state: {state}\n"
        f"kind: {kind}  # city, county, or joint (a joint site lists its places under 'places:')\n"
        f"{position}"
        "engagements:  # one item per PSP engagement, oldest first\n"
        f"  - cohort: {_quote(cohort)}  # a file name in content/cohorts/\n"
        "    type: intensive  # vrn-pilot, diagnostic, operations or intensive\n"
        f"    start_year: {year}\n"
        f"    end_year: {year + 3}\n"
        "summary: |\n"
        f"  {PLACEHOLDER} two or three sentences, in your own words, on the site's work with PSP.\n"
        "sources: []  # where the facts come from, each as '- title: ...', 'publisher: ...', 'date: YYYY-MM-DD', 'url: https://...'\n"
    )


def _resource(title: str, loaded: Loaded, today: dt.date) -> str:
    ids = [d.data.get("id") for d in loaded.of("resource")]
    next_id = max([i for i in ids if isinstance(i, int)] + [_FIRST_ID - 1]) + 1
    # Start from values this site has, so the new file is valid as written.
    types, sizes = loaded.vocabulary("types", "slug"), loaded.vocabulary("agency_sizes", "slug")
    sponsors, areas = loaded.vocabulary("sponsors", "code"), sorted(d.slug for d in loaded.of("area"))
    if not (types and sizes and sponsors and areas):
        raise BuildError(
            "content/clearinghouse.yaml and content/areas/ must list types, sizes, sponsors and areas first"
        )
    return (
        "# yaml-language-server: $schema=../../psp_static/schemas/resource.schema.json\n"
        f"id: {next_id}  # permanent: never change or reuse it (saved toolkits use it)\n"
        f"title: {_quote(title)}\n"
        "summary: >-\n"
        f"  {PLACEHOLDER} two or three sentences in your own words on what the resource offers and who it helps.\n"
        "# description: |  # optional longer text, in Markdown\n"
        f"type: {types[0]}  # one of: {', '.join(types)}\n"
        f"areas: [{areas[0]}]  # one to three of: {', '.join(areas)}\n"
        f"agency_sizes: [{', '.join(sizes)}]  # the sizes it suits, from: {', '.join(sizes)}\n"
        f"author: {_quote(PLACEHOLDER + ' who wrote or produced it')}\n"
        f"sponsor: {sponsors[0]}  # the federal sponsor, one of: {', '.join(sponsors)}\n"
        "# provider: who hosts or provides it\n"
        f"year: {today.year}  # year of publication\n"
        "format: Web page  # PDF, Web page, Video, Audio, Slides, Interactive or Document\n"
        "# url: https://...  # where to open it, if it is online\n"
        "# access: one sentence on how to get it, only if it has no url\n"
        f"added: '{today.isoformat()}'  # the day it joins the clearinghouse\n"
        "tags: []  # optional search keywords, e.g. [license plate readers]\n"
    )


def _page(title: str, today: dt.date) -> str:
    return (
        "---\n"
        "# yaml-language-server: $schema=../../psp_static/schemas/page.schema.json\n"
        f"title: {_quote(title)}\n"
        f"description: {_quote(PLACEHOLDER + ' one sentence of 50 to 160 characters for search results.')}\n"
        f"updated: '{today.isoformat()}'\n"
        "nav: false  # true lists the page in the footer\n"
        "---\n"
        f"{PLACEHOLDER} the page's text, in Markdown. Use ## for headings.\n"
    )


def _news(title: str, today: dt.date) -> str:
    return (
        "---\n"
        "# yaml-language-server: $schema=../../psp_static/schemas/news.schema.json\n"
        f"title: {_quote(title)}\n"
        f"date: '{today.isoformat()}'\n"
        "# end_date: 'YYYY-MM-DD'  # for events of several days\n"
        "kind: announcement  # summit, community-of-practice, peer-exchange, newsletter, announcement or training\n"
        f"summary: {_quote(PLACEHOLDER + ' one or two sentences (50 to 300 characters) for lists.')}\n"
        "# location: Online  # or a place, for example Tulsa, OK\n"
        "# sites: [tulsa]  # file names in content/sites/ of the sites it concerns\n"
        "sources: []  # where the facts come from, each as '- title: ...', 'publisher: ...', 'date: YYYY-MM-DD', 'url: https://...'\n"
        "---\n"
        f"{PLACEHOLDER} the story, in Markdown.\n"
    )
