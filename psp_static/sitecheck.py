"""Check a built site: every internal link, asset and #fragment resolves; external links are
well-formed https addresses; every page keeps the rules that make it safe and findable (a strict
Content-Security-Policy, no inline script or style, a language, one h1, a title and a description).
Optionally (nightly) request every external link over the network.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from psp_static.cms import ADMIN
from psp_static.formats import is_web_url

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
# An address, then optionally prefilled fields (RFC 6068): name=value pairs joined by &, values
# percent-encoded, so no raw space, & or # may appear in one.
_MAILTO = re.compile(r"mailto:[^@\s?]+@[^@\s?]+\.[a-z]{2,}(\?[a-z]+=[^&\s#]*(&[a-z]+=[^&\s#]*)*)?")
_LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "form": "action"}
# Data files a page's scripts load, named on the element they serve (the finder, the search page).
_DATA_ATTRS = ("data-facets", "data-index", "data-cards", "data-lunr")


@dataclasses.dataclass
class PageLinks:
    """The references, ids and policy-relevant facts of one HTML page."""

    refs: list[tuple[str, str]]  # (tag, url)
    ids: set[str]
    lang: str = ""
    csp: str = ""
    description: str = ""
    h1: int = 0
    title: str = ""
    inline: list[str] = dataclasses.field(default_factory=list)  # inline scripts, styles, handlers


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links = PageLinks([], set())
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        links = self.links
        self._policy_facts(tag, values)
        links.inline += [f"{name}= on <{tag}>" for name in values if name == "style" or name.startswith("on")]
        links.ids.update(_anchors(tag, values))
        attr = _LINK_ATTRS.get(tag)
        if attr and values.get(attr):
            links.refs.append((tag, values[attr]))
        links.refs += [(tag, values[name]) for name in _DATA_ATTRS if values.get(name)]

    def _policy_facts(self, tag: str, values: dict[str, str]) -> None:
        """What :func:`policy` judges: language, CSP, description, headings, title, inline code."""
        links = self.links
        if tag == "html":
            links.lang = values.get("lang", "")
        elif tag == "meta":
            self._meta(values)
        elif tag == "h1":
            links.h1 += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "style" or (tag == "script" and not values.get("src")):
            links.inline.append(f"<{tag}> element")

    def _meta(self, values: dict[str, str]) -> None:
        if values.get("http-equiv", "").lower() == "content-security-policy":
            self.links.csp = values.get("content", "")
        elif values.get("name") == "description":
            self.links.description = values.get("content", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.links.title += data


def _anchors(tag: str, values: dict[str, str]) -> list[str]:
    """What a #fragment may point at on this element: its id, or an old-style <a name>."""
    names = [values.get("id", "")]
    if tag == "a":
        names.append(values.get("name", ""))
    return [name for name in names if name]


def parse_page(path: Path) -> PageLinks:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.links


def _base_path(base_url: str) -> str:
    rest = base_url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def _target(root: Path, page: Path, path: str, base_path: str) -> Path | None:
    """The file an internal URL path points at, or None when it leaves the site."""
    if path.startswith("/"):
        if not path.startswith(base_path):
            return None
        target = root / unquote(path[len(base_path) :])
    elif path:
        target = page.parent / unquote(path)
    else:
        target = page
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def check_output(root: Path, base_url: str = "/") -> list[str]:
    """Return a message for every broken internal link, missing fragment or malformed external link."""
    base_path = base_url if base_url.startswith("/") else _base_path(base_url)
    pages = {p: parse_page(p) for p in sorted(root.rglob("*.html"))}
    problems: list[str] = []
    for page, links in pages.items():
        shown = page.relative_to(root).as_posix()
        for tag, ref in links.refs:
            problem = _link_problem(root, pages, page, tag, ref, base_path)
            if problem:
                problems.append(f"{shown}: {problem}")
    # The editor at admin/ is no public page: it has a policy of its own (admin_page.admin_csp) and no place
    # in search results, so the public pages' rules are not applied to it; its links still are.
    public = {page: links for page, links in pages.items() if not page.relative_to(root).as_posix().startswith(ADMIN)}
    problems += [
        f"{page.relative_to(root).as_posix()}: {problem}" for page, links in public.items() for problem in policy(links)
    ]
    problems += _duplicates(root, public)
    return problems + _css_problems(root)


