"""The real site, built from content/: counts, links, metadata, determinism, hosting modes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from psp_static import pages, pipeline, render, routes, sitecheck
from tests.conftest import REAL_CONTENT, build, html_files, soup
from tests.golden import FIXTURE

ATOM = "{http://www.w3.org/2005/Atom}"


def count(folder: str) -> int:
    return len(list((REAL_CONTENT / folder).iterdir()))


def test_counts(real_site: Path) -> None:
    assert len(list((real_site / "sites").glob("*/index.html"))) == count("sites") >= 1
    assert len(list((real_site / "areas").glob("*/index.html"))) == count("areas") >= 1
    assert len(list((real_site / "cohorts").glob("*/index.html"))) == count("cohorts") >= 1
    assert len(list((real_site / "resources").glob("*/index.html"))) == count("resources") >= 1
    assert len(list((real_site / "news").glob("*/index.html"))) == count("news")
    for page in (
        "about",
        "contact",
        "privacy",
        "accessibility",
        "disclaimer",
        "team",
        "clearinghouse",
        "news",
        "sites",
    ):
        assert (real_site / page / "index.html").is_file(), page
    for name in ("index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml"):
        assert (real_site / name).is_file(), name


def test_every_resource_has_a_unique_permanent_id() -> None:
    ids = [yaml.safe_load(p.read_text())["id"] for p in (REAL_CONTENT / "resources").glob("*.yaml")]
    assert len(ids) == len(set(ids))


def test_every_page_has_a_canonical_address_on_the_production_host(real_site: Path) -> None:
    for path in html_files(real_site):
        canonical = soup(path).find("link", rel="canonical")
        assert canonical is not None, path
        assert str(canonical["href"]).startswith("https://www.nationalpublicsafetypartnership.org/"), path


def test_funding_notice_and_disclaimer_link_on_every_page(real_site: Path) -> None:
    for path in html_files(real_site):
        footer = soup(path).find("footer")
        assert footer is not None, path
        text = " ".join(footer.get_text().split())
        assert "funded through a grant from the Bureau of Justice Assistance" in text, path
        assert "Notice of Federal Funding and Federal Disclaimer" in text, path
        assert "official website of the United States government" not in soup(path).get_text()


def test_links_assets_csp_and_page_metadata_pass_the_site_check(real_site: Path) -> None:
    # Every internal link, #fragment and CSS url() resolves; every page has a strict CSP, no inline
    # script or style, lang, one h1, a unique title of 20+ characters and a unique description.
    assert sitecheck.check_output(real_site, "/") == []


def test_hosted_under_a_sub_path(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(content, out, base_url="https://example.github.io/psp/")
    assert sitecheck.check_output(out, "https://example.github.io/psp/") == []
    doc = soup(out / "404.html")
    # The 404 page is served at any address, so its links must not be relative paths.
    assert all(str(a["href"]).startswith(("/psp/", "mailto:", "#", "https://")) for a in doc.find_all("a"))
    assert "https://example.github.io/psp/sitemap.xml" in (out / "robots.txt").read_text()


def test_assets_have_content_hashed_names(real_site: Path) -> None:
    refs = {ref for p in html_files(real_site) for _, ref in sitecheck.parse_page(p).refs if "/assets/" in ref}
    assert refs
    for ref in refs:
        name = ref.rsplit("/", 1)[-1]
        if name.endswith((".css", ".js")):
            assert re.search(r"\.[0-9a-f]{10}\.(css|js)$", name), ref


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(real_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    monkeypatch.setenv("PYTHONHASHSEED", "123")
    second = tmp_path / "elsewhere" / "output"
    build(REAL_CONTENT, second)
    assert tree(second) == tree(real_site)


def test_sitemap_robots_and_feed(real_site: Path) -> None:
    sitemap = ET.parse(real_site / "sitemap.xml").getroot()
    locs = [el.text for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == len(set(locs))
    assert "https://www.nationalpublicsafetypartnership.org/sites/memphis/" in locs
    assert not any(loc and loc.endswith("404.html") for loc in locs)
    pages = {
        p
        for p in html_files(real_site)
        if p.name == "index.html" and 'name="robots" content="noindex"' not in p.read_text()
    }
    assert len(locs) == len(pages)
    robots = (real_site / "robots.txt").read_text()
    assert "Sitemap: https://www.nationalpublicsafetypartnership.org/sitemap.xml" in robots

    feed = ET.parse(real_site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    newest = yaml.safe_load((REAL_CONTENT / "site.yaml").read_text()).get("newest_resources", 6)
    assert len(entries) == min(newest, count("resources"))
    updated = [e.findtext(f"{ATOM}updated", "") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == updated[0]
    for entry in entries:
        link = entry.find(f"{ATOM}link")
        assert link is not None
        assert (real_site / urlsplit(link.get("href", "")).path.lstrip("/") / "index.html").is_file()


def test_federal_mode_shows_banner_and_identifier(content: Path, tmp_path: Path) -> None:
    config = content / "site.yaml"
    config.write_text(config.read_text().replace("identity: grantee", "identity: federal"))
    out = tmp_path / "out"
    build(content, out)
    doc = soup(out / "index.html")
    assert doc.body is not None
    body_children = doc.body.find_all(True, recursive=False)
    assert body_children[0].get("class") == ["usa-skipnav"]
    assert "usa-banner" in (body_children[1].get("class") or [])
    assert doc.find(class_="usa-identifier") is not None

    grantee = tmp_path / "grantee"
    build(FIXTURE / "content", grantee)
    doc = soup(grantee / "index.html")
    assert doc.find(class_="usa-banner") is None and doc.find(class_="usa-identifier") is None


def test_sites_index_groups_every_site_by_cohort(real_site: Path) -> None:
    doc = soup(real_site / "sites" / "index.html")
    listed = {str(a["href"]) for table in doc.find_all("table") for a in table.find_all("a")}
    assert len({h for h in listed if h.startswith("/sites/")}) == count("sites")
    kansas_city = [t for t in doc.find_all("table") if t.find("a", href="/sites/kansas-city/")]
    assert len(kansas_city) == 2  # diagnostic in 2017, operations from 2018
    baton_rouge = soup(real_site / "sites" / "baton-rouge" / "index.html")
    rows = baton_rouge.find("table").find("tbody").find_all("tr")  # type: ignore[union-attr]
    assert [r.find("td").get_text() for r in rows] == [  # type: ignore[union-attr]
        "Diagnostic engagement (18 months)",
        "Intensive engagement (3 years)",
    ]


def test_area_pages_list_their_resources_and_link_to_the_filtered_clearinghouse(real_site: Path) -> None:
    for area in (REAL_CONTENT / "areas").glob("*.yaml"):
        slug = area.stem
        expected = {
            p.stem
            for p in (REAL_CONTENT / "resources").glob("*.yaml")
            if slug in yaml.safe_load(p.read_text())["areas"]
        }
        doc = soup(real_site / "areas" / slug / "index.html")
        listed = {str(a["href"]).split("/")[2] for a in doc.select(".resource-list a")}
        assert listed == expected, slug
        assert doc.find("a", href=f"/clearinghouse/?area={slug}") is not None


def test_clearinghouse_lists_every_resource_without_javascript(real_site: Path) -> None:
    # A long listing is split into pages (clearinghouse/, clearinghouse/page/2/, ...): read them all.
    more = sorted((real_site / "clearinghouse" / "page").glob("*/index.html"))
    pages = [real_site / "clearinghouse" / "index.html", *more]
    listed = [str(a["href"]) for page in pages for a in soup(page).select("#static-listing .resource-list a")]
    assert sorted(listed) == sorted(f"/resources/{p.stem}/" for p in (REAL_CONTENT / "resources").glob("*.yaml"))


def test_source_date_epoch_dates_a_feed_with_no_resources(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in (content / "resources").iterdir():
        path.unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(content, tmp_path / "a")
    feed = ET.parse(tmp_path / "a" / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}updated") == "2023-11-14T22:13:20Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(content, tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_the_header_marks_each_page_s_section_and_the_page_itself(real_site: Path) -> None:
    """The header, rendered once per section (rendered_once), still marks the page's own section
    as current, names the page itself as current only where the navigation links to it, and
    leaves its search field off the search page alone."""
    site = pipeline.check(pipeline.Options(content=REAL_CONTENT))
    links = {route: key for key, _, route in render.NAVIGATION} | {routes.TOOLKIT: "toolkit"}
    plan = pages.plan(site)
    assert {spec.section for spec in plan} >= set(links.values())  # every section has pages
    for spec in plan:
        header = soup(real_site / routes.output_file(spec.route)).select_one("header.usa-header")
        assert header is not None, spec.route
        current = [a.get("href") for a in header.select("a.usa-current")]
        assert current == [f"/{route}" for route, key in links.items() if key == spec.section], spec.route
        marked = [a.get("href") for a in header.select("[aria-current=page]")]
        itself = spec.route in links or spec.route == routes.HOME
        assert marked == ([f"/{spec.route}"] if itself else []), spec.route
        assert (header.select_one("form[role=search]") is None) == (spec.route == routes.SEARCH), spec.route
