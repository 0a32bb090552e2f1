"""``_headers``: the security headers, for static hosts that read such a file (Netlify,
Cloudflare Pages). GitHub Pages and cloud.gov Pages read none; there the pages' own
``<meta>`` tags are all the site has (README, "Hosting").

Hosts join the headers of every rule a path matches, and two Content-Security-Policy headers
are both enforced, so the public policy must never match the editor at /admin/, which has its
own (:func:`psp_static.admin_page.admin_csp`). The policy is therefore given per top-level folder or
file of the output, rather than to ``/*``; the headers that are the same everywhere are.
"""

from __future__ import annotations

from collections.abc import Iterable

from psp_static import admin_page, cms, outfolder, render
from psp_static.site_config import Config

HEADERS_FILE = "_headers"
# Framing is refused in the header alone: a <meta> policy cannot say frame-ancestors.
NO_FRAMING = "frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"  # a year, as CISA BOD 18-01 asks of federal sites
# Features the site never uses, refused to every page and to anything embedded in one.
PERMISSIONS = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)


def everywhere(config: Config) -> list[str]:
    """The headers every response gets."""
    return [
        f"Strict-Transport-Security: {HSTS}",
        "X-Content-Type-Options: nosniff",
        f"Referrer-Policy: {config.referrer_policy}",
        f"Permissions-Policy: {PERMISSIONS}",
    ]


def patterns(paths: Iterable[str]) -> list[str]:
    """The path patterns that cover every public output file, and not /admin/.

    Patterns start at the root of the published folder, which is where such hosts serve it.
    """
    found = {"/"}
    for path in paths:
        top, sep, _ = path.partition("/")
        if top in (cms.ADMIN.strip("/"), HEADERS_FILE, outfolder.MARK):
            continue
        found.add(f"/{top}/*" if sep else f"/{top}")
    return sorted(found)


def render_file(config: Config, paths: Iterable[str], editor: cms.Settings | None) -> str:
    """The ``_headers`` file for the output files ``paths`` (relative to the output folder)."""
    public = f"Content-Security-Policy: {render.csp(config.map.tiles, config.analytics is not None)}; {NO_FRAMING}"
    blocks = ["/*\n" + "".join(f"  {h}\n" for h in everywhere(config))]
    blocks += [f"{pattern}\n  {public}\n" for pattern in patterns(paths)]
    if editor is not None:
        blocks.append(f"/{cms.ADMIN}*\n  Content-Security-Policy: {admin_page.admin_csp(editor)}; {NO_FRAMING}\n")
    head = "# Response headers for hosts that read this file (Netlify, Cloudflare Pages). Made by psp-static.\n"
    return head + "\n".join(blocks)
