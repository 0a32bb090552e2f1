"""psp-static: the static site generator of the National Public Safety Partnership website."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
