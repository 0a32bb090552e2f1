"""The site map: Folium layout, determinism, the static SVG, the gazetteer, and behaviour in Chromium."""

from __future__ import annotations

import gzip
import importlib.metadata
import random
import shutil
from pathlib import Path
from typing import Any

import branca
import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import BrowserContext, Page

from psp_static import gazetteer, geomap, pipeline, routes, usmap
from psp_static.model import SiteContent
from tests.conftest import REAL_CONTENT, Server, built_and_watched, soup, watch
from tests.golden import FIXTURE

# --- Python side ---------------------------------------------------------------------------------


def expected_markers(content: Path) -> dict[str, list[str]]:
    """Marker labels per cohort, computed straight from the YAML: one per place in each cohort of a site."""
    found: dict[str, list[str]] = {}
    for path in sorted((content / "sites").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        places = data.get("places") or [data]
        for cohort in dict.fromkeys(str(e["cohort"]) for e in data["engagements"]):
            found.setdefault(cohort, []).extend(f"{p['name']}, {p['state']}" for p in places)
    return {cohort: sorted(labels) for cohort, labels in found.items()}


def real_site_content() -> SiteContent:
    return pipeline.check(pipeline.Options(content=REAL_CONTENT))


def test_folium_and_branca_are_the_versions_the_id_patch_was_made_for() -> None:
    assert importlib.metadata.version("folium") == geomap.FOLIUM_VERSION
    assert importlib.metadata.version("branca") == geomap.BRANCA_VERSION


def test_map_scripts_are_deterministic_and_ids_are_restored() -> None:
    site = real_site_content()
    urls = routes.Urls(site.config.base_url)
    original = branca.element.Element._generate_id
    first, second = geomap.render(site, urls), geomap.render(site, urls)
    assert first == second
    assert first["sites"].element_id == "map_00000000"
    assert branca.element.Element._generate_id == original
    assert len({branca.element.Element()._id for _ in range(3)}) == 3  # random ids again outside the build


def test_features_follow_the_content() -> None:
    site = real_site_content()
    collections = geomap.features(site, routes.Urls(site.config.base_url))
    labels = {slug: sorted(f["properties"]["label"] for f in c["features"]) for slug, c in collections.items()}
    assert labels == expected_markers(REAL_CONTENT)
    by_label = {f["properties"]["label"]: f["properties"] for c in collections.values() for f in c["features"]}
    kansas_city = by_label["Kansas City, MO"]
    assert len(kansas_city["engagements"]) == 2
    # In each cohort's layer it took part in, so each layer holds the sites its table lists.
    assert [slug for slug, c in labels.items() if "Kansas City, MO" in c] == ["2017", "2018"]
    assert by_label["Oakland, CA"]["url"] == by_label["Richmond, CA"]["url"] == "/sites/oakland-richmond/"
    assert by_label["Oakland, CA"]["site"] == "Oakland and Richmond, CA"


def test_script_embeds_content_as_json_not_code() -> None:
    site = pipeline.check(pipeline.Options(content=FIXTURE / "content"))
    script = geomap.render(site, routes.Urls(site.config.base_url))["sites"].script
    assert "\\u003c" not in script or "<" not in script.split("geo_json")[1]
    assert script.startswith("(function () {") and "pspMap.ready(map_00000000);" in script
    assert "cdn" not in script and "$.ajax" not in script


# --- static SVG map -------------------------------------------------------------------------------


def inside(point: tuple[float, float], polygon: list[list[tuple[float, float]]]) -> bool:
    x, y = point
    hit = False
    for ring in polygon:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                hit = not hit
    return hit


STATES = {g["properties"]["name"]: polys for g, polys in usmap.polygons(usmap.albers_topology(), "states")}


@pytest.mark.parametrize(
    ("lon", "lat", "state"),
    [
        (-90.05, 35.15, "Tennessee"),
        (-149.90, 61.22, "Alaska"),
        (-157.86, 21.31, "Hawaii"),
        (-77.04, 38.90, "District of Columbia"),
        (-122.33, 47.61, "Washington"),
        (-80.19, 25.76, "Florida"),
        (-71.06, 42.36, "Massachusetts"),
        (-95.39, 29.86, "Texas"),
    ],
)
def test_projection_puts_known_points_in_the_right_state(lon: float, lat: float, state: str) -> None:
    point = usmap.albers_usa(lon, lat)
    assert point is not None
    assert [name for name, polys in STATES.items() if any(inside(point, p) for p in polys)] == [state]


def test_points_outside_the_three_areas_are_not_drawn() -> None:
    assert usmap.albers_usa(2.35, 48.86) is None  # Paris
    assert usmap.albers_usa(144.79, 13.44) is None  # Guam


def test_svg_has_a_dot_per_place_with_an_escaped_title(content: Path) -> None:
    path = content / "sites" / "memphis.yaml"
    path.write_text(path.read_text().replace("name: Memphis", "name: Memphis <script>"))
    site = pipeline.check(pipeline.Options(content=content))
    svg = usmap.render_svg(site)
    doc = soup_xml(svg)
    circles = doc.find_all("circle")
    assert len(circles) == sum(len(s.places) * len({e.cohort.slug for e in s.engagements}) for s in site.sites) == 5
    titles = sorted(c.title.get_text() for c in circles)
    assert "Memphis <script>, TN (Pilot)" in titles
    assert "<script>" not in svg
    assert svg == usmap.render_svg(site)


def soup_xml(text: str) -> Any:
    return BeautifulSoup(text, "html.parser")


# --- gazetteer ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "state", "expected"),
    [
        ("Memphis", "TN", (35.15, -90.05)),
        ("saint louis", "mo", (38.63, -90.20)),
        ("St. Louis", "MO", (38.63, -90.20)),
        ("Springfield", "IL", (39.80, -89.64)),
        ("Springfield", "MA", (42.10, -72.59)),
        ("North Charleston", "SC", (32.85, -79.97)),
        ("Washington", "DC", (38.90, -77.04)),
    ],
)
def test_gazetteer_finds_cities_by_name_and_state(name: str, state: str, expected: tuple[float, float]) -> None:
    found = gazetteer.lookup(name, state)
    assert found is not None
    assert abs(found[0] - expected[0]) < 0.05 and abs(found[1] - expected[1]) < 0.05


