"""Federal mode, complete: the Digital Analytics Program switch (script, CSP in the pages and in
``_headers``, the privacy page's words), the accessibility statement's Section 508 contact, and the
refusal to build a federal site whose identifier lacks a required link. Grantee mode shows none of
it and makes no third-party request (checked in Chromium, with DAP's host blocked and counted)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner
from playwright.sync_api import BrowserContext

from psp_static import federal, pipeline
from psp_static.cli import cli
from psp_static.errors import ContentErrors
from tests.conftest import build, built_and_watched, html_files, soup
from tests.test_browser import axe_violations
from tests.test_html_valid import vnu_errors

DAP_HOST = "dap.digitalgov.gov"
DAP_SCRIPT = "https://dap.digitalgov.gov/Universal-Federated-Analytics-Min.js"  # DAP's centrally hosted file


def configure(content: Path, identity: str, analytics: bool) -> dict[str, Any]:
    """Set the fixture's identity and DAP switch; return site.yaml as read back."""
    path = content / "site.yaml"
    text = path.read_text().replace("identity: grantee", f"identity: {identity}")
    text = text.replace("    enabled: false", f"    enabled: {'true' if analytics else 'false'}")
    path.write_text(text)
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@pytest.fixture(params=[("grantee", True), ("federal", False), ("federal", True)], ids=lambda p: f"{p[0]}-dap-{p[1]}")
def mode(request: pytest.FixtureRequest, content: Path, tmp_path: Path) -> tuple[str, bool, Path, dict[str, Any]]:
    identity, switch = request.param
    config = configure(content, identity, switch)
    out = tmp_path / "out"
    build(content, out)
    return identity, switch, out, config


def csp_directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in policy.split(";")) if d}


def dap_scripts(page: BeautifulSoup) -> list[str]:
    return [str(s["src"]) for s in page.find_all("script", src=True) if DAP_HOST in str(s["src"])]


def test_dap_script_and_csp_only_when_federal_and_switched_on(mode: tuple[str, bool, Path, dict[str, Any]]) -> None:
    identity, switch, out, config = mode
    on = identity == "federal" and switch
    dap = config["federal"]["analytics"]
    pages = list(html_files(out))
    assert pages
    for path in pages:
        page = soup(path)
        meta = page.select_one("meta[http-equiv=Content-Security-Policy]")
        assert meta is not None
        policy = csp_directives(str(meta["content"]))
        assert ("https://dap.digitalgov.gov" in policy["script-src"]) is on, path
        assert all("google" not in source for source in policy["script-src"] + policy["connect-src"]) is not on
        scripts = dap_scripts(page)
        if not on:
            assert scripts == [], path
            continue
        [src] = scripts
        parts = urlsplit(src)
        assert (
            f"{parts.scheme}://{parts.netloc}{parts.path}" == federal.DAP_SCRIPT
            if hasattr(federal, "DAP_SCRIPT")
            else True
        )
        assert parse_qs(parts.query) == {"agency": [dap["agency"]], "subagency": [dap["subagency"]]}
        tag = page.find("script", src=src)
        assert tag is not None and tag.has_attr("async") and not tag.get_text().strip()  # no inline code
    # _headers: each rule is a path pattern, then its indented headers; the editor at /admin/ has its own policy.
    rules: dict[str, list[str]] = {}
    for line in (out / "_headers").read_text().splitlines():
        if line and not line.startswith(("#", " ")):
            rules[line] = []
        elif line.strip().startswith("Content-Security-Policy:"):
            rules[list(rules)[-1]].append(line)
    public = [csp for pattern, csps in rules.items() if not pattern.startswith("/admin") for csp in csps]
    assert public and all(("https://dap.digitalgov.gov" in csp) is on for csp in public)


def test_privacy_page_says_what_the_switch_does(mode: tuple[str, bool, Path, dict[str, Any]]) -> None:
    identity, switch, out, _ = mode
    section = soup(out / "privacy" / "index.html").select_one("main .privacy-analytics")
    assert section is not None
    text = " ".join(section.get_text(" ").split())
    if identity == "federal" and switch:
        assert "Digital Analytics Program" in text and "sets cookies" in text
        assert "no analytics" not in text
    else:
        assert text.endswith("This site sets no cookies and uses no analytics or tracking tools.")
        assert "Digital Analytics Program" not in text


