"""Official sources only, shown as citations; site and resource pages worth reading."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from click.testing import CliRunner

from psp_static import citations, cli, pipeline
from psp_static.model import SiteContent
from psp_static.related import ENGAGEMENT_INVOLVES, RELATED_COUNT, Related
from tests.conftest import REAL_CONTENT, html_files, soup


def refused() -> list[str]:
    return list(yaml.safe_load((REAL_CONTENT / "site.yaml").read_text())[citations.REFUSED_KEY])


def real() -> SiteContent:
    return pipeline.check(pipeline.Options(content=REAL_CONTENT))


# --- refused hosts --------------------------------------------------------------------------------


def test_the_review_s_weak_domains_are_refused() -> None:
    # sources-review.md, Part 1.1: every domain it tells us to remove is in the list.
    weak = {"sputnikglobe.com", "homelandprepnews.com", "tacticalatlas.com", "inhomelandsecurity.com",
            "sbynews.blogspot.com", "criminal-justice-online.blogspot.com", "securitymagazine.com", "al.com",
            "mlive.com", "dnn4less.net", "srtvcr.com", "docslib.org", "dokumen.tips", "vdocuments.us",
            "fdocuments.net", "careersdocbox.com", "sambuz.com", "preview-psp.azurewebsites.net"}  # fmt: skip
    assert weak <= set(refused())


def test_no_refused_host_anywhere_in_content_or_output(real_site: Path) -> None:
    pattern = citations._host_pattern(tuple(refused()))
    assert pattern is not None
    config = yaml.safe_load((REAL_CONTENT / "site.yaml").read_text())
    del config[citations.REFUSED_KEY]  # the list itself names them, as it must
    texts = {"content/site.yaml": yaml.safe_dump(config)}
    for path in sorted(REAL_CONTENT.rglob("*")):
        if path.is_file() and path.name != "site.yaml":
            texts[str(path.relative_to(REAL_CONTENT.parent))] = path.read_text(encoding="utf-8")
    for path in sorted(real_site.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".js", ".txt"):
            texts[str(path.relative_to(real_site))] = path.read_text(encoding="utf-8")
    found = [f"{name}: {m.group(0)}" for name, text in texts.items() for m in pattern.finditer(text)]
    assert found == []


REFUSED = """\
refused_sources:
  - al.com
  - dokumen.tips
