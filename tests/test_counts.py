"""One set of facts: every count the rendered pages state agrees with the others and with the content."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from psp_static import pipeline
from tests import counts
from tests.conftest import REAL_CONTENT, build, html_files, soup


@pytest.fixture(scope="module")
def scopes() -> counts.Scopes:
    return counts.Scopes.of(pipeline.check(pipeline.Options(content=REAL_CONTENT)))


def page(html: str) -> BeautifulSoup:
    return BeautifulSoup(f"<html><body><main>{html}</main></body></html>", "html.parser")


def test_rendered_pages_agree_on_every_count(real_site: Path, scopes: counts.Scopes) -> None:
    site = pipeline.check(pipeline.Options(content=REAL_CONTENT))
    found = counts.site_claims(real_site, scopes)
    # The pages do state counts, among them the program's total of sites.
    assert any(c.thing == ("sites", "", "all") for c in found)
    assert counts.disagreements(found) == []
    want = counts.expected(site)
    wrong = [f"{c.page}: {c.value} for {c.thing}, the content has {want[c.thing]}: {c.sentence!r}" for c in found
             if c.thing in want and want[c.thing] != c.value]  # fmt: skip
    assert wrong == []


def test_two_pages_with_different_counts_of_one_thing_are_reported(scopes: counts.Scopes) -> None:
    home = list(counts.claims("index.html", page("<p>PSP has worked with 66 cities and counties.</p>"), scopes))
    news = list(counts.claims("news.html", page("<p>Teams came from all 67 PSP sites.</p>"), scopes))
    problems = counts.disagreements(home + news)
    assert len(problems) == 1 and "66 on index.html" in problems[0] and "67 on news.html" in problems[0]


def test_quoted_estimated_and_partial_counts_are_not_the_sites_own(scopes: counts.Scopes) -> None:
    doc = page(
        "<p>By the Department of Justice's count, 57 of its 67 PSP sites sent teams.</p>"
        "<p>People came from more than 50 PSP jurisdictions.</p>"
        "<p>Baton Rouge was one of the 2017 diagnostic sites.</p>"
        "<p><cite>Tulsa One of Five Cities Selected</cite>.</p>"
        "<p>Toledo was one of four operations sites in the 2017 cohort.</p>"
        "<p>Saginaw was one of the last two sites to follow the diagnostic track.</p>"
    )
    found = list(counts.claims("p.html", doc, scopes))
    assert [(c.thing, c.value) for c in found] == [
        (("sites", "operations", "cohort:2017"), 4),
        (("sites", "diagnostic last", "all"), 2),
    ]


def test_a_cohort_named_in_the_sentence_or_the_heading_scopes_the_count(scopes: counts.Scopes) -> None:
    doc = page(
        "<h2>2018 cohort</h2><p>Five cities were named.</p>"
        "<h2>Elsewhere</h2><p>Albuquerque was one of six sites of the 2022 cohort.</p>"
        "<p>Since 2014, 66 cities and counties have worked with PSP.</p>"
    )
    found = {(c.thing, c.value) for c in counts.claims("p.html", doc, scopes)}
    assert found == {
        (("sites", "", "cohort:2018"), 5),
        (("sites", "", "cohort:2022"), 6),
        (("sites", "", "all"), 66),
    }


def test_a_wrong_count_in_content_is_caught_on_the_built_pages(content: Path, tmp_path: Path) -> None:
    about = content / "pages" / "about.md"
    about.write_text(about.read_text() + "\nPSP has worked with 12 cities and counties.\n")
    out = tmp_path / "out"
    build(content, out)
    site = pipeline.check(pipeline.Options(content=content))
    found = counts.site_claims(out, counts.Scopes.of(site))
    want = counts.expected(site)
    wrong = [c for c in found if c.thing in want and want[c.thing] != c.value]
    assert [(c.page, c.value) for c in wrong] == [("about/index.html", 12)]


def test_no_hedged_counts_of_the_sites_own(real_site: Path) -> None:
    assert counts.hedges(real_site) == []


def test_hedges_are_found(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<main><p>PSP has worked with at least 66 cities and counties.</p></main>")
    assert counts.hedges(tmp_path) == ["index.html: 'at least 66 cities and counties'"]


# Notes written for editors, which visitors should never read.
EDITOR_NOTES = ("Counting Kansas City", "this marker", "the end year shown here", "not confirmed in public sources",
                "public sources do not confirm", "Replace this:", "TODO")  # fmt: skip


def test_no_editor_notes_reach_visitors(real_site: Path) -> None:
    shown = [(p, " ".join(soup(p).get_text(" ").split())) for p in html_files(real_site)]
    shown += [(p, p.read_text(encoding="utf-8")) for p in sorted((real_site / "assets" / "js").rglob("*.js"))]
    found = [f"{p.relative_to(real_site)}: {note}" for p, text in shown for note in EDITOR_NOTES if note in text]
    assert found == []
