"""Checks on where content's facts come from: refused hosts, citations, and the sites a resource names.

Called from validation by one line. Every problem is returned, none raised, each located at the
value that causes it and saying how to fix it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Iterator
from typing import Any

from psp_static.errors import ContentError
from psp_static.hashing import digest
from psp_static.loader import Loaded, RawDoc
from psp_static.stage import Each, plainly
from psp_static.yamldoc import KeyPath

# The key in content/site.yaml that lists refused hosts; its own values are not links.
REFUSED_KEY = "refused_sources"
_SOURCED_KINDS = ("site", "cohort", "area", "role", "news", "page")


def check(loaded: Loaded, each: Each = plainly) -> list[ContentError]:
    """Every refused host named in content, every faulty citation, every unknown site a resource names."""
    config = loaded.of("config")
    refused = _refused(config[0].data.get(REFUSED_KEY)) if config else []
    sites = frozenset(loaded.slugs.get("site", set()))
    # Each file is checked on its own against two short lists: the key is the file and the lists.
    lists = digest(",".join(refused), ",".join(sorted(sites)))
    found = each(
        "citations",
        functools.partial(_file, refused, sites),
        loaded.docs,
        lambda doc: digest(lists, doc.digest, doc.path),
    )
    return [error for errors in found for error in errors]


def _file(refused: list[str], sites: frozenset[str], doc: RawDoc) -> list[ContentError]:
    errors: list[ContentError] = []
    pattern = _host_pattern(tuple(refused))
    if pattern is not None and _mentions_any(doc, refused):
        errors.extend(_refused_hosts(doc, pattern))
    if doc.kind in _SOURCED_KINDS:
        errors.extend(_citations(doc))
    if doc.kind == "resource":
        errors.extend(_site_refs(doc, sites))
    return errors


def _refused(value: object) -> list[str]:
    return sorted({str(v).lower().rstrip(".") for v in value if isinstance(v, str)}) if isinstance(value, list) else []


@functools.cache
def _host_pattern(hosts: tuple[str, ...]) -> re.Pattern[str] | None:
    """A host or any of its subdomains, as a whole name: ``al.com`` matches ``www.al.com``, not ``legal.com``."""
    if not hosts:
        return None
    names = "|".join(re.escape(h) for h in sorted(hosts, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:[\w-]+\.)*({names})(?![\w-]|\.[a-z])", re.IGNORECASE)


def _strings(data: object, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*path, i))


def _mentions_any(doc: RawDoc, hosts: list[str]) -> bool:
    """Whether the file's text holds any refused name at all: a plain substring test that spares
    the exact (and much slower) host pattern nearly every file."""
    text = "\n".join([doc.body, *(value for _, value in _strings(doc.data, ()))]).lower()
    return any(host in text for host in hosts)


def _refused_hosts(doc: RawDoc, pattern: re.Pattern[str]) -> Iterator[ContentError]:
    for path, text in _strings(doc.data, ()):
        if doc.kind == "config" and path[:1] == (REFUSED_KEY,):
            continue
        for found in pattern.finditer(text):
            line, col = doc.doc.value_at(path)
            if "\n" not in text and path not in doc.doc.block_scalars:
                col += found.start()  # a one-line value: point at the name itself
            yield _refusal(doc.path, line, col, found.group(1).lower())
    for found in pattern.finditer(doc.body):
        before = doc.body[: found.start()]
        line = doc.body_line + before.count("\n")
        col = found.start() - (before.rfind("\n") + 1) + 1
        yield _refusal(doc.path, line, col, found.group(1).lower())


def _refusal(path: str, line: int, col: int, host: str) -> ContentError:
    return ContentError(
        path, line, col,
        f"'{host}' is not an official or reputable source (refused in content/site.yaml, {REFUSED_KEY}); "
        "cite the official publication instead (see CONTRIBUTING.md, Sources)",
    )  # fmt: skip


def _citations(doc: RawDoc) -> Iterator[ContentError]:
    sources = doc.data.get("sources")
    seen: dict[str, int] = {}
    for i, item in enumerate(sources if isinstance(sources, list) else []):
        if not isinstance(item, dict):
            continue
        date = item.get("date")
        if isinstance(date, str) and not _real_date(date):
            line, col = doc.doc.value_at(("sources", i, "date"))
            yield ContentError(
                doc.path, line, col,
                f"sources[{i + 1}].date '{date}' is not a real date; write YYYY-MM-DD, YYYY-MM or YYYY",
            )  # fmt: skip
        url = item.get("url")
        if not isinstance(url, str):
            continue
        key = url.rstrip("/").lower()
        if key in seen:
            line, col = doc.doc.value_at(("sources", i, "url"))
            yield ContentError(
                doc.path, line, col,
                f"sources[{i + 1}] cites the same address as sources[{seen[key] + 1}]; "
                "list each source once and remove this one",
            )  # fmt: skip
        else:
            seen[key] = i


def _real_date(text: str) -> bool:
    parts = [int(p) for p in text.split("-") if p.isdigit()]
    if len(parts) != text.count("-") + 1:
        return False
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        return False
    if len(parts) == 3:
        try:
            dt.date(*parts)
        except ValueError:
            return False
    return True


def _site_refs(doc: RawDoc, known: frozenset[str]) -> Iterator[ContentError]:
    sites: Any = doc.data.get("sites")
    for i, slug in enumerate(sites if isinstance(sites, list) else []):
        if str(slug) in known:
            continue
        close = difflib.get_close_matches(str(slug), sorted(known), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        line, col = doc.doc.value_at(("sites", i))
        yield ContentError(
            doc.path, line, col, f"unknown site '{slug}'; {hint}use a file name from content/sites/ without .yaml"
        )
