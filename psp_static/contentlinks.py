"""Links written in content, checked where they are written: an address without ``https://``
(``www.example.gov``, which a browser reads as a page of this site), and links to a page or a
heading of this site that does not exist. ``check --output`` would find the last two only in the
built site, naming an output file rather than the line to fix."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

import markdown

from psp_static import routes
from psp_static.errors import ContentError
from psp_static.loader import Loaded, RawDoc
from psp_static.markup import locate
from psp_static.resolve import MARKDOWN_FIELDS, markdown_location

# Inline links and images ``[text](target "title")`` and reference definitions ``[id]: target``.
_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)>?[^)]*\)|^[ ]{0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)>?", re.MULTILINE)
# What a browser would take for a path of this site, though the editor meant another site.
_DOMAIN = re.compile(r"^(?:www\.|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:gov|org|com|net|edu|us|mil|info)(?:[/:?#]|$))", re.I)
_HEADING_ID = re.compile(r'<h[1-6] id="([^"]+)"')


def check(loaded: Loaded, pages: set[str]) -> list[ContentError]:
    """Every link problem in every Markdown text of ``loaded``; ``pages`` are the site's routes."""
    targets = {route: doc.body for doc in loaded.docs if doc.body and (route := _route(doc)) is not None}
    errors: list[ContentError] = []
    for doc, key, text in _texts(loaded):
        for match in _LINK.finditer(text):
            target = match.group(1) or match.group(2) or ""
            problem = _problem(target, text, pages, targets)
            if problem:
                path, line, indent = (doc.path, doc.body_line, 0) if key is None else markdown_location(doc, key)
                errors.append(ContentError(path, *locate(text, f"{target}", line, indent), problem))
    return errors


def _texts(loaded: Loaded) -> Iterator[tuple[RawDoc, str | None, str]]:
    """Each Markdown text: (its file, its field or None for the body, the text)."""
    for doc in loaded.docs:
        for key in MARKDOWN_FIELDS.get(doc.kind, ()):
            if isinstance(text := doc.data.get(key), str):
                yield doc, key, text
        if doc.body:
            yield doc, None, doc.body


def _route(doc: RawDoc) -> str | None:
    """The route of a page whose headings come from its Markdown body."""
    return {"home": routes.HOME, "page": routes.page(doc.slug), "news": routes.news(doc.slug)}.get(doc.kind)


def _problem(target: str, text: str, pages: set[str], targets: dict[str, str]) -> str | None:
    parts = urlsplit(target)
    if parts.scheme or target.startswith("//") or not target:
        return None  # other schemes and scheme-relative links are the Markdown renderer's to judge
    if not target.startswith(("/", "#")):
        return _not_a_site_path(target)
    if not parts.path:
        return _missing_heading("", parts.fragment, text) if parts.fragment else None
    page = _page(parts.path, pages)
    if isinstance(page, Missing):
        return page.message
    body = targets.get(page)
    return _missing_heading(parts.path, parts.fragment, body) if parts.fragment and body is not None else None


@dataclasses.dataclass(frozen=True)
class Missing:
    message: str


def _page(path: str, pages: set[str]) -> str | Missing:
    """The route a site path names (with or without its last slash), or why there is none."""
    route = unquote(path).lstrip("/")
    for candidate in (route, route + "/"):
        if candidate in pages:
            return candidate
    close = difflib.get_close_matches(route, sorted(pages), n=1, cutoff=0.6)
    hint = f"did you mean /{close[0]}? " if close else ""
    return Missing(f"there is no page at {path} on this site; {hint}copy the address from the built page")


def _not_a_site_path(target: str) -> str:
    if _DOMAIN.match(target):
        return f"'{target}' has no https://, so it would open a page of this site; write https://{target}"
    return f"'{target}' is a relative link, which breaks on pages at other depths; start it with / (/sites/)"


def _missing_heading(path: str, fragment: str, body: str) -> str | None:
    """A problem if ``body`` (Markdown) has no heading whose id is ``fragment``. Pages made from
    templates have no body here: their ids are the templates' business."""
    ids = heading_ids(body)
    if unquote(fragment) in ids:
        return None
    known = ", ".join(f"#{i}" for i in ids) or "none"
    where = f"on {path}" if path else "in this text"
    return f"there is no heading #{fragment} {where} (its headings: {known}); link to one of them"


@functools.lru_cache(maxsize=256)
def heading_ids(text: str) -> tuple[str, ...]:
    """The ids the Markdown renderer gives the headings of ``text``, in order."""
    html = markdown.Markdown(extensions=["toc", "smarty"]).convert(text)
    return tuple(_HEADING_ID.findall(html))
