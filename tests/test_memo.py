"""The build's memo (psp_static.cache.Memo): results found by key, kept between builds or not."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest

from psp_static.cache import CompiledTemplates, Memo


def counting(calls: list[str]) -> Callable[[str], str]:
    """A task that upper-cases its item and notes in ``calls`` that it ran."""

    def task(item: str) -> str:
        calls.append(item)
        return item.upper()

    return task


def test_results_are_kept_between_builds_by_key(tmp_path: Path) -> None:
    calls: list[str] = []
    first = Memo(tmp_path)
    assert first.each("words", counting(calls), ["a", "b"], lambda item: f"k{item}") == ["A", "B"]
    first.save()
    again = Memo(tmp_path)
    assert again.each("words", counting(calls), ["b", "c"], lambda item: f"k{item}") == ["B", "C"]
    assert calls == ["a", "b", "c"]  # b was found, not computed again


def test_results_are_shared_within_a_build() -> None:
    calls: list[str] = []
    memo = Memo(None)
    assert memo.each("words", counting(calls), ["a", "b"], lambda item: f"k{item}") == ["A", "B"]
    assert memo.each("words", counting(calls), ["b", "a"], lambda item: f"k{item}") == ["B", "A"]
    assert calls == ["a", "b"]  # the second stage found both


def test_compiled_templates_are_kept_for_this_generator_only(tmp_path: Path) -> None:
    earlier = tmp_path / "templates" / "an-earlier-generator"
    earlier.mkdir(parents=True)
    (earlier / "__jinja2_x.cache").write_bytes(b"old")
    memo = Memo(tmp_path)
    assert isinstance(memo.templates(), CompiledTemplates)
    assert [p.name for p in (tmp_path / "templates").iterdir()] == [memo.key]


def _compiles(templates: Path, cache: jinja2.BytecodeCache, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates a fresh environment compiles to load every template in ``templates``."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(name))
        return original(self, source, name, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(jinja2.Environment, "compile", counting)
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), bytecode_cache=cache)
        for name in env.list_templates():
            assert env.get_template(name).render(x=1) == f"{name} 1"
    return compiled


@pytest.mark.parametrize("folder", [True, False], ids=["kept on disk", "kept in this process only"])
def test_templates_are_compiled_once_until_their_source_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: bool
) -> None:
    monkeypatch.setattr(CompiledTemplates, "in_process", {})
    templates = tmp_path / "templates"
    templates.mkdir()
    for name in ("a.html", "b.html"):
        (templates / name).write_text(f"{name} {{{{ x }}}}")
    memo = Memo(tmp_path / "memo" if folder else None)
    assert _compiles(templates, memo.templates(), monkeypatch) == ["a.html", "b.html"]
    assert _compiles(templates, memo.templates(), monkeypatch) == []  # a later build in this process
    (templates / "b.html").write_text("b.html {{ x }}")  # the same text, written again: still found
    (templates / "a.html").write_text("a.html {{ x }}{# changed #}")
    assert _compiles(templates, memo.templates(), monkeypatch) == ["a.html"]
    monkeypatch.setattr(CompiledTemplates, "in_process", {})  # a later process
    later = _compiles(templates, memo.templates(), monkeypatch)
    assert later == ([] if folder else ["a.html", "b.html"])


@pytest.mark.parametrize("processes", [1, 2], ids=["in this process", "in another process"])
def test_a_stage_run_apart_keeps_what_it_memoised(tmp_path: Path, processes: int) -> None:
    """Memo.apart runs a stage in another process (on Linux, with two processes) while the build
    goes on; its result comes back, and so does what it memoised, which save() keeps."""
    memo = Memo(tmp_path, processes)
    with memo.apart(lambda each: (os.getpid(), each("words", str.upper, ["a", "b"], lambda w: f"k{w}"))) as later:
        pid, words = later()
    assert words == ["A", "B"]
    assert (pid != os.getpid()) == (processes > 1)
    memo.save()
    calls: list[str] = []
    again = Memo(tmp_path)
    assert again.each("words", counting(calls), ["a", "b"], lambda w: f"k{w}") == ["A", "B"]
    assert calls == []  # both were found
