"""The content editor at /admin/: its configuration follows the schemas, its page and policy, fmt."""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from psp_static import (
    admin_page,
    cli,
    cms,
    decap_config,
    decap_fields,
    decap_server,
    editor_schemas,
    loader,
    pipeline,
    render,
    validation,
    yamlblocks,
    yamlemit,
    yamlstyle,
)
from psp_static.errors import BuildError
from tests.conftest import REAL_CONTENT, REPO, build, html_files, soup

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


@pytest.fixture(scope="module")
def site() -> Any:
    return pipeline.check(pipeline.Options(content=REAL_CONTENT))


@pytest.fixture(scope="module")
def config(site: Any) -> dict[str, Any]:
    settings = cms.settings(REAL_CONTENT)
    assert settings is not None, "the PSP site's own site.yaml enables the editor"
    return make_config(site, settings)


def make_config(site: Any, settings: cms.Settings, content: Path = REAL_CONTENT) -> dict[str, Any]:
    """The editor's configuration, from the editor schemas of ``content``, as the build makes it."""
    return decap_config.config(site, settings, editor_schemas.all_live(loader.load(content)))


def vocabulary_field(where: str, name: str) -> str | None:
    """The vocabulary property ``name`` of ``where`` (``site.engagements``) takes, as the editor
    schemas say (list items' "*" left out, as ``where`` leaves them out)."""
    kind, *path = where.split(".")
    known = {tuple(p for p in k if p != "*"): v for k, v in editor_schemas.VOCABULARY_FIELDS.get(kind, {}).items()}
    return known.get((*path, name))


def vocabulary_values(site: Any) -> dict[str, list[str]]:
    """The slugs and codes the content defines, read straight from the files."""
    clearinghouse = yaml.safe_load((REAL_CONTENT / "clearinghouse.yaml").read_text())
    return {
        "cohorts": sorted(p.stem for p in (REAL_CONTENT / "cohorts").glob("*.yaml")),
        "areas": sorted(p.stem for p in (REAL_CONTENT / "areas").glob("*.yaml")),
        "sites": sorted(p.stem for p in (REAL_CONTENT / "sites").glob("*.yaml")),
        "types": sorted(t["slug"] for t in clearinghouse["types"]),
        "agency_sizes": sorted(s["slug"] for s in clearinghouse["agency_sizes"]),
        "sponsors": sorted(s["code"] for s in clearinghouse["sponsors"]),
    }


