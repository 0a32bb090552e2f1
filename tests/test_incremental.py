"""Incremental builds: the same bytes as a clean build, whatever changed, and no crash can poison them."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from psp_static import cache, loader, markup, pipeline, render, resolve, workers, writer
from psp_static.errors import ContentErrors
from psp_static.loader import load
from tests import synthetic
from tests.conftest import REPO
from tests.golden import FIXTURE, TEMPLATES


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class Site:
    """A content and templates folder, built incrementally into one output and cleanly into another."""

    def __init__(self, root: Path, content: Path, templates: Path = TEMPLATES) -> None:
        self.root = root
        self.content = content
        self.templates = root / "templates"
        shutil.copytree(templates, self.templates)
        self.output = root / "output"
        self.base_url: str | None = None
        self.workers = 1

    def options(self, output: Path, incremental: bool = True) -> pipeline.Options:
        return pipeline.Options(self.content, self.templates, output, self.base_url, incremental, self.workers)

    def build(self) -> pipeline.Report:
        return pipeline.build(self.options(self.output))

    def command(self) -> list[str]:
        """The same build as a command, for tests that need a real process."""
        return [sys.executable, "-m", "psp_static", "build", "--content", str(self.content),
                "--templates", str(self.templates), "--output", str(self.output)]  # fmt: skip

    def assert_same_as_clean(self) -> None:
        clean = self.root / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        pipeline.build(self.options(clean, incremental=False))
        assert tree(self.output) == tree(clean)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.content / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1))


@pytest.fixture
def site(tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The fixture site, built in one process unless a test asks for :data:`EITHER_WAY`."""
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    made = Site(tmp_path, tmp_path / "content")
    made.workers = getattr(request, "param", 1)
    if made.workers > 1:
        monkeypatch.setattr(workers, "MIN_PARALLEL", 1)
    return made


# Build in one process, and with every step that can fork forked, as on a large site (the
# folder listing and the search data beside the build, pages in a pool).
EITHER_WAY = pytest.mark.parametrize("site", [1, 2], ids=["one process", "forked steps"], indirect=True)


def resource_file(content: Path, slug: str) -> Path:
    return content / "resources" / f"{slug}.yaml"


EDITS: list[tuple[str, Callable[[Site], object]]] = [
    ("a resource's summary", lambda s: s.edit("resources/lpr-primer.yaml", "summary: ", "summary: Edited. ")),
    ("a resource's title", lambda s: s.edit("resources/lpr-primer.yaml", "title: '", "title: 'The ")),
    ("a resource renamed", lambda s: resource_file(s.content, "lpr-primer").rename(resource_file(s.content, "lpr"))),
    ("a resource deleted", lambda s: resource_file(s.content, "analysis-webinar").unlink()),
    ("a resource added", lambda s: resource_file(s.content, "copy").write_text(
        resource_file(s.content, "lpr").read_text().replace("id: ", "id: 9").replace("title: '", "title: 'Copy: "))),
    ("an area renamed", lambda s: s.edit("areas/technology.yaml", "name: ", "name: New ")),
    ("a site renamed", lambda s: s.edit("sites/memphis.yaml", "name: Memphis", "name: Memphis City")),
    ("a news item edited", lambda s: s.edit("news/fixture-summit.md", "title: ", "title: The ")),
    ("a cohort's colour", lambda s: s.edit("cohorts/2019.yaml", "color: ", "color: '#112233' # was ")),
    ("a page edited", lambda s: s.edit("pages/about.md", "---\n## About", "---\nNew first paragraph.\n\n## About")),
    ("a resource names a site", lambda s: resource_file(s.content, "lpr").write_text(
        resource_file(s.content, "lpr").read_text() + "sites: [memphis]\n")),
    ("a related resource's title", lambda s: s.edit("resources/deterrence-notes.yaml", "title: ", "title: New ")),
    ("a resource joins an area",
     lambda s: s.edit("resources/deterrence-notes.yaml", "areas: [", "areas: [technology, ")),
    ("a template edited", lambda s: (s.templates / "resource.html").write_text(
        (s.templates / "resource.html").read_text().replace("</article>", "<p>More.</p></article>"))),
    ("the base URL", lambda s: setattr(s, "base_url", "https://example.org/psp/")),
]  # fmt: skip


@EITHER_WAY
def test_every_kind_of_change_gives_the_clean_builds_bytes(site: Site) -> None:
    site.build()
    for label, change in EDITS:
        change(site)
        report = site.build()
        assert not report.unchanged, label
        site.assert_same_as_clean()


