"""What searching shows a visitor, in Chromium: matched words highlighted (and markup in content
left as text), help when nothing matches, and the site-wide search from every page's header."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import BrowserContext

from tests.conftest import Server, build, watch
from tests.test_clearinghouse import open_finder, settled

WORD = re.compile(r"[^\s-]+")  # lunr's tokenizer: words are what lies between spaces and hyphens


def marked_words(text: str, prefixes: tuple[str, ...]) -> list[str]:
    """The words of ``text`` a search for ``prefixes`` should mark, without edge punctuation."""
    words = [re.sub(r"^\W+|\W+$", "", w) for w in WORD.findall(text)]
    return [w for w in words if w.lower().startswith(prefixes)]


@pytest.mark.browser
def test_matched_words_are_marked_and_markup_in_content_stays_text(
    content: Path, tmp_path: Path, context: BrowserContext
) -> None:
    title = "<b>Bold</b> License Plate Readers <img src=x onerror=window.__xss=1>"
    path = content / "resources" / "lpr-primer.yaml"
    record = yaml.safe_load(path.read_text())
    path.write_text(path.read_text().replace("'License Plate Readers: A Primer'", yaml.safe_dump(title).split("\n")[0]))
    out = tmp_path / "out"
    build(content, out)
    server = Server(out)
    try:
        watched = watch(context, server.url)
        page = watched.page
        open_finder(page, server, "?q=licen+plate")
        settled(page)
        card = page.locator(f"#finder-results [data-resource-id='{record['id']}']")
        link = card.locator(".usa-collection__heading a")
        summary = card.locator(".usa-collection__description")
        # The title reads exactly as written: nothing in it became an element.
        assert link.text_content() == title
        assert link.locator("b, img").count() == 0
        assert page.evaluate("window.__xss") is None
        # Every word the search matched, and only those, is in a <mark>, in the title and the summary.
        prefixes = ("licen", "plate")
        assert link.locator("mark").all_text_contents() == marked_words(title, prefixes) == ["License", "Plate"]
        assert summary.text_content() == record["summary"]
        assert summary.locator("mark").all_text_contents() == marked_words(record["summary"], prefixes)
        assert summary.locator("mark").count() >= 2
        # Without words to match, nothing is marked.
        page.locator("#finder-q").fill("")
        total = len(list((content / "resources").glob("*.yaml")))
        page.wait_for_function(
            f"() => document.getElementById('finder-count').textContent.startsWith('Showing all {total} ')"
        )
        settled(page)
        assert page.locator("#finder-results mark").count() == 0
        assert watched.problems == []
    finally:
        server.close()
