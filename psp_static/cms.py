"""The content editor at ``/admin/``: Decap CMS, configured from the JSON Schemas the build checks with.

Nothing here describes the content a second time: a collection per content type, a widget per
schema property (required or optional as the schema says, its description as the hint), and
select lists from the vocabularies the content defines (cohorts, areas, types, sizes, sponsors,
sites). A field added to a schema reaches the editor on the next build.

The editor is built only when ``content/site.yaml`` has a ``cms`` block. Its page is left out of
the sitemap and the search data, says ``noindex``, and carries a Content-Security-Policy of its
own: Decap needs more than the public pages allow (see :func:`admin_csp`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from psp_static import editor_schemas, loader, validation
from psp_static.errors import BuildError
from psp_static.model import SiteContent

ADMIN = "admin/"  # where the editor is published, below the site's root
LOCAL_PORT = 8081  # decap-server's own default
# Schema properties that hold a slug or code from a vocabulary of the content, by property name.
VOCABULARY_FIELDS = {
    "cohort": "cohorts",
    "areas": "areas",
    "area": "areas",
    "type": "types",
    "agency_sizes": "agency_sizes",
    "sponsor": "sponsors",
    "sites": "sites",
    "site": "sites",
}
# How each content type is labelled and named in the editor; which folder types editors may add to.
LABELS = {
    "config": ("Website settings", "Website settings"),
    "clearinghouse": ("Clearinghouse lists", "Clearinghouse lists"),
    "home": ("Home page", "Home page"),
    "area": ("Core areas", "Core area"),
    "cohort": ("Cohorts", "Cohort"),
    "role": ("Team roles", "Team role"),
    "site": ("PSP sites", "PSP site"),
    "resource": ("Clearinghouse resources", "Clearinghouse resource"),
    "page": ("Pages", "Page"),
    "news": ("Items of interest", "Item of interest"),
}
CREATE = ("cohort", "site", "resource", "page", "news")  # areas and roles are fixed by the program
_ORDER = ("resource", "site", "news", "page", "cohort", "area", "role")  # the editor's menu, busiest first
_LINE = 240  # a string that may be longer than this gets a multi-line text box


@dataclasses.dataclass(frozen=True)
class Settings:
    """The ``cms`` block of ``content/site.yaml``."""

    repo: str  # owner/name on GitHub
    branch: str = "main"
    auth_url: str = "https://api.netlify.com"  # the OAuth client that signs editors in to GitHub
    local_port: int = LOCAL_PORT  # where `psp-static serve --cms` runs the local backend

    @classmethod
    def from_config(cls, data: dict[str, Any]) -> Settings | None:
        block = data.get("cms")
        if not isinstance(block, dict):
            return None
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in block.items() if k in known})

    @property
    def local_url(self) -> str:
        return f"http://localhost:{self.local_port}/api/v1"


def settings(content: Path) -> Settings | None:
    """The editor's settings from ``content/site.yaml``; None when the site leaves the editor out."""
    try:
        data = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    return Settings.from_config(data) if isinstance(data, dict) else None


# --- the configuration ---------------------------------------------------------------------------


def vocabularies(site: SiteContent) -> dict[str, list[tuple[str, str]]]:
    """Each vocabulary as (value, label) pairs, in the content's own order."""
    ch = site.clearinghouse
    return {
        "cohorts": [(c.slug, c.name) for c in site.cohorts],
        "areas": [(a.slug, a.name) for a in site.areas],
        "types": [(t.slug, t.name) for t in ch.types],
        "agency_sizes": [(s.slug, s.name) for s in ch.agency_sizes],
        "sponsors": [(s.code, f"{s.code}: {s.name}") for s in ch.sponsors],
        "sites": [(s.slug, s.name) for s in site.sites],
    }


def next_resource_id(site: SiteContent) -> int:
    """The number a new resource takes: one more than the highest in use."""
    return max((r.id for r in site.resources), default=1000) + 1


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _variant(schema: dict[str, Any]) -> dict[str, Any]:
    """One schema for a property that accepts several (``anyOf``/``oneOf``): the richest, an object."""
    options = schema.get("anyOf") or schema.get("oneOf")
    if not options:
        return schema
    merged = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
    best = next((o for o in options if o.get("type") == "object"), options[0])
    return {**best, **merged}


