"""Evidence: a resource's CrimeSolutions rating (validated: a known rating, a CrimeSolutions
address), shown on its page and its cards, published in the open data, and the finder's
"Has an evidence rating" facet in Chromium."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page

from psp_static import pipeline
from psp_static.clearinghouse import EVIDENCE_RATINGS
from psp_static.errors import ContentErrors
from tests.conftest import REAL_CONTENT, Server, soup
from tests.helpers import records

# The display names CONTRIBUTING.md and CrimeSolutions use, written out independently of the code.
NAMES = {"effective": "Effective", "promising": "Promising", "no-effects": "No effects",
         "multiple": "Rated on several outcomes"}  # fmt: skip


def real_resources() -> dict[str, dict[str, Any]]:
    return records(REAL_CONTENT / "resources")


def rated() -> dict[str, dict[str, Any]]:
    return {slug: d for slug, d in real_resources().items() if "evidence" in d}


def test_vocabulary_is_the_one_crimesolutions_publishes() -> None:
    assert EVIDENCE_RATINGS == NAMES
    schema = json.loads((Path(pipeline.__file__).parent / "schemas" / "resource.schema.json").read_text())
    assert schema["properties"]["evidence"]["properties"]["rating"]["enum"] == list(NAMES)


def test_rating_is_on_the_resource_page_and_its_card(real_site: Path) -> None:
    assert rated(), "the real content has confirmed ratings"
    for slug, data in real_resources().items():
        page = soup(real_site / "resources" / slug / "index.html")
        terms = [t.get_text() for t in page.select(".resource-details dt")]
        if "evidence" not in data:
            assert "Evidence rating" not in terms, slug
            continue
        link = page.select_one(".resource-details dt:-soup-contains('Evidence rating') + dd a")
        assert link is not None, slug
        assert link["href"] == data["evidence"]["url"] and link.get_text() == NAMES[data["evidence"]["rating"]]
    listing = soup(real_site / "clearinghouse" / "index.html")
    notes = {
        int(str(card["data-resource-id"])): [li.get_text() for li in card.select(".usa-collection__meta-item")]
        for card in listing.select("#static-listing .resource-card")
    }
    for data in rated().values():
        assert f"Evidence rating: {NAMES[data['evidence']['rating']]}" in notes[data["id"]]
    rated_ids = {d["id"] for d in rated().values()}
    unrated = [n for i, n in notes.items() if i not in rated_ids]
    assert not any(text.startswith("Evidence rating") for n in unrated for text in n)


def test_facet_and_card_data_carry_the_rating(real_site: Path) -> None:
    folder = real_site / "assets" / "search"
    [facets_file] = folder.glob("facets.*.json")
    facets = json.loads(facets_file.read_text())
    assert facets["vocab"]["evidence"] == [["rated", "Has an evidence rating"]]
    with_rating = {facets["id"][i] for i, flag in enumerate(facets["evidence"]) if flag}
    assert with_rating == {d["id"] for d in rated().values()}
    cards: dict[str, Any] = {}
    for chunk in folder.glob("cards-*.json"):
        cards |= json.loads(chunk.read_text())
    for data in rated().values():
        assert cards[str(data["id"])]["notes"] == [f"Evidence rating: {NAMES[data['evidence']['rating']]}"]


def test_open_data_has_the_rating_and_its_page(real_site: Path) -> None:
    rows = {
        int(r["id"]): r
        for r in csv.DictReader(io.StringIO((real_site / "data" / "clearinghouse.csv").read_text(encoding="utf-8-sig")))
    }
    for data in real_resources().values():
        evidence = data.get("evidence")
        assert rows[data["id"]]["evidence_rating"] == (NAMES[evidence["rating"]] if evidence else "")
        assert rows[data["id"]]["evidence_url"] == (evidence["url"] if evidence else "")


@pytest.mark.parametrize(
    ("evidence", "key", "message"),
    [
        ({"rating": "effective", "url": "https://example.org/ProgramDetails.aspx?ID=207"}, "url",
         "is not in the expected form; the address of the program's or practice's page on CrimeSolutions"),
        ({"rating": "efective", "url": "https://crimesolutions.ojp.gov/ratedprograms/207"}, "rating",
         "unknown rating 'efective'"),
        ({"rating": "effective", "url": "http://www.crimesolutions.gov/ProgramDetails.aspx?ID=207"}, "url",
         "starting https://crimesolutions.ojp.gov/ or https://www.crimesolutions.gov/"),
    ],
)  # fmt: skip
def test_a_wrong_rating_or_address_is_one_located_error(
    content: Path, evidence: dict[str, str], key: str, message: str
) -> None:
    path = content / "resources" / "lpr-primer.yaml"
    data = yaml.safe_load(path.read_text())
    data["evidence"] = evidence
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    [error] = caught.value.errors
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith(f"  {key}:"))
    assert (error.path, error.line, error.col) == (str(path), line, len(key) + 5)
    assert message in error.message


# --- in Chromium ---------------------------------------------------------------------------------


def open_finder(page: Page, server: Server, query: str = "") -> None:
    page.goto(server.url + "/clearinghouse/" + query)
    page.wait_for_selector("#finder[data-ready=true]")


def settled(page: Page) -> list[int]:
    """Every result of the finder's last change, as the page lists them (rated resources are
    fewer than one batch, and the test checks "Show more" is not offered)."""
    page.wait_for_selector("#finder-results:not([aria-busy])", state="attached")
    assert page.locator("#finder-more").is_hidden()
    return [int(x) for x in page.locator("#finder-results [data-resource-id]").evaluate_all(
        "cards => cards.map(c => c.getAttribute('data-resource-id'))")]  # fmt: skip


@pytest.mark.browser
def test_has_an_evidence_rating_facet_filters_and_survives_reload(server: Server, watched: Any) -> None:
    page = watched.page
    open_finder(page, server)
    label = page.locator("label[for=f-evidence-rated]")
    assert not label.is_visible()  # the facet starts folded, like agency size and sponsor
    page.locator("details:has(#f-evidence-rated) summary").click()
    assert label.inner_text() == f"Has an evidence rating ({len(rated())})"
    label.click()
    expected = sorted(d["id"] for d in rated().values())
    assert sorted(settled(page)) == expected
    assert "evidence=rated" in page.url
    chip = page.locator(".finder__chip")
    assert chip.inner_text().startswith("Evidence: Has an evidence rating")
    cards = page.locator("#finder-results .resource-card")
    assert cards.count() == len(expected)
    for data in rated().values():
        card = page.locator(f"#finder-results [data-resource-id='{data['id']}']")
        assert f"Evidence rating: {NAMES[data['evidence']['rating']]}" in card.inner_text()
    page.reload()
    page.wait_for_selector("#finder[data-ready=true]")
    assert sorted(settled(page)) == expected and page.locator("#f-evidence-rated").is_checked()
    assert watched.problems == [] and watched.foreign == []
