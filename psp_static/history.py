"""What the Git repository already holds: when two files claim one thing, the one an editor just
added is the one to change, not the one already published."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path


def committed(paths: Iterable[str]) -> set[str]:
    """Those of ``paths`` that the repository's last commit (HEAD) holds.

    Empty when Git is missing or the files are not in a repository: callers then fall back on
    the files' own dates or names.
    """
    git = shutil.which("git")
    by_folder: dict[Path, dict[str, str]] = {}
    for path in paths:
        by_folder.setdefault(Path(path).parent, {})[Path(path).name] = path
    found: set[str] = set()
    if git is None:
        return found
    for folder, names in sorted(by_folder.items()):
        listed = subprocess.run(
            [git, "-C", str(folder), "ls-tree", "--name-only", "HEAD", "--", *sorted(names)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if listed.returncode == 0:
            found.update(names[name] for name in listed.stdout.splitlines() if name in names)
    return found


def committed_text(path: str) -> str | None:
    """The text ``path`` had in the repository's last commit; None when it had none there (a new
    file), or when there is no repository or no Git."""
    git = shutil.which("git")
    if git is None:
        return None
    folder, name = Path(path).parent, Path(path).name
    shown = subprocess.run(
        [git, "-C", str(folder), "show", f"HEAD:./{name}"], capture_output=True, check=False
    )  # fmt: skip
    return shown.stdout.decode("utf-8", errors="replace") if shown.returncode == 0 else None
