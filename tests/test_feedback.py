"""Cite, suggest, report: the citation with its copy button, and the prefilled ``mailto:`` links
(RFC 6068) to the contact address: report a problem (every page), suggest a resource (the
clearinghouse), e-mail this toolkit (the toolkit page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import BrowserContext

from psp_static.mailto import mailto
from tests.conftest import REAL_CONTENT, Server, build, html_files, soup, watch

# A title that tries every way out of a mailto body: a new header, line breaks, an encoded line
# break, a fragment and a plus sign that some decoders read as a space.
HOSTILE = "Guns & Gangs?cc=evil@example.com&bcc=evil@example.com %0ABcc: evil@example.com #top + more"


def fields(href: str) -> tuple[str, dict[str, str]]:
    """The address and the decoded header fields of a mailto URL, as RFC 6068 reads them (a
    field may not repeat; a ``+`` is a plus sign, not a space)."""
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and not parts.fragment, href
    pairs = [(unquote(k), unquote(v)) for k, _, v in (field.partition("=") for field in parts.query.split("&"))]
    assert len({k for k, _ in pairs}) == len(pairs), href
    return unquote(parts.path), dict(pairs)


def test_mailto_encodes_every_character_that_could_inject_a_header() -> None:
    body = f"Title: {HOSTILE}\nLine two\r\nLine three"
    href = mailto("info@example.org", f"About {HOSTILE}\nBcc: x@example.com", body)
    address, got = fields(href)
    assert address == "info@example.org"
    assert set(got) == {"subject", "body"}
    assert got["subject"] == f"About {HOSTILE} Bcc: x@example.com"  # one line
    assert got["body"] == f"Title: {HOSTILE}\r\nLine two\r\nLine three"  # line breaks are CRLF
    query = urlsplit(href).query
    assert "+" not in query and " " not in query and "%20" in query  # RFC 6068: %20, never +
    # The standard library's form decoder agrees: nothing but subject and body.
    assert [k for k, _ in parse_qsl(query, keep_blank_values=True)] == ["subject", "body"]


@pytest.fixture
def hostile_site(content: Path, tmp_path: Path) -> Path:
    """The fixture site with a resource whose title tries to inject headers into the e-mails."""
    path = content / "resources" / "lpr-primer.yaml"
    data = yaml.safe_load(path.read_text())
    data["title"] = HOSTILE
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    output = tmp_path / "output"
    build(content, output)
    return output


def report_link(page: BeautifulSoup) -> str:
    found = [a for a in page.select("footer a[href^='mailto:']") if a.get_text() == "Report a problem with this page"]
    assert len(found) == 1
    return str(found[0]["href"])


def test_every_page_has_a_report_link_naming_its_own_address(hostile_site: Path) -> None:
    config = yaml.safe_load((hostile_site.parent / "content" / "site.yaml").read_text())
    pages = list(html_files(hostile_site))
    assert pages
    for path in pages:
        page = soup(path)
        address, got = fields(report_link(page))
        assert address == config["contact"]["email"]
        canonical = page.select_one("link[rel=canonical]")
        assert canonical is not None and f"Page: {canonical['href']}\r\n" in got["body"], path
        title = page.select_one("meta[property='og:title']")
        assert title is not None and got["subject"] == f"Problem with a page: {title['content']}", path


def test_a_hostile_title_stays_inside_the_subject_and_the_citation(hostile_site: Path) -> None:
    page = soup(hostile_site / "resources" / "lpr-primer" / "index.html")
    _, got = fields(report_link(page))
    assert set(got) == {"subject", "body"}
    assert got["subject"] == f"Problem with a page: {HOSTILE}"
    cite = page.select_one("#cite-text")
    assert cite is not None and HOSTILE in cite.get_text()


def test_citation_names_author_year_title_publisher_and_address(real_site: Path) -> None:
    checked = 0
    for path in sorted((REAL_CONTENT / "resources").glob("*.yaml")):
        data: dict[str, Any] = yaml.safe_load(path.read_text())
        page = soup(real_site / "resources" / path.stem / "index.html")
        cite = page.select_one(".resource-cite #cite-text")
        assert cite is not None, path
        text = cite.get_text()
        assert text.startswith(data["author"]), path
        assert f"({data['year']})." in text and data["title"] in text, path
        canonical = page.select_one("link[rel=canonical]")
        assert canonical is not None
        assert str(data.get("url") or canonical["href"]) in text, path
        assert text.endswith("Accessed [date you read it].")
        if data.get("provider") and data["provider"] != data["author"]:
            assert f" {data['provider']}." in text, path
        button = page.select_one(".resource-cite button[data-copy='cite-text']")
        assert button is not None and button.has_attr("hidden")  # shown by its script only
        checked += 1
    assert checked == len(list((REAL_CONTENT / "resources").glob("*.yaml")))


def test_clearinghouse_offers_a_prefilled_suggestion(real_site: Path) -> None:
    config = yaml.safe_load((REAL_CONTENT / "site.yaml").read_text())
    page = soup(real_site / "clearinghouse" / "index.html")
    links = [a for a in page.select("main a[href^='mailto:']") if a.get_text() == "Suggest a resource"]
    assert len(links) == 1
    address, got = fields(str(links[0]["href"]))
    assert address == config["contact"]["email"]
    assert got["subject"] == "Suggest a resource for the clearinghouse"
    assert got["body"].endswith(config["base_url"].rstrip("/") + "/clearinghouse/")
    assert "Title of the resource:" in got["body"]


@pytest.mark.browser
def test_copy_button_copies_the_citation_and_says_copied(server: Server, context: BrowserContext) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = watch(context, server.url).page
    page.goto(server.url + "/resources/license-plate-readers-a-primer/")
    button = page.locator(".resource-cite button[data-copy]")
    button.wait_for(state="visible")
    button.click()
    page.wait_for_function("() => document.querySelector('.resource-cite__status').textContent !== ''")
    assert button.inner_text() == "Copied"
    assert page.locator(".resource-cite [role=status]").inner_text() == "Copied to the clipboard."
    assert page.evaluate("navigator.clipboard.readText()") == page.locator("#cite-text").inner_text()
    page.keyboard.press("Tab")  # focus moves on: the button reads as before
    assert button.inner_text() == "Copy the citation"


@pytest.mark.browser
def test_toolkit_email_link_carries_the_share_link(server: Server, context: BrowserContext) -> None:
    ids = sorted(int(yaml.safe_load(p.read_text())["id"]) for p in (REAL_CONTENT / "resources").glob("*.yaml"))[:2]
    page = watch(context, server.url).page
    page.goto(server.url + "/toolkit/")
    page.wait_for_selector("#toolkit[data-ready=true]")
    page.evaluate(f"pspToolkit.set({ids})")
    page.wait_for_function(f"() => document.querySelector('#toolkit-share').value.endsWith('{ids[-1]}')")
    share = page.locator("#toolkit-share").input_value()
    address, got = fields(str(page.locator("#toolkit-email").get_attribute("href")))
    assert address == yaml.safe_load((REAL_CONTENT / "site.yaml").read_text())["contact"]["email"]
    assert got["body"].endswith("\r\n" + share)
    assert got["subject"].startswith("My toolkit")
    assert page.locator("#toolkit-email").is_visible()