"""


def test_a_refused_host_stops_the_build_naming_file_line_column_and_host(content: Path) -> None:
    config = content / "site.yaml"
    config.write_text(config.read_text() + REFUSED)
    memphis = content / "sites" / "memphis.yaml"
    memphis.write_text(memphis.read_text().replace("https://example.org/memphis", "https://www.al.com/news/x.html"))
    news = content / "news" / "fixture-summit.md"
    news.write_text(news.read_text() + "\nSee [the fact sheet](https://dokumen.tips/documents/x.html).\n")
    lpr = content / "resources" / "lpr-primer.yaml"
    lpr.write_text(lpr.read_text().replace("https://example.org/lpr.pdf", "https://legal.com/lpr.pdf"))
    result = CliRunner().invoke(cli.cli, ["check", "--content", str(content)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if "not an official or reputable source" in line]
    assert len(lines) == 2  # both found in one run; legal.com is not al.com
    assert lines[0].startswith(f"{content}/news/fixture-summit.md:12:30: 'dokumen.tips' is not an official")
    assert lines[1].startswith(f"{content}/sites/memphis.yaml:21:18: 'al.com' is not an official")
    assert "refused in content/site.yaml" in lines[1]


def test_citation_mistakes_are_located(content: Path) -> None:
    memphis = content / "sites" / "memphis.yaml"
    memphis.write_text(
        memphis.read_text().replace("date: '2019-06'", "date: '2019-13'")
        + "  - title: Again\n    publisher: Fixture Publisher\n    url: https://example.org/memphis/\n"
    )
    result = CliRunner().invoke(cli.cli, ["check", "--content", str(content)])
    assert result.exit_code == 1
    assert f"{content}/sites/memphis.yaml:20:11: sources[1].date '2019-13' is not a real date" in result.output
    assert f"{content}/sites/memphis.yaml:24:10: sources[2] cites the same address as sources[1]" in result.output


def test_a_bare_address_is_no_longer_a_source(content: Path) -> None:
    memphis = content / "sites" / "memphis.yaml"
    text = memphis.read_text()
    memphis.write_text(text[: text.index("sources:")] + "sources:\n  - https://example.org/memphis\n")
    result = CliRunner().invoke(cli.cli, ["check", "--content", str(content)])
    assert result.exit_code == 1
    assert f"{content}/sites/memphis.yaml:18:5: the first source should be a group of" in result.output


def test_a_resource_naming_an_unknown_site_is_located(content: Path) -> None:
    lpr = content / "resources" / "lpr-primer.yaml"
    lpr.write_text(lpr.read_text() + "sites:\n  - memphis\n  - memfis\n")
    line = lpr.read_text().splitlines().index("  - memfis") + 1
    result = CliRunner().invoke(cli.cli, ["check", "--content", str(content)])
    assert result.exit_code == 1
    assert (
        f"{content}/resources/lpr-primer.yaml:{line}:5: unknown site 'memfis'; did you mean 'memphis'?" in result.output
    )


# --- citations on pages ---------------------------------------------------------------------------

_BARE = re.compile(r"^(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?$")


def test_sources_are_citations_listed_once_per_page(real_site: Path) -> None:
    pages = 0
    for path in html_files(real_site):
        section = soup(path).select_one("section.sources")
        if section is None:
            continue
        pages += 1
        items = section.select("li")
        hrefs = [str(li.select_one("cite a")["href"]) for li in items]  # type: ignore[index]
        assert len(hrefs) == len(set(hrefs)), path
        for li in items:
            title = li.select_one("cite").get_text(" ", strip=True)  # type: ignore[union-attr]
            assert not _BARE.match(title), (path, title)  # a title, never an address
            rest = li.get_text(" ", strip=True)[len(title) :].strip(" .")
            assert len(rest) > 3, (path, title)  # the publisher (and date) follow the title
    assert pages >= len(list((REAL_CONTENT / "sites").glob("*.yaml")))
    assert soup(real_site / "about" / "index.html").select("section.sources cite")  # pages cite too


def test_every_content_source_has_title_publisher_and_address() -> None:
    site = real()
    sourced = [(x.slug, x.sources) for x in site.sites] + [(x.slug, x.sources) for x in site.cohorts]
    sourced += [(x.slug, x.sources) for x in site.areas] + [(x.slug, x.sources) for x in site.roles]
    sourced += [(x.slug, x.sources) for x in site.news]
    for slug, sources in sourced:
        assert sources, slug  # every file says where its facts come from
        for c in sources:
            assert c.title and c.publisher and c.url.startswith("https://"), (slug, c)


# --- site pages -----------------------------------------------------------------------------------


def test_every_site_page_says_more_than_its_cohort_sentence(real_site: Path) -> None:
    site = real()
    related = Related(site)
    for s in site.sites:
        doc = soup(real_site / "sites" / s.slug / "index.html")
        engagement = doc.select_one("section.site-engagement")
        assert engagement is not None, s.slug
        text = " ".join(engagement.get_text(" ").split())
        for e in s.engagements:
            assert e.years in text and " ".join(ENGAGEMENT_INVOLVES[e.type].split()) in text, s.slug
        for cohort, others in related.peers(s):
            listed = [str(a["href"]) for a in doc.select(f"section[aria-labelledby='peers-{cohort.slug}'] a")]
            assert listed == [f"/sites/{o.slug}/" for o in others], s.slug
            assert f"/sites/{s.slug}/" not in listed
        about = [r for r in site.resources if s in r.sites]
        shown = {str(a["href"]) for a in doc.select("section.site-resources a")}
        assert shown == {f"/resources/{r.slug}/" for r in about}, s.slug
        news = {f"/news/{n.slug}/" for n in site.news if s in n.sites}
        assert news <= {str(a["href"]) for a in doc.find_all("a")}, s.slug


def test_resources_name_the_sites_they_concern(real_site: Path) -> None:
    site = real()
    named = [r for r in site.resources if r.sites]
    assert named  # the case studies and site webinars name their sites
    for r in named:
        doc = soup(real_site / "resources" / r.slug / "index.html")
        shown = [str(a["href"]) for a in doc.select("section.resource-sites a")]
        assert shown == [f"/sites/{s.slug}/" for s in r.sites]


# --- resource pages -------------------------------------------------------------------------------


def test_related_resources_share_an_area_put_the_same_type_first_and_never_repeat_the_page(
    real_site: Path,
) -> None:
    site = real()
    by_slug = {r.slug: r for r in site.resources}
    for r in site.resources:
        doc = soup(real_site / "resources" / r.slug / "index.html")
        listed = [str(a["href"]).split("/")[2] for a in doc.select("section.resource-related .resource-list h3 a")]
        assert r.slug not in listed
        assert len(listed) == len(set(listed)) <= RELATED_COUNT
        others = [by_slug[x] for x in listed]
        assert all({a.slug for a in o.areas} & {a.slug for a in r.areas} for o in others), r.slug
        same = [o.type == r.type for o in others]
        assert same == sorted(same, reverse=True), r.slug  # every same-type resource before the others
        areas = {a.slug for a in r.areas}
        sharing = [o for o in site.resources if o.id != r.id and areas & {a.slug for a in o.areas}]
        assert len(listed) == min(RELATED_COUNT, len(sharing)), r.slug


def test_related_resources_rank_by_shared_areas_and_are_deterministic() -> None:
    first, second = real(), real()
    a, b = Related(first), Related(second)
    for r1, r2 in zip(first.resources, second.resources, strict=True):
        assert [x.id for x in a.like(r1)] == [x.id for x in b.like(r2)]
        same_type = [x for x in a.like(r1) if x.type == r1.type]
        shared = [len({y.slug for y in x.areas} & {y.slug for y in r1.areas}) for x in same_type]
        assert shared == sorted(shared, reverse=True), r1.slug


def test_resource_areas_lead_into_the_filtered_clearinghouse(real_site: Path) -> None:
    for r in real().resources:
        doc = soup(real_site / "resources" / r.slug / "index.html")
        queries = [parse_qs(urlsplit(str(a["href"])).query) for a in doc.select("section.resource-explore a")]
        assert all(urlsplit(str(a["href"])).path == "/clearinghouse/" for a in doc.select("section.resource-explore a"))
        assert {q["area"][0] for q in queries} == {a.slug for a in r.areas}, r.slug
        assert {q["type"][0] for q in queries if "type" in q} == {r.type.slug}


@pytest.mark.parametrize("slug", ["oakland-richmond", "kansas-city"])
def test_site_pages_of_joint_and_twice_engaged_sites(real_site: Path, slug: str) -> None:
    doc = soup(real_site / "sites" / slug / "index.html")
    paragraphs = doc.select("section.site-engagement p")
    site = next(s for s in real().sites if s.slug == slug)
    assert len(paragraphs) == len(site.engagements)