def collection_fields(config: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    (found,) = [c for c in config["collections"] if c["name"] == kind]
    fields: list[dict[str, Any]] = found["files"][0]["fields"] if "files" in found else found["fields"]
    return fields


def check_fields(
    schema: dict[str, Any],
    fields: list[dict[str, Any]],
    where: str,
    vocab: dict[str, list[str]],
    optional: bool = False,
) -> None:
    """Every schema property has a field of the same name, required as the schema says, hinted by
    its description, with the widget its type calls for. Inside an ``optional`` group no field is
    required by the form (Decap would refuse to leave the group empty); the build still checks."""
    schema = decap_fields.variant(schema)
    props = schema.get("properties", {})
    by_name = {f["name"]: f for f in fields}
    assert set(props) <= set(by_name), f"{where}: properties without a field: {set(props) - set(by_name)}"
    assert [f["name"] for f in fields if f["name"] in props] == list(props), f"{where}: fields out of schema order"
    for name, prop in props.items():
        prop = decap_fields.variant(prop)
        got, here = by_name[name], f"{where}.{name}"
        assert got.get("required", True) == (name in schema.get("required", []) and not optional), here
        description = prop.get("description") or prop.get("items", {}).get("description")
        assert got.get("hint") == description, here
        items = decap_fields.variant(prop.get("items", {}))
        vocabulary = vocabulary_field(where, name)
        if vocabulary and "enum" not in prop and "enum" not in items:
            assert got["widget"] == "select", here
            assert sorted(o["value"] for o in got["options"]) == vocab[vocabulary], here
            assert got.get("multiple", False) == (prop.get("type") == "array"), here
        elif "enum" in prop:
            assert (got["widget"], got["options"]) == ("select", [str(v) for v in prop["enum"]]), here
        elif prop.get("type") == "object":
            assert got["widget"] == "object", here
            check_fields(prop, got["fields"], here, vocab, optional or name not in schema.get("required", []))
        elif prop.get("type") == "array" and items.get("type") == "object":
            assert got["widget"] == "list", here
            check_fields(items, got["fields"], here, vocab)
        elif prop.get("type") == "array":
            assert got["widget"] in ("list", "select"), here
        elif prop.get("type") in ("integer", "number"):
            assert got["widget"] == "number", here
            assert got["value_type"] == ("int" if prop["type"] == "integer" else "float"), here
        elif prop.get("format") == "date":
            assert (got["widget"], got["format"]) == ("datetime", "YYYY-MM-DD"), here
        elif prop.get("type") == "boolean":
            assert got["widget"] == "boolean", here
        else:
            assert got["widget"] in ("string", "text", "markdown"), here
            if "Markdown" in str(prop.get("description", "")):
                assert got["widget"] == "markdown", here


def test_every_content_type_has_a_collection_with_a_field_per_schema_property(
    site: Any, config: dict[str, Any]
) -> None:
    assert sorted(c["name"] for c in config["collections"]) == sorted(k.name for k in loader.KINDS)
    vocab = vocabulary_values(site)
    for kind in loader.KINDS:
        fields = collection_fields(config, kind.name)
        check_fields(validation.schema(kind.name), fields, kind.name, vocab)
        if kind.markdown:
            assert fields[-1] == {**fields[-1], "name": "body", "widget": "markdown"}


def test_a_field_added_to_a_schema_reaches_the_editor(site: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # What issue-13-style schema changes look like: a list of site slugs, a sentence, a citation object.
    original = validation.schema

    def extended(name: str) -> dict[str, Any]:
        schema: dict[str, Any] = json.loads(json.dumps(original(name)))
        if name == "resource":
            schema["properties"]["sites"] = {"type": "array", "items": {"type": "string"}, "description": "Sites."}
            schema["properties"]["access"] = {"type": "string", "maxLength": 300, "description": "How to get it."}
            schema["required"].append("access")
        if name == "site":
            schema["properties"]["sources"]["items"] = {
                "anyOf": [
                    {"type": "string"},
                    {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"},
                                                                           "title": {"type": "string"}}},
                ]
            }  # fmt: skip
        return schema

    monkeypatch.setattr(validation, "schema", extended)
    settings = cms.settings(REAL_CONTENT)
    assert settings is not None
    config = make_config(site, settings)
    vocab = vocabulary_values(site)
    for kind in ("resource", "site"):
        check_fields(extended(kind), collection_fields(config, kind), kind, vocab)
    fields = {f["name"]: f for f in collection_fields(config, "resource")}
    assert fields["sites"]["widget"] == "select" and fields["sites"]["multiple"] is True
    assert fields["access"]["widget"] == "text" and "required" not in fields["access"]
    sources = {f["name"]: f for f in collection_fields(config, "site")}["sources"]
    assert [f["name"] for f in sources["fields"]] == ["url", "title"]

    # And the check itself catches a property the editor lost.
    monkeypatch.setattr(validation, "schema", original)
    with pytest.raises(AssertionError, match="access"):
        check_fields(
            extended("resource"), collection_fields(make_config(site, settings), "resource"), "resource", vocab
        )


def test_new_resources_take_the_next_free_id_and_vocabularies_follow_the_content(content: Path, tmp_path: Path) -> None:
    site = pipeline.check(pipeline.Options(content=content))
    settings = cms.Settings(repo="example/psp")
    ids = [yaml.safe_load(p.read_text())["id"] for p in (content / "resources").glob("*.yaml")]
    (id_field,) = [f for f in collection_fields(make_config(site, settings, content), "resource") if f["name"] == "id"]
    assert id_field["default"] == max(ids) + 1
    # A cohort added to the content is offered at once.
    first = next((content / "cohorts").glob("*.yaml"))
    data = yaml.safe_load(first.read_text())
    data.update(name="Cohort of 2031", order=99, start_year=2031, end_year=2034)
    data.pop("announced", None)
    (content / "cohorts" / "2031.yaml").write_text(yaml.safe_dump(data))
    site = pipeline.check(pipeline.Options(content=content))
    engagement = {f["name"]: f for f in collection_fields(make_config(site, settings, content), "site")}["engagements"]
    cohort = {f["name"]: f for f in engagement["fields"]}["cohort"]
    assert {"label": "Cohort of 2031", "value": "2031"} in cohort["options"]


def test_the_editor_is_built_only_when_site_yaml_enables_it(content: Path, tmp_path: Path) -> None:
    assert cms.settings(content) is None
    build(content, tmp_path / "without")
    assert not (tmp_path / "without" / "admin").exists()
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "cms:\n  repo: example/psp\n")
    build(content, tmp_path / "with")
    admin = tmp_path / "with" / "admin"
    assert (admin / "index.html").is_file() and (admin / "config.yml").is_file()
    bundle = admin / f"decap-cms-{admin_page.decap_version()}" / "decap-cms.js"
    assert bundle.read_bytes() == (admin_page.vendor_folder() / "decap-cms.js").read_bytes()


