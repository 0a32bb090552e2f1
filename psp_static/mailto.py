"""Prefilled ``mailto:`` links (RFC 6068) and the citation a resource page offers to copy.

The site has no forms and sends nothing to a third party: a visitor who reports a problem or
suggests a resource writes an e-mail in their own mail program, started with the page's address
and a subject already filled in.
"""

from __future__ import annotations

from urllib.parse import quote

from psp_static.model import Resource

# Characters RFC 6068 lets an address carry as they are; everything else is percent-encoded.
_ADDRESS_SAFE = "@!$'*+-._~"


def mailto(address: str, subject: str, body: str) -> str:
    """A ``mailto:`` URL whose subject and body are percent-encoded as RFC 6068 asks.

    A space is ``%20`` (not ``+``, which mail programs show as a plus sign); line breaks become
    ``%0D%0A``; ``&``, ``=``, ``?`` and ``%`` in the text are encoded too, so no text can add a
    header (``&cc=``) or end the body early. The subject is one line: line breaks in it become
    spaces.
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return (
        f"mailto:{quote(address, safe=_ADDRESS_SAFE)}"
        f"?subject={quote(' '.join(subject.split()), safe='')}"
        f"&body={'%0D%0A'.join(quote(line, safe='') for line in lines)}"
    )


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
