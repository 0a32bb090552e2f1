"""Machine-readable files: ``sitemap.xml``, ``robots.txt`` and the Atom feed of new resources."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from html import escape as _escape

from psp_static import routes
from psp_static.clearinghouse import Resource
from psp_static.model import SiteContent
from psp_static.pages import PageSpec


def escape(text: str) -> str:
    """XML text: &, < and > escaped (xml.sax.saxutils.escape, without importing urllib.request)."""
    return _escape(text, quote=False)


def sitemap(pages: list[PageSpec], urls: routes.Urls) -> str:
    """A sitemap of every indexable page, with ``lastmod`` where the content gives a date."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for spec in sorted((p for p in pages if p.in_sitemap), key=lambda p: p.route):
        lastmod = f"<lastmod>{spec.lastmod}</lastmod>" if spec.lastmod else ""
        lines.append(f"  <url><loc>{escape(urls.absolute(spec.route))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(urls: routes.Urls) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(routes.SITEMAP)}\n"


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def _fallback_updated() -> str:
    """The feed's date when there are no resources: SOURCE_DATE_EPOCH, never the clock."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(site: SiteContent, urls: routes.Urls) -> str:
    """An Atom feed of the newest clearinghouse resources (dates from the content only)."""
    title = f"{site.config.title}: new clearinghouse resources"
    return atom_of(site, urls, site.newest, title, routes.FEED, routes.CLEARINGHOUSE)


def atom_of(
    site: SiteContent, urls: routes.Urls, newest: Sequence[Resource], title: str, self_route: str, home_route: str
) -> str:
    """An Atom feed of ``newest`` (newest first), at ``self_route``, about the page at ``home_route``."""
    config = site.config
    updated = _timestamp(newest[0].added) if newest else _fallback_updated()
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{escape(title)}</title>",
        f"  <subtitle>{escape(config.description)}</subtitle>",
        f'  <link href="{escape(urls.absolute(self_route))}" rel="self"/>',
        f'  <link href="{escape(urls.absolute(home_route))}"/>',
        f"  <id>{escape(urls.absolute(self_route))}</id>",
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(config.title)}</name><email>{escape(config.email)}</email></author>",
    ]
    for r in newest:
        link = urls.absolute(routes.resource(r.slug))
        out += [
            "  <entry>",
            f"    <title>{escape(r.title)}</title>",
            f'    <link href="{escape(link)}"/>',
            # The id follows the permanent resource number, so renaming a file keeps feed readers in step.
            f"    <id>{escape(urls.absolute(''))}#resource-{r.id}</id>",
            f"    <updated>{_timestamp(r.added)}</updated>",
            f"    <summary>{escape(r.summary)}</summary>",
            *(f'    <category term="{escape(a.name)}"/>' for a in r.areas),
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


AREA_FEED_ENTRIES = 20  # an area's feed, like the site's, carries the newest only: readers keep the rest


def area_feeds(site: SiteContent, urls: routes.Urls) -> list[tuple[str, str]]:
    """An Atom feed per core area, beside the site-wide one."""
    found = []
    for a in site.areas:
        current = (r for r in site.resources_in(a) if not r.archived)  # archived resources are not news
        newest = sorted(current, key=lambda r: (r.added, r.id), reverse=True)[:AREA_FEED_ENTRIES]
        title = f"{site.config.title}: new resources on {a.name.lower()}"
        found.append(
            (
                routes.area_feed(a.slug),
                atom_of(site, urls, newest, title, routes.area_feed(a.slug), routes.area(a.slug)),
            )
        )
    return found