def _link_problem(root: Path, pages: dict[Path, PageLinks], page: Path, tag: str, ref: str, base_path: str) -> str:
    """What is wrong with one reference ``ref`` on ``page``, or an empty string."""
    parts = urlsplit(ref)
    if parts.scheme or ref.startswith("//"):
        return _outside_problem(tag, ref, parts.scheme)
    target = _target(root, page, parts.path, base_path)
    if target is None:
        return f"link {ref!r} leaves the site's base path {base_path}"
    if not target.is_file():
        return f"link {ref!r} points to a missing file"
    if parts.fragment and target.suffix == ".html":
        ids = pages[target].ids if target in pages else parse_page(target).ids
        if parts.fragment not in ids:
            return f"link {ref!r} points to a missing #{parts.fragment}"
    return ""


def _outside_problem(tag: str, ref: str, scheme: str) -> str:
    """What is wrong with a link that leaves the site, or an empty string."""
    if scheme in ("http", "https", ""):
        return "" if is_web_url(ref) else f"external link {ref!r} is not a well-formed https:// address"
    if scheme == "mailto":
        return "" if _MAILTO.fullmatch(ref) else f"malformed email link {ref!r}"
    return f"<{tag}> uses the scheme {scheme!r}: {ref!r}"


def _css_problems(root: Path) -> list[str]:
    """``url(...)`` references in stylesheets that point to missing files."""
    problems = []
    for css in sorted(root.rglob("*.css")):
        for ref in _CSS_URL.findall(css.read_text(encoding="utf-8")):
            if ref.startswith(("data:", "#")):
                continue
            if not (css.parent / unquote(urlsplit(ref).path)).is_file():
                problems.append(f"{css.relative_to(root).as_posix()}: url({ref}) points to a missing file")
    return problems


def policy(page: PageLinks) -> list[str]:
    """What one page gets wrong of the rules every page keeps."""
    problems = [f"inline {item} (the Content-Security-Policy forbids it)" for item in page.inline]
    if "script-src 'self'" not in page.csp or "unsafe-inline" in page.csp or "default-src" not in page.csp:
        problems.append(f"missing or weak Content-Security-Policy: {page.csp!r}")
    if not page.lang:
        problems.append("no lang attribute on <html>")
    if page.h1 != 1:
        problems.append(f"{page.h1} <h1> elements (one expected)")
    if len(page.title.strip()) < 20:
        problems.append(f"title {page.title.strip()!r} is missing or shorter than 20 characters")
    if not 50 <= len(page.description) <= 160:
        problems.append(f"meta description is {len(page.description)} characters (50 to 160 expected)")
    return problems


def _duplicates(root: Path, pages: dict[Path, PageLinks]) -> list[str]:
    """Titles and descriptions must tell pages apart (in search results and browser tabs)."""
    problems = []
    for what in ("title", "description"):
        first: dict[str, Path] = {}
        for page, links in pages.items():
            value = getattr(links, what).strip()
            if value in first:
                shown = page.relative_to(root).as_posix()
                problems.append(f"{shown}: same {what} as {first[value].relative_to(root).as_posix()}: {value!r}")
            first.setdefault(value, page)
    return problems


def external_links(root: Path) -> list[str]:
    """Every distinct external link in the site, sorted."""
    found = {ref for p in root.rglob("*.html") for _, ref in parse_page(p).refs if urlsplit(ref).scheme == "https"}
    return sorted(found)


def _probe(url: str, timeout: float) -> str | None:
    """None when ``url`` answers with success, else a short reason."""
    headers = {"User-Agent": "psp-static link checker (+https://www.nationalpublicsafetypartnership.org/)"}
    for method in ("HEAD", "GET"):  # some servers refuse HEAD; ask again with GET before failing
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if response.status < 400:
                    return None
        except urllib.error.HTTPError as exc:
            exc.close()
            reason = f"HTTP {exc.code}"
            if method == "GET" or exc.code not in (403, 405, 501):
                return reason
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            return str(getattr(exc, "reason", exc))
    return "no answer"


def broken_external(root: Path, timeout: float = 15.0, workers: int = 8) -> list[tuple[str, str]]:
    """Request every external link (for a nightly job, not for every build): each that fails, with why."""
    urls = external_links(root)
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(lambda u: (u, _probe(u, timeout)), urls))
    return [(url, reason) for url, reason in results if reason]


def check_external(root: Path, timeout: float = 15.0, workers: int = 8) -> list[str]:
    """:func:`broken_external`, one message per broken link."""
    return [f"{url}: {reason}" for url, reason in broken_external(root, timeout, workers)]
