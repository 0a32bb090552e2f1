"""What a build is asked to do (:class:`Options`) and what it reports (:class:`Report`)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from psp_static.currency import REVIEW_YEARS
from psp_static.errors import ContentError


@dataclasses.dataclass(frozen=True)
class Options:
    content: Path = Path("content")
    templates: Path = Path("templates")
    output: Path = Path("output")
    base_url: str | None = None  # overrides site.yaml's base_url
    incremental: bool = True  # keep memos between builds; False computes everything afresh
    workers: int | None = None  # processes (default: $PSP_WORKERS or the cores)


# How many of the resources due for review the build summary names.
SUMMARY_NAMES = 10


@dataclasses.dataclass(frozen=True)
class Report:
    pages: int
    files: int
    written: int  # files whose bytes changed; the others were left as they were
    seconds: float
    warnings: tuple[ContentError, ...] = ()
    unreviewed: tuple[str, ...] = ()  # content files of resources due for review (warnings, not errors)
    skipped: bool = False  # nothing had changed since the last build: no stage ran

    def summary(self) -> str:
        if self.skipped:
            built = f"Nothing changed since the last build: {self.pages} pages ({self.files} files) as they were."
        else:
            kept = self.files - self.written
            detail = f"; {kept} unchanged" if kept else ""
            built = f"Built {self.pages} pages ({self.files} files{detail}) in {self.seconds:.2f} s."
        if not self.unreviewed:
            return built
        count = f"{len(self.unreviewed)} resource{'' if len(self.unreviewed) == 1 else 's'}"
        named = ", ".join(self.unreviewed[:SUMMARY_NAMES])
        more = len(self.unreviewed) - SUMMARY_NAMES
        if more > 0:  # a long list helps nobody in a summary: the warnings above name every one
            named += f" and {more} more (each is a warning above)"
        return f"{built}\n{count} not reviewed in {REVIEW_YEARS} years: {named}."
