"""The reference a resource page offers to copy ("Cite this resource")."""

from __future__ import annotations

from psp_static.clearinghouse import Resource


def _sentence(text: str) -> str:
    """``text`` ending with one full stop (or the question or exclamation mark it has)."""
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!")) else text + "."


def citation(item: Resource, page_url: str) -> str:
    """A plain-text reference for the resource: author, year, title, publisher, where to find it,
    and a gap for the day the reader saw it (only they know it; the build must not guess).

    The publisher is the organization that hosts the resource, or its federal sponsor; it is left
    out when it is the author, as reference styles do. A resource that is not online is cited at
    its page here, which says how to get it.
    """
    publisher = item.provider or item.sponsor.name
    parts = [_sentence(item.author), f"({item.year}).", _sentence(item.title)]
    if publisher.casefold() != item.author.casefold():
        parts.append(_sentence(publisher))
    parts += [item.url or page_url, "Accessed [date you read it]."]
    return " ".join(parts)