@EITHER_WAY
def test_one_edit_renders_only_the_pages_that_show_it(site: Site) -> None:
    first = site.build()
    assert first.rendered == first.pages
    again = site.build()
    assert again.unchanged and again.pages == first.pages
    site.edit("resources/lpr-primer.yaml", "summary: ", "summary: Edited. ")
    edited = site.build()
    # Its own page and the listings that show it (clearinghouse, areas, type), plus the pages
    # built from data files (home and sites with the map, the finder, the toolkit) and lists of
    # everything (core areas index).
    assert 0 < edited.rendered < first.pages / 2
    site.assert_same_as_clean()
    site.edit("resources/lpr-primer.yaml", "summary: Edited. ", "summary: Edited twice. ")
    assert site.build().rendered == edited.rendered  # the folder updated in place, as the last one was
    site.assert_same_as_clean()


@EITHER_WAY
def test_the_live_output_is_never_written_into(site: Site) -> None:
    """The folder an update rewrites in place shares unchanged files (hard links) with the live
    output after a build that linked them: those are replaced, never edited."""
    site.build()
    site.edit("resources/lpr-primer.yaml", "summary: ", "summary: Edited. ")
    site.build()  # a new folder, linking every unchanged page from the first build's output
    live = tree(site.output)
    site.edit("resources/deterrence-notes.yaml", "summary: ", "summary: Edited. ")  # a page linked just now
    site.build()  # updates the first build's folder in place, while the second one is live
    assert tree(writer.previous_folder(site.output)) == live  # the second build's output, untouched
    site.assert_same_as_clean()


@EITHER_WAY
def test_a_touched_output_file_is_noticed_and_rebuilt(site: Site) -> None:
    site.build()
    page = site.output / "resources" / "lpr-primer" / "index.html"
    page.write_text("vandalised")
    (site.output / "stray.html").write_text("not ours")
    report = site.build()  # nothing in the content changed, but the output did
    assert not report.unchanged
    site.assert_same_as_clean()
    site.edit("resources/lpr-primer.yaml", "summary: ", "summary: Edited. ")
    previous = writer.previous_folder(site.output)
    (previous / "resources" / "deterrence-notes" / "index.html").write_text("tampered while parked")
    site.build()
    site.assert_same_as_clean()