def test_gazetteer_misses_are_none() -> None:
    assert gazetteer.lookup("Atlantis", "TX") is None
    assert gazetteer.lookup("Memphis", "AK") is None


def test_omitted_coordinates_are_looked_up_and_explicit_ones_win(content: Path) -> None:
    site = pipeline.check(pipeline.Options(content=content))
    joint = next(s for s in site.sites if s.slug == "oakland-richmond")
    oakland, richmond = joint.places
    assert not oakland.looked_up and (oakland.latitude, oakland.longitude) == (37.8, -122.27)
    assert richmond.looked_up and (richmond.latitude, richmond.longitude) == gazetteer.lookup("Richmond", "CA")


# --- in Chromium ----------------------------------------------------------------------------------

CLUSTER = (
    "(() => { let g; pspMaps[ID].eachLayer(l => { if (l instanceof L.MarkerClusterGroup) g = l; }); return g; })()"
)


def markers_by_cohort(page: Page, element_id: str) -> dict[str, list[str]]:
    script = f"""() => {{
        const group = {CLUSTER.replace("ID", repr(element_id))};
        const found = {{}};
        group.getLayers().forEach(m => (found[m.feature.properties.cohort] ||= []).push(m.feature.properties.label));
        Object.values(found).forEach(list => list.sort());
        return found;
    }}"""
    result: dict[str, list[str]] = page.evaluate(script)
    return result


@pytest.mark.browser
def test_markers_per_cohort_and_hiding_a_cohort(server: Server, context: BrowserContext) -> None:
    watched = watch(context, server.url)
    page = watched.page
    page.goto(server.url + "/sites/")
    page.wait_for_function("() => window.pspMaps && window.pspMaps['map_00000000']")
    expected = expected_markers(REAL_CONTENT)
    assert markers_by_cohort(page, "map_00000000") == expected
    # Hide the 2017 cohort with the layer control, from the keyboard.
    page.locator(".leaflet-control-layers-toggle").focus()
    page.keyboard.press("Enter")
    checkbox = page.locator(".leaflet-control-layers-overlays label", has_text="2017 cohort").locator("input")
    assert checkbox.is_visible() and checkbox.is_checked()
    checkbox.focus()
    page.keyboard.press("Space")
    assert markers_by_cohort(page, "map_00000000") == {k: v for k, v in expected.items() if k != "2017"}
    checkbox.focus()
    page.keyboard.press("Space")
    assert markers_by_cohort(page, "map_00000000") == expected
    assert watched.problems == [] and watched.foreign == []


@pytest.mark.browser
def test_keyboard_opens_a_popup_whose_link_leads_to_the_site(server: Server, context: BrowserContext) -> None:
    watched = watch(context, server.url)
    page = watched.page
    page.goto(server.url + "/sites/")
    page.wait_for_function("() => window.pspMaps && window.pspMaps['map_00000000']")
    marker = page.locator('.leaflet-marker-icon[title="Seattle, WA"]')
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup .site-popup")
    assert popup.is_visible()
    assert "2024 cohort: Intensive, 2024–2027" in popup.inner_text()
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/sites/seattle/"
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")  # after Leaflet's fade-out
    assert page.evaluate("document.activeElement.title") == "Seattle, WA"
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # follows the focused link
    page.wait_for_url("**/sites/seattle/")
    assert page.locator("h1").inner_text() == "Seattle, WA"
    assert watched.problems == [] and watched.foreign == []


