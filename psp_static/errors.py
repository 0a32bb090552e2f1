"""Errors a user can cause, printed by Click as one clean line each, never as a traceback."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable

import click


@dataclasses.dataclass(frozen=True, order=True)
class ContentError:
    """One mistake in one content file, located by line and column (both 1-based)."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


def display_path(path: str | os.PathLike[str]) -> str:
    """Return ``path`` relative to the working directory when it lies below it."""
    text = os.fspath(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:  # another drive on Windows
        return text
    return text if rel.startswith("..") else rel


class ContentErrors(click.ClickException):
    """Every content mistake found in one run; the build writes nothing."""

    exit_code = 1

    def __init__(self, errors: Iterable[ContentError], summary: str | None = None) -> None:
        self.errors = sorted(set(errors))
        count = len(self.errors)
        super().__init__(summary or f"{count} content error{'s' if count != 1 else ''}; nothing was written.")

    def show(self, file: object = None) -> None:  # noqa: ARG002 - Click's signature
        for error in self.errors:
            click.echo(str(error), err=True)
        if in_github_actions():
            # GitHub shows these on the changed lines of the pull request, but only ten of them.
            for error in self.errors:
                click.echo(annotation(error))
            write_step_summary(self.errors, self.message)
        click.echo(click.style(f"Error: {self.message}", fg="red"), err=True)


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def annotation(error: ContentError, level: str = "error") -> str:
    """The problem as a GitHub Actions workflow command (``::error file=…,line=…,col=…::message``)."""
    where = f"file={_escape(error.path, True)},line={error.line},col={error.col}"
    return f"::{level} {where}::{_escape(error.message)}"


def write_step_summary(errors: list[ContentError], heading: str) -> None:
    """Every problem as a table in the job's summary page, where GitHub shows all of them."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    rows = [f"| `{cell(e.path)}` | {e.line} | {e.col} | {cell(e.message)} |" for e in errors]
    table = ["| file | line | column | what is wrong, and how to fix it |", "| --- | --- | --- | --- |", *rows]
    with open(target, "a", encoding="utf-8") as handle:  # noqa: PTH123 - a path from the environment
        handle.write("\n".join([f"### {cell(heading)}", "", *table, "", ""]))


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


class BuildError(click.ClickException):
    """A problem outside the content (templates, output folder) that stops the build."""

    exit_code = 1