def field(name: str, schema: dict[str, Any], required: bool, vocab: dict[str, list[tuple[str, str]]],
          markdown: bool = False) -> dict[str, Any]:  # fmt: skip
    """The Decap field for one schema property."""
    schema = _variant(schema)
    out: dict[str, Any] = {"label": _label(name), "name": name}
    hint = schema.get("description") or schema.get("items", {}).get("description")
    if hint:
        out["hint"] = hint
    if not required:
        out["required"] = False
    kind = schema.get("type")
    items = _variant(schema.get("items", {}))
    if name in VOCABULARY_FIELDS and "enum" not in schema and "enum" not in items:
        out |= {"widget": "select", "options": [{"label": lb, "value": v} for v, lb in vocab[VOCABULARY_FIELDS[name]]]}
        if kind == "array":
            out |= {"multiple": True, **_bounds(schema, "minItems", "maxItems")}
    elif "enum" in schema:
        out |= {"widget": "select", "options": [str(v) for v in schema["enum"]]}
    elif kind == "array" and "enum" in items:
        out |= {"widget": "select", "multiple": True, "options": [str(v) for v in items["enum"]]}
        out |= _bounds(schema, "minItems", "maxItems")
    elif kind == "array":
        out |= {"widget": "list", **_bounds(schema, "minItems", "maxItems")}
        if items.get("type") == "object":
            out["fields"] = fields(items, vocab)
            first = next(iter(items.get("properties", {})), None)
            if first:
                out["summary"] = "{{fields." + first + "}}"
        else:
            out["field"] = field(name.rstrip("s") or name, items, True, vocab)
    elif kind == "object":
        out |= {"widget": "object", "fields": fields(schema, vocab)}
    elif kind in ("integer", "number"):
        out |= {"widget": "number", "value_type": "int" if kind == "integer" else "float"}
        out |= {"step": 1} if kind == "integer" else {"step": 0.01}
        out |= _bounds(schema, "minimum", "maximum")
    elif kind == "boolean":
        out |= {"widget": "boolean", "default": False}
    elif schema.get("format") == "date":
        out |= {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
    elif markdown or "Markdown" in str(schema.get("description", "")):
        out |= {"widget": "markdown", "minimal": True, "buttons": ["bold", "italic", "link", "bulleted-list"],
                "editor_components": [], "modes": ["rich_text", "raw"]}  # fmt: skip
    else:
        long = schema.get("maxLength", 0) > _LINE or schema.get("minLength", 0) > _LINE // 4
        out["widget"] = "text" if long else "string"
    if "pattern" in schema:
        out["pattern"] = [schema["pattern"], f"Must match {schema['pattern']}" + _pattern_hint(schema)]
    elif kind == "string" and ("minLength" in schema or "maxLength" in schema):
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        # Decap has no length limits of its own: a pattern holds them, so the form says so early.
        if high or low > 1:
            regex = "^[\\s\\S]{" + str(low) + "," + (str(high) if high else "") + "}$"
            span = f"{low} to {high}" if high else f"at least {low}"
            out["pattern"] = [regex, f"Write {span} characters."]
    return out


def _pattern_hint(schema: dict[str, Any]) -> str:
    return ", a full web address." if schema.get("format") == "uri" else "."


def _bounds(schema: dict[str, Any], low: str, high: str) -> dict[str, Any]:
    out = {}
    if low in schema and (low == "minimum" or schema[low] > 0):
        out["min"] = schema[low]
    if high in schema:
        out["max"] = schema[high]
    return out


def fields(schema: dict[str, Any], vocab: dict[str, list[tuple[str, str]]]) -> list[dict[str, Any]]:
    """The Decap fields for every property of an object schema, in the schema's order."""
    required = set(schema.get("required", []))
    return [field(name, prop, name in required, vocab) for name, prop in schema.get("properties", {}).items()]


def collection(kind: loader.Kind, site: SiteContent, content: str) -> dict[str, Any]:
    """The Decap collection for one content type (a folder of files, or one file)."""
    vocab = vocabularies(site)
    own = fields(validation.schema(kind.name), vocab)
    if kind.name == "resource":
        for f in own:
            if f["name"] == "id":
                f["default"] = next_resource_id(site)
    if kind.markdown:
        own.append({"label": "Body", "name": "body", "widget": "markdown", "hint": "The page's text, in Markdown."})
    # The first field carries the modeline comment, so a new file starts with it, as the hand-made ones do.
    own[0]["comment"] = editor_schemas.modeline(kind).removeprefix("# ")
    plural, singular = LABELS.get(kind.name, (kind.name, kind.name))
    ident = "name" if "name" in validation.schema(kind.name).get("properties", {}) else "title"
    fmt = {"format": "frontmatter", "extension": "md"} if kind.markdown else {"format": "yaml", "extension": "yaml"}
    if not kind.collection:
        return {
            "name": kind.name,
            "label": plural,
            "files": [{"name": kind.name, "label": singular, "file": f"{content}/{kind.location}", "fields": own}],
            **({"format": "frontmatter"} if kind.markdown else {}),
        }
    return {
        "name": kind.name,
        "label": plural,
        "label_singular": singular,
        "folder": f"{content}/{kind.location}",
        **fmt,
        "create": kind.name in CREATE,
        "delete": kind.name != "resource",  # saved toolkits and shared links name resources by id
        "slug": "{{slug}}",
        "identifier_field": ident,
        "summary": "{{" + ident + "}}",
        "sortable_fields": [ident],
        "fields": own,
    }


def config(site: SiteContent, cms: Settings, content: str = "content") -> dict[str, Any]:
    """The whole Decap configuration (``admin/config.yml``)."""
    kinds = sorted(
        loader.KINDS, key=lambda k: (k.collection is False, _ORDER.index(k.name) if k.name in _ORDER else 99)
    )
    return {
        "backend": {
            "name": "github",
            "repo": cms.repo,
            "branch": cms.branch,
            "base_url": cms.auth_url,
            "squash_merges": True,
            "commit_messages": {
                "create": "Add {{collection}} “{{slug}}” (in the browser)",
                "update": "Edit {{collection}} “{{slug}}” (in the browser)",
                "delete": "Remove {{collection}} “{{slug}}” (in the browser)",
            },
        },
        # Decap uses this only on localhost or 127.0.0.1: `psp-static serve --cms` runs it there.
        "local_backend": {"url": cms.local_url, "allowed_hosts": ["localhost", "127.0.0.1"]},
        "publish_mode": "editorial_workflow",
        "site_url": site.config.base_url,
        "display_url": site.config.base_url,
        "locale": "en",
        "media_folder": f"{content}/media",  # Decap requires one; the content has no uploads
        "show_preview_links": False,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(kind, site, content) for kind in kinds],
    }


