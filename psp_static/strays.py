"""Files and folders in ``content/`` that the build would not read: a misspelt folder
(``resource/``) or a stray file (``events.yaml``) would otherwise be ignored without a word."""

from __future__ import annotations

import difflib
from pathlib import Path

from psp_static.errors import ContentError, display_path


def unknown_entries(content: Path, expected: dict[str, bool]) -> list[ContentError]:
    """One error for each entry of ``content`` not in ``expected`` (name: is it a folder)."""
    errors: list[ContentError] = []
    for path in sorted(content.iterdir()):
        if path.name.startswith(".") or path.name in expected:
            continue  # hidden files are the system's and the editor's (.DS_Store, .gitkeep)
        folder = path.is_dir()
        candidates = sorted(name for name, is_folder in expected.items() if is_folder == folder)
        close = difflib.get_close_matches(path.name.lower(), candidates, n=1, cutoff=0.75)
        what = "folder" if folder else "file"
        hint = f"did you mean {close[0]}{'/' if folder else ''}? Rename it; " if close else ""
        readable = ", ".join(f"{name}/" if expected[name] else name for name in sorted(expected))
        message = (
            f"the build does not read this {what}: {hint}content/ holds only {readable} "
            "(move anything else out of content/)"
        )
        errors.append(ContentError(display_path(path), 1, 1, message))
    return errors
