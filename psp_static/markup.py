"""Markdown to safe HTML with a fixed set of extensions.

Editors write Markdown, not HTML: raw HTML, images and links with unsafe schemes are reported as
content errors, and the result is still passed through an allow-list sanitizer (nh3) so that
nothing a content file says can run script in a visitor's browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from psp_static.errors import ContentError
from psp_static.hashing import digest
from psp_static.stage import Each

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


class Converted(NamedTuple):
    """One Markdown text converted: plain values, which a memo can store."""

    html: str  # sanitized
    text: str  # what a reader sees of it: the HTML's text, entities decoded, spaces collapsed
    problems: list[Problem]


class MarkdownRenderer:
    """One configured Markdown converter, reused for every field of every file.

    :meth:`prefetch` converts many texts at once, through the ``each`` the build gives it.
    Results do not depend on where a text was written: that is only looked up when a text has
    problems to report.
    """

    def __init__(self, base_path: str = "/") -> None:
        self.base_path = base_path
        self._done: dict[str, Converted] = {}
        self.checks = _ChecksExtension(base_path)
        self.md = markdown.Markdown(
            extensions=["tables", "sane_lists", "smarty", "toc", self.checks],
            output_format="html",
        )

    def key(self, text: str) -> str:
        """What a text's HTML is made from: the text, and the base path its site links get."""
        return digest(self.base_path, text)

    def prefetch(self, texts: list[str], each: Each) -> None:
        """Convert ``texts`` in one batch, so that :meth:`render` finds them done."""
        todo = sorted(set(texts) - self._done.keys())
        self._done.update(zip(todo, each("markdown", self.convert, todo, self.key), strict=True))

    def render(self, text: str, where: Location | Callable[[], Location]) -> tuple[Markup, list[ContentError]]:
        """Convert ``text``: the HTML, and any problems located in the file ``where`` says (a
        location, or a function giving it, called only when there is a problem to report)."""
        html, _, problems = self._converted(text)
        if not problems:
            return Markup(html), []
        path, line, indent = where() if callable(where) else where
        return Markup(html), [ContentError(path, *locate(text, needle, line, indent), m) for needle, m in problems]

    def text(self, text: str) -> str:
        """What a reader sees of ``text`` once converted, as plain text (what search and open data use)."""
        return self._converted(text).text if text else ""

    def _converted(self, text: str) -> Converted:
        found = self._done.get(text)
        if found is None:
            found = self._done[text] = self.convert(text)
        return found

    def convert(self, text: str) -> Converted:
        """Convert one text: its HTML and plain text, and its problems as plain tuples."""
        plain = plain_paragraphs(text)
        html, problems = (plain, []) if plain is not None else self.convert_markdown(text)
        return Converted(html, Markup(html).striptags(), problems)

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


# Paragraphs of plain words: ASCII letters, digits, spaces and punctuation that neither Markdown
# nor SmartyPants gives any meaning to (no quotes, dashes, ellipses, list or heading marks).
# Python-Markdown takes half a millisecond over each text, which at 10,000 resources is seconds
# of a first build; what it makes of such text is known: paragraphs, split at blank lines. A
# property test holds this shortcut to Markdown's own output.
_PLAIN = re.compile(r"[A-Za-z0-9 \n,.;:?!()/%+=@$-]*")
# Within that alphabet, what Markdown would still change: ellipses and dashes (SmartyPants),
# list items, headings and rules at the start of a line, indented code, hard line breaks.
_NOT_PLAIN = re.compile(r"\.\.|--|^[ +=-]|^\d+[.)]|[ ]$|[ ]\n", re.MULTILINE)


def plain_paragraphs(text: str) -> str | None:
    """The HTML Markdown makes of ``text`` if it is nothing but paragraphs of plain words, else None."""
    if not _PLAIN.fullmatch(text) or _NOT_PLAIN.search(text):
        return None
    paragraphs = (p.strip("\n") for p in text.split("\n\n"))
    return "\n".join(f"<p>{p}</p>" for p in paragraphs if p)


def locate(text: str, needle: str, first_line: int, indent: int) -> tuple[int, int]:
    """Find ``needle`` in the Markdown source to report a line; fall back to the first line."""
    index = text.find(needle) if needle else -1
    if index < 0:
        return first_line, 1 + indent
    before = text[:index]
    return first_line + before.count("\n"), index - (before.rfind("\n") + 1) + 1 + indent
