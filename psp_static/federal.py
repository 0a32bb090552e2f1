"""Federal mode (``identity: federal`` in site.yaml): the identifier's required links, the
Digital Analytics Program (DAP) script, and the accessibility statement's Section 508 contact.

A grantee site shows none of it and makes no request to DAP, whatever the ``federal`` block says:
only the identity turns it on.
"""

from __future__ import annotations

from psp_static.errors import ContentError
from psp_static.loader import Loaded
from psp_static.records import ConfigRecord
from psp_static.site_config import Analytics, Section508

# The federal website identifier's required links (USWDS), by site.yaml key, as the footer names
# them; "Visit USA.gov", the eighth, is fixed in the template and needs no setting.
REQUIRED_LINKS = {
    "about": "About the agency",
    "accessibility": "Accessibility statement",
    "foia": "FOIA requests",
    "no_fear": "No FEAR Act data",
    "oig": "Office of the Inspector General",
    "performance": "Performance reports",
    "privacy": "Privacy policy",
}
# What DAP needs beyond its own script: it loads Google's tag (gtag.js) and sends page views to
# Google Analytics 4, whose documented policy names these hosts. Allowed only while DAP is on.
DAP_SCRIPT_SOURCES = ("https://dap.digitalgov.gov", "https://www.googletagmanager.com")
DAP_CONNECT_SOURCES = (
    "https://*.google-analytics.com",
    "https://*.analytics.google.com",
    "https://www.googletagmanager.com",
)
DAP_IMAGE_SOURCES = ("https://*.google-analytics.com", "https://www.googletagmanager.com")


def analytics(d: ConfigRecord) -> Analytics | None:
    """DAP, when the site is federal and ``federal.analytics.enabled`` is true; else None."""
    block = (d.get("federal") or {}).get("analytics")
    if d["identity"] != "federal" or not block or not block.get("enabled"):
        return None
    return Analytics(block["agency"], block.get("subagency", ""))


def section_508(d: ConfigRecord) -> Section508 | None:
    """The Section 508 contact, when the site is federal (a grantee's statement is its own page)."""
    block = (d.get("federal") or {}).get("section_508")
    if d["identity"] != "federal" or not block:
        return None
    return Section508(block["contact"], block["email"], block.get("phone", ""), block["tested"], block["reply_days"])


def links(d: ConfigRecord) -> dict[str, str]:
    """The identifier's links by key, in the identifier's order."""
    block = d.get("federal") or {}
    return {key: block[key] for key in REQUIRED_LINKS if key in block}


def refusals(loaded: Loaded) -> list[ContentError]:
    """Federal mode with an identifier link or the Section 508 contact missing: one error for each."""
    found: list[ContentError] = []
    for doc in loaded.of("config"):
        data = doc.data
        block = data.get("federal")
        if data.get("identity") != "federal" or (block is not None and not isinstance(block, dict)):
            continue  # grantee, or a block the schema check reports
        block = block or {}
        line, col = doc.doc.key_at(("federal",)) if "federal" in data else doc.doc.value_at(("identity",))
        for key, label in REQUIRED_LINKS.items():
            if key not in block:
                message = (
                    f"identity is federal, but federal.{key} is missing: the federal website identifier must link "
                    f"to the agency's {label}; add {key}: with its full https:// address under federal:, "
                    "or set identity: grantee"
                )
                found.append(ContentError(doc.path, line, col, message))
        if "section_508" not in block:
            message = (
                "identity is federal, but federal.section_508 is missing: OMB M-24-08 asks the accessibility "
                "statement for a named Section 508 contact, the date last tested and the reply time; add "
                "section_508: with contact, email, tested and reply_days (see CONTRIBUTING.md), "
                "or set identity: grantee"
            )
            found.append(ContentError(doc.path, line, col, message))
    return found