def test_damaged_or_foreign_cache_files_only_cost_time(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    site.build()
    folder = pipeline.cache_folder(site.output)
    for damage in (b"", b"\x00garbage", next(folder.glob("parsed.*.bin")).read_bytes()[:100]):
        for path in folder.glob("*.bin"):
            path.write_bytes(damage)
        site.edit("resources/lpr-primer.yaml", "summary: ", "summary: Again. ")
        site.build()
        site.assert_same_as_clean()
    # A new generator version (any change to our code or the libraries that shape output) starts over.
    monkeypatch.setattr(cache, "generator_key", lambda: "another generator")
    report = site.build()
    assert not report.unchanged and report.rendered == report.pages


def test_a_build_that_dies_while_updating_the_previous_output_poisons_nothing(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    site.edit("sites/memphis.yaml", "name: Memphis", "name: Memphis City")
    site.build()  # now .output-previous holds the first build, which the next build updates in place
    before = tree(site.output)
    site.edit("areas/technology.yaml", "name: ", "name: New ")  # every page changes
    calls = 0
    original = render.Renderer.render

    def dies_half_way(self: render.Renderer, spec: object) -> str:
        nonlocal calls
        calls += 1
        if calls > 10:
            raise KeyboardInterrupt  # as Ctrl-C or a crash would, with some files already rewritten
        return original(self, spec)  # type: ignore[arg-type]

    monkeypatch.setattr(render.Renderer, "render", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        site.build()
    assert tree(site.output) == before  # the published site never saw any of it
    monkeypatch.setattr(render.Renderer, "render", original)
    site.build()
    site.assert_same_as_clean()


def test_killed_builds_never_poison_the_next(tmp_path: Path) -> None:
    """Real crashes: SIGKILL a build process at different moments, then build normally."""
    content = synthetic.generate(tmp_path / "content", 400, 20)
    site = Site(tmp_path, content, REPO / "templates")
    site.build()
    for number, delay in enumerate((0.3, 0.6, 0.9, 1.2, 1.5, 2.0)):
        site.edit(f"resources/resource-{number + 1:05d}.yaml", "Resource", "Changed resource")
        (site.templates / "base.html").write_text((site.templates / "base.html").read_text() + f"<!-- {number} -->\n")
        process = subprocess.Popen(site.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert (site.output / "index.html").is_file()  # the output is whole: old or new, never half
        site.build()
        site.assert_same_as_clean()


def test_builds_started_together_take_turns(tmp_path: Path) -> None:
    """A preview rebuilding while someone runs a build: both finish, and the output is whole."""
    content = synthetic.generate(tmp_path / "content", 200, 10)
    site = Site(tmp_path, content, REPO / "templates")
    site.build()
    site.edit("resources/resource-00001.yaml", "Resource", "Changed resource")
    running = [subprocess.Popen(site.command(), stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [process.communicate()[0] for process in running]
    assert [process.returncode for process in running] == [0, 0, 0], outputs
    assert sum("Nothing changed" in text for text in outputs) == 2  # one built; the others found it done
    site.assert_same_as_clean()


def test_parallel_rendering_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_PARALLEL", 10)
    content = synthetic.generate(tmp_path / "content", 150, 20)
    site = Site(tmp_path, content, REPO / "templates")
    one = pipeline.build(site.options(tmp_path / "one", incremental=False))
    two = pipeline.build(dataclasses_replace(site.options(tmp_path / "two", incremental=False), workers=2))
    assert one.pages == two.pages and tree(tmp_path / "one") == tree(tmp_path / "two")


def test_parallel_loading_reads_the_same_documents_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_PARALLEL", 10)
    content = synthetic.generate(tmp_path / "content", 60, 10)
    (content / "resources" / "broken.yaml").write_text("title: [unclosed\n")
    (content / "resources" / "empty.yaml").write_text("")
    one, two = load(content, None, 1), load(content, None, 2)
    assert one.docs == two.docs and one.errors == two.errors and len(one.errors) == 2


def dataclasses_replace(options: pipeline.Options, **changes: object) -> pipeline.Options:
    import dataclasses

    return dataclasses.replace(options, **changes)  # type: ignore[arg-type]


def test_every_markdown_field_is_rendered_in_the_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch list (resolve.MARKDOWN_FIELDS) names every field resolve renders: none is left to one core."""
    loaded = load(REPO / "content")
    texts = resolve._Resolver(loaded, None).markdown_texts()
    seen: list[str] = []
    original = markup.MarkdownRenderer.render

    def recording(self: markup.MarkdownRenderer, text: str, where: markup.Location) -> object:
        seen.append(text)
        return original(self, text, where)

    monkeypatch.setattr(markup.MarkdownRenderer, "render", recording)
    resolve.resolve(loaded)
    assert sorted(seen) == sorted(texts)


@EITHER_WAY
def test_stale_staging_folders_and_names_stay_out_of_the_published_site(site: Site) -> None:
    site.build()
    site.build()
    names = sorted(p.name for p in site.root.iterdir())
    assert names == sorted([".output-cache", "clean", "content", "output", "templates"]) or names == sorted(
        [".output-cache", "content", "output", "templates"]
    )
    assert not [p for p in site.output.rglob("*") if re.search(r"\.tmp|-new-|-old-", p.name)]
    assert os.access(site.output, os.R_OK | os.X_OK)


def test_remembered_checks_still_see_changes_in_other_files(site: Site) -> None:
    """A resource's references are remembered with the lists they were checked against."""
    site.build()
    (site.content / "areas" / "technology.yaml").unlink()
    with pytest.raises(ContentErrors) as caught:
        site.build()
    assert any("unknown area 'technology'" in str(e) for e in caught.value.errors)
    (site.content / "resources" / "lpr-primer.yaml").write_text(
        (site.content / "resources" / "lpr-primer.yaml")
        .read_text()
        .replace("[technology, crime-analysis]", "[crime-analysis]")
    )
    site.build()  # the only reference is gone: the site builds again
    site.assert_same_as_clean()


def test_settled_files_are_not_read_again_and_a_changed_one_always_is(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose stamp (size, times, inode) is as the last build read it is not read again;
    any change to it (here: same size, its modification time put back) is still seen."""
    monkeypatch.setattr(loader, "SETTLED_NS", 0)  # every stamp is trusted at once (it needs 2 s otherwise)
    site.build()
    reads: list[str] = []
    original = Path.read_bytes

    def counting(path: Path) -> bytes:
        if site.content in path.parents:
            reads.append(path.name)
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    target = site.content / "resources" / "lpr-primer.yaml"
    text, times = target.read_text(), target.stat()
    assert "summary: An " in text
    target.write_text(text.replace("summary: An ", "summary: AN ", 1))  # the same size
    os.utime(target, ns=(times.st_atime_ns, times.st_mtime_ns))  # and the same modification time
    assert not site.build().unchanged
    assert reads == ["lpr-primer.yaml"]
    site.assert_same_as_clean()


def test_a_file_changed_just_after_it_was_read_is_read_again(site: Site) -> None:
    """Stamps younger than loader.SETTLED_NS are never trusted: a change inside one tick of the
    file system's clock would leave the stamp as it was."""
    site.build()
    memo = cache.BuildCache(pipeline.cache_folder(site.output)).memo("stamps")[0]
    assert not memo  # every file was written a moment ago, by the fixture


@EITHER_WAY
def test_a_folder_the_record_does_not_know_is_updated_trusting_nothing(site: Site) -> None:
    """After the cache is lost (``--clean``, a new version of the generator), the folder the live
    output replaced is still updated in place, not deleted and made again: but nothing in it is
    trusted, whatever stands where a file or a folder goes."""
    site.build()
    site.edit("resources/lpr-primer.yaml", "summary: ", "summary: Edited. ")
    site.build()
    previous = writer.previous_folder(site.output)
    folder_inode = previous.stat().st_ino
    pipeline.clean(site.options(site.output))  # as build --clean does
    page = previous / "resources" / "deterrence-notes" / "index.html"
    page.write_text("stale")  # a file the record would have caught: there is no record now
    shutil.rmtree(previous / "areas")
    (previous / "areas").write_text("a file where a folder goes")
    (previous / "sitemap.xml").unlink()
    (previous / "sitemap.xml").mkdir()  # a folder where a file goes
    (previous / "sitemap.xml" / "stray.txt").write_text("stray")
    (previous / "old-page").mkdir()
    (previous / "old-page" / "index.html").write_text("a page the site no longer has")
    report = site.build()
    assert report.rendered == report.pages  # nothing cached is trusted
    assert site.output.stat().st_ino == folder_inode  # the same folder, updated and swapped in
    site.assert_same_as_clean()
    site.edit("resources/deterrence-notes.yaml", "summary: ", "summary: Edited. ")
    site.build()  # now the first edit after that: unchanged pages linked from the live output
    site.assert_same_as_clean()


def test_a_file_rewritten_in_place_is_cut_to_its_new_length(tmp_path: Path) -> None:
    out = writer.Staging(tmp_path, updating=True)
    out.write("page/index.html", "a long first version of the page\n" * 10)
    inode = (tmp_path / "page" / "index.html").stat().st_ino
    stamped = out.write("page/index.html", "short\n")
    page = tmp_path / "page" / "index.html"
    assert page.read_text() == "short\n" and stamped == writer.stamp(page)
    assert page.stat().st_ino == inode  # rewritten where it was, not replaced
    os.link(page, tmp_path / "shared.html")  # now another folder shares it, as a hard link would
    out.write("page/index.html", "new\n")
    assert (tmp_path / "shared.html").read_text() == "short\n"  # the other copy is never edited
    assert page.read_text() == "new\n"


def test_checks_on_several_processes_report_what_one_process_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "MIN_PARALLEL", 1)
    content = synthetic.generate(tmp_path / "content", 40, 10)
    broken = content / "resources" / "resource-00003.yaml"
    broken.write_text(broken.read_text().replace("year: ", "year: soon # was ", 1))
    reports = []
    for processes in (1, 2):
        options = pipeline.Options(content, REPO / "templates", tmp_path / f"out-{processes}", workers=processes)
        with pytest.raises(ContentErrors) as caught:
            pipeline.check(options)
        reports.append([str(e) for e in caught.value.errors])
    assert reports[0] == reports[1]
    assert any("resource-00003.yaml" in line and "year" in line for line in reports[0])


def test_warming_a_listing_changes_nothing_in_it(site: Site) -> None:
    site.build()
    assert writer.survey(site.output, warm=True) == writer.survey(site.output)
    assert writer.survey(site.output).files == {
        p.relative_to(site.output).as_posix(): writer.stamp(p) for p in site.output.rglob("*") if p.is_file()
    }
