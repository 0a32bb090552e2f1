"""Markdown to safe HTML with a fixed set of extensions.

Editors write Markdown, not HTML: raw HTML, images and links with unsafe schemes are reported as
content errors, and the result is still passed through an allow-list sanitizer (nh3) so that
nothing a content file says can run script in a visitor's browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from psp_static import workers as workers_
from psp_static.cache import BuildCache, digest
from psp_static.errors import ContentError

_TAGS = {
    "p", "a", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote", "hr", "br",
    "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
# Headings keep the ids Markdown's toc extension gives them, so a link can point at a section.
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"scope"}, **{f"h{n}": {"id"} for n in range(2, 7)}}
_SCHEMES = {"http", "https", "mailto"}
_OPENING_TAG = re.compile(r"<\s*[A-Za-z!?]")


class _Checks(Treeprocessor):
    """Demote headings below the page's h1, rebase site links, and note unsafe links."""

    def __init__(self, md: markdown.Markdown, base_path: str) -> None:
        super().__init__(md)
        self.base_path = base_path
        self.problems: list[tuple[str, str]] = []  # (text to find in the source, message)

    def run(self, root: Element) -> None:
        demote = any(el.tag == "h1" for el in root.iter())
        for el in root.iter():
            if demote and re.fullmatch(r"h[1-5]", el.tag):
                el.tag = f"h{int(el.tag[1]) + 1}"
            if el.tag == "img":
                self.problems.append(
                    (el.get("src", ""), "images are not supported in content; link to the image instead")
                )
            if el.tag == "th":
                el.set("scope", "col")
            if el.tag == "a":
                self.check_link(el)

    def check_link(self, el: Element) -> None:
        href = el.get("href", "")
        scheme = urlsplit(href).scheme.lower() if ":" in href.split("/", 1)[0] else ""
        if scheme and scheme not in _SCHEMES:
            self.problems.append(
                (href, f"link '{href}' is not allowed; use an https:// address or a path like /sites/")
            )
            el.set("href", "#")
        elif scheme == "http":
            self.problems.append((href, f"link '{href}' uses http://; use https:// (most sites support it)"))
        elif href.startswith("//"):
            self.problems.append((href, f"link '{href}' has no scheme; write it out with https://"))
        elif href.startswith("/"):
            el.set("href", self.base_path + href.lstrip("/"))


class _ChecksExtension(Extension):
    def __init__(self, base_path: str) -> None:
        super().__init__()
        self.base_path = base_path
        self.processor: _Checks | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        self.processor = _Checks(md, self.base_path)
        md.treeprocessors.register(self.processor, "psp_checks", 1)


# Where a Markdown text was written, for messages: (file, first line, indent of its lines).
Location = tuple[str, int, int]
# What is wrong with a text: (the piece of the source it is about, the message).
Problem = tuple[str, str]


class MarkdownRenderer:
    """One configured Markdown converter, reused for every field of every file.

    With a cache, a text rendered by an earlier build (for the same base path) is not rendered
    again; :meth:`prefetch` renders many texts at once on several cores. Results do not depend
    on where a text was written: that is only looked up when a text has problems to report.
    """

    def __init__(self, base_path: str = "/", cache: BuildCache | None = None) -> None:
        self.base_path = base_path
        self.cache = cache or BuildCache(None)
        self._keys: dict[str, str] = {}
        self.checks = _ChecksExtension(base_path)
        self.md = markdown.Markdown(
            extensions=["tables", "sane_lists", "smarty", "toc", self.checks],
            output_format="html",
        )

    def key(self, text: str) -> str:
        found = self._keys.get(text)
        if found is None:
            found = self._keys[text] = digest(self.base_path, text)
        return found

    def prefetch(self, texts: list[str], workers: int) -> None:
        """Render every text not yet cached, spread over ``workers`` processes."""
        missing = list({self.key(t): t for t in texts if self.cache.get("markdown", self.key(t)) is None}.items())
        done = workers_.run(lambda item: self.convert(item[1]), missing, workers)
        for (key, _), result in zip(missing, done, strict=True):
            self.cache.put("markdown", key, result)

    def render(self, text: str, where: Location | Callable[[], Location]) -> tuple[Markup, list[ContentError]]:
        """Convert ``text``: the HTML, and any problems located in the file ``where`` says (a
        location, or a function giving it, called only when there is a problem to report)."""
        key = self.key(text)
        found = self.cache.get("markdown", key)
        if found is None:
            found = self.convert(text)
            self.cache.put("markdown", key, found)
        html, problems = found
        if not problems:
            return Markup(html), []
        path, line, indent = where() if callable(where) else where
        return Markup(html), [ContentError(path, *locate(text, needle, line, indent), m) for needle, m in problems]

    def convert(self, text: str) -> tuple[str, list[Problem]]:
        """Render one text: (sanitized HTML, problems as plain tuples that a cache can store)."""
        plain = plain_prose(text)
        return (plain, []) if plain is not None else self.convert_markdown(text)

    def convert_markdown(self, text: str) -> tuple[str, list[Problem]]:
        """:meth:`convert` without the plain-prose shortcut: always through Python-Markdown."""
        self.md.reset()
        processor = self.checks.processor
        assert processor is not None
        processor.problems = []
        html = self.md.convert(text)
        problems = list(processor.problems)
        for raw in self.md.htmlStash.rawHtmlBlocks:
            raw_text = str(raw)
            # Closing tags alone are noise next to their opening tag; anything that opens one is reported.
            opening = _OPENING_TAG.search(raw_text)
            if opening:
                tag = raw_text[opening.start() :].strip().splitlines()[0][:40]
                problems.append((tag, f"raw HTML ({tag}) is not allowed; use Markdown instead (see CONTRIBUTING.md)"))
        clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES, link_rel=None)
        return clean, problems


