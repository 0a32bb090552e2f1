"""Every class of content mistake is reported with file, line, column and a fix, all in one run."""

from __future__ import annotations

import functools
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import fastjsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from psp_static import loader, pipeline, validation
from psp_static.errors import ContentErrors
from tests.conftest import REAL_CONTENT

Write = Callable[[str, str], Path]

SITE = """\
name: Memphis
state: TN
kind: city
latitude: 35.15
longitude: -90.05
engagements:
  - cohort: pilot
    type: vrn-pilot
    start_year: 2014
"""


def errors(content: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    return [str(e) for e in caught.value.errors]


def one_error(content: Path) -> str:
    found = errors(content)
    assert len(found) == 1, found
    return found[0]


def test_fixture_is_valid(content: Path) -> None:
    site = pipeline.check(pipeline.Options(content=content))
    assert [s.slug for s in site.sites] == ["harris-county", "memphis", "oakland-richmond"]


def test_unknown_cohort_names_file_line_and_known_values(content: Path, write: Write) -> None:
    write("sites/memphis.yaml", SITE.replace("cohort: pilot", "cohort: 2016"))
    assert one_error(content) == (
        f"{content}/sites/memphis.yaml:7:13: unknown cohort '2016'; known cohorts: 2019, pilot"
    )


def test_typo_in_a_key_is_refused_with_a_suggestion(content: Path, write: Write) -> None:
    write("sites/memphis.yaml", SITE.replace("  - cohort: pilot", "  - cohrot: pilot"))
    found = errors(content)
    # One message for the one mistake: no second one for the required 'cohort' it misspells.
    assert found == [
        f"{content}/sites/memphis.yaml:7:5: unknown field 'cohrot' in the first engagement; "
        "did you mean 'cohort' (a required field)?"
    ]


def test_missing_required_field(content: Path, write: Write) -> None:
    write("sites/memphis.yaml", SITE.replace("state: TN\n", ""))
    message = one_error(content)
    assert message.startswith(f"{content}/sites/memphis.yaml:1:1: missing required field 'state'; add it")
    assert "Two-letter state code" in message


@pytest.mark.parametrize(
    ("old", "new", "where", "expected"),
    [
        ("latitude: 35.15", "latitude: north", "4:11", "latitude should be a number, not text"),
        ("start_year: 2014", "start_year: '2014'", "9:17", "should be a whole number, not text"),
        ("state: TN", "state: 47", "2:8", "unknown state '47'"),
        ("state: TN", "state: NO", "2:8", "unknown state 'NO'"),
        ("kind: city", "kind: town", "3:7", "unknown kind 'town'; allowed: city, county, joint"),
        ("type: vrn-pilot", "type: pilot", "8:11", "did you mean 'vrn-pilot'?"),
        ("latitude: 35.15", "latitude: 95", "4:11", "latitude 95 is out of range; use a value from -90 to 90"),
        ("name: Memphis", "name:", "1:6", "name is empty; give it text"),
        ("name: Memphis", "name: 2024", "1:7", "name should be text, not a number; put the value in quotes"),
        ("latitude: 35.15", "latitude: [35.15]", "4:11", "latitude should be a number, not a list"),
    ],
)
def test_wrong_types_and_values(content: Path, write: Write, old: str, new: str, where: str, expected: str) -> None:
    write("sites/memphis.yaml", SITE.replace(old, new))
    found = errors(content)
    assert any(e.startswith(f"{content}/sites/memphis.yaml:{where}: ") and expected in e for e in found), found


def test_bad_dates_and_urls(content: Path, write: Write) -> None:
    text = (content / "resources" / "lpr-primer.yaml").read_text()
    text = text.replace("'2020-01-15'", "'2020-02-30'").replace("https://example.org/lpr.pdf", "http://example.org/x")
    write("resources/lpr-primer.yaml", text)
    found = errors(content)
    assert any(":13:8: added '2020-02-30' is not a valid date; write it as YYYY-MM-DD" in e for e in found), found
    assert any(":12:6: url 'http://example.org/x' is not a valid https:// web address" in e for e in found), found


@pytest.mark.parametrize("url", ["https://", "https://exa mple.org/", "https://localhost:0/", "https://example"])
def test_malformed_urls(content: Path, write: Write, url: str) -> None:
    text = (content / "resources" / "lpr-primer.yaml").read_text().replace("https://example.org/lpr.pdf", f"'{url}'")
    write("resources/lpr-primer.yaml", text)
    assert "is not a valid https:// web address" in one_error(content)


def test_unknown_references_in_resources(content: Path, write: Write) -> None:
    text = (content / "resources" / "lpr-primer.yaml").read_text()
    text = text.replace("type: guide", "type: guid").replace("[technology, crime-analysis]", "[technology, tech]")
    text = text.replace("[small, large]", "[small, huge]").replace("sponsor: BJA", "sponsor: XYZ")
    write("resources/lpr-primer.yaml", text)
    found = errors(content)
    path = f"{content}/resources/lpr-primer.yaml"
    assert (
        f"{path}:4:7: unknown type 'guid'; did you mean 'guide'? "
        "known types (content/clearinghouse.yaml): guide, webinar" in found
    )
    assert any(e.startswith(f"{path}:5:21: unknown area 'tech'") for e in found), found
    assert any(e.startswith(f"{path}:6:23: unknown agency size 'huge'") for e in found), found
    assert any(e.startswith(f"{path}:8:10: unknown sponsor 'XYZ'") for e in found), found


def test_unknown_site_in_news(content: Path) -> None:
    path = content / "news" / "fixture-summit.md"
    path.write_text(path.read_text().replace("sites: [memphis]", "sites: [memphis, atlantis]"))
    assert (
        one_error(content)
        == f"{path}:8:18: unknown site 'atlantis'; known sites: harris-county, memphis, oakland-richmond"
    )


def test_duplicate_resource_ids_blame_the_file_that_took_the_id_last(content: Path) -> None:
    taken = content / "resources" / "analysis-webinar.yaml"
    number = yaml.safe_load(taken.read_text())["id"]
    ids = [yaml.safe_load(p.read_text())["id"] for p in (content / "resources").glob("*.yaml")]
    newcomer = content / "resources" / "aaa-new-guide.yaml"  # first by name: names must not decide
    newcomer.write_text(taken.read_text().replace("added: '", "added: '1999-01-01' #'"))  # and not dates either
    repo = content.parent
    for args in (["init", "-q"], ["add", "content/resources/analysis-webinar.yaml"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base"],
        check=True,
    )
    message = one_error(content)
    assert message.startswith(f"{newcomer}:1:5: duplicate resource id {number}: {taken} has it already; ")
    assert message.endswith(f"give this resource the next free id, {max(ids) + 1}")


def test_duplicate_resource_ids_without_git_blame_the_later_added(content: Path) -> None:
    path = content / "resources" / "lpr-primer.yaml"
    other = content / "resources" / "analysis-webinar.yaml"
    number = yaml.safe_load(other.read_text())["id"]
    path.write_text(path.read_text().replace(f"id: {yaml.safe_load(path.read_text())['id']}", f"id: {number}"))
    dates = {p: str(yaml.safe_load(p.read_text())["added"]) for p in (path, other)}
    later, earlier = sorted(dates, key=lambda p: dates[p], reverse=True)
    message = one_error(content)
    assert message.startswith(f"{later}:") and f"duplicate resource id {number}: {earlier} has it already" in message


def test_duplicate_slugs_differing_only_in_case(content: Path) -> None:
    (content / "sites" / "Memphis.yaml").write_text(SITE)
    found = errors(content)
    assert any(
        "Memphis.yaml:1:1: file name 'Memphis.yaml' must use lowercase letters" in e and "'memphis.yaml'" in e
        for e in found
    )


def test_wrong_extension_and_stray_files(content: Path) -> None:
    (content / "sites" / "tulsa.yml").write_text(SITE)
    (content / "sites" / "notes.txt").write_text("hello")
    found = errors(content)
    assert f"{content}/sites/tulsa.yml:1:1: rename the file to end in .yaml" in found
    assert any(e.startswith(f"{content}/sites/notes.txt:1:1: unexpected file in sites/") for e in found)


def test_end_before_start(content: Path, write: Write) -> None:
    write("sites/memphis.yaml", SITE + "    end_year: 2010\n")
    assert one_error(content).endswith(":10:15: end_year 2010 is before start_year 2014; swap or correct them")


def test_site_shape_rules(content: Path, write: Write) -> None:
    write("sites/memphis.yaml", SITE.replace("kind: city", "kind: joint"))
    write(
        "sites/harris-county.yaml",
        (content / "sites" / "harris-county.yaml").read_text().replace("longitude: -95.39\n", ""),
    )
    found = errors(content)
    assert any("a joint site needs 'places:'" in e for e in found)
    assert any("a joint site's position comes from its places" in e for e in found)
    assert any("harris-county.yaml:4:1: latitude is given without longitude" in e for e in found), found


def test_unknown_place_asks_for_coordinates(content: Path, write: Write) -> None:
    write(
        "sites/memphis.yaml",
        SITE.replace("name: Memphis", "name: Atlantis").replace("latitude: 35.15\nlongitude: -90.05\n", ""),
    )
    assert one_error(content) == (
        f"{content}/sites/memphis.yaml:1:7: cannot find 'Atlantis, TN' in the gazetteer; add latitude: and "
        "longitude: (decimal degrees, for example latitude: 35.15 and longitude: -90.05)"
    )


def test_empty_and_unreadable_files(content: Path, write: Write) -> None:
    write("sites/empty.yaml", "")
    write("sites/comments.yaml", "# nothing here\n")
    (content / "sites" / "latin1.yaml").write_bytes("name: Caf\xe9\n".encode("latin-1"))
    write("sites/list.yaml", "- a\n- b\n")
    found = errors(content)
    assert f"{content}/sites/empty.yaml:1:1: the file is empty; fill it in (see CONTRIBUTING.md)" in found
    assert f"{content}/sites/comments.yaml:1:1: the file has no fields; fill it in (see CONTRIBUTING.md)" in found
    assert any(e.startswith(f"{content}/sites/latin1.yaml:1:10: the file is not UTF-8 text") for e in found), found
    assert f"{content}/sites/list.yaml:1:1: expected 'field: value' lines, found a list" in found


def test_bom_and_crlf_are_accepted(content: Path) -> None:
    path = content / "sites" / "memphis.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SITE.replace("\n", "\r\n").encode())
    site = pipeline.check(pipeline.Options(content=content))
    assert any(s.slug == "memphis" for s in site.sites)


def test_invalid_yaml_is_located(content: Path, write: Write) -> None:
    write("sites/memphis.yaml", SITE.replace("name: Memphis", "name: Memphis: TN"))
    message = one_error(content)
    assert message.startswith(f"{content}/sites/memphis.yaml:1:14: invalid YAML: mapping values are not allowed")


def test_front_matter_problems(content: Path, write: Write) -> None:
    write("news/no-open.md", "title: x\n---\nbody\n")
    write("news/no-close.md", "---\ntitle: x\nbody\n")
    write("news/no-body.md", "---\ntitle: x\n---\n\n")
    write("news/bad-yaml.md", "---\ntitle: [x\n---\nbody\n")
    found = errors(content)
    assert (
        f"{content}/news/no-open.md:1:1: a Markdown file must start with a line '---' opening its front matter" in found
    )
    assert f"{content}/news/no-close.md:1:1: front matter is not closed; add a line '---' after its last field" in found
    assert any(e.startswith(f"{content}/news/no-body.md:3:1: nothing below the front matter") for e in found)
    assert any(e.startswith(f"{content}/news/bad-yaml.md:3:1: invalid YAML") for e in found), found


def test_front_matter_lines_count_from_the_file_start(content: Path) -> None:
    path = content / "news" / "fixture-summit.md"
    path.write_text(path.read_text().replace("kind: summit", "kind: party"))
    assert one_error(content).startswith(f"{path}:5:7: unknown kind 'party'")


def test_markdown_raw_html_and_unsafe_links(content: Path) -> None:
    path = content / "news" / "fixture-summit.md"
    path.write_text(path.read_text() + "\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n")
    found = errors(content)
    assert any(e.startswith(f"{path}:12:1: raw HTML (<script>") for e in found), found
    assert any(e.startswith(f"{path}:14:5: link 'javascript:alert(1)' is not allowed") for e in found), found


def test_markdown_in_a_yaml_field_is_located(content: Path, write: Write) -> None:
    write("areas/technology.yaml", (content / "areas" / "technology.yaml").read_text().replace(
        "description: Technology that works with sound processes.",
        "description: |\n  First paragraph.\n\n  <b>bold</b>",
    ))  # fmt: skip
    assert one_error(content).startswith(f"{content}/areas/technology.yaml:7:3: raw HTML (<b>)")


def test_reserved_and_required_pages(content: Path) -> None:
    (content / "pages" / "privacy.md").rename(content / "pages" / "sites.md")
    found = errors(content)
    assert any(e.startswith(f"{content}/pages/sites.md:1:1: the page name 'sites' is taken") for e in found)
    assert any(e.startswith(f"{content}/pages/privacy.md:1:1: required page missing") for e in found)


def test_missing_single_files_and_folders(content: Path) -> None:
    (content / "clearinghouse.yaml").unlink()
    for p in (content / "roles").iterdir():
        p.unlink()
    (content / "roles").rmdir()
    found = errors(content)
    assert f"{content}/clearinghouse.yaml:1:1: file missing; create clearinghouse.yaml (see CONTRIBUTING.md)" in found
    assert f"{content}/roles:1:1: folder missing; create roles/ for role files" in found


def test_every_mistake_is_reported_in_one_run(content: Path, write: Write) -> None:
    write("sites/memphis.yaml", SITE.replace("kind: city", "kind: town").replace("cohort: pilot", "cohort: 2016"))
    write("sites/broken.yaml", "name: [\n")
    write("resources/bad.yaml", "id: 1\ntitle: x\n")
    found = errors(content)
    assert {e.split(":", 1)[0].rsplit("/", 1)[-1] for e in found} == {"memphis.yaml", "broken.yaml", "bad.yaml"}
    assert len(found) >= 4


def test_warnings_fail_only_in_strict_mode(content: Path, write: Write) -> None:
    write("sites/memphis.yaml", SITE.replace("longitude: -90.05", "longitude: 90.05"))
    pipeline.check(pipeline.Options(content=content))  # a warning only
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content), strict=True)
    [message] = [str(e) for e in caught.value.errors]
    assert message.startswith(f"{content}/sites/memphis.yaml:4:11: warning: 35.15, 90.05 is outside the United States")


