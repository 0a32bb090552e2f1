"""Which site files describe the same place: one file per jurisdiction, however many engagements.

A second file for a place already on the site (Kansas City twice, once per engagement) would
count it twice on every page, so the build refuses it and ``new site`` does not write it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from psp_static import history
from psp_static.errors import ContentError
from psp_static.gazetteer import normalise
from psp_static.loader import Loaded, RawDoc

# Closer than this, two sites are one place: city halls of neighbouring cities are kilometres apart.
SAME_PLACE_METRES = 500


def names(data: dict[str, object]) -> set[tuple[str, str]]:
    """The (name, state) pairs a site file stands for, folded for comparison: its own, and a joint
    site's places."""
    found: set[tuple[str, str]] = set()
    entries = [data, *(p for p in data.get("places") or [] if isinstance(p, dict))]  # type: ignore[attr-defined]
    for entry in entries:
        name, state = entry.get("name"), entry.get("state")
        if isinstance(name, str) and isinstance(state, str):
            found.add((normalise(name), state.upper()))
    return found


def position(data: dict[str, object]) -> tuple[float, float] | None:
    """The coordinates a site file gives itself, if it gives both."""
    lat, lon = data.get("latitude"), data.get("longitude")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        return float(lat), float(lon)
    return None


def metres_apart(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine): exact enough at the scale of a city."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def same_place(
    data: dict[str, object], others: list[RawDoc], where: tuple[float, float] | None = None
) -> RawDoc | None:
    """The first of ``others`` that describes the place of ``data``: a name and state in common,
    or (neither being a joint site) coordinates within :data:`SAME_PLACE_METRES`."""
    mine, here = names(data), where or position(data)
    joint = data.get("kind") == "joint"
    for other in others:
        if mine & names(other.data):
            return other
        there = position(other.data)
        near = here is not None and there is not None and metres_apart(here, there) < SAME_PLACE_METRES
        if near and not joint and other.data.get("kind") != "joint":
            return other
    return None


def duplicate_sites(loaded: Loaded) -> Iterator[ContentError]:
    """One error per site file that describes a place another file already does.

    The file to blame is the newcomer: the one Git's last commit does not hold, else the later
    name, so the message never asks an editor to delete a published site.
    """
    docs = sorted(loaded.of("site"), key=lambda d: d.path)
    pairs: list[tuple[RawDoc, RawDoc]] = []
    nearby = _Neighbours()
    for i, doc in enumerate(docs):
        seen = [docs[j] for j in sorted(nearby.candidates(doc.data))]
        if (other := same_place(doc.data, seen)) is not None:
            pairs.append((doc, other))
        nearby.add(i, doc.data)
    if not pairs:
        return
    known = history.committed(doc.path for pair in pairs for doc in pair)
    for later, earlier in pairs:
        if later.path in known and earlier.path not in known:
            later, earlier = earlier, later
        line, col = later.doc.value_at(("name",))
        yield ContentError(
            later.path, line, col,
            f"this is the place {earlier.path} already describes; keep one file per site and list each "
            "PSP engagement under that file's 'engagements:' (then delete this file)",
        )  # fmt: skip


# Grid cells of this many degrees are wider than SAME_PLACE_METRES at any latitude of a U.S. site
# (a 0.05 degree step of longitude is still about 950 metres at 80 degrees north).
_CELL_DEGREES = 0.05


class _Neighbours:
    """The site files seen so far, found by name or by grid cell: each file is compared only with
    files that could describe its place, so checking 10,000 sites takes no longer than reading them."""

    def __init__(self) -> None:
        self._by_name: dict[tuple[str, str], set[int]] = {}
        self._by_cell: dict[tuple[int, int], set[int]] = {}

    def add(self, number: int, data: dict[str, object]) -> None:
        for name in names(data):
            self._by_name.setdefault(name, set()).add(number)
        if (cell := _cell(data)) is not None:
            self._by_cell.setdefault(cell, set()).add(number)

    def candidates(self, data: dict[str, object]) -> set[int]:
        found: set[int] = set()
        for name in names(data):
            found |= self._by_name.get(name, set())
        if (cell := _cell(data)) is not None:
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    found |= self._by_cell.get((cell[0] + dy, cell[1] + dx), set())
        return found


def _cell(data: dict[str, object]) -> tuple[int, int] | None:
    where = position(data)
    return None if where is None else (math.floor(where[0] / _CELL_DEGREES), math.floor(where[1] / _CELL_DEGREES))
