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
    target = output.resolve()
    shown = display_path(output)
    fix = "choose another folder with --output, for example --output output"
    for root in _protected_roots(content, templates):
        if root.is_relative_to(target):
            what = "the project folder" if target == root else f"a folder holding the project {display_path(root)}"
            raise UnsafeOutput(f"--output {shown} is {what}; building there would replace it; {fix}")
    for name, folder in (("content", content), ("templates", templates)):
        inner = folder.resolve()
        if target == inner or inner.is_relative_to(target):
            raise UnsafeOutput(f"--output {shown} would replace the {name} folder {display_path(folder)}; {fix}")
        if target.is_relative_to(inner):
            raise UnsafeOutput(f"--output {shown} lies inside the {name} folder {display_path(folder)}; {fix}")
    if target.is_dir() and not (target / MARK).is_file() and any(target.iterdir()):
        raise UnsafeOutput(
            f"--output {shown} already holds files that no psp-static build made (it has no {MARK} file), "
            f"and a build would replace them; choose another folder with --output, or, if it is a build made "
            f"before builds were marked, delete it yourself (rm -r {shown}) and build again"
        )


def _protected_roots(content: Path, templates: Path) -> set[Path]:
    """The working directory, and around it, the content and the templates, every folder holding
    ``pyproject.toml`` or a Git work tree."""
    roots = {Path.cwd().resolve()}
    for start in (content.resolve(), templates.resolve(), *roots):
        for folder in (start, *start.parents):
            if (folder / ".git").exists() or (folder / "pyproject.toml").is_file():
                roots.add(folder)
    return roots
