"""Incremental builds: the same bytes as a clean build, whatever changed, and no crash can poison them.

A build renders a page again unless nothing it read has changed (psp_static.page_reads), and
writes only the files whose bytes changed, into the folder the live output replaced: so after a
change the folder it updates is one build old (the change is all it lacks) or, after a run of
changes, two builds old. Both are tried for every kind of content and for the templates.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from psp_static import cache, markup, page_reads, pipeline, render, resolve, workers, writer
from psp_static.errors import BuildError, ContentErrors
from psp_static.loader import load
from tests import synthetic
from tests.conftest import REPO
from tests.golden import FIXTURE, TEMPLATES
from tests.helpers import tree, wait_for


class Site:
    """A content and templates folder, built incrementally into one output and cleanly into another."""

    def __init__(self, root: Path, content: Path, templates: Path = TEMPLATES) -> None:
        self.root = root
        self.content = content
        # Shared until a test edits one (see :meth:`template`), so that they are compiled once a
        # process rather than once a test.
        self.templates = templates
        self.output = root / "output"
        self.base_url: str | None = None
        self.workers = 1

    def options(self, output: Path, incremental: bool = True, workers: int | None = None) -> pipeline.Options:
        processes = self.workers if workers is None else workers
        return pipeline.Options(self.content, self.templates, output, self.base_url, incremental, processes)

    def build(self) -> pipeline.Report:
        """Every stage, with memos and the writer (tests/test_unchanged.py covers skipped builds)."""
        return pipeline.build_all(self.options(self.output))

    def command(self) -> list[str]:
        """The same build as a command, for tests that need a real process."""
        return [sys.executable, "-m", "psp_static", "build", "--content", str(self.content),
                "--templates", str(self.templates), "--output", str(self.output)]  # fmt: skip

    def clean_tree(self) -> dict[str, bytes]:
        clean = self.root / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        # The reference is built in one process: forking is what the incremental side tests, and
        # test_parallel_rendering_gives_the_same_bytes holds forked clean builds to it.
        pipeline.build(self.options(clean, incremental=False, workers=1))
        return tree(clean)

    def assert_same_as_clean(self, label: str = "") -> None:
        assert tree(self.output) == self.clean_tree(), label

    def template(self, name: str) -> Path:
        """The template ``name`` to edit, in this site's own copy of the templates (made the first time)."""
        own = self.root / "templates"
        if self.templates != own:
            shutil.copytree(self.templates, own)
            self.templates = own
        return own / name

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


# Build in one process, and with every step that can fork forked, as on a large site.
EITHER_WAY = pytest.mark.parametrize("site", [1, 2], ids=["one process", "forked steps"], indirect=True)


def resource_file(content: Path, slug: str) -> Path:
    return content / "resources" / f"{slug}.yaml"


def _template(name: str, old: str, new: str) -> Callable[[Site], object]:
    def change(s: Site) -> None:
        path = s.template(name)
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new, 1))

    return change


# One change of every kind of content file, and of the templates and the base URL.
EDITS: list[tuple[str, Callable[[Site], object]]] = [
    ("a resource's summary", lambda s: s.edit("resources/lpr-primer.yaml", "summary: ", "summary: Edited. ")),
    ("a resource's title", lambda s: s.edit("resources/lpr-primer.yaml", "title: '", "title: 'The ")),
    ("a resource renamed", lambda s: resource_file(s.content, "lpr-primer").rename(resource_file(s.content, "lpr"))),
    ("a resource deleted", lambda s: resource_file(s.content, "analysis-webinar").unlink()),
    ("a resource added", lambda s: resource_file(s.content, "copy").write_text(
        resource_file(s.content, "deterrence-notes").read_text().replace("id: ", "id: 9").replace(
            "title: ", "title: Copy of ", 1))),
    ("an area renamed", lambda s: s.edit("areas/technology.yaml", "name: ", "name: New ")),
    ("a site renamed", lambda s: s.edit("sites/memphis.yaml", "name: Memphis", "name: Memphis City")),
    ("a news item edited", lambda s: s.edit("news/fixture-summit.md", "title: ", "title: The ")),
    ("a cohort's colour", lambda s: s.edit("cohorts/2019.yaml", "color: ", "color: '#112233' # was ")),
    ("a role edited", lambda s: s.edit(f"roles/{first('roles', s)}", "name: ", "name: The ")),
    ("a page edited", lambda s: s.edit("pages/about.md", "---\n## About", "---\nNew first paragraph.\n\n## About")),
    ("a page's title (every footer lists it)", lambda s: s.edit("pages/privacy.md", "title: ", "title: Our ")),
    ("the home page edited", lambda s: s.edit("home.md", "title: ", "title: Welcome, ")),
    ("the site configuration", lambda s: s.edit("site.yaml", "title: ", "title: The ")),
    ("the clearinghouse vocabulary", lambda s: s.edit("clearinghouse.yaml", "plural: ", "plural: All ")),
    ("a page template", _template("resource.html", "</article>", "<p>More.</p></article>")),
    ("the base template", _template("base.html", "</body>", "<!-- edited -->\n</body>")),
    ("a resource names a site", lambda s: resource_file(s.content, "deterrence-notes").write_text(
        resource_file(s.content, "deterrence-notes").read_text() + "sites: [memphis]\n")),
    ("a related resource's title", lambda s: s.edit("resources/deterrence-notes.yaml", "title: ", "title: New ")),
    ("a resource joins an area",
     lambda s: s.edit("resources/deterrence-notes.yaml", "areas: [", "areas: [technology, ")),
    ("the base URL", lambda s: setattr(s, "base_url", "https://example.org/psp/")),
]  # fmt: skip