def test_admin_page_is_noindex_outside_sitemap_and_search_with_its_own_policy(real_site: Path) -> None:
    admin = real_site / "admin" / "index.html"
    page = soup(admin)
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"  # type: ignore[index]
    settings = cms.settings(REAL_CONTENT)
    assert settings is not None
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]  # type: ignore[index]
    assert policy == admin_page.admin_csp(settings)
    assert not page.find("script", src=False), "no inline script, even on the admin page"
    script = page.find("script", src=True)
    assert (admin.parent / str(script["src"])).is_file()  # type: ignore[index]
    locs = [el.text or "" for el in ET.parse(real_site / "sitemap.xml").getroot().iter(SITEMAP)]
    assert locs and not [loc for loc in locs if "/admin" in loc]
    search = b"".join(p.read_bytes() for p in (real_site / "assets" / "search").glob("*.json"))
    assert b"/admin" not in search and b"Content editor" not in search
    assert admin not in list(html_files(real_site))


def test_public_pages_keep_the_strict_policy(real_site: Path) -> None:
    tiles = yaml.safe_load((REAL_CONTENT / "site.yaml").read_text())["map"]["tiles"]
    public = render.csp(tiles)
    assert "unsafe" not in public
    settings = cms.settings(REAL_CONTENT)
    assert settings is not None and admin_page.admin_csp(settings) != public
    for path in html_files(real_site):
        meta = soup(path).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None and meta["content"] == public, path


def test_the_admin_policy_allows_scripts_from_the_site_alone(config: dict[str, Any]) -> None:
    settings = cms.settings(REAL_CONTENT)
    assert settings is not None
    directives = dict(d.strip().split(" ", 1) for d in admin_page.admin_csp(settings).split(";"))
    assert directives["script-src"] == "'self' 'unsafe-eval'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert f"http://localhost:{settings.local_port}" in directives["connect-src"]
    assert config["local_backend"]["url"] == settings.local_url
    assert config["publish_mode"] == "editorial_workflow"


# --- fmt -------------------------------------------------------------------------------------------


def kind_of(path: Path) -> loader.Kind:
    content = path.parent if path.parent.name == "content" else path.parent.parent
    return next(k for k, p, _ in loader.content_files(content) if p == path)


def test_fmt_leaves_every_hand_written_file_as_it_is() -> None:
    files = [(k, p) for k, p, _ in loader.content_files(REAL_CONTENT)]
    assert len(files) > 100
    for kind, path in files:
        text = path.read_text(encoding="utf-8")
        assert yamlstyle.format_text(text, kind, text) == text, path
        assert yamlstyle.format_text(text, kind, None) == text, path


def decap_style(data: dict[str, Any], order: list[str]) -> str:
    """A file as Decap CMS writes one: no comments, schema key order, long text broken over plain lines."""
    ordered = {k: data[k] for k in sorted(data, key=lambda k: order.index(k) if k in order else len(order))}
    return yaml.safe_dump(ordered, sort_keys=False, width=80, allow_unicode=True, indent=2)


def test_fmt_restores_a_cms_written_file_so_only_the_edited_field_differs(tmp_path: Path) -> None:
    for name in ("resources/2024-national-drug-threat-assessment.yaml", "sites/albuquerque.yaml", "site.yaml"):
        path = REAL_CONTENT / name
        kind = kind_of(path)
        original = path.read_text(encoding="utf-8")
        data = json.loads(json.dumps(yaml.safe_load(original), default=str))
        first = next(k for k, v in data.items() if isinstance(v, str) and k not in ("state", "kind"))
        data[first] = data[first] + " (edited)"
        written = decap_style(data, list(validation.schema(kind.name)["properties"]))
        assert written != original
        formatted = yamlstyle.format_text(written, kind, original)
        before, after = original.splitlines(), formatted.splitlines()
        changed = [(a, b) for a, b in zip(before, after, strict=False) if a != b]
        assert len(before) == len(after) and len(changed) == 1, (name, changed)
        assert changed[0][1].startswith(f"{first}: ") and changed[0][1].endswith("(edited)")
        assert yaml.safe_load(formatted) == json.loads(json.dumps(yaml.safe_load(written), default=str))


