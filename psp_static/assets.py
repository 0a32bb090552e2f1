"""Static front-end files: copied into ``assets/``, stylesheets and scripts under content-hashed names.

A hashed name changes exactly when the file's bytes do, so a CDN can cache them for a year and
a deploy never mixes new HTML with an old stylesheet.
"""

from __future__ import annotations

import dataclasses
import hashlib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

HASHED = (".css", ".js", ".json")
# Sources, licences and build-time data stay in the repository; they are not published.
_SKIP = (".scss", ".md", "LICENSE", "VERSIONS")
_BUILD_ONLY = ("vendor/us-atlas/", "dev/")
PREFIX = "assets/"


def content_hash(data: bytes, length: int = 10) -> str:
    return hashlib.sha256(data).hexdigest()[:length]


def hashed_name(name: str, data: bytes) -> str:
    """``css/site.css`` becomes ``css/site.<hash>.css``."""
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{content_hash(data)}.{ext}" if dot else f"{name}.{content_hash(data)}"


@dataclasses.dataclass
class Assets:
    """The published asset files and the map from logical names to published paths."""

    files: dict[str, bytes]  # published path (relative to the output root) -> bytes
    names: dict[str, str]  # logical name, e.g. "css/site.css" -> "assets/css/site.<hash>.css"

    def path(self, name: str) -> str:
        """Published path of the asset ``name``; a KeyError names a missing asset."""
        return self.names[name]

    def append(self, name: str, extra: bytes) -> str:
        """Publish ``name`` with ``extra`` bytes added at its end (under its new hash)."""
        data = self.files.pop(self.names[name]) + extra
        return self.add(name, data)

    def include(self, other: Assets) -> None:
        """Publish every file of ``other`` too."""
        self.files.update(other.files)
        self.names.update(other.names)

    def add(self, name: str, data: bytes, hashed: bool | None = None) -> str:
        """Add an asset; stylesheets, scripts and data get hashed names unless ``hashed`` says.

        Return its published path.
        """
        hashed = name.endswith(HASHED) if hashed is None else hashed
        published = PREFIX + (hashed_name(name, data) if hashed else name)
        self.files[published] = data
        self.names[name] = published
        return published


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = prefix + entry.name
        if entry.is_dir():
            found.extend(_walk(entry, name + "/"))
        elif not entry.name.startswith(".") and not entry.name.endswith(_SKIP) and not name.startswith(_BUILD_ONLY):
            found.append((name, entry))
    return found


def static_folder() -> Path:
    """The package's static files, which every build reads."""
    return Path(str(resources.files("psp_static").joinpath("static")))


def collect() -> Assets:
    """Read the package's static files; hash stylesheets and scripts, copy the rest as they are."""
    assets = Assets({}, {})
    for name, entry in _walk(static_folder()):
        assets.add(name, entry.read_bytes())
    return assets
