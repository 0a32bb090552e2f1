"""Open data: the files against the columns the data page documents, and against the content."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from psp_static import opendata
from psp_static.feeds import AREA_FEED_ENTRIES
from psp_static.opendata import LIST_SEPARATOR
from tests.conftest import REAL_CONTENT, soup
from tests.helpers import records

ATOM = "{http://www.w3.org/2005/Atom}"


def content_of(kind: str) -> dict[str, dict[str, Any]]:
    """The real content files of one kind, by file name (the slug)."""
    return records(REAL_CONTENT / kind)


def documented(real_site: Path, caption_start: str) -> list[str]:
    """The column names the data page lists in the table whose caption starts so."""
    page = soup(real_site / "data" / "index.html")
    for table in page.select("main table"):
        caption = table.select_one("caption")
        if caption is not None and caption.get_text().startswith(caption_start):
            return [th.get_text(strip=True) for th in table.select("tbody th[scope=row]")]
    raise AssertionError(f"no table {caption_start!r} on the data page")


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    assert b"\r\n" in raw and raw.endswith(b"\r\n")  # RFC 4180 line ends
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8"), newline=""))
    return list(reader.fieldnames or []), list(reader)


def test_clearinghouse_json_and_csv_match_their_columns_and_the_content(real_site: Path) -> None:
    columns = documented(real_site, "Columns of the clearinghouse")
    resources = content_of("resources")
    data = json.loads((real_site / "data" / "clearinghouse.json").read_text())
    header, rows = read_csv(real_site / "data" / "clearinghouse.csv")
    assert header == columns
    assert len(data["resources"]) == len(rows) == len(resources)
    by_slug = {r["slug"]: r for r in data["resources"]}
    assert set(by_slug) == set(resources)
    for record, row in zip(data["resources"], rows, strict=True):
        assert list(record) == columns
        source = resources[record["slug"]]
        assert record["id"] == source["id"] and row["id"] == str(source["id"])
        assert record["title"] == row["title"] == source["title"]
        assert record["type"] == source["type"] and sorted(record["areas"]) == sorted(source["areas"])
        assert row["areas"] == LIST_SEPARATOR.join(record["areas"])  # in the site's order of areas
        assert len(record["area_names"]) == len(record["areas"]) and all(record["area_names"])
        assert record["year"] == source["year"] and record["url"] == source.get("url", "")
        assert record["page_url"].endswith(f"/resources/{record['slug']}/")
        assert record["tags"] == source.get("tags", [])
    ids = [r["id"] for r in data["resources"]]
    assert len(set(ids)) == len(ids)


def test_clearinghouse_json_holds_one_resource_a_line(real_site: Path) -> None:
    """As the data page says: each resource on a line of its own, to read and to diff."""
    lines = (real_site / "data" / "clearinghouse.json").read_text().splitlines()
    data = json.loads("\n".join(lines))
    records = [json.loads(line.rstrip(",")) for line in lines[1:-1]]
    assert records == data["resources"]
    assert "one to a line" in (real_site / "data" / "index.html").read_text()


def test_sites_csv_and_geojson_match_their_columns_and_the_content(real_site: Path) -> None:
    columns = documented(real_site, "Columns of the sites")
    sites = content_of("sites")
    header, rows = read_csv(real_site / "data" / "sites.csv")
    geo = json.loads((real_site / "data" / "sites.geojson").read_text())
    assert header == columns and geo["type"] == "FeatureCollection"
    assert [r["slug"] for r in rows] == [f["id"] for f in geo["features"]]
    assert sorted(f["id"] for f in geo["features"]) == sorted(sites)
    for feature, row in zip(geo["features"], rows, strict=True):
        source = sites[feature["id"]]
        properties = feature["properties"]
        assert list(properties) == columns
        places = source.get("places", [source])
        geometry = feature["geometry"]
        assert geometry["type"] == ("MultiPoint" if len(places) > 1 else "Point")
        points = geometry["coordinates"] if len(places) > 1 else [geometry["coordinates"]]
        assert len(points) == len(places)
        for (lon, lat), place in zip(points, places, strict=True):
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            if "latitude" in place:  # otherwise looked up from the gazetteer
                assert (lat, lon) == (place["latitude"], place["longitude"])
        assert [float(row["longitude"]), float(row["latitude"])] == points[0]
        engagements = properties["engagements"]
        assert [(e["cohort"], e["type"], e["start_year"]) for e in engagements] == [
            (str(e["cohort"]), e["type"], e["start_year"]) for e in source["engagements"]
        ]
        assert len(row["engagements"].split(LIST_SEPARATOR)) == len(engagements)
        assert properties["cohorts"] == list(dict.fromkeys(str(e["cohort"]) for e in source["engagements"]))
        assert row["name"] == properties["name"] == source["name"]


def test_an_atom_feed_per_core_area(real_site: Path) -> None:
    resources = content_of("resources")
    for area in content_of("areas"):
        path = real_site / "areas" / area / "feed.xml"
        feed = ET.parse(path).getroot()
        assert feed.tag == f"{ATOM}feed"
        in_area = [r for r in resources.values() if area in r["areas"]]
        entries = feed.findall(f"{ATOM}entry")
        assert len(entries) == min(AREA_FEED_ENTRIES, len(in_area))
        ids = {f"#resource-{r['id']}" for r in in_area}
        assert all(e.findtext(f"{ATOM}id", "").endswith(tuple(ids)) for e in entries)
        added = [e.findtext(f"{ATOM}updated", "") for e in entries]
        assert added == sorted(added, reverse=True)
        [self_link] = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
        assert self_link.get("href", "").endswith(f"/areas/{area}/feed.xml")
        page = soup(real_site / "areas" / area / "index.html")
        assert page.select_one(f'head link[rel=alternate][href="/areas/{area}/feed.xml"]') is not None
        assert page.select_one(f'main a[href="/areas/{area}/feed.xml"]') is not None


def test_the_files_are_linked_from_the_clearinghouse_sites_and_data_pages(real_site: Path) -> None:
    def links(route: str) -> set[str]:
        return {str(a["href"]) for a in soup(real_site / route / "index.html").select("main a[href]")}

    clearinghouse = {"/data/clearinghouse.csv", "/data/clearinghouse.json", "/data/"}
    sites = {"/data/sites.csv", "/data/sites.geojson", "/data/"}
    assert clearinghouse <= links("clearinghouse")
    assert sites <= links("sites")
    feeds = {f"/areas/{a}/feed.xml" for a in content_of("areas")} | {"/feed.xml"}
    assert (clearinghouse | sites | feeds) - {"/data/"} <= links("data")
    for href in (clearinghouse | sites | feeds) - {"/data/"}:
        assert (real_site / href.lstrip("/")).is_file(), href


def test_csv_text_a_spreadsheet_would_run_as_a_formula_is_kept_as_text() -> None:
    columns = [opendata.Column("title", "Its title.", lambda r, _: r)]
    risky = ['=HYPERLINK("https://example.com")', "+1 555", "-2+3", "@SUM(A1)", "\tTab", "Plain - title", "1 = 1"]
    text = opendata.to_csv([{"title": value} for value in risky], columns)
    cells = [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]
    assert cells == ["'" + value for value in risky[:5]] + risky[5:]
    assert opendata.to_csv([{"title": ["=A1", "b"]}], columns).splitlines()[1] == "'=A1; b"
