"""The interactive map of PSP sites, built with Folium at build time.

Folium lays out the Leaflet map (tiles, state outlines, one GeoJSON layer per cohort, the layer
control); its script is taken out of Folium's HTML into an external, content-hashed file so the
strict Content-Security-Policy holds. Markers, popups and focus handling are in our own
``js/map.js``, which builds every popup with DOM calls (no HTML from data). Folium's random
element ids are replaced with a counter, so two builds give the same bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

from markupsafe import escape

from psp_static import routes
from psp_static.hashing import digest
from psp_static.model import Site, SiteContent
from psp_static.site_config import MapSettings
from psp_static.stage import Each, plainly

# Folium, branca and numpy take a second to import: only builds whose map data changed pay for
# them (see render), so they are imported where they are used.

# Folium's markup and ids are patched below; a different version must be checked by hand first.
FOLIUM_VERSION = "0.20.0"
BRANCA_VERSION = "0.8.2"
US_CENTER = (39.5, -98.35)


@contextlib.contextmanager
def stable_ids(prefix: int = 0) -> Iterator[None]:
    """Make branca number elements 0, 1, 2, ... instead of giving them random ids."""
    import branca.element

    counter = itertools.count(prefix)
    original = branca.element.Element._generate_id
    branca.element.Element._generate_id = classmethod(lambda _cls: f"{next(counter):08d}")  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        branca.element.Element._generate_id = original  # type: ignore[method-assign]


_STATES_TEMPLATE = """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = pspMap.statesLayer().addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """  # its indentation shows in the map script: keep it as it is


@functools.cache
def _states_outline() -> type:
    """A Folium element drawing U.S. state outlines from bundled data, so the map means something without tiles."""
    import branca.element
    from folium.template import Template

    class StatesOutline(branca.element.MacroElement):
        _template = Template(_STATES_TEMPLATE)

        def __init__(self) -> None:
            super().__init__()  # type: ignore[no-untyped-call]
            self._name = "StatesOutline"

    return StatesOutline


@dataclasses.dataclass(frozen=True)
class SiteMap:
    """One rendered map: the id of the element it draws into and its script."""

    element_id: str
    script: str


def cohort_of(site: Site) -> str:
    """The cohort a site first joined PSP in (its colour on the static map)."""
    return site.engagements[0].cohort.slug


def features(site: SiteContent, urls: routes.Urls) -> dict[str, dict[str, Any]]:
    """A GeoJSON FeatureCollection per cohort: one point per place of each site in that cohort.

    A site in two cohorts has a marker in each cohort's layer, so a layer holds exactly the sites
    its cohort's table lists, and hiding one cohort never hides a site that was also in another.
    """
    collections: dict[str, dict[str, Any]] = {
        c.slug: {"type": "FeatureCollection", "features": []} for c in site.cohorts
    }
    order = {c.slug: i for i, c in enumerate(site.cohorts)}
    for s in site.sites:
        engagements = [f"{e.cohort.name}: {e.type_label}, {e.years}" for e in s.engagements]
        for cohort in dict.fromkeys(e.cohort for e in s.engagements):
            for place in s.places:
                properties = {
                    "label": s.label if s.kind != "joint" else f"{place.name}, {place.state}",
                    "site": s.label if s.kind == "joint" else "",
                    "url": urls.path(routes.site(s.slug)),
                    "cohort": cohort.slug,
                    "color": cohort.color,
                    "order": order[cohort.slug],
                    "engagements": engagements,
                }
                point = {"type": "Point", "coordinates": [place.longitude, place.latitude]}
                collections[cohort.slug]["features"].append(
                    {"type": "Feature", "geometry": point, "properties": properties}
                )
    return collections


def site_count(collection: dict[str, Any]) -> int:
    """How many sites a collection shows: a joint site's places are one site."""
    return len({f["properties"]["url"] for f in collection["features"]})


def _layer_name(name: str, slug: str) -> str:
    # Leaflet's layer control shows names as HTML: escape the content, add the cohort's swatch.
    return f'<span class="cohort-swatch cohort-swatch--{slug}" aria-hidden="true"></span>{escape(name)}'


@dataclasses.dataclass(frozen=True)
class MapData:
    """Everything a map is drawn from, and nothing else: the build keeps the maps by its hash."""

    config: MapSettings
    cohorts: tuple[tuple[str, str], ...]  # (slug, name), in the legend's order
    collections: dict[str, dict[str, Any]]  # a GeoJSON FeatureCollection per cohort

    def key(self) -> str:
        return digest(json.dumps([dataclasses.asdict(self.config), self.cohorts, self.collections], sort_keys=True))


def map_data(site: SiteContent, urls: routes.Urls) -> MapData:
    return MapData(site.config.map, tuple((c.slug, c.name) for c in site.cohorts), features(site, urls))