def test_fmt_writes_a_new_cms_file_like_a_hand_written_one() -> None:
    written = (
        "id: 1063\ntitle: Test Resource From The Browser\nsummary: A test summary written in the browser for the\n"
        "  clearinghouse, long enough to pass the schema's sixty-character minimum.\ntype: guide\n"
        "areas:\n  - crime-analysis\nagency_sizes:\n  - small\nauthor: BJA\nprovider: ''\nsponsor: BJA\n"
        "year: 2024\nadded: 2024-05-01\ntags: []\n"
    )
    [kind] = [k for k in loader.KINDS if k.name == "resource"]
    formatted = yamlstyle.format_text(written, kind, None)
    assert formatted.startswith(yamlstyle.modeline(kind) + "\n")
    assert "summary: >-\n  A test summary" in formatted
    assert "added: '2024-05-01'\n" in formatted
    assert "provider" not in formatted and "tags" not in formatted  # empty optional fields left out
    assert yamlstyle.format_text(formatted, kind, None) == formatted  # a fixed point
    assert yamlstyle.format_text(formatted, kind, formatted) == formatted


def git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=folder, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def test_fmt_command_checks_and_fixes_against_the_committed_version(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(REAL_CONTENT, repo / "content")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "content")
    runner = CliRunner()
    content = str(repo / "content")
    assert runner.invoke(cli.cli, ["fmt", "--check", "--content", content]).exit_code == 0
    path = repo / "content" / "sites" / "albuquerque.yaml"
    data = yaml.safe_load(path.read_text())
    data["name"] = "Albuquerque, New Mexico"
    path.write_text(decap_style(data, list(validation.schema("site")["properties"])))
    checked = runner.invoke(cli.cli, ["fmt", "--check", "--content", content])
    assert checked.exit_code == 1
    assert "would reformat" in checked.output and "albuquerque.yaml" in checked.output
    assert runner.invoke(cli.cli, ["fmt", "--content", content]).exit_code == 0
    diff = git(repo, "diff", "-U0", "--", "content").splitlines()
    assert [line for line in diff if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))] == [
        "-name: Albuquerque",
        "+name: Albuquerque, New Mexico",
    ]
    assert runner.invoke(cli.cli, ["fmt", "--check", "--content", content]).exit_code == 0


def test_fmt_reports_an_unreadable_file_cleanly(content: Path) -> None:
    bad = content / "sites" / "broken.yaml"
    bad.write_text("name: [unclosed\n")
    result = CliRunner().invoke(cli.cli, ["fmt", "--content", str(content)])
    assert result.exit_code == 1
    assert "broken.yaml" in result.output and "Traceback" not in result.output


# --- the local backend -----------------------------------------------------------------------------