def first(folder: str, s: Site) -> str:
    return sorted(p.name for p in (s.content / folder).iterdir())[0]


@pytest.mark.parametrize(("label", "change"), EDITS, ids=[label for label, _ in EDITS])
def test_each_change_from_an_output_one_build_old(site: Site, label: str, change: Callable[[Site], object]) -> None:
    """Two builds, then the change: the folder the build updates lacks only this change."""
    site.build()
    site.build()
    before = tree(site.output)
    change(site)
    site.build()
    assert tree(site.output) != before, f"{label}: changed nothing"  # each edit is seen on some page
    site.assert_same_as_clean(label)


@EITHER_WAY
@pytest.mark.slow
def test_each_change_from_an_output_two_builds_old(site: Site) -> None:
    """Every change in turn, a build after each: each build updates the folder of the build before
    last, which lacks this change and the one before it."""
    site.build()
    for label, change in EDITS:
        change(site)
        site.build()
        site.assert_same_as_clean(label)


# What a page-by-page dependency list could leave out, as the old hand-written one could: each
# change, and a kind of page that shows it without being the changed file's own page.
STALE = [
    ("news on a site's page", "news/fixture-summit.md", "title: ", "title: The ", "sites/memphis/"),
    ("a site on a news page", "sites/memphis.yaml", "name: Memphis", "name: Memphis City", "news/"),
    ("a site on its cohort's page", "sites/memphis.yaml", "name: Memphis", "name: Memphis City", "cohorts/"),
    ("a resource on its area's page", "resources/lpr-primer.yaml", "title: '", "title: 'The ", "areas/technology/"),
    ("a resource in the listing", "resources/lpr-primer.yaml", "title: '", "title: 'The ", "clearinghouse/"),
    ("an area's name on a resource", "areas/technology.yaml", "name: ", "name: New ", "resources/lpr-primer/"),
]


@pytest.mark.parametrize(("label", "rel", "old", "new", "kept"), STALE, ids=[s[0] for s in STALE])
def test_a_page_left_stale_fails_the_comparison(
    site: Site, monkeypatch: pytest.MonkeyPatch, label: str, rel: str, old: str, new: str, kept: str
) -> None:
    """What the tests above catch if any one dependency of a page were missed: here the pages
    under ``kept`` keep their old bytes after a change they show, and the comparison with a clean
    build must fail."""
    original = writer.Folder.put

    def keeps_those_pages(self: writer.Folder, path: str, data: bytes | str) -> bool:
        if path.startswith(kept) and os.path.exists(self.base + path):  # noqa: PTH110
            return False
        return original(self, path, data)

    site.build()
    site.build()
    monkeypatch.setattr(writer.Folder, "put", keeps_those_pages)
    site.edit(rel, old, new)
    site.build()
    with pytest.raises(AssertionError):
        site.assert_same_as_clean(label)


