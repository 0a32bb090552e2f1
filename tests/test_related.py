"""Related resources: the indexed search gives exactly what the definition says, on real content
and on a synthetic clearinghouse large enough for every fallback to be taken."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from psp_static import pipeline, related
from psp_static.cache import Memo
from psp_static.clearinghouse import Resource
from psp_static.model import SiteContent
from tests import synthetic


def by_definition(site: SiteContent, r: Resource, count: int = related.RELATED_COUNT) -> list[int]:
    """The related list as its docstring defines it, computed the slow, obvious way."""
    areas, tags = {a.slug for a in r.areas}, {t.casefold() for t in r.tags}

    def key(c: Resource) -> tuple[int, int, int, str, int]:
        shared = len(areas & {a.slug for a in c.areas})
        common = len(tags & {t.casefold() for t in c.tags})
        return (-shared, -common, abs(c.year - r.year), c.title.casefold(), c.id)

    same = sorted(
        (c for c in site.resources if c.id != r.id and c.type == r.type and areas & {a.slug for a in c.areas}), key=key
    )
    chosen = [c.id for c in same[:count]]
    newest = sorted(site.resources, key=lambda c: (-c.year, c.title.casefold(), c.id))
    for a in r.areas:  # then other resources in its areas, area by area, newest first
        for c in newest:
            if len(chosen) < count and c.id != r.id and c.id not in chosen and a in c.areas:
                chosen.append(c.id)
    return chosen


@pytest.mark.parametrize("size", [0, 400])
def test_related_resources_follow_their_definition(size: int, tmp_path: Path) -> None:
    content = synthetic.generate(tmp_path / "content", size, 10) if size else Path("content")
    site = pipeline.check(pipeline.Options(content=content))
    found = related.Related(site)
    assert any(len(found.like(r)) == related.RELATED_COUNT for r in site.resources)
    for r in site.resources:
        assert [c.id for c in found.like(r)] == by_definition(site, r), r.id


def ids(lists: dict[int, list[Resource]]) -> dict[int, list[int]]:
    return {key: [r.id for r in found] for key, found in lists.items()}


@pytest.mark.parametrize("field", ["tags", "year", "title", "areas", "type"])
def test_memoised_related_lists_follow_every_field_they_use(field: str, tmp_path: Path) -> None:
    """The memo keys every list by one digest of what ``like`` reads: a change to any of those
    fields of one resource, which changes some other resource's list, is never answered from the
    memo of the build before."""
    site = pipeline.check(pipeline.Options(content=synthetic.generate(tmp_path / "content", 300, 20)))
    memo = Memo(tmp_path / "memo")
    first = ids(related.all_like(site, memo.each))
    memo.save()
    donor = site.resources[-1]
    for r in site.resources[:100]:
        resources = tuple(dataclasses.replace(q, **{field: getattr(donor, field)}) if q is r else q
                          for q in site.resources)  # fmt: skip
        changed = dataclasses.replace(site, resources=resources)
        plain = ids(related.all_like(changed))
        if any(plain[key] != found for key, found in first.items() if key != r.id):
            break
    else:
        pytest.fail(f"no change of {field} altered another resource's related list")
    assert ids(related.all_like(changed, Memo(tmp_path / "memo").each)) == plain
