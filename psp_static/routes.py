"""Where every page lives: one place for the site's URL scheme.

Routes are relative to the site root (``sites/memphis/``); :class:`Urls` turns them into links
under the base path (``/psp/sites/memphis/``) and absolute canonical addresses.
"""

from __future__ import annotations

HOME = ""
SITES = "sites/"
COHORTS = "cohorts/"
TEAM = "team/"
AREAS = "areas/"
CLEARINGHOUSE = "clearinghouse/"
TOOLKIT = "toolkit/"
NEWS = "news/"
NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
FEED = "feed.xml"
SECURITY_TXT = ".well-known/security.txt"
# The path CISA BOD 20-01 gives the policy on an agency's primary website.
DISCLOSURE = "vulnerability-disclosure-policy/"
DATA = "data/"  # the open data files and the page that describes them
SEARCH = "search/"  # the site-wide search page

# First path segments the generator owns; a page in content/pages/ may not take one.
RESERVED = frozenset(
    {"sites", "cohorts", "team", "areas", "clearinghouse", "resources", "toolkit", "news", "assets", "404", "search"}
) | {DISCLOSURE.rstrip("/"), DATA.rstrip("/")}


def site(slug: str) -> str:
    return f"sites/{slug}/"


def cohort(slug: str) -> str:
    return f"cohorts/{slug}/"


def area(slug: str) -> str:
    return f"areas/{slug}/"


def area_feed(slug: str) -> str:
    """The Atom feed of one core area's new resources."""
    return f"areas/{slug}/feed.xml"


def resource_type(slug: str) -> str:
    return f"clearinghouse/types/{slug}/"


def resource(slug: str) -> str:
    return f"resources/{slug}/"


def news(slug: str) -> str:
    return f"news/{slug}/"


def page(slug: str) -> str:
    return f"{slug}/"


def paged(route: str, number: int) -> str:
    """Page ``number`` of a long listing; the first page is the listing's own route."""
    return route if number == 1 else f"{route}page/{number}/"


def output_file(route: str) -> str:
    """The file a route is written to: ``sites/`` is ``sites/index.html``."""
    return route + "index.html" if route.endswith("/") or route == "" else route


class Urls:
    """Turn routes into links for one base URL."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        rest = self.base_url.split("://", 1)[-1]
        self.base_path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"

    def path(self, route: str) -> str:
        """Root-relative link, e.g. ``/psp/sites/``: works on any host serving the base path."""
        return self.base_path + route

    def absolute(self, route: str) -> str:
        """Full address, for canonical links, the sitemap and the feed."""
        return self.base_url + route
