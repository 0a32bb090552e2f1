"""The string formats the JSON Schemas name (``date``, ``uri``, ``email``): one definition each,
used by both validators and by the cross-file checks."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
_HOST = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def is_date(value: object) -> bool:
    """True for a real calendar date written YYYY-MM-DD."""
    if not isinstance(value, str) or not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_web_url(value: object, schemes: Iterable[str] = ("https",)) -> bool:
    """True for an absolute URL with one of ``schemes`` and a plausible host name."""
    if not isinstance(value, str) or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return False
    host = (parts.hostname or "").rstrip(".")
    return parts.scheme in schemes and bool(_HOST.match(host) or host == "localhost") and port != 0


def is_email(value: object) -> bool:
    return isinstance(value, str) and bool(_EMAIL.match(value))


# JSON Schema formats only constrain strings: any other type is the ``type`` rule's to report.
FORMATS: dict[str, Callable[[object], bool]] = {
    "date": is_date,
    "uri": lambda v: not isinstance(v, str) or is_web_url(v, ("http", "https")),
    "email": lambda v: not isinstance(v, str) or is_email(v),
}