# --- the published files -------------------------------------------------------------------------


def vendor_folder() -> Path:
    return Path(str(resources.files("psp_static").joinpath("admin", "decap-cms")))


def decap_version() -> str:
    return (vendor_folder() / "VERSION").read_text(encoding="utf-8").strip()


def admin_csp(cms: Settings) -> str:
    """The admin page's own policy: what Decap needs, on /admin/ alone.

    Decap's React styling writes ``<style>`` elements at run time ('unsafe-inline' styles), and
    its configuration check compiles JSON Schemas to functions ('unsafe-eval'); it talks to the
    GitHub API, or to the local backend on this computer, and shows GitHub avatars. Scripts still
    come only from this site: no inline script.
    """
    auth = cms.auth_url.rstrip("/")
    return (
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob: https://avatars.githubusercontent.com; "
        f"connect-src 'self' https://api.github.com {auth} http://localhost:{cms.local_port}; "
        "font-src 'self'; frame-src 'self' blob:; worker-src 'self' blob:; "
        "object-src 'none'; base-uri 'none'; form-action 'none'"
    )


def admin_page(site: SiteContent, cms: Settings) -> str:
    """``admin/index.html``: loads Decap; says what to do without JavaScript."""
    title = html.escape(f"Content editor – {site.config.title}")
    description = html.escape(f"Edit the {site.config.short_title} website's content in the browser (staff only).")
    return f"""<!DOCTYPE html>
<html lang="{html.escape(site.config.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(admin_csp(cms), quote=False)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="{html.escape(site.config.referrer_policy)}">
<title>{title}</title>
<meta name="description" content="{description}">
</head>
<body>
<noscript>
<h1>Content editor</h1>
<p>The content editor needs JavaScript. Without it, edit the files in the repository's content folder
as CONTRIBUTING.md explains.</p>
</noscript>
<script src="decap-cms-{decap_version()}/decap-cms.js"></script>
</body>
</html>
"""


