"""What the built pages say, checked by parsing them: titles, dates, summaries shown once, no
empty columns, a map instead of raw coordinates, and text that promises only what works."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import yaml
from bs4 import BeautifulSoup, Tag

from tests.conftest import REAL_CONTENT, REPO, build, html_files, soup

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DAY_FIRST = re.compile(rf"\b\d{{1,2}} ({MONTHS}) \d{{4}}\b")
MONTH_FIRST = re.compile(rf"\b({MONTHS}) \d{{1,2}}, \d{{4}}\b")


def main(page: BeautifulSoup) -> Tag:
    found = page.find("main")
    assert isinstance(found, Tag)
    return found


def text(node: Tag) -> str:
    return " ".join(node.get_text(" ").split())


def test_the_home_title_names_the_site_once(real_site: Path) -> None:
    config = yaml.safe_load((REAL_CONTENT / "site.yaml").read_text(encoding="utf-8"))
    title = soup(real_site / "index.html").title
    assert title is not None
    assert title.get_text().count(config["title"]) == 1


def test_one_date_format_on_every_page(real_site: Path) -> None:
    day_first = {}
    for path in html_files(real_site):
        found = DAY_FIRST.findall(text(main(soup(path))))
        if found:
            day_first[path.relative_to(real_site).as_posix()] = found
    assert day_first == {}
    assert MONTH_FIRST.search(text(main(soup(real_site / "cohorts" / "2018" / "index.html"))))


def test_cohort_pages_show_their_summary_or_their_story_not_both_and_no_dash_dates(real_site: Path) -> None:
    for path in sorted((REAL_CONTENT / "cohorts").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        page = text(main(soup(real_site / "cohorts" / path.stem / "index.html")))
        summary = " ".join(data["summary"].split())
        assert (summary in page) != bool(data.get("description")), path.stem
        assert "—" not in page, path.stem
    table = text(main(soup(real_site / "cohorts" / "index.html")))
    assert "—" not in table


def test_team_roles_say_each_lead_once_with_an_icon_that_has_empty_alt_text(real_site: Path) -> None:
    page = soup(real_site / "team" / "index.html")
    roles = main(page).select(".team-role")
    assert len(roles) == len(list((REAL_CONTENT / "roles").glob("*.yaml")))
    for role in roles:
        icon = role.find("img")
        assert isinstance(icon, Tag) and icon.get("alt") == "", role.h2
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text(role)) if len(s.strip()) > 20]
        assert len(sentences) == len(set(sentences)), f"a sentence is repeated in {role.h2}"
        assert not role.find("strong"), "the bold lead repeated the paragraph after it"


def test_site_pages_have_no_empty_columns_and_a_map_instead_of_coordinates(real_site: Path) -> None:
    for path in sorted((real_site / "sites").glob("*/index.html")):
        page = main(soup(path))
        for table in page.find_all("table"):
            rows = [[text(c) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]
            for column in zip(*rows, strict=True):
                assert any(cell not in ("", "—") for cell in column), f"empty column in {path}"
        assert "°" not in text(page), path
        locator = page.select_one(".site-locator svg")
        assert locator is not None and locator.find("circle") is not None, path
        assert locator.get("role") == "img" and locator.get("aria-labelledby"), path


def test_resource_pages_have_a_summary_block_and_clean_button_text(real_site: Path) -> None:
    for path in sorted((real_site / "resources").glob("*/index.html")):
        page = main(soup(path))
        summary = page.select_one(".usa-summary-box")
        assert summary is not None and summary.select_one("dl"), path
        for button in page.select("a.usa-button, button"):
            visible = "".join(str(s) for s in button.find_all(string=True) if not s.find_parent(class_="usa-sr-only"))
            assert "  " not in visible and visible == visible.strip(), f"{path}: {visible!r}"


def test_new_resources_on_the_home_page_show_the_date_they_were_added(real_site: Path) -> None:
    config = yaml.safe_load((REAL_CONTENT / "site.yaml").read_text(encoding="utf-8"))
    added = sorted(
        (
            str(yaml.safe_load(p.read_text(encoding="utf-8"))["added"])
            for p in (REAL_CONTENT / "resources").glob("*.yaml")
        ),
        reverse=True,
    )[: config["newest_resources"]]
    section = main(soup(real_site / "index.html")).select_one("[aria-labelledby=newest-heading]")
    assert section is not None
    shown = [t["datetime"] for t in section.select(".usa-collection__meta time")]
    assert shown == added


def test_without_javascript_the_clearinghouse_promises_no_filters_or_toolkit(real_site: Path) -> None:
    page = copy.copy(soup(real_site / "clearinghouse" / "index.html"))  # changed below
    finder = page.find(id="finder")
    assert isinstance(finder, Tag) and finder.has_attr("hidden")
    finder.decompose()  # shown only when its script runs
    visible = text(main(page)).lower()
    assert "filter by" not in visible
    assert not re.search(r"\b(your|my|to the) toolkit\b", visible)


def test_counts_follow_the_site_files_when_an_editor_adds_sites(content: Path, tmp_path: Path) -> None:
    for name, lat, lon in (("Topeka", 39.05, -95.68), ("Wichita", 37.69, -97.34)):  # two places, two files
        (content / "sites" / f"{name.lower()}.yaml").write_text(
            f"name: {name}\nstate: KS\nkind: city\nlatitude: {lat}\nlongitude: {lon}\nengagements:\n"
            "  - cohort: '2019'\n    type: intensive\n    start_year: 2019\n    end_year: 2022\n",
            encoding="utf-8",
        )
    in_2019 = sum(
        any(str(e["cohort"]) == "2019" for e in yaml.safe_load(p.read_text(encoding="utf-8"))["engagements"])
        for p in (content / "sites").glob("*.yaml")
    )
    out = tmp_path / "out"
    build(content, out)
    cohort = text(main(soup(out / "cohorts" / "2019" / "index.html")))
    assert f"{in_2019} sites" in cohort
    assert re.findall(r"(\d+) sites?", cohort) == [str(in_2019)] * 2  # the facts and the table's caption


def test_no_word_is_broken_at_a_line_end_in_folded_text() -> None:
    """In a folded block (``>-``) a line that ends in a hyphen is joined to the next by a space:
    "a three-\\n  year engagement" reads "a three- year engagement" on the page."""
    broken = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "content").rglob("*.yaml"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("  ") and re.search(r"[A-Za-z*]-$", line) and not line.rstrip().endswith(": >-")
    ]
    assert broken == []
