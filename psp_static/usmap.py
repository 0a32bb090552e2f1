"""A static SVG map of the sites: for visitors without JavaScript, and for print.

State outlines come from us-atlas (``states-albers-10m.json``, already projected with d3's
``geoAlbersUsa().scale(1300).translate([487.5, 305])``); site coordinates are projected here with
the same projection, Alaska and Hawaii insets included, so the two line up.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterator, Sequence
from html import escape as _escape
from importlib import resources
from typing import Any

from psp_static.model import SiteContent

Point = tuple[float, float]
WIDTH, HEIGHT = 975, 610
SCALE, TRANSLATE = 1300.0, (487.5, 305.0)


# --- TopoJSON -------------------------------------------------------------------------------------


@functools.cache
def albers_topology() -> dict[str, Any]:
    text = resources.files("psp_static").joinpath("static/vendor/us-atlas/states-albers-10m.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]  # json.loads returns Any; the file is TopoJSON


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Absolute coordinates of every arc of a quantized, delta-encoded topology."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[Point]], indexes: Sequence[int]) -> list[Point]:
    """Join arcs into one closed ring; a negative index ``~i`` is arc ``i`` reversed."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def polygons(topology: dict[str, Any], obj: str) -> Iterator[tuple[dict[str, Any], list[list[list[Point]]]]]:
    """Each geometry of ``objects[obj]`` with its polygons (lists of rings)."""
    arcs = decode_arcs(topology)
    for geometry in topology["objects"][obj]["geometries"]:
        parts = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        yield geometry, [[ring(arcs, r) for r in polygon] for polygon in parts]


# --- d3.geoAlbersUsa ------------------------------------------------------------------------------


def _conic_equal_area(parallels: Point, rotate: float, center: Point, scale: float, translate: Point) -> Any:
    """d3's conicEqualArea with the given parallels, rotation, centre, scale and translation."""
    y0, y1 = math.radians(parallels[0]), math.radians(parallels[1])
    n = (math.sin(y0) + math.sin(y1)) / 2
    c = 1 + math.sin(y0) * (2 * n - math.sin(y0))
    r0 = math.sqrt(c) / n

    def raw(lam: float, phi: float) -> Point:
        r = math.sqrt(c - 2 * n * math.sin(phi)) / n
        return r * math.sin(lam * n), r0 - r * math.cos(lam * n)

    cx, cy = raw(math.radians(center[0]), math.radians(center[1]))

    def project(lon: float, lat: float) -> Point:
        lam = math.radians(lon + rotate)
        lam = (lam + math.pi) % (2 * math.pi) - math.pi  # rotation wraps longitude to [-pi, pi)
        x, y = raw(lam, math.radians(lat))
        return translate[0] + scale * (x - cx), translate[1] - scale * (y - cy)

    return project


def albers_usa(lon: float, lat: float, k: float = SCALE, origin: Point = TRANSLATE) -> Point | None:
    """Project a longitude/latitude like ``d3.geoAlbersUsa``; None outside the three areas."""
    x, y = origin
    areas = (
        (
            _conic_equal_area((29.5, 45.5), 96, (-0.6, 38.7), k, origin),
            (x - 0.455 * k, y - 0.238 * k, x + 0.455 * k, y + 0.238 * k),
        ),
        (
            _conic_equal_area((55, 65), 154, (-2, 58.5), 0.35 * k, (x - 0.307 * k, y + 0.201 * k)),
            (x - 0.425 * k, y + 0.120 * k, x - 0.214 * k, y + 0.234 * k),
        ),
        (
            _conic_equal_area((8, 18), 157, (-3, 19.9), k, (x - 0.205 * k, y + 0.212 * k)),
            (x - 0.214 * k, y + 0.166 * k, x - 0.115 * k, y + 0.234 * k),
        ),
    )
    for project, (x0, y0, x1, y1) in areas:
        px, py = project(lon, lat)
        if x0 <= px < x1 and y0 <= py < y1:
            return px, py
    return None


# --- SVG ------------------------------------------------------------------------------------------


def _path(rings: Iterator[list[Point]], closed: bool) -> str:
    parts = []
    for points in rings:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f"M{coords}{'Z' if closed else ''}")
    return "".join(parts)


@functools.cache
def _base_layers() -> tuple[str, str]:
    """Path data for the land (filled) and for every state border (each shared border drawn once)."""
    topology = albers_topology()
    land = _path((r for _, polys in polygons(topology, "nation") for poly in polys for r in poly), closed=True)
    borders = _path(iter(decode_arcs(topology)), closed=False)
    return land, borders


def render_svg(site: SiteContent) -> str:
    """The static map: land, state borders, and a dot per place and cohort of each site."""
    land, borders = _base_layers()
    dots = []
    for s in site.sites:
        # A dot for each cohort the site took part in, side by side, as the interactive map has a
        # marker in each cohort's layer.
        cohorts = list(dict.fromkeys(e.cohort for e in s.engagements))
        for place in s.places:
            point = albers_usa(place.longitude, place.latitude)
            if point is None:
                continue  # outside the lower 48, Alaska and Hawaii: listed in the table only
            for i, cohort in enumerate(cohorts):
                x = point[0] + (i - (len(cohorts) - 1) / 2) * 8
                title = _escape(f"{s.label} ({cohort.name})", quote=False)
                circle = f'<circle cx="{x:.1f}" cy="{point[1]:.1f}" r="6" fill="{_escape(cohort.color)}">'
                dots.append(f"{circle}<title>{title}</title></circle>")
    label = _escape(f"Map of the United States with the {len(site.sites)} PSP sites, coloured by cohort", quote=False)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}">'
        f"<title>{label}</title>"
        f'<path d="{land}" fill="#f0f0f0" stroke="none"/>'
        f'<path d="{borders}" fill="none" stroke="#a9aeb1" stroke-width="0.8" stroke-linejoin="round"/>'
        f'<g stroke="#ffffff" stroke-width="1.5">{"".join(dots)}</g>'
        "</svg>\n"
    )
