"""The editor's page at ``/admin/`` and the Content-Security-Policy it needs, on that page alone.

The page loads the vendored Decap CMS bundle (refreshed by ``make vendor``) and tells a visitor
without JavaScript where else to edit.
"""

from __future__ import annotations

import html
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from psp_static.model import SiteContent

if TYPE_CHECKING:
    from psp_static.cms import Settings


def vendor_folder() -> Path:
    """Where the vendored Decap CMS files are, with their license and version."""
    return Path(str(resources.files("psp_static").joinpath("admin", "decap-cms")))


def decap_version() -> str:
    """The vendored Decap CMS release, which names the bundle's folder so browsers never mix releases."""
    return (vendor_folder() / "VERSION").read_text(encoding="utf-8").strip()


def admin_csp(cms: Settings) -> str:
    """The admin page's own policy: what Decap needs, on /admin/ alone.

    Decap's React styling writes ``<style>`` elements at run time ('unsafe-inline' styles), and
    its configuration check compiles JSON Schemas to functions ('unsafe-eval'); it talks to the
    GitHub API, or to the local backend on this computer, and shows GitHub avatars. Scripts still
    come only from this site: no inline script.
    """
    auth = cms.auth_url.rstrip("/")
    return (
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob: https://avatars.githubusercontent.com; "
        f"connect-src 'self' https://api.github.com {auth} http://localhost:{cms.local_port}; "
        "font-src 'self'; frame-src 'self' blob:; worker-src 'self' blob:; "
        "object-src 'none'; base-uri 'none'; form-action 'none'"
    )


def admin_page(site: SiteContent, cms: Settings) -> str:
    """``admin/index.html``: loads Decap; says what to do without JavaScript."""
    title = html.escape(f"Content editor – {site.config.title}")
    description = html.escape(f"Edit the {site.config.short_title} website's content in the browser (staff only).")
    return f"""<!DOCTYPE html>
<html lang="{html.escape(site.config.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(admin_csp(cms), quote=False)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="{html.escape(site.config.referrer_policy)}">
<title>{title}</title>
<meta name="description" content="{description}">
</head>
<body>
<noscript>
<h1>Content editor</h1>
<p>The content editor needs JavaScript. Without it, edit the files in the repository's content folder
as CONTRIBUTING.md explains.</p>
</noscript>
<script src="decap-cms-{decap_version()}/decap-cms.js"></script>
</body>
</html>
"""
