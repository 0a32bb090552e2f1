"""Whether clearinghouse resources are kept current: the warning for a resource nobody has
reviewed in two years.

Like :mod:`psp_static.timely`'s warnings, this depends on the day of the build, so it runs on
every build and takes "today" from :func:`psp_static.timely.today` (``SOURCE_DATE_EPOCH`` when
set). It only warns: an old resource is not wrong, but someone should look at it.
"""

from __future__ import annotations

import datetime as dt

from psp_static.disclosure import a_year_after
from psp_static.errors import ContentError
from psp_static.formats import is_date
from psp_static.loader import Loaded

REVIEW_YEARS = 2


def due(last: dt.date) -> dt.date:
    """The last day a resource checked on ``last`` counts as reviewed."""
    for _ in range(REVIEW_YEARS):
        last = a_year_after(last)
    return last


def unreviewed(loaded: Loaded, now: dt.date) -> list[ContentError]:
    """A warning for each resource last reviewed (or, if never, added) more than two years before
    ``now``; archived resources are kept as they are and need no review."""
    found: list[ContentError] = []
    for doc in loaded.of("resource"):
        key = "reviewed" if "reviewed" in doc.data else "added"
        last = doc.data.get(key)
        if doc.data.get("archived") is True or not is_date(last):
            continue  # archived, or a date the schema check reports
        day = dt.date.fromisoformat(str(last))
        if due(day) >= now:
            continue
        what = "last reviewed" if key == "reviewed" else "added and never reviewed"
        message = (
            f"warning: this resource was {what} on {day.isoformat()}, more than {REVIEW_YEARS} years before "
            f"today ({now.isoformat()}); check that its summary is still right and its link still works, "
            f"then set reviewed: '{now.isoformat()}' (or archived: true if it is out of date)"
        )
        line, col = doc.doc.value_at((key,))
        found.append(ContentError(doc.path, line, col, message))
    return found