def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The routes of the pages rendered from now on (the others were left as they were)."""
    made: list[str] = []
    make = page_reads.PageFile.make

    def noting(self: page_reads.PageFile) -> tuple[str, page_reads.Note]:
        made.append(self.spec.route)
        return make(self)

    monkeypatch.setattr(page_reads.PageFile, "make", noting)
    return made


def test_only_the_pages_that_read_a_change_are_rendered_again(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    site.build()
    site.build()
    pages = site.build().pages
    made = rendered(monkeypatch)
    site.build()
    assert made == []  # nothing changed: every note holds
    site.edit("resources/lpr-primer.yaml", "summary: ", "summary: Edited. ")
    site.build()
    assert "resources/lpr-primer/" in made  # its own page
    assert "areas/technology/" in made  # a listing that shows its summary
    assert "news/" not in made and "sites/memphis/" not in made  # pages that never read it
    assert len(made) < pages / 2
    site.assert_same_as_clean()


def test_a_template_edit_renders_again_only_the_pages_that_use_it(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    site.build()
    site.build()
    made = rendered(monkeypatch)
    _template("news_item.html", "</article>", "<p>More.</p></article>")(site)
    site.build()
    news = {path.name for path in (site.content / "news").iterdir()}
    assert made and all(route.startswith("news/") and route != "news/" for route in made)
    assert len(made) == len(news)
    site.assert_same_as_clean()


def test_a_page_notes_what_it_read_from_the_site(site: Site) -> None:
    site.build()
    latest, _ = writer._read_notes(pipeline.cache_folder(site.output) / "pages.pickle")
    _, note = latest["news/index.html"]
    assert isinstance(note, page_reads.Note)
    assert ("site", "pages") in note.reads  # the footer lists the pages
    assert ("site", "news") in note.reads  # the news index lists the news
    assert ("site", "resources") not in note.reads
    assert any(kind == "asset" for kind, _ in note.reads)


@EITHER_WAY
def test_shared_parts_are_made_once_and_every_page_notes_their_reads(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The footer's shared parts, and the header of each section, are rendered once per process
    (rendered_once) and reused; every page still notes what they read, so a change to them
    renders every page again."""
    made = site.root / "fragments made"  # a file, which the forked processes append to too
    fragment = render.Renderer.fragment

    def counting(self: render.Renderer, name: str, **context: str | None) -> Markup:
        with made.open("a") as log:
            log.write(f"{os.getpid()} {name} {sorted(context.items())}\n")
        return fragment(self, name, **context)

    monkeypatch.setattr(render.Renderer, "fragment", counting)
    pages = site.build().pages
    lines = made.read_text().splitlines()
    footers = [line.split()[0] for line in lines if line.split()[1] == "_footer_links.html"]
    assert footers and len(footers) == len(set(footers)) <= site.workers  # once in each process
    headers = [line for line in lines if line.split()[1] == "_header.html"]
    assert len(headers) == len(set(headers)) < pages  # once in each process for each section's pages
    latest, _ = writer._read_notes(pipeline.cache_folder(site.output) / "pages.pickle")
    notes = [note for _, note in latest.values() if isinstance(note, page_reads.Note)]
    assert len(notes) == pages
    for note in notes:
        assert {("template", "_footer_links.html"), ("template", "_header.html"), ("site", "pages")} <= set(note.reads)


def test_only_changed_files_are_written(site: Site) -> None:
    first_build = site.build()
    assert first_build.written == first_build.files
    assert site.build().written == first_build.files  # a new folder again: the first had none to update
    assert site.build().written == 0  # the first build's folder, updated: nothing differs
    site.edit("resources/lpr-primer.yaml", "summary: ", "summary: Edited. ")
    edited = site.build()
    assert 0 < edited.written < first_build.files / 2
    site.assert_same_as_clean()


def test_the_live_output_is_never_written_into(site: Site) -> None:
    site.build()
    site.build()
    live = tree(site.output)
    inode = site.output.stat().st_ino
    site.edit("resources/deterrence-notes.yaml", "summary: ", "summary: Edited. ")
    site.build()  # updates the folder the live output replaced, and swaps it in
    assert tree(writer.previous_folder(site.output)) == live
    assert writer.previous_folder(site.output).stat().st_ino == inode
    site.assert_same_as_clean()


@EITHER_WAY
def test_touched_or_stray_files_are_put_right(site: Site) -> None:
    site.build()
    site.build()
    previous = writer.previous_folder(site.output)
    (previous / "resources" / "lpr-primer" / "index.html").write_text("vandalised")
    (previous / "stray.html").write_text("not ours")
    shutil.rmtree(previous / "areas")
    (previous / "areas").write_text("a file where a folder goes")
    (previous / "sitemap.xml").unlink()
    (previous / "sitemap.xml").mkdir()  # a folder where a file goes
    (previous / "sitemap.xml" / "stray.txt").write_text("stray")
    (previous / "old-page").mkdir()
    (previous / "old-page" / "index.html").write_text("a page the site no longer has")
    (previous / "linked").symlink_to(site.content)
    site.build()
    site.assert_same_as_clean()


