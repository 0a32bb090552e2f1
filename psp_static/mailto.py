"""Prefilled ``mailto:`` links (RFC 6068): report a problem, suggest a resource, e-mail a toolkit.

The site has no forms and sends nothing to a third party: a visitor who reports a problem or
suggests a resource writes an e-mail in their own mail program, started with the page's address
and a subject already filled in.
"""

from __future__ import annotations

from urllib.parse import quote

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