def test_accessibility_statement_names_the_508_contact_in_federal_mode(
    mode: tuple[str, bool, Path, dict[str, Any]],
) -> None:
    identity, _, out, config = mode
    statement = config["federal"]["section_508"]
    section = soup(out / "accessibility" / "index.html").select_one("main .section-508")
    if identity != "federal":
        assert section is None
        return
    assert section is not None
    facts = {dt.get_text(): dd for dt, dd in zip(section.select("dt"), section.select("dd"), strict=True)}
    contact = facts["Section 508 contact"]
    assert statement["contact"] in contact.get_text()
    assert contact.select_one(f"a[href='mailto:{statement['email']}']") is not None
    tested = facts["Last tested for accessibility"].select_one("time")
    assert tested is not None and tested["datetime"] == statement["tested"]
    assert f"Within {statement['reply_days']} business days" in facts["When you will hear back"].get_text()


@pytest.mark.parametrize("missing", [["foia"], ["no_fear", "oig", "section_508"], list(federal.REQUIRED_LINKS)])
def test_federal_mode_is_refused_while_a_required_link_is_missing(content: Path, missing: list[str]) -> None:
    configure(content, "federal", False)
    path = content / "site.yaml"
    data = yaml.safe_load(path.read_text())
    for key in missing:
        del data["federal"][key]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    federal_line = next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.startswith("federal:"))
    named = []
    for error in caught.value.errors:
        assert (error.path, error.line, error.col) == (str(path), federal_line, 1)
        assert error.message.startswith("identity is federal, but federal.")
        assert error.message.endswith("or set identity: grantee")
        named.append(error.message.split("federal.", 1)[1].split(" ", 1)[0])
    assert sorted(named) == sorted(missing)  # every missing link in one run


def test_refusal_is_clean_lines_from_the_command_line(content: Path) -> None:
    configure(content, "federal", False)
    path = content / "site.yaml"
    path.write_text(path.read_text().replace("  oig: https://oig.example.gov/\n", ""))
    result = CliRunner().invoke(cli, ["check", "--content", str(content)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "site.yaml:" in result.output and "federal.oig is missing" in result.output


def test_grantee_mode_ignores_a_missing_federal_block(content: Path) -> None:
    path = content / "site.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("federal:")] + text[text.index("map:") :])
    pipeline.check(pipeline.Options(content=content), strict=True)


# --- in Chromium: the requests each mode makes -----------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(("identity", "switch"), [("grantee", True), ("federal", False), ("federal", True)])
def test_requests_made_in_each_mode(
    content: Path, tmp_path: Path, context: BrowserContext, identity: str, switch: bool
) -> None:
    configure(content, identity, switch)
    out = tmp_path / "out"
    with built_and_watched(content, out, context) as (
        server,
        watched,
    ):  # aborts and records every request off this server
        page = watched.page
        for route in ("/", "/privacy/", "/clearinghouse/"):
            page.goto(server.url + route)
            page.wait_for_load_state("load")
        on = identity == "federal" and switch
        dap = [url for url in watched.foreign if urlsplit(url).hostname == DAP_HOST]
        assert len(dap) == (3 if on else 0)  # one per page, none in grantee mode or with the switch off
        assert [url for url in watched.foreign if urlsplit(url).hostname != DAP_HOST] == []
        assert page.evaluate("window.__csp") == []  # the policy allowed what the page asked for
        if identity == "federal":  # the banner, identifier and Section 508 statement pass axe-core
            for route in ("/accessibility/", "/privacy/"):
                page.goto(server.url + route)
                assert axe_violations(page) == [], route


@pytest.mark.slow
@pytest.mark.tools
def test_federal_pages_are_valid_html(content: Path, tmp_path: Path) -> None:
    """The banner, identifier, Section 508 statement and DAP script tag pass the Nu Html Checker."""
    configure(content, "federal", True)
    out = tmp_path / "out"
    build(content, out)
    assert vnu_errors(out) == []
