"""Warnings that depend on today's date, kept apart from the per-file warnings the build
remembers by a file's bytes: the same file is fine today and wrong next year, or the reverse."""

from __future__ import annotations

import datetime as dt
import os

from psp_static.errors import ContentError
from psp_static.formats import is_date
from psp_static.loader import Loaded


def today() -> dt.date:
    """Today, or the day ``SOURCE_DATE_EPOCH`` names (a reproducible build's idea of now)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def future_news(loaded: Loaded, now: dt.date) -> list[ContentError]:
    """A news item dated after ``now`` reads as past news on the site: usually a typo in the year."""
    found: list[ContentError] = []
    for doc in loaded.of("news"):
        date = doc.data.get("date")
        if is_date(date) and dt.date.fromisoformat(str(date)) > now:
            line, col = doc.doc.value_at(("date",))
            message = (
                f"warning: the date {date} is after today ({now.isoformat()}), but the site lists news as "
                "having happened; check the year, or publish the item on the day"
            )
            found.append(ContentError(doc.path, line, col, message))
    return found