def fake_server(tmp_path: Path, script: str) -> Path:
    program = tmp_path / "fake-decap-server"
    program.write_text("#!/bin/sh\n" + script + "\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def test_a_local_backend_that_fails_says_why_at_once(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    git(tmp_path, "init", "-q")
    program = fake_server(tmp_path, "echo 'Error: listen EADDRINUSE: address already in use' >&2; exit 3")
    started = time.monotonic()
    with (
        pytest.raises(BuildError, match=r"exited with status 3.*EADDRINUSE"),
        decap_server.local_backend(tmp_path / "content", 1, program, timeout=20),
    ):
        pass
    assert time.monotonic() - started < 10


def test_a_local_backend_that_never_answers_times_out_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    git(tmp_path, "init", "-q")
    program = fake_server(tmp_path, "echo 'starting'; exec sleep 60")
    with (
        pytest.raises(BuildError, match=r"no answer in 0\.8 s.*starting"),
        decap_server.local_backend(tmp_path / "content", 9, program, timeout=0.8),
    ):
        pass


def test_the_local_backend_needs_a_git_working_copy(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    with (
        pytest.raises(BuildError, match="not in a Git working copy"),
        decap_server.local_backend(tmp_path / "content", 9),
    ):
        pass


def test_config_is_valid_yaml_and_deterministic(real_site: Path, config: dict[str, Any]) -> None:
    text = (real_site / "admin" / "config.yml").read_text()
    assert yaml.safe_load(text) == json.loads(json.dumps(config))
    assert re.search(r"^# Generated by psp-static", text)


def test_the_local_backend_refuses_a_working_copy_with_uncommitted_changes(tmp_path: Path) -> None:
    shutil.copytree(REAL_CONTENT, tmp_path / "content")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "content")
    (tmp_path / "content" / "site.yaml").write_text("title: changed\n")
    with (
        pytest.raises(BuildError, match=r"uncommitted changes \(M content/site.yaml …\): commit or stash"),
        decap_server.local_backend(tmp_path / "content", 9, fake_server(tmp_path, "exit 1")),
    ):
        pass


def test_the_checks_hold_the_yaml_style_and_only_editor_branches_are_fixed_by_a_workflow() -> None:
    workflows = REPO / ".github" / "workflows"
    checks = yaml.safe_load((workflows / "checks.yml").read_text())
    steps = [step.get("run", "") for step in checks["jobs"]["content"]["steps"]]
    assert any(run.startswith("make content-style CHECK=1 ") for run in steps)
    style = yaml.safe_load((workflows / "cms-style.yml").read_text())
    assert style[True] == {"pull_request": {"types": ["opened", "synchronize", "reopened"]}}  # not _target
    assert style["permissions"] == {"contents": "read"}
    (job,) = style["jobs"].values()
    assert "startsWith(github.head_ref, 'cms/')" in job["if"]
    assert "head.repo.full_name == github.repository" in job["if"]  # never a fork's branch
    assert job["permissions"] == {"contents": "write", "actions": "write"}
    for step in job["steps"]:
        if "uses" in step:
            assert re.search(r"@[0-9a-f]{40}$", step["uses"]), step["uses"]
    assert job["steps"][2]["run"].startswith("make content-style ")
    assert "$(BIN)/psp-static fmt $(if $(CHECK),--check)" in (REPO / "Makefile").read_text()
    hooks = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert any(h["entry"].endswith("psp-static fmt --content content") for h in hooks)


def test_new_files_are_named_as_the_build_wants(config: dict[str, Any]) -> None:
    slugs = {c["name"]: c.get("slug") for c in config["collections"]}
    assert slugs["resource"] == f"{{{{title | truncate({loader.SLUG_MAX}, '')}}}}"
    assert slugs["site"] == f"{{{{name | truncate({loader.SLUG_MAX}, '')}}}}"
    assert slugs["news"].startswith("{{year}}-")  # as `psp-static new news` names them
    assert slugs["cohort"] == "{{start_year}}"  # sites refer to cohorts by year
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}


def test_fmt_restores_a_cms_written_markdown_file() -> None:
    path = next(p for p in sorted((REAL_CONTENT / "news").glob("*.md")) if "location:" in p.read_text())
    kind = next(k for k in loader.KINDS if k.name == "news")
    original = path.read_text(encoding="utf-8")
    _, front, body = original.split("---\n", 2)
    data = json.loads(json.dumps(yaml.safe_load(front), default=str))
    data["location"] = "Somewhere Else, ST"
    written = "---\n" + decap_style(data, list(validation.schema("news")["properties"])) + "---\n" + body
    formatted = yamlstyle.format_text(written, kind, original)
    changed = [(a, b) for a, b in zip(original.splitlines(), formatted.splitlines(), strict=True) if a != b]
    assert [b for _, b in changed] == ["location: Somewhere Else, ST"]


@pytest.mark.parametrize(
    "text",
    ["plain words", "License Plate Readers: A Primer", "[bracketed", "2022", "true", "null", "2024-05-01",
     "  leading space", "it's # not a comment", "*star", "- dash", "Ünïcode — dash", "x" * 150,
     "A long sentence " * 12, "two\nlines", "ends with newline\n", "'quoted'", '"double"', "a:b", "@at"],
)  # fmt: skip
def test_fmt_writes_any_text_so_that_it_reads_back_the_same(text: str) -> None:
    written = yamlemit.emit("summary", text, {})
    assert yamlblocks.value(yamlblocks.compose(written)) == {"summary": text}, written  # type: ignore[arg-type]
    assert all(len(line) <= yamlemit.MAX_LINE for line in written.splitlines()) or "\n" not in written.strip()
