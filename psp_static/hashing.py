"""One hash for everything that names inputs: file versions, memo keys."""

from __future__ import annotations

import hashlib


def digest(*parts: str | bytes) -> str:
    """A short, stable hash of ``parts`` (a length prefix keeps ("ab", "c") apart from ("a", "bc"))."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(b"%d:" % len(data))
        h.update(data)
    return h.hexdigest()
