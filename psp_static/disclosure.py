"""Vulnerability disclosure: ``/.well-known/security.txt`` (RFC 9116) and the checks on its
``Expires`` date, from the ``security`` block of ``content/site.yaml``.

The policy page itself is a template (``disclosure.html``) planned with the other pages. The
expiry checks depend on the day of the build, so they run on every build, like
:mod:`psp_static.timely`'s, and take "today" from it (``SOURCE_DATE_EPOCH`` when set).
"""

from __future__ import annotations

import datetime as dt

from psp_static import routes
from psp_static.errors import ContentError
from psp_static.formats import is_date
from psp_static.loader import Loaded
from psp_static.model import SiteContent
from psp_static.records import ConfigRecord
from psp_static.site_config import Disclosure

WARN_DAYS = 30  # warn this many days before security.txt expires, time enough to renew it


def settings(d: ConfigRecord) -> Disclosure | None:
    """The ``security`` block, with its defaults: the contact email and the site's language."""
    block = d.get("security")
    if block is None:
        return None
    languages = tuple(block.get("languages") or [d["language"]])
    return Disclosure(block.get("email") or d["contact"]["email"], block["expires"], block["issued"], languages)


def a_year_after(day: dt.date) -> dt.date:
    """The same day a year later (February 29 becomes February 28)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def expiry(loaded: Loaded, now: dt.date) -> tuple[list[ContentError], list[ContentError]]:
    """Errors and warnings about ``security.expires``: RFC 9116 wants it in the future and less
    than a year away, so that a forgotten file stops being trusted rather than trusted forever."""
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    for doc in loaded.of("config"):
        block = doc.data.get("security")
        expires = block.get("expires") if isinstance(block, dict) else None
        if not is_date(expires):
            continue  # absent, or wrong in a way the schema check reports
        day = dt.date.fromisoformat(str(expires))
        line, col = doc.doc.value_at(("security", "expires"))
        latest = a_year_after(now)
        if day < now:
            message = (
                f"security.expires {day.isoformat()} has passed (today is {now.isoformat()}): security.txt would "
                f"tell researchers not to trust it; set a new date within a year, no later than {latest.isoformat()}"
            )
            errors.append(ContentError(doc.path, line, col, message))
        elif day > latest:
            message = (
                f"security.expires {day.isoformat()} is more than a year away (today is {now.isoformat()}); "
                f"RFC 9116 asks for less than a year: set it to {latest.isoformat()} or earlier"
            )
            errors.append(ContentError(doc.path, line, col, message))
        elif (day - now).days <= WARN_DAYS:
            message = (
                f"warning: security.expires {day.isoformat()} is {(day - now).days} days away; check the policy "
                f"and the contact address, then set a new date, no later than {latest.isoformat()}"
            )
            warnings.append(ContentError(doc.path, line, col, message))
    return errors, warnings


def security_txt(policy: Disclosure, urls: routes.Urls) -> str:
    """The RFC 9116 file: where to report, until when to trust this, the policy, this file's address."""
    return (
        f"# How to report a security vulnerability in {urls.absolute(routes.HOME)} (RFC 9116).\n"
        f"Contact: mailto:{policy.email}\n"
        f"Expires: {policy.expires}T23:59:59Z\n"
        f"Preferred-Languages: {', '.join(policy.languages)}\n"
        f"Canonical: {urls.absolute(routes.SECURITY_TXT)}\n"
        f"Policy: {urls.absolute(routes.DISCLOSURE)}\n"
    )


def outputs(site: SiteContent, urls: routes.Urls) -> list[tuple[str, str]]:
    """``.well-known/security.txt``, when site.yaml has a ``security`` block."""
    policy = site.config.security
    return [] if policy is None else [(routes.SECURITY_TXT, security_txt(policy, urls))]
