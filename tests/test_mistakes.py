"""Editors' mistakes that used to pass silently: a second file for one place, a stray file or
folder in content/, and what `psp-static new` now refuses or explains."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from psp_static import pipeline
from psp_static.cli import cli
from psp_static.errors import ContentErrors
from psp_static.validation import schema
from tests.conftest import REPO


def new(content: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["new", *args, "--content", str(content)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def cohort_years(content: Path, slug: str) -> tuple[int, int]:
    data = yaml.safe_load((content / "cohorts" / f"{slug}.yaml").read_text())
    return data["start_year"], data["end_year"]


def test_new_site_takes_state_cohort_and_engagement(content: Path) -> None:
    code, output = new(content, "site", "Tulsa", "--state", "ok", "--cohort", "pilot", "--engagement", "vrn-pilot")
    assert code == 0, output
    data = yaml.safe_load((content / "sites" / "tulsa.yaml").read_text())
    start, end = cohort_years(content, "pilot")
    assert (data["name"], data["state"]) == ("Tulsa", "OK")
    assert data["engagements"] == [{"cohort": "pilot", "type": "vrn-pilot", "start_year": start, "end_year": end}]
    pipeline.check(pipeline.Options(content=content))  # builds as written (placeholders warn)


def test_new_site_defaults_to_the_newest_cohorts_intensive_engagement(content: Path) -> None:
    code, output = new(content, "site", "Tulsa, OK")
    assert code == 0, output
    newest = max(content.glob("cohorts/*.yaml"), key=lambda p: yaml.safe_load(p.read_text())["order"]).stem
    engagement = yaml.safe_load((content / "sites" / "tulsa.yaml").read_text())["engagements"][0]
    assert (engagement["cohort"], engagement["type"]) == (newest, "intensive")
    assert (engagement["start_year"], engagement["end_year"]) == cohort_years(content, newest)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Tulsa, OK", "--state", "TX"], "the title says OK but --state says TX"),
        (["Tulsa", "--state", "OQ"], "'OQ' is not a U.S. state code; did you mean OH, OK or OR?"),
        (["Tulsa, OK", "--cohort", "2091"], "there is no cohort '2091'; did you mean 2019?"),
        (["Tulsa, OK", "--engagement", "intense"], "'intense' is not one of"),
    ],
)
def test_new_site_refuses_wrong_options_before_writing(content: Path, args: list[str], message: str) -> None:
    code, output = new(content, "site", *args)
    assert code != 0
    assert message in output
    assert not (content / "sites" / "tulsa.yaml").exists()


def test_site_options_are_refused_for_other_kinds(content: Path) -> None:
    code, output = new(content, "resource", "A Guide", "--cohort", "2019")
    assert code == 2 and "--cohort: for `new site` only" in output


@pytest.mark.parametrize(
    "args",
    [
        ["Memphis, TN"],  # by name and state
        ["memphis", "--state", "tn"],  # folded the same way
        ["Oakland, CA"],  # one of a joint site's places
        ["Germantown, TN", "--latitude", "35.1505", "--longitude", "-90.0505"],  # 60 m from Memphis's point
    ],
)
def test_new_site_refuses_a_place_that_has_a_file(content: Path, args: list[str]) -> None:
    before = sorted(p.name for p in (content / "sites").iterdir())
    code, output = new(content, "site", *args)
    assert code == 1
    assert "already describes" in output and "add the new engagement to its 'engagements:'" in output
    assert sorted(p.name for p in (content / "sites").iterdir()) == before


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.mark.parametrize("committed", [True, False])
def test_build_refuses_two_files_for_one_place_and_blames_the_new_one(content: Path, committed: bool) -> None:
    # "aaa-memphis" sorts before memphis.yaml: the blame must follow history, not names, when it can.
    copy = content / "sites" / "aaa-memphis.yaml"
    if committed:
        git(content, "init", "-q")
        git(content, "add", ".")
        git(content, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "content")
    copy.write_text((content / "sites" / "memphis.yaml").read_text().replace("latitude: 35.15", "latitude: 35.151"))
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    [error] = [e for e in caught.value.errors if "already describes" in e.message]
    blamed, other = ("aaa-memphis", "memphis") if committed else ("memphis", "aaa-memphis")
    assert error.path.endswith(f"sites/{blamed}.yaml") and (error.line, error.col) == (1, 7)
    assert f"the place {content}/sites/{other}.yaml already describes" in error.message


def test_nearby_sites_with_other_names_are_one_place_unless_joint(content: Path) -> None:
    near = content / "sites" / "germantown.yaml"
    text = (content / "sites" / "memphis.yaml").read_text().replace("name: Memphis", "name: Germantown")
    near.write_text(text.replace("latitude: 35.15", "latitude: 35.152"))  # 220 m north
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    assert [e.message.split(";")[0] for e in caught.value.errors] == [
        f"this is the place {content}/sites/germantown.yaml already describes"
    ]
    near.write_text(text.replace("latitude: 35.15", "latitude: 35.2"))  # 5.6 km north: another place
    pipeline.check(pipeline.Options(content=content))


def test_new_resource_refuses_a_title_the_build_would_refuse(content: Path) -> None:
    limit = schema("resource")["properties"]["title"]["maxLength"]
    code, output = new(content, "resource", "x" * (limit + 1))
    assert code == 1 and f"may have {limit} at most" in output
    code, output = new(content, "resource", "x" * limit)
    assert code == 0, output
    code, output = new(content, "resource", "Replace this: a title")
    assert code == 1 and "give the real title" in output


def test_new_news_says_the_name_it_chose_and_why(content: Path) -> None:
    code, output = new(content, "news", "Peer exchange in Tulsa")
    assert code == 0, output
    name = f"{dt.date.today().year}-peer-exchange-in-tulsa.md"
    assert (content / "news" / name).is_file()
    assert f"It is named {name}: this year and the title." in output
    assert "the 'date:' inside the file decides where it is listed" in output


def test_unknown_files_and_folders_in_content_are_errors_with_the_closest_name(content: Path) -> None:
    (content / "resource").mkdir()
    (content / "resource" / "guide.yaml").write_text("title: A guide\n")
    (content / "events.yaml").write_text("- summit\n")
    (content / ".DS_Store").write_bytes(b"\0")  # the system's, not an editor's: ignored
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    found = {Path(e.path).name: e.message for e in caught.value.errors}
    assert set(found) == {"resource", "events.yaml"}
    assert found["resource"].startswith("the build does not read this folder: did you mean resources/? Rename it;")
    assert found["events.yaml"].startswith("the build does not read this file: content/ holds only areas/,")


ABOUT = """---
title: Fixture About page
description: The fixture's about page, long enough to pass the description length check.
updated: '2024-01-01'
nav: true
---
## About this page