# The compiled schema check is only a shortcut: it must never accept what jsonschema refuses.
_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 3000), st.floats(allow_nan=False), st.text(max_size=30),
    st.sampled_from(["2024-02-30", "2024-02-29", "https://example.org/x", "http://x", "javascript:alert(1)",
                     "a@b.gov", "not an email", "guide", "gun-violence", "small", "BJA", "2019"]),
    st.lists(st.sampled_from(["gun-violence", "small", "bogus", ""]), max_size=3),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(validation.SCHEMA_NAMES), key=st.text(max_size=12), value=_VALUES, drop=st.booleans())
def test_compiled_check_never_accepts_what_jsonschema_refuses(kind: str, key: str, value: object, drop: bool) -> None:
    data: dict[str, object] = dict(_valid_example(kind))
    known = sorted(validation.schema(kind).get("properties", {}))
    target = known[len(key) % len(known)] if known and not key.startswith("x") else key
    if drop and target in data:
        del data[target]
    else:
        data[target] = value
    refused = any(True for _ in validation.validator(kind).iter_errors(data))
    try:
        validation.accepts(kind)(data)
        accepted = True
    except fastjsonschema.JsonSchemaException:
        accepted = False
    assert accepted != refused, (kind, target, value)


@functools.cache
def _valid_example(kind: str) -> dict[str, object]:
    loaded = loader.load(REAL_CONTENT)
    return next(doc.data for doc in loaded.docs if doc.kind == kind)


