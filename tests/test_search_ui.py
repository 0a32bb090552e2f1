"""What searching shows a visitor, in Chromium: matched words highlighted (and markup in content
left as text), help when nothing matches, and the site-wide search from every page's header."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from playwright.sync_api import BrowserContext, Page

from tests.conftest import REAL_CONTENT, Server, built_and_watched
from tests.test_clearinghouse import FIELD, expected_ids, open_finder, resources, result_ids, settled, wait_for_count

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
    with built_and_watched(content, out, context) as (server, watched):
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


def values_of(resource: dict[str, Any], facet: str) -> set[str]:
    value = resource[FIELD[facet]]
    return {str(v) for v in value} if isinstance(value, list) else {str(value)}


def offered(page: Page) -> dict[tuple[str, str], int]:
    """The no-results help's offers: (facet, value) -> the count its button says removal gives."""
    found = {}
    for button in page.locator("#finder-unfilter button").all():
        count = re.search(r"\((\d+) resources?\)", button.inner_text())
        assert count, button.inner_text()
        found[(str(button.get_attribute("data-facet")), str(button.get_attribute("data-value")))] = int(count[1])
    return found


@pytest.mark.browser
def test_no_results_offers_each_filter_whose_removal_gives_results(server: Server, watched: Any) -> None:
    page = watched.page
    query = "licen"
    open_finder(page, server, "?" + urlencode({"q": query}))
    found = set(result_ids(page))
    by_id = {r["id"]: r for r in resources()}
    assert found
    # A type none of the matches has empties the list; an area some of them have does not on its own.
    types = sorted(
        {t for r in resources() for t in values_of(r, "type")} - {t for i in found for t in values_of(by_id[i], "type")}
    )
    area = sorted(values_of(by_id[min(found)], "area"))[0]
    filters = {"type": [types[0]], "area": [area]}
    open_finder(page, server, "?" + urlencode({"q": query, **{k: v[0] for k, v in filters.items()}}))
    wait_for_count(page, 0)
    assert page.locator("#finder-empty").is_visible()
    expected = {}
    for facet, values in filters.items():
        rest = {k: v for k, v in filters.items() if k != facet}
        n = len(found & expected_ids(rest))
        if n:
            expected[(facet, values[0])] = n
    assert expected and offered(page) == expected
    # The live region says what would help.
    (facet, value), n = next(iter(expected.items()))
    page.wait_for_function("() => document.getElementById('finder-status').textContent.includes('Removing the filter')")
    assert f"would show {n} resource" in page.locator("#finder-status").text_content()
    # The contact page is offered too.
    contact = page.locator("#finder-empty a", has_text="contact us")
    href = str(contact.get_attribute("href"))
    assert contact.is_visible() and href.endswith("/contact/")
    # Removing the filter gives what the button said.
    page.locator(f"#finder-unfilter button[data-facet='{facet}'][data-value='{value}']").click()
    wait_for_count(page, n)
    assert f"{facet}=" not in page.url
    assert not page.locator(f"input[data-facet={facet}][value='{value}']").is_checked()
    assert set(result_ids(page)) == found & expected_ids({k: v for k, v in filters.items() if k != facet})
    assert page.locator("#finder-empty").is_hidden()
    response = page.goto(server.url + href)
    assert response is not None and response.ok
    assert watched.problems == []


def short_word_typo() -> tuple[str, str]:
    """A three-letter word of a core area's name, and that word with its last two letters swapped:
    too short for typo tolerance, so it finds nothing, but one transposition from a known word."""
    for path in sorted((REAL_CONTENT / "areas").glob("*.yaml")):
        for word in yaml.safe_load(path.read_text())["name"].split():
            if len(word) == 3 and word.isalpha() and word[1] != word[2]:
                return word.lower(), word[0].lower() + word[2] + word[1]
    raise AssertionError("no core area's name has a three-letter word")


# What the page's own engine answers for q: [refs found, its suggestion].
ASK_ENGINE = """async ([root, q]) => {
  const el = document.getElementById(root);
  const result = await pspSearch.open(el.dataset.index, el.dataset.lunr).query(q);
  return [result.order, result.suggestion];
}"""


@pytest.mark.browser
def test_no_results_suggests_the_nearest_word_and_choosing_it_searches(server: Server, watched: Any) -> None:
    page = watched.page
    word, typo = short_word_typo()
    open_finder(page, server, "?" + urlencode({"q": typo}))
    wait_for_count(page, 0)
    found, suggested = page.evaluate(ASK_ENGINE, ["finder", typo])
    assert found == [] and suggested == word
    suggestion = page.locator("#finder-suggestion")
    assert suggestion.is_visible() and suggestion.inner_text() == word
    page.wait_for_function("() => document.getElementById('finder-status').textContent.includes('Did you mean')")
    assert f"Did you mean “{word}”?" in str(page.locator("#finder-status").text_content())
    expected, _ = page.evaluate(ASK_ENGINE, ["finder", word])
    suggestion.click()
    wait_for_count(page, len(expected))
    assert page.locator("#finder-q").input_value() == word and f"q={word}" in page.url
    assert set(result_ids(page)) == {int(ref) for ref in expected}
    assert page.locator("#finder-empty").is_hidden()
    # The search page offers the same.
    page.goto(server.url + "/search/?" + urlencode({"q": typo}))
    page.wait_for_selector("#site-search[data-ready=true]")
    page.locator("#search-suggestion", has_text=word).click()
    page.wait_for_function(f"() => document.getElementById('search-count').textContent.includes('for “{word}”')")
    assert page.locator("#search-results li").count() > 0 and page.locator("#search-empty").is_hidden()
    assert watched.problems == []