def _count_conversions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every Markdown text converted from now on (rather than found in the memo)."""
    computed: list[str] = []
    original = markup.MarkdownRenderer.convert

    def counting(self: markup.MarkdownRenderer, text: str) -> markup.Converted:
        computed.append(text)
        return original(self, text)

    monkeypatch.setattr(markup.MarkdownRenderer, "convert", counting)
    return computed


def test_damaged_or_foreign_cache_files_only_cost_time(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    site.build()
    folder = pipeline.cache_folder(site.output)
    for damage in (b"", b"\x00garbage", next(folder.glob("parsed.*.pickle")).read_bytes()[:100]):
        for path in folder.glob("*.pickle"):
            path.write_bytes(damage)
        site.edit("resources/lpr-primer.yaml", "summary: ", "summary: Again. ")
        site.build()
        site.assert_same_as_clean()
    # A new generator version (any change to our code or the libraries that shape output) starts over.
    monkeypatch.setattr(cache, "generator_key", lambda: "another generator")
    computed = _count_conversions(monkeypatch)
    site.build()
    assert len(computed) == len(set(resolve._Resolver(load(site.content), None).markdown_texts()))
    site.assert_same_as_clean()


def test_memos_are_used_and_a_changed_input_is_never_found(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    site.build()
    computed = _count_conversions(monkeypatch)
    site.build()
    assert computed == []  # every text found in the memo
    site.edit("resources/analysis-webinar.yaml", "description: ", "description: Edited. ")
    site.build()
    assert len(computed) == 1 and computed[0].startswith("Edited. ")
    site.assert_same_as_clean()


def test_templates_are_compiled_again_only_when_they_change(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each build as if in a process of its own (as from the command line): what the last build
    compiled is found on disk."""
    resource = site.template("resource.html")  # the site's own templates, edited below
    site.build()
    compiled: list[str | None] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name)
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    monkeypatch.setattr(cache.CompiledTemplates, "in_process", {})
    site.edit("resources/analysis-webinar.yaml", "description: ", "description: Edited. ")
    site.build()
    assert compiled == []  # every template loaded as the last build compiled it
    resource.write_text(resource.read_text().replace("</article>", "<p>More.</p></article>"))
    monkeypatch.setattr(cache.CompiledTemplates, "in_process", {})
    site.build()
    assert compiled == ["resource.html"]
    site.assert_same_as_clean()
    resource.write_text("{% if %}\n")  # a mistake: reported, never kept
    with pytest.raises(BuildError, match=r"resource\.html:1"):
        site.build()