def outputs(site: SiteContent, content: Path) -> list[tuple[str, str | bytes]]:
    """The editor's files, published under ``admin/``; none when site.yaml leaves it out."""
    cms = settings(content)
    if cms is None:
        return []
    text = yaml.safe_dump(config(site, cms), sort_keys=False, allow_unicode=True, width=120)
    files: list[tuple[str, str | bytes]] = [
        (ADMIN + "index.html", admin_page(site, cms)),
        (ADMIN + "config.yml", "# Generated by psp-static from the content schemas: do not edit.\n" + text),
    ]
    bundle = f"{ADMIN}decap-cms-{decap_version()}/"
    for path in sorted(vendor_folder().iterdir()):
        if path.suffix in (".js", ".wasm"):
            files.append((bundle + path.name, path.read_bytes()))
    return files


# --- the local backend ---------------------------------------------------------------------------

DECAP_SERVER = Path("tools/cms/node_modules/.bin/decap-server")


def _repository(folder: Path) -> Path:
    """The Git working copy that holds ``folder``."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as exc:
        raise BuildError(f"{folder} is not in a Git working copy: the local editor commits to one ({exc})") from exc
    return Path(top)


@contextlib.contextmanager
def local_backend(content: Path, port: int, server: Path | None = None, timeout: float = 30.0) -> Iterator[str]:
    """Run decap-server against the working copy that holds ``content``; yield its API address.

    It runs in Git mode, the one that supports the editorial workflow: a draft is a ``cms/...``
    branch of the working copy, and publishing merges it. Failing to start is an error that
    says why (its own output), never a wait without end.
    """
    repo = _repository(content.resolve())
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo, capture_output=True, text=True, check=False
    ).stdout.split("\n")[:3]
    if any(changed):
        raise BuildError(
            f"{repo} has uncommitted changes ({', '.join(c.strip() for c in changed if c)} …): commit or stash "
            "them first, because the local editor switches branches in this working copy as it saves drafts"
        )
    program = server or _find_server(repo)
    env = {**os.environ, "PORT": str(port), "MODE": "git", "GIT_REPO_DIRECTORY": str(repo), "BIND_HOST": "127.0.0.1"}
    log = (repo / ".git" / "decap-server.log").open("w+", encoding="utf-8")
    process = subprocess.Popen([str(program)], cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}/api/v1"
    try:
        _wait_for(url, process, log, timeout)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _find_server(repo: Path) -> Path:
    for base in (repo, Path.cwd()):
        if (base / DECAP_SERVER).exists():
            return base / DECAP_SERVER
    found = shutil.which("decap-server")
    if found:
        return Path(found)
    raise BuildError(f"decap-server is not installed: run `make cms`, which installs it into {DECAP_SERVER.parent}")


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Any, timeout: float) -> None:
    """Return once the backend answers; raise with its output if it exits or stays silent."""
    deadline = time.monotonic() + timeout
    request = json.dumps({"action": "info"}).encode()
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, request, {"Content-Type": "application/json"}), timeout=2
            ) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    log.flush()
    log.seek(0)
    said = log.read().strip()[-2000:] or "(no output)"
    status = f"exited with status {process.returncode}" if process.poll() is not None else f"no answer in {timeout} s"
    raise BuildError(f"the local backend (decap-server) did not start at {url}: {status}. It said: {said}")
