"""Which folders a build may replace: never the content, the templates, a repository or a folder
of someone else's.

A build replaces its output folder whole, so a mistyped ``--output`` (``content``, ``.``, ``~``)
would otherwise destroy work. Every folder a build makes carries :data:`MARK`, a small file that
says so; an existing folder with files in it and no mark is refused.
"""

from __future__ import annotations

from pathlib import Path

import click

from psp_static.errors import display_path

MARK = ".psp-static-output"
MARK_TEXT = "This folder was made by `psp-static build`. The next build replaces all of it.\n"


class UnsafeOutput(click.ClickException):
    """An output folder the build must not replace; exit code 2, like Click's own usage errors."""

    exit_code = 2


def check(output: Path, content: Path, templates: Path) -> None:
    """Raise :class:`UnsafeOutput` unless replacing ``output`` can only lose an earlier build."""
    target, shown = output.resolve(), display_path(output)
    problem = _holds_the_project(target, content, templates) or _near_sources(target, content, templates)
    if problem:
        raise UnsafeOutput(
            f"--output {shown} {problem}; choose another folder with --output, for example --output output"
        )
    if target.is_dir() and not (target / MARK).is_file() and any(target.iterdir()):
        raise UnsafeOutput(
            f"--output {shown} already holds files that no psp-static build made (it has no {MARK} file), "
            f"and a build would replace them; choose another folder with --output, or, if it is a build made "
            f"before builds were marked, delete it yourself (rm -r {shown}) and build again"
        )


def _holds_the_project(target: Path, content: Path, templates: Path) -> str:
    for root in _protected_roots(content, templates):
        if root.is_relative_to(target):
            what = "the project folder" if target == root else f"a folder holding the project {display_path(root)}"
            return f"is {what}; building there would replace it"
    return ""


def _near_sources(target: Path, content: Path, templates: Path) -> str:
    for name, folder in (("content", content), ("templates", templates)):
        inner = folder.resolve()
        if target == inner or inner.is_relative_to(target):
            return f"would replace the {name} folder {display_path(folder)}"
        if target.is_relative_to(inner):
            return f"lies inside the {name} folder {display_path(folder)}"
    return ""


def _protected_roots(content: Path, templates: Path) -> set[Path]:
    """The working directory, and around it, the content and the templates, every folder holding
    ``pyproject.toml`` or a Git work tree."""
    roots = {Path.cwd().resolve()}
    for start in (content.resolve(), templates.resolve(), *roots):
        for folder in (start, *start.parents):
            if (folder / ".git").exists() or (folder / "pyproject.toml").is_file():
                roots.add(folder)
    return roots
