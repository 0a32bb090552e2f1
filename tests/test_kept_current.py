"""Kept current: a resource's ``reviewed`` date on its page, the build's warning (and summary) for
resources nobody has reviewed in two years, and ``archived`` resources kept out of "new" lists."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import BrowserContext

from psp_static import currency, decap_fields, loader, pipeline, runs, timely
from psp_static.cli import cli
from psp_static.errors import ContentError, ContentErrors
from tests.conftest import build, built_and_watched, soup
from tests.golden import TEMPLATES

ATOM = "{http://www.w3.org/2005/Atom}"


def on_day(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    midday = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(midday.timestamp())))


def resources(content: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: yaml.safe_load(p.read_text()) for p in sorted((content / "resources").glob("*.yaml"))}


def line_of(path: Path, key: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(f"{key}:"))


def last_checked(data: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(str(data.get("reviewed", data["added"])))


def set_field(content: Path, slug: str, key: str, value: object) -> Path:
    path = content / "resources" / f"{slug}.yaml"
    data = yaml.safe_load(path.read_text())
    data[key] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_reviewed_date_is_shown_on_the_page(content: Path, tmp_path: Path) -> None:
    build(content, tmp_path / "out")
    found = resources(content)
    assert any("reviewed" in d for d in found.values())
    for slug, data in found.items():
        page = soup(tmp_path / "out" / "resources" / slug / "index.html")
        terms = [dt_.get_text() for dt_ in page.select(".resource-details dt")]
        if "reviewed" not in data:
            assert "Last reviewed" not in terms
            continue
        day = dt.date.fromisoformat(data["reviewed"])
        shown = page.select_one(".resource-details dt:-soup-contains('Last reviewed') + dd time")
        assert shown is not None and shown["datetime"] == data["reviewed"]
        assert shown.get_text() == f"{day:%B} {day.day}, {day.year}"


def due_for_review(content: Path) -> list[ContentError]:
    return currency.unreviewed(loader.load(content), timely.today())


def test_no_warning_until_two_years_have_passed(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    oldest = min(last_checked(d) for d in resources(content).values())
    on_day(monkeypatch, currency.due(oldest))
    assert due_for_review(content) == []  # on the last day: nothing to say
    on_day(monkeypatch, currency.due(oldest) + dt.timedelta(days=1))
    assert len(due_for_review(content)) == sum(last_checked(d) == oldest for d in resources(content).values())


def test_each_unreviewed_resource_is_warned_at_its_date_and_strict_still_passes(
    content: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    unreviewed = set_field(content, "lpr-primer", "reviewed", None)
    unreviewed.write_text(unreviewed.read_text().replace("reviewed: null\n", ""))  # never reviewed: added counts
    archived = set_field(content, "deterrence-notes", "archived", True)
    newest = max(last_checked(d) for d in resources(content).values())
    today = currency.due(newest) + dt.timedelta(days=1)
    on_day(monkeypatch, today)
    # A reminder, not a mistake: even --strict (what pull requests run) passes, and says it.
    pipeline.check(pipeline.Options(content=content), strict=True)
    found = due_for_review(content)
    expected = {p for p in (content / "resources").glob("*.yaml") if p != archived}  # archived: no review due
    assert {Path(e.path) for e in found} == expected
    for error in found:
        path = Path(error.path)
        key = "reviewed" if "reviewed" in yaml.safe_load(path.read_text()) else "added"
        assert error.line == line_of(path, key) and error.col == len(key) + 3, error
        assert error.message.startswith("warning: ") and f"set reviewed: '{today.isoformat()}'" in error.message
        assert str(error) in caplog.text
    [never] = [e for e in found if Path(e.path) == unreviewed]
    assert "added and never reviewed" in never.message


def test_build_summary_lists_the_resources_due_for_review(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = resources(content)
    oldest = min(last_checked(d) for d in found.values())
    on_day(monkeypatch, currency.due(oldest) + dt.timedelta(days=1))
    args = ["build", "--content", str(content), "--templates", str(TEMPLATES), "--output", str(tmp_path / "out")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    due = sorted(slug for slug, d in found.items() if last_checked(d) == oldest)
    summary = [line for line in result.output.splitlines() if "not reviewed in 2 years" in line]
    assert len(summary) == 1
    assert summary[0].startswith(f"{len(due)} resource")
    for slug in due:
        assert f"resources/{slug}.yaml" in summary[0]


def test_a_long_list_of_resources_due_is_cut_short_in_the_summary() -> None:
    due = tuple(f"content/resources/r{n}.yaml" for n in range(runs.SUMMARY_NAMES + 7))
    [_built, line] = runs.Report(10, 20, 0, 1.0, unreviewed=due).summary().splitlines()
    assert line.startswith(f"{len(due)} resources not reviewed in 2 years: ")
    assert all(path in line for path in due[: runs.SUMMARY_NAMES])
    assert due[runs.SUMMARY_NAMES] not in line
    assert line.endswith(" and 7 more (each is a warning above).")
    assert runs.Report(10, 20, 0, 1.0, unreviewed=due[:2]).summary().endswith(f"{due[0]}, {due[1]}.")


def test_a_wrong_reviewed_date_is_one_located_error(content: Path) -> None:
    path = set_field(content, "lpr-primer", "reviewed", "3 March 2026")
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    [error] = caught.value.errors
    assert (error.path, error.line) == (str(path), line_of(path, "reviewed"))
    assert "YYYY-MM-DD" in error.message


def test_the_editor_offers_a_date_picker_and_a_switch() -> None:
    schema = json.loads((Path(pipeline.__file__).parent / "schemas" / "resource.schema.json").read_text())
    reviewed = decap_fields.field("reviewed", schema["properties"]["reviewed"], False)
    assert reviewed["widget"] == "datetime" and reviewed["format"] == "YYYY-MM-DD" and reviewed["required"] is False
    archived = decap_fields.field("archived", schema["properties"]["archived"], False)
    assert archived["widget"] == "boolean" and "default" not in archived  # else every new file says archived: false
    evidence = decap_fields.field("evidence", schema["properties"]["evidence"], False)
    # An optional group whose parts the form requires could never be left empty (decap-cms #2103).
    assert evidence["widget"] == "object" and all(sub["required"] is False for sub in evidence["fields"])


def feed_ids(path: Path) -> set[str]:
    root = ET.parse(path).getroot()
    return {link.get("href", "") for link in root.iter(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"}


def test_an_archived_resource_keeps_its_page_but_leaves_new_lists(content: Path, tmp_path: Path) -> None:
    site = yaml.safe_load((content / "site.yaml").read_text())
    found = resources(content)
    newest = max(found, key=lambda s: (found[s]["added"], found[s]["id"]))
    set_field(content, newest, "archived", True)
    out = tmp_path / "out"
    build(content, out)
    page = soup(out / "resources" / newest / "index.html")
    notice = page.select_one("main .resource__archived")
    assert notice is not None and "Archived." in notice.get_text()
    # Its card, on the clearinghouse and in the finder's card data, says so.
    card = soup(out / "clearinghouse" / "index.html").select_one(
        f"#static-listing [data-resource-id='{found[newest]['id']}']"
    )
    assert card is not None and "Archived" in [li.get_text() for li in card.select(".usa-collection__meta-item")]
    cards: dict[str, Any] = {}
    for chunk in (out / "assets" / "search").glob("cards-*.json"):
        cards |= json.loads(chunk.read_text())
    assert cards[str(found[newest]["id"])]["notes"][-1] == "Archived"
    assert all("Archived" not in c.get("notes", []) for i, c in cards.items() if i != str(found[newest]["id"]))
    # Not among the home page's newest, nor in any feed of new resources.
    home = soup(out / "index.html").select("#newest-heading ~ .resource-list [data-resource-id]")
    shown = [int(str(li["data-resource-id"])) for li in home]
    current = sorted((d for s, d in found.items() if s != newest), key=lambda d: (d["added"], d["id"]), reverse=True)
    assert shown == [d["id"] for d in current][: site["newest_resources"]]
    href = site["base_url"].rstrip("/") + f"/resources/{newest}/"
    feeds = [out / "feed.xml", *(out / "areas").glob("*/feed.xml")]
    assert len(feeds) > 1 and all(href not in feed_ids(f) for f in feeds)


@pytest.mark.browser
def test_the_finders_card_marks_an_archived_resource(content: Path, tmp_path: Path, context: BrowserContext) -> None:
    found = resources(content)
    slug = min(found)
    set_field(content, slug, "archived", True)
    out = tmp_path / "out"
    with built_and_watched(content, out, context) as (server, watched):
        page = watched.page
        page.goto(server.url + "/clearinghouse/")
        page.wait_for_selector("#finder[data-ready=true]")
        page.wait_for_selector("#finder-results:not([aria-busy])", state="attached")
        cards = page.locator("#finder-results .resource-card")
        assert cards.count() == len(found)  # archived, it is still listed and found
        for other, data in found.items():
            meta = page.locator(f"#finder-results [data-resource-id='{data['id']}'] .usa-collection__meta-item")
            assert ("Archived" in meta.all_inner_texts()) is (other == slug), other
        assert watched.problems == [] and watched.foreign == []