Text.

## How to apply

{links}
"""


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (
            "[DOJ](www.justice.gov)",
            "'www.justice.gov' has no https://, so it would open a page of this site; write https://www.justice.gov",
        ),
        ("[BJA](bja.ojp.gov/program)", "write https://bja.ojp.gov/program"),
        ("[sites](sites/)", "'sites/' is a relative link, which breaks on pages at other depths; start it with /"),
        ("[Memphis](/sites/memfis/)", "there is no page at /sites/memfis/ on this site; did you mean /sites/memphis/?"),
        (
            "[apply](#how-to-aply)",
            "there is no heading #how-to-aply in this text (its headings: #about-this-page, #how-to-apply)",
        ),
        ("[summit](/news/fixture-summit/#agenda)", "there is no heading #agenda on /news/fixture-summit/"),
        ("[old](http://example.org/)", "uses http://; use https://"),
    ],
)
def test_markdown_links_are_checked_at_build_where_they_are_written(content: Path, link: str, message: str) -> None:
    page = content / "pages" / "about.md"
    page.write_text(ABOUT.format(links=f"See {link} for more."))
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    [error] = caught.value.errors
    # Where the address itself stands: line 13, after "See [text](".
    assert (error.path, error.line, error.col) == (str(page), 13, len("See ") + link.index("](") + 3)
    assert message in error.message


def test_good_links_pass_and_headings_get_the_ids_links_use(content: Path, tmp_path: Path) -> None:
    links = "[apply](#how-to-apply), [Memphis](/sites/memphis/), [news](/news/fixture-summit/), [feed](/feed.xml)"
    (content / "pages" / "about.md").write_text(ABOUT.format(links=links))
    pipeline.build(pipeline.Options(content, REPO / "templates", tmp_path / "out"))
    html = (tmp_path / "out" / "about" / "index.html").read_text()
    assert '<h2 id="how-to-apply">How to apply</h2>' in html
    assert 'href="#how-to-apply"' in html


def test_future_dated_news_is_a_warning_by_the_date_of_the_build(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    news = content / "news" / "fixture-summit.md"
    news.write_text(
        news.read_text().replace("date: '2019-09-09'", "date: '2030-01-02'").replace("2019-09-11", "2030-01-03")
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2030, 1, 1, tzinfo=dt.UTC).timestamp())))
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content), strict=True)
    [error] = caught.value.errors
    assert (error.path, error.line, error.col) == (str(news), 3, 7)
    assert error.message.startswith("warning: the date 2030-01-02 is after today (2030-01-01)")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2030, 1, 2, tzinfo=dt.UTC).timestamp())))
    pipeline.check(pipeline.Options(content=content), strict=True)  # on the day, it is news


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("start_year: 2019", 'start_year: "2019"', "start_year of the second engagement should be a whole number, "
         "not text; write 2019 without quotes"),
        ("state: TN", "state: TQ", "unknown state 'TQ'; did you mean TN or TX? allowed: AK, AL,"),
        ("type: intensive", "type: intense",
         "unknown type 'intense' in the second engagement; did you mean 'intensive'?"),
    ],
)  # fmt: skip
def test_messages_say_how_to_write_it_in_plain_words(content: Path, old: str, new: str, message: str) -> None:
    site = content / "sites" / "memphis.yaml"
    text = site.read_text()
    at = text.rindex(old) if "engagement" in message else text.index(old)  # the second engagement's
    site.write_text(text[:at] + new + text[at + len(old) :])
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    assert [e.message for e in caught.value.errors if message in e.message], [e.message for e in caught.value.errors]
    assert not any("[" in e.message.split(";")[0] for e in caught.value.errors)  # no engagements[1] notation


def test_a_single_area_gets_the_list_form(content: Path) -> None:
    resource = content / "resources" / "lpr-primer.yaml"
    text = resource.read_text()
    start = text.index("areas:")
    end = text.index("\n", start) + 1
    resource.write_text(text[:start] + "areas: technology\n" + text[end:])
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    [error] = caught.value.errors
    assert error.message == "areas should be a list, not text; write it as a list: `areas: [technology]`"
