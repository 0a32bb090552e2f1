"""``psp-static new``: start a content file with every field present or explained.

New files build at once; the text an editor must still write is marked with :data:`PLACEHOLDER`,
which the build reports as a warning (an error with ``--strict``, as pull requests are built), so
an unfinished file cannot be published by accident.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from pathlib import Path

from psp_static import gazetteer, places
from psp_static.editor_schemas import modeline
from psp_static.errors import BuildError, display_path
from psp_static.loader import KINDS as CONTENT_KINDS
from psp_static.loader import SLUG_MAX, Loaded, RawDoc, load
from psp_static.validation import PLACEHOLDER, schema

KINDS = ("site", "resource", "page", "news")
KIND = {kind.name: kind for kind in CONTENT_KINDS}
_FIRST_ID = 1001


def slugify(title: str) -> str:
    """``"Kansas City, MO"`` becomes ``kansas-city-mo``."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclasses.dataclass(frozen=True)
class SiteChoices:
    """What ``new site`` may be told beyond the title; left out, the newest cohort's intensive
    engagement, and coordinates from the gazetteer."""

    state: str | None = None
    cohort: str | None = None
    engagement: str = "intensive"
    latitude: float | None = None
    longitude: float | None = None


def create(kind: str, title: str, content: Path, today: dt.date, site: SiteChoices | None = None) -> Path:
    """Write a new ``kind`` file for ``title`` below ``content``; refuse to overwrite anything."""
    title = " ".join(title.split())
    if not title:
        raise BuildError('give the new file a title, for example: psp-static new news "Summit in Tulsa"')
    path, text = _draft(kind, title, content, today, site or SiteChoices())
    if path.exists():
        raise BuildError(f"{display_path(path)} already exists; edit it, or choose another title")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never replace a file, even in a race
        handle.write(text)
    return path


def _draft(kind: str, title: str, content: Path, today: dt.date, site: SiteChoices) -> tuple[Path, str]:
    """Where the new file goes, and its text."""
    if kind == "site":
        name, state = _site_name(title, site.state)
        slug = slugify(name)
    else:
        _check_title(kind, title)
        slug = slugify(f"{today.year} {title}" if kind == "news" else title)
    if not slug:
        raise BuildError(f"cannot make a file name from {title!r}; use some letters or digits")
    folder = {"site": "sites", "resource": "resources", "page": "pages", "news": "news"}[kind]
    path = content / folder / f"{slug}{'.md' if kind in ('page', 'news') else '.yaml'}"
    loaded = load(content)
    if kind == "site":
        return path, _site(name, state, loaded, site)  # says which file has the place, if one has
    if kind == "resource":
        return path, _resource(title, loaded, today)
    return path, _page(title, today) if kind == "page" else _news(title, today)


def _check_title(kind: str, title: str) -> None:
    """Refuse a title the build would refuse, before there is a file to fix."""
    rules = schema(kind)["properties"]["title"]
    if len(title) > rules.get("maxLength", len(title)):
        raise BuildError(
            f"the title is {len(title)} characters long; a {kind}'s title may have {rules['maxLength']} at most: "
            "shorten it (the full wording can go in the summary)"
        )
    if PLACEHOLDER.strip(" :").casefold() in title.casefold():
        raise BuildError(f"the title still says {PLACEHOLDER.strip()!r}; give the real title")


def _site_name(title: str, state: str | None) -> tuple[str, str]:
    match = re.fullmatch(r"(.+?),\s*([A-Za-z]{2})", title)
    name, named_state = (match.group(1), match.group(2).upper()) if match else (title, None)
    given = state.upper() if state else None
    if named_state and given and named_state != given:
        raise BuildError(f"the title says {named_state} but --state says {given}; give the state once")
    chosen = named_state or given
    if chosen is None:
        raise BuildError(
            "give a site's state, as 'Name, ST' or with --state, for example: psp-static new site \"Tulsa, OK\""
        )
    _check_state(chosen)
    return name, chosen


def _check_state(code: str) -> None:
    states = schema("site")["properties"]["state"]["enum"]
    if code in states:
        return
    # Two letters are too short for a similarity score: offer the codes that share one.
    close = [s for s in states if s[0] == code[:1]] or [s for s in states if s[1:] == code[1:]]
    hint = f"did you mean {', '.join(close[:-1])} or {close[-1]}? " if len(close) > 1 else ""
    hint = f"did you mean {close[0]}? " if len(close) == 1 else hint
    raise BuildError(f"'{code}' is not a U.S. state code; {hint}use the two-letter postal code, like OK")


def _cohort(loaded: Loaded, wanted: str | None) -> RawDoc:
    cohorts = sorted(loaded.of("cohort"), key=lambda d: (_int(d.data.get("order")), d.slug))
    if not cohorts:
        raise BuildError("there are no cohorts yet; add one in content/cohorts/ first")
    if wanted is None:
        return cohorts[-1]
    for doc in cohorts:
        if doc.slug == wanted:
            return doc
    slugs = [d.slug for d in cohorts]
    close = difflib.get_close_matches(wanted, slugs, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    raise BuildError(f"there is no cohort '{wanted}'; {hint}choose one of: {', '.join(slugs)}")


def _int(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) else default


def _refuse_a_known_place(name: str, state: str, loaded: Loaded, where: tuple[float, float] | None) -> None:
    existing = places.same_place({"name": name, "state": state}, loaded.of("site"), where)
    if existing is not None:
        raise BuildError(
            f"{existing.path} already describes {name}, {state}; add the new engagement to its 'engagements:' "
            "list instead of making a second file"
        )


def _site(name: str, state: str, loaded: Loaded, choices: SiteChoices) -> str:
    cohort = _cohort(loaded, choices.cohort)
    start = _int(cohort.data.get("start_year"), 2024)
    end = _int(cohort.data.get("end_year"), start + 3)
    latitude, longitude = choices.latitude, choices.longitude
    _refuse_a_known_place(name, state, loaded, None)  # by name, before asking for coordinates
    if latitude is None or longitude is None:
        where = gazetteer.lookup(name, state)
        if where is None:
            raise BuildError(
                f"'{name}, {state}' is not in the gazetteer (counties never are); "
                "give its position with --latitude and --longitude"
            )
        position = "# latitude and longitude: looked up from the name and state; add both to place it exactly.\n"
    else:
        where = (latitude, longitude)
        position = f"latitude: {latitude}\nlongitude: {longitude}\n"
    _refuse_a_known_place(name, state, loaded, where)
    kind = "county" if name.lower().endswith((" county", " parish")) else "city"
    return (
        f"{modeline(KIND['site'])}\n"
        f"name: {_quote(name)}\n"
        f"state: {state}\n"
        f"kind: {kind}  # city, county, or joint (a joint site lists its places under 'places:')\n"
        f"{position}"
        "engagements:  # one item per PSP engagement, oldest first\n"
        f"  - cohort: {_quote(cohort.slug)}  # a file name in content/cohorts/\n"
        f"    type: {choices.engagement}  # vrn-pilot, diagnostic, operations or intensive\n"
        f"    start_year: {start}  # the cohort's years: change them if this site's differ\n"
        f"    end_year: {end}\n"
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
        f"{modeline(KIND['resource'])}\n"
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
        f"{modeline(KIND['page'])}\n"
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
        f"{modeline(KIND['news'])}\n"
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
