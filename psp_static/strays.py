"""Files and folders in ``content/`` that the build would not read: a misspelt folder
(``resource/``) or a stray file (``events.yaml``) would otherwise be ignored without a word."""

from __future__ import annotations

import difflib
from pathlib import Path

from psp_static.errors import ContentError, display_path


def unknown_entries(content: Path, expected: dict[str, bool]) -> list[ContentError]:
    """One error for each entry of ``content`` not in ``expected`` (name: is it a folder)."""
    readable = ", ".join(f"{name}/" if expected[name] else name for name in sorted(expected))
    # Hidden files are the system's and the editor's (.DS_Store, .gitkeep).
    strays = [p for p in sorted(content.iterdir()) if not p.name.startswith(".") and p.name not in expected]
    return [ContentError(display_path(p), 1, 1, _message(p, expected, readable)) for p in strays]


def _message(path: Path, expected: dict[str, bool], readable: str) -> str:
    folder = path.is_dir()
    candidates = sorted(name for name, is_folder in expected.items() if is_folder == folder)
    close = difflib.get_close_matches(path.name.lower(), candidates, n=1, cutoff=0.75)
    hint = f"did you mean {close[0]}{'/' if folder else ''}? Rename it; " if close else ""
    what = "folder" if folder else "file"
    return f"the build does not read this {what}: {hint}content/ holds only {readable} (move anything else out of it)"