def build_map(data: MapData, *, compact: bool, id_prefix: int) -> SiteMap:
    """Lay the map out with Folium and return its element id and script."""
    import folium

    config = data.config
    with stable_ids(id_prefix):
        m = folium.Map(
            location=US_CENTER,
            zoom_start=3 if compact else 4,
            tiles=None,
            min_zoom=2,
            max_zoom=config.max_zoom,
            scroll_wheel_zoom=False,  # a wheel over the map scrolls the page, not the map
            zoom_control="bottomleft",  # the top left is where Alaska's markers land
            # No zoom animation: the first view is fitted at once (and motion stays minimal).
            zoom_animation=False,
            marker_zoom_animation=False,
            control_scale=False,
            zoom_snap=0.25,
            zoom_delta=1,
        )
        _frame(m, data.collections)
        attribution = f'&copy; <a href="{escape(config.attribution_url)}">{escape(config.attribution)}</a>'
        folium.TileLayer(config.tiles, attr=attribution, name="Street map", max_zoom=config.max_zoom).add_to(m)
        folium.FeatureGroup(name="Outline only", overlay=False, show=False).add_to(m)
        m.add_child(_states_outline()())
        _cohort_layers(m, data)
        # Collapsed to a button, so it never covers the markers on a small screen.
        folium.LayerControl(collapsed=True, position="topright").add_to(m)
        element_id = m.get_name()
        html = m.get_root().render()
    return SiteMap(element_id, _script(html, element_id))


def _frame(m: Any, collections: dict[str, dict[str, Any]]) -> None:
    """Frame every site, Alaska and Hawaii included: a site off the first view is a site a
    visitor never sees. Fractional zoom (zoom_snap) keeps the frame tight at every width."""
    points = [f["geometry"]["coordinates"] for c in collections.values() for f in c["features"]]
    if points:
        lats, lons = [p[1] for p in points], [p[0] for p in points]
        # Padding keeps markers clear of the zoom buttons (bottom left), the layers button (top
        # right) and the credits (bottom right).
        bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]
        m.fit_bounds(bounds, padding_top_left=(56, 24), padding_bottom_right=(68, 40))


def _cohort_layers(m: Any, data: MapData) -> None:
    """One cluster group for all cohorts: markers never overlap (each stays a 24 px target,
    WCAG 2.5.8) and thousands of sites stay readable; each cohort is a sub-group the layer
    control shows or hides."""
    import folium
    from folium.plugins import FeatureGroupSubGroup, MarkerCluster
    from folium.utilities import JsCode

    clusters = MarkerCluster(  # type: ignore[no-untyped-call]
        control=False,
        icon_create_function="pspMap.clusterIcon",
        options={
            "showCoverageOnHover": False,
            "maxClusterRadius": 60,
            "spiderfyDistanceMultiplier": 1.6,
            "animate": False,
        },
    )
    m.add_child(clusters)
    for slug, cohort_name in data.cohorts:
        count = site_count(data.collections[slug])
        name = _layer_name(f"{cohort_name} ({count} site{'' if count == 1 else 's'})", slug)
        group = FeatureGroupSubGroup(clusters, name=name)  # type: ignore[no-untyped-call]
        m.add_child(group)
        folium.GeoJson(
            data.collections[slug],
            point_to_layer=JsCode("pspMap.marker"),
            on_each_feature=JsCode("pspMap.popup"),
            control=False,
        ).add_to(group)


def _script(html: str, element_id: str) -> str:
    """Folium's map script, taken out of its HTML page, plus a hand-over to our helpers."""
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    body = next(s for s in scripts if f'"{element_id}"' in s)
    lines = [line.rstrip() for line in body.strip().splitlines() if line.strip()]
    return "(function () {\n" + "\n".join(lines) + f"\npspMap.ready({element_id});\n}})();\n"


# The two maps: full size on the sites page, compact on the home page (its own element ids).
LAYOUTS = (("sites", False, 0), ("home", True, 50_000_000))


def render(site: SiteContent, urls: routes.Urls, each: Each = plainly) -> dict[str, SiteMap]:
    """The two maps. Drawing them takes Folium (a second to import): through ``each`` the build
    keeps them by the hash of what they are drawn from, so most builds never import it."""
    data = map_data(site, urls)
    made = each(
        "maps",
        lambda layout: build_map(data, compact=layout[1], id_prefix=layout[2]),
        LAYOUTS,
        lambda layout: digest(data.key(), repr(layout)),
    )
    return {name: site_map for (name, _, _), site_map in zip(LAYOUTS, made, strict=True)}


@functools.cache  # a vendored file, read once a process, as usmap reads its own
def states_script() -> str:
    """The state outlines as a script defining ``window.PSP_US_STATES`` (TopoJSON)."""
    text = resources.files("psp_static").joinpath("static/vendor/us-atlas/states-10m.json").read_text("utf-8")
    return "window.PSP_US_STATES = " + json.dumps(json.loads(text), separators=(",", ":")) + ";\n"
