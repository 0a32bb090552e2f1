"""The Decap CMS configuration (``admin/config.yml``), made from the editor schemas.

A collection per content type, a field per schema property (see :mod:`psp_static.decap_fields`),
select lists where the editor schemas list a vocabulary of the content, file names as ``psp-static
new`` makes them, and the editorial workflow: every change is a pull request that the checks review.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from psp_static import editor_schemas, loader
from psp_static.decap_fields import Field, Schema, fields
from psp_static.model import SiteContent

if TYPE_CHECKING:
    from psp_static.cms import Settings

# How each content type is labelled and named in the editor.
LABELS = {
    "config": ("Website settings", "Website settings"),
    "clearinghouse": ("Clearinghouse lists", "Clearinghouse lists"),
    "home": ("Home page", "Home page"),
    "area": ("Core areas", "Core area"),
    "cohort": ("Cohorts", "Cohort"),
    "role": ("Team roles", "Team role"),
    "site": ("PSP sites", "PSP site"),
    "resource": ("Clearinghouse resources", "Clearinghouse resource"),
    "page": ("Pages", "Page"),
    "news": ("Items of interest", "Item of interest"),
}
CREATE = ("cohort", "site", "resource", "page", "news")  # areas and roles are fixed by the program
ORDER = ("resource", "site", "news", "page", "cohort", "area", "role")  # the editor's menu, busiest first


def config(site: SiteContent, cms: Settings, schemas: Mapping[str, Schema], content: str = "content") -> dict[str, Any]:
    """The whole Decap configuration; ``schemas`` are the editor schemas (``editor_schemas.all_live``)."""
    kinds = sorted(loader.KINDS, key=lambda k: (k.collection is False, ORDER.index(k.name) if k.name in ORDER else 99))
    return {
        "backend": {
            "name": "github",
            "repo": cms.repo,
            "branch": cms.branch,
            "base_url": cms.auth_url,
            "squash_merges": True,
            "commit_messages": {
                "create": "Add {{collection}} “{{slug}}” (in the browser)",
                "update": "Edit {{collection}} “{{slug}}” (in the browser)",
                "delete": "Remove {{collection}} “{{slug}}” (in the browser)",
            },
        },
        # Decap uses this only on localhost or 127.0.0.1: `psp-static serve --cms` runs it there.
        "local_backend": {"url": cms.local_url, "allowed_hosts": ["localhost", "127.0.0.1"]},
        "publish_mode": "editorial_workflow",
        "site_url": site.config.base_url,
        "display_url": site.config.base_url,
        "locale": "en",
        "media_folder": f"{content}/media",  # Decap requires one; the content has no uploads
        "show_preview_links": False,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(kind, schemas[kind.name], site, content) for kind in kinds],
    }


def collection(kind: loader.Kind, schema: Schema, site: SiteContent, content: str) -> dict[str, Any]:
    """The Decap collection for one content type: a folder of files, or one file."""
    own = _fields(kind, schema, site)
    plural, singular = LABELS.get(kind.name, (kind.name, kind.name))
    if not kind.collection:
        return {
            "name": kind.name,
            "label": plural,
            "files": [{"name": kind.name, "label": singular, "file": f"{content}/{kind.location}", "fields": own}],
            **({"format": "frontmatter"} if kind.markdown else {}),
        }
    ident = "name" if "name" in schema.get("properties", {}) else "title"
    fmt = {"format": "frontmatter", "extension": "md"} if kind.markdown else {"format": "yaml", "extension": "yaml"}
    return {
        "name": kind.name,
        "label": plural,
        "label_singular": singular,
        "folder": f"{content}/{kind.location}",
        **fmt,
        "create": kind.name in CREATE,
        "delete": kind.name != "resource",  # saved toolkits and shared links name resources by id
        "slug": slug_template(kind.name, ident),
        "identifier_field": ident,
        "summary": "{{" + ident + "}}",
        "sortable_fields": [ident],
        "fields": own,
    }


def _fields(kind: loader.Kind, schema: Schema, site: SiteContent) -> list[Field]:
    """A content type's fields: its schema's, a body for Markdown, the next free id for resources."""
    own = fields(schema)
    if kind.name == "resource":
        for f in own:
            if f["name"] == "id":
                f["default"] = next_resource_id(site)
    if kind.markdown:
        own.append({"label": "Body", "name": "body", "widget": "markdown", "hint": "The page's text, in Markdown."})
    # The first field carries the modeline comment, so a new file starts with it, as the hand-made ones do.
    own[0]["comment"] = editor_schemas.modeline(kind).removeprefix("# ")
    return own


def next_resource_id(site: SiteContent) -> int:
    """The number a new resource takes: one more than the highest in use."""
    return max((r.id for r in site.resources), default=1000) + 1


def slug_template(kind: str, ident: str) -> str:
    """How a new file is named: as ``psp-static new`` names it, within the build's length limit.

    Decap makes the slug from the template (lowercase ASCII, hyphens, none at either end), so
    truncating the text first keeps the file name within ``SLUG_MAX`` characters.
    """
    if kind == "cohort":
        return "{{start_year}}"  # cohorts are named by their year, as sites refer to them
    if kind == "news":
        return "{{year}}-{{" + ident + f" | truncate({loader.SLUG_MAX - 5}, '')}}}}"  # the year it was written
    return "{{" + ident + f" | truncate({loader.SLUG_MAX}, '')}}}}"