def test_a_build_that_dies_half_way_poisons_nothing(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    site.build()
    site.build()  # now .output-previous holds the first build, which the next build updates in place
    before = tree(site.output)
    site.edit("areas/technology.yaml", "name: ", "name: New ")  # every page changes
    calls = 0
    original = writer.Folder.put

    def dies_half_way(self: writer.Folder, rel: str, data: bytes | str) -> bool:
        nonlocal calls
        calls += 1
        if calls > 10:
            raise KeyboardInterrupt  # as Ctrl-C or a crash would, with some files already rewritten
        return original(self, rel, data)

    monkeypatch.setattr(writer.Folder, "put", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        site.build()
    assert tree(site.output) == before  # the published site never saw any of it
    monkeypatch.setattr(writer.Folder, "put", original)
    site.build()
    site.assert_same_as_clean()


def _written(page: Path, since: float) -> Callable[[], bool]:
    """True once ``page`` has been written after ``since``."""
    return lambda: page.exists() and page.stat().st_mtime > since


def _either(moment: Callable[[], bool], process: subprocess.Popen[bytes]) -> Callable[[], bool]:
    return lambda: moment() or process.poll() is not None


@pytest.mark.slow
def test_killed_builds_never_poison_the_next(tmp_path: Path) -> None:
    """Real crashes: kill a build process at once, as it writes, and just after it swapped its
    output in, then build normally."""
    content = synthetic.generate(tmp_path / "content", 400, 20)
    site = Site(tmp_path, content, REPO / "templates")
    site.build()
    site.build()
    for number in range(3):
        site.edit(f"resources/resource-{number + 1:05d}.yaml", "Resource", "Changed resource")
        base = site.template("base.html")
        base.write_text(base.read_text() + f"<!-- {number} -->\n")  # every page changes
        since = time.time()
        process = subprocess.Popen(site.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        writing = _written(writer.previous_folder(site.output) / "index.html", since)
        moments = (lambda: True, writing, _written(site.output / "index.html", since))
        wait_for(_either(moments[number], process))
        process.kill()
        process.wait()
        assert (site.output / "index.html").is_file()  # the output is whole: old or new, never half
        site.build()
        site.assert_same_as_clean()


@pytest.mark.slow
def test_builds_started_together_take_turns(tmp_path: Path) -> None:
    """A preview rebuilding while someone runs a build: all finish, and the output is whole."""
    content = synthetic.generate(tmp_path / "content", 200, 10)
    site = Site(tmp_path, content, REPO / "templates")
    site.build()
    site.edit("resources/resource-00001.yaml", "Resource", "Changed resource")
    running = [subprocess.Popen(site.command(), stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [process.communicate()[0] for process in running]
    assert [process.returncode for process in running] == [0, 0, 0], outputs
    site.assert_same_as_clean()


@pytest.mark.slow
def test_parallel_rendering_gives_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_PARALLEL", 10)
    content = synthetic.generate(tmp_path / "content", 150, 20)
    site = Site(tmp_path, content, REPO / "templates")
    one = pipeline.build(site.options(tmp_path / "one", incremental=False))
    site.workers = 2
    two = pipeline.build(site.options(tmp_path / "two", incremental=False))
    assert one.pages == two.pages and tree(tmp_path / "one") == tree(tmp_path / "two")


def test_parallel_checks_report_what_one_process_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_PARALLEL", 1)
    content = synthetic.generate(tmp_path / "content", 40, 10)
    broken = content / "resources" / "resource-00003.yaml"
    broken.write_text(broken.read_text().replace("year: ", "year: soon # was ", 1))
    (content / "resources" / "unclosed.yaml").write_text("title: [unclosed\n")
    (content / "resources" / "empty.yaml").write_text("")
    reports = []
    for processes in (1, 2):
        options = pipeline.Options(content, REPO / "templates", tmp_path / f"out-{processes}", workers=processes)
        with pytest.raises(ContentErrors) as caught:
            pipeline.build(options)
        reports.append([str(e) for e in caught.value.errors])
    assert reports[0] == reports[1]
    assert [line.split(":")[0] for line in reports[0]] == [
        str(content / "resources" / name) for name in ("empty.yaml", "resource-00003.yaml", "unclosed.yaml")
    ]


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
    assert names == sorted([".output-cache", ".output-previous", "content", "output"])
    assert not [p for p in site.output.rglob("*") if re.search(r"\.tmp|-new-|-old-", p.name)]
    assert os.access(site.output, os.R_OK | os.X_OK)


def test_remembered_checks_still_see_changes_in_other_files(site: Site) -> None:
    """A resource's references are remembered with the lists they were checked against."""
    site.build()
    (site.content / "areas" / "technology.yaml").unlink()
    with pytest.raises(ContentErrors) as caught:
        site.build()
    assert any("unknown area 'technology'" in str(e) for e in caught.value.errors)
    site.edit("resources/lpr-primer.yaml", "[technology, crime-analysis]", "[crime-analysis]")
    site.build()  # the only reference is gone: the site builds again
    site.assert_same_as_clean()


def test_remembered_source_checks_see_the_refused_hosts_and_the_sites(site: Site) -> None:
    """A file's source checks are remembered with the refused hosts and the site names they were
    checked against: a change to either is seen in files that did not change."""
    resource = resource_file(site.content, "deterrence-notes")
    resource.write_text(resource.read_text() + "sites: [memphis]\n")
    site.build()
    (site.content / "sites" / "memphis.yaml").rename(site.content / "sites" / "memphis-tn.yaml")
    with pytest.raises(ContentErrors) as caught:
        site.build()
    assert any(e.path.endswith("deterrence-notes.yaml") and "unknown site 'memphis'" in e.message
               for e in caught.value.errors)  # fmt: skip
    (site.content / "sites" / "memphis-tn.yaml").rename(site.content / "sites" / "memphis.yaml")
    site.build()
    config = site.content / "site.yaml"
    config.write_text(config.read_text() + "refused_sources: [example.org]\n")
    with pytest.raises(ContentErrors) as caught:
        site.build()
    assert any(e.path.endswith("lpr-primer.yaml") and "'example.org' is not an official" in e.message
               for e in caught.value.errors)  # fmt: skip