SYNONYMS = """\
synonyms:
  - term: LPR
    means:
      - license plate reader
  - term: CVI
    means:
      - community violence intervention
"""


def test_synonyms_are_read_in_file_order(content: Path) -> None:
    path = content / "clearinghouse.yaml"
    path.write_text(path.read_text() + SYNONYMS)
    site = pipeline.check(pipeline.Options(content=content))
    assert site.clearinghouse.synonyms == (("LPR", "license plate reader"), ("CVI", "community violence intervention"))


@pytest.mark.parametrize(
    ("old", "new", "where", "expected"),
    [
        # The same word twice, in any case and spacing: the later one is blamed, naming the first.
        ("  - term: CVI", "  - term: lpr", "5:11", "'lpr' is already listed in synonyms (line {2}); list it once"),
        ("community violence intervention", "License  Plate reader", "7:9", "already listed in synonyms (line {4})"),
        ("      - community violence intervention", "      - CVI", "7:9", "synonyms (line {5}); list it once"),
        ("    means:\n      - community violence intervention\n", "    means: []\n", "6:12", "needs at least 1 item"),
        ("  - term: CVI\n", "  - term: CVI\n    term: GVI\n", "6:5", "field 'term' appears"),
        ("  - term: CVI\n", "  - term: ''\n", "5:11", "term of the second synonym is too short"),
    ],
)
def test_synonym_mistakes(content: Path, old: str, new: str, where: str, expected: str) -> None:
    path = content / "clearinghouse.yaml"
    start = path.read_text().count("\n")
    path.write_text(path.read_text() + SYNONYMS.replace(old, new, 1))
    line, col = where.split(":")
    found = errors(content)
    shown = f"{content}/clearinghouse.yaml:{start + int(line)}:{col}: "
    expected = re.sub(r"\{(\d+)\}", lambda m: str(start + int(m.group(1))), expected)  # {n}: line n of SYNONYMS
    assert any(e.startswith(shown) and expected in e for e in found), found