@pytest.mark.browser
def test_multi_engagement_and_joint_sites_in_popups(server: Server, context: BrowserContext) -> None:
    page = watch(context, server.url).page
    page.goto(server.url + "/sites/")
    page.wait_for_function("() => window.pspMaps && window.pspMaps['map_00000000']")
    open_popup = f"""label => new Promise(done => {{
        const group = {CLUSTER.replace("ID", "'map_00000000'")};
        const marker = group.getLayers().find(m => m.feature.properties.label === label);
        group.zoomToShowLayer(marker, () => {{ marker.openPopup(); done(marker.getPopup().getElement().innerText); }});
    }})"""
    kansas_city = page.evaluate(open_popup, "Kansas City, MO")
    assert "2017 cohort: Diagnostic, 2017–2018" in kansas_city and "2018 cohort: Operations, 2018–2021" in kansas_city
    richmond = page.evaluate(open_popup, "Richmond, CA")
    assert "Oakland and Richmond, CA" in richmond and "Richmond, CA is part of this joint site." in richmond


@pytest.mark.browser
def test_a_cluster_zooms_in_from_the_keyboard(server: Server, context: BrowserContext) -> None:
    page = watch(context, server.url).page
    page.goto(server.url + "/sites/")
    page.wait_for_function("() => window.pspMaps && window.pspMaps['map_00000000']")
    zoom = page.evaluate("pspMaps['map_00000000'].getZoom()")
    cluster = page.locator(".site-cluster").first
    assert "sites close together" in cluster.inner_text() or cluster.get_attribute("role") == "button"
    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => pspMaps['map_00000000'].getZoom() > {zoom}")


@pytest.mark.browser
def test_a_poisoned_site_name_stays_text_in_the_popup(content: Path, tmp_path: Path, context: BrowserContext) -> None:
    path = content / "sites" / "harris-county.yaml"
    path.write_text(path.read_text().replace("name: Harris County", "name: '<img src=x onerror=window.__xss=1>'"))
    out = tmp_path / "out"
    with built_and_watched(content, out, context) as (server, watched):
        page = watched.page
        page.goto(server.url + "/sites/")
        page.wait_for_function("() => window.pspMaps && window.pspMaps['map_00000000']")
        marker = page.locator(".leaflet-marker-icon[title^='<img']")
        marker.focus()
        page.keyboard.press("Enter")
        assert "<img src=x onerror=window.__xss=1>" in page.locator(".site-popup").inner_text()
        assert page.evaluate("window.__xss") is None
        assert watched.problems == []


@pytest.mark.browser
@pytest.mark.slow
def test_two_thousand_sites_keep_the_map_page_under_300_kb(tmp_path: Path, context: BrowserContext) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE / "content", content)
    rng = random.Random(2000)
    cohorts = ["pilot", "2019"]
    for i in range(2000):
        (content / "sites" / f"synthetic-{i:04d}.yaml").write_text(
            f"name: Synthetic Place {i}\nstate: KS\nkind: city\nlatitude: {rng.uniform(30, 47):.4f}\n"
            f"longitude: {rng.uniform(-120, -75):.4f}\nengagements:\n  - cohort: {cohorts[i % 2]}\n"
            "    type: intensive\n    start_year: 2019\n    end_year: 2022\n"
        )
    out = tmp_path / "out"
    with built_and_watched(content, out, context) as (server, watched):
        loaded: list[str] = []
        watched.page.on("response", lambda r: loaded.append(r.url) if r.url.startswith(server.url) else None)
        watched.page.goto(server.url + "/sites/")
        watched.page.wait_for_function("() => window.pspMaps && window.pspMaps['map_00000000']")
        total = 0
        for url in loaded:
            rel = url[len(server.url) + 1 :].split("?")[0]
            file = out / (rel + "index.html" if rel.endswith("/") or not rel else rel)
            total += len(gzip.compress(file.read_bytes(), 9))
        assert total < 300_000, f"map page transfers {total} bytes gzipped"
        count = watched.page.evaluate(f"() => {CLUSTER.replace('ID', repr('map_00000000'))}.getLayers().length")
        assert count == 2000 + 5  # Memphis has a marker in each of its two cohorts, the joint site one per city
        assert watched.problems == []
    assert len(soup(out / "sites" / "index.html").select("table tbody tr")) == 2003 + 1  # Memphis twice
