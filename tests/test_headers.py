"""The ``_headers`` file (Netlify and Cloudflare Pages syntax) and every page's referrer meta tag."""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest
import yaml

from psp_static import admin_page, cms, pipeline
from psp_static.errors import ContentErrors
from tests.conftest import REAL_CONTENT, build, html_files, soup

WANTED = {"Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy",
          "Permissions-Policy"}  # fmt: skip


def parse_headers(text: str) -> list[tuple[str, dict[str, str]]]:
    """Rules of a ``_headers`` file: a path pattern at the line start, then indented ``Name: value``
    lines; comments and blank lines between. Anything else fails the test."""
    rules: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("/"):
            assert " " not in line, f"a path pattern has no spaces: {line!r}"
            rules.append((line, {}))
            continue
        assert line.startswith("  ") and rules, f"not a header line under a path: {line!r}"
        name, sep, value = line.strip().partition(": ")
        assert sep and value and name.replace("-", "").isalnum(), f"not a header: {line!r}"
        assert name not in rules[-1][1], f"{name} twice for {rules[-1][0]}"
        rules[-1][1][name] = value
    return rules


def matches(pattern: str, path: str) -> bool:
    """Whether a ``_headers`` pattern covers a request path (``*`` matches anything, ``/`` itself)."""
    return fnmatch.fnmatchcase(path, pattern) or (pattern.endswith("/*") and path == pattern[:-2] + "/")


def headers_for(rules: list[tuple[str, dict[str, str]]], path: str) -> dict[str, list[str]]:
    """Every header a host would send for ``path``: the rules it matches, joined."""
    found: dict[str, list[str]] = {}
    for pattern, headers in rules:
        if matches(pattern, path):
            for name, value in headers.items():
                found.setdefault(name, []).append(value)
    return found


def request_path(root: Path, file: Path) -> str:
    rel = file.relative_to(root).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def test_every_page_gets_each_header_once_and_the_editor_its_own_policy(real_site: Path) -> None:
    rules = parse_headers((real_site / "_headers").read_text())
    config = yaml.safe_load((REAL_CONTENT / "site.yaml").read_text())
    for file in html_files(real_site):
        path = request_path(real_site, file)
        got = headers_for(rules, path)
        assert set(got) >= WANTED, path
        assert all(len(values) == 1 for values in got.values()), f"{path}: {got}"
        [policy] = got["Content-Security-Policy"]
        assert policy.endswith("; frame-ancestors 'none'"), path
        meta = soup(file).select_one('meta[http-equiv="Content-Security-Policy"]')
        assert meta is not None
        # The header is the page's own policy, plus what only a header can say.
        assert policy == f"{meta['content']}; frame-ancestors 'none'", path
        assert got["Referrer-Policy"] == [config.get("referrer_policy", "strict-origin-when-cross-origin")]
        assert got["X-Content-Type-Options"] == ["nosniff"]
        assert got["Strict-Transport-Security"][0].startswith("max-age=31536000")
        assert "camera=()" in got["Permissions-Policy"][0]
    settings = cms.settings(REAL_CONTENT)
    assert settings is not None
    # The editor's page carries its own policy only: two policies would both be enforced.
    assert headers_for(rules, "/admin/")["Content-Security-Policy"] == [
        f"{admin_page.admin_csp(settings)}; frame-ancestors 'none'"
    ]


def test_every_output_file_is_covered(real_site: Path) -> None:
    rules = parse_headers((real_site / "_headers").read_text())
    for file in real_site.rglob("*"):
        if file.is_file() and file.name not in ("_headers", ".psp-static-output"):
            path = request_path(real_site, file)
            assert len(headers_for(rules, path).get("Content-Security-Policy", [])) == 1, path


def test_every_page_has_the_referrer_meta_tag(real_site: Path) -> None:
    config = yaml.safe_load((REAL_CONTENT / "site.yaml").read_text())
    wanted = config.get("referrer_policy", "strict-origin-when-cross-origin")
    pages = list(html_files(real_site))
    assert pages
    for file in pages:
        tags = soup(file).select('head meta[name="referrer"]')
        assert [t["content"] for t in tags] == [wanted], file


def test_referrer_policy_is_configured_and_checked(content: Path, tmp_path: Path) -> None:
    site = content / "site.yaml"
    site.write_text(site.read_text() + "referrer_policy: no-referrer\n")
    build(content, tmp_path / "out")
    meta = soup(tmp_path / "out" / "index.html").select_one('meta[name="referrer"]')
    assert meta is not None and meta["content"] == "no-referrer"
    assert "  Referrer-Policy: no-referrer\n" in (tmp_path / "out" / "_headers").read_text()
    site.write_text(site.read_text().replace("referrer_policy: no-referrer", "referrer_policy: unsafe-url"))
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    [error] = caught.value.errors
    line = site.read_text().splitlines().index("referrer_policy: unsafe-url") + 1
    assert (error.path, error.line, error.col) == (str(site), line, 18)
    assert "unsafe-url" in error.message


def test_without_the_editor_no_admin_rule(content: Path, tmp_path: Path) -> None:
    assert cms.settings(content) is None
    build(content, tmp_path / "out")
    rules = parse_headers((tmp_path / "out" / "_headers").read_text())
    assert not any(pattern.startswith("/admin") for pattern, _ in rules)
    assert set(headers_for(rules, "/")) >= WANTED
