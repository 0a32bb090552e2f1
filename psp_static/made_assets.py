"""Assets made from the content rather than shipped: cohort colours, the maps' scripts, the search data.

Each producer adds its files to an :class:`~psp_static.assets.Assets`; the build runs them after
the shipped assets are collected and before the pages, which name the files by their hashed names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from psp_static import assets, geomap, routes, usmap
from psp_static.geomap import SiteMap
from psp_static.model import SiteContent


@dataclasses.dataclass(frozen=True)
class Inputs:
    """What the producers of assets make them from."""

    site: SiteContent
    urls: routes.Urls
    maps: dict[str, SiteMap]


def cohort_styles(made: Inputs, static: assets.Assets) -> None:
    """Cohort colours come from content, so their CSS is generated (no inline styles under the CSP)."""
    rules = [
        f".cohort-swatch--{c.slug}, .site-pin--{c.slug} {{ background-color: {c.color}; }}" for c in made.site.cohorts
    ]
    static.append("css/site.css", ("\n".join(rules) + "\n").encode())


def map_files(made: Inputs, static: assets.Assets) -> None:
    """The maps' scripts, the state outlines they draw on, and the map for pages without JavaScript."""
    for name, site_map in made.maps.items():
        static.add(f"map/{name}.js", site_map.script.encode())
    static.add("map/us-states.js", geomap.states_script().encode())
    static.add("map/sites.svg", usmap.render_svg(made.site).encode(), hashed=True)


def search_data(made: Inputs, static: assets.Assets) -> None:
    """The clearinghouse finder's result cards, facets and text index."""
    # Imported here: the search data is made in a process of its own (SEARCH_ASSETS), so the build's
    # main process never pays for numpy and lunr (0.06-0.1 s of every build's start-up).
    from psp_static import search_index

    search_index.publish_cards(made.site, made.urls, static)
    search_index.publish_index(made.site, static)


def site_search_data(made: Inputs, static: assets.Assets) -> None:
    """The search page's index of every site, cohort, core area, news item and page, and its result
    cards (resources are found in the clearinghouse's index)."""
    from psp_static import site_search  # imported here, as search_index is above

    site_search.publish(made.site, made.urls, static)


# Assets made from the content, after the shipped ones (``assets.collect``) and before the pages,
# which name them by their hashed file names.
ASSETS: list[Callable[[Inputs, assets.Assets], None]] = [cohort_styles, map_files]
# The search data, the costliest of them: made in another process while this one makes the rest
# and the open data (at 10,000 resources, 1.4 s of work on each side). It is made from the site
# alone: the maps are drawn meanwhile, in a third process.
SEARCH_ASSETS: list[Callable[[Inputs, assets.Assets], None]] = [search_data, site_search_data]


def made_apart(producers: list[Callable[[Inputs, assets.Assets], None]], made: Inputs) -> assets.Assets:
    """The assets ``producers`` add, on their own (to be included in the rest)."""
    static = assets.Assets({}, {})
    for produce in producers:
        produce(made, static)
    return static