# Plain prose: ASCII letters, digits, spaces and punctuation that neither Markdown nor SmartyPants
# gives a meaning to, in paragraphs. Most descriptions are just that, and Python-Markdown takes
# half a millisecond over each (it tries some thirty inline patterns on every text). What it
# makes of such text is known: paragraphs, split at blank lines. A property test holds this
# shortcut to Markdown's own output, byte for byte.
_PROSE = re.compile(r"[A-Za-z0-9 \n,.;:?!()/%+=@$'\"-]*")
# Within that alphabet, what Markdown would still change: ellipses and dashes (SmartyPants),
# list items, headings and rules at the start of a line, indented code, hard line breaks.
_NOT_PROSE = re.compile(r"\.\.|--|^[ +=-]|^\d+[.)]|[ ]$|[ ]\n", re.MULTILINE)
_STOPS = ".,;:!?"
# SmartyPants replaces marks one rule at a time, and a replaced mark (with the "s" or space it
# took along) changes how the next mark nearby reads: marks this close are left to it.
_CLOSE_MARKS = re.compile(r"['\"].{0,3}['\"]", re.DOTALL)


def plain_prose(text: str) -> str | None:
    """The HTML Markdown makes of ``text`` if it is plain prose, else None."""
    if not _PROSE.fullmatch(text) or _NOT_PROSE.search(text) or _CLOSE_MARKS.search(text):
        return None
    for mark, opening, closing in (('"', "\u201c", "\u201d"), ("'", "\u2018", "\u2019")):
        if mark in text:
            curled = _curl(text, mark, opening, closing)
            if curled is None:
                return None
            text = curled
    paragraphs = [p.strip("\n") for p in text.split("\n\n")]
    return "\n".join(f"<p>{p}</p>" for p in paragraphs if p)


def _curl(text: str, mark: str, opening: str, closing: str) -> str | None:
    """Curl quotation marks as SmartyPants does, or None for one whose reading is not plain.

    Plain readings: an opening mark after a space or a parenthesis and before a letter (or a
    digit, for double marks: SmartyPants reads '90s as an apostrophe); a closing mark after a
    letter, digit or stop and before a space, stop or parenthesis; for single marks, an
    apostrophe after a letter or digit and before a letter.
    """
    parts = text.split(mark)
    for i in range(1, len(parts)):
        before = parts[i - 1][-1:] or ("\n" if i == 1 else "")
        after = parts[i][:1] or ("\n" if i == len(parts) - 1 else "")
        word_before = before.isalnum() or (before != "" and before in _STOPS)
        if mark == "'" and not before.isalnum() and re.match(r"s\b", parts[i]):
            return None  # 's: SmartyPants has rules both ways
        if before in (" ", "\n", "(") and (after.isalpha() or (mark == '"' and after.isdigit())):
            parts[i] = opening + parts[i]
        elif word_before and (after in (" ", "\n", ")") or (after != "" and after in _STOPS)):
            parts[i] = closing + parts[i]
        elif mark == "'" and before.isalnum() and after.isalpha():
            parts[i] = closing + parts[i]  # an apostrophe: don't, DEA's
        else:
            return None
    return "".join(parts)


def locate(text: str, needle: str, first_line: int, indent: int) -> tuple[int, int]:
    """Find ``needle`` in the Markdown source to report a line; fall back to the first line."""
    index = text.find(needle) if needle else -1
    if index < 0:
        return first_line, 1 + indent
    before = text[:index]
    return first_line + before.count("\n"), index - (before.rfind("\n") + 1) + 1 + indent
