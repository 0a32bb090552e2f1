"""Script payloads in every text field of every content type end up as inert text.

Plain-text fields are autoescaped; Markdown fields refuse raw HTML and unsafe links with a
content error. A page that ran a payload would set ``window.__xss`` or open a dialog.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import BrowserContext, Dialog

from psp_static import validation
from psp_static.errors import ContentErrors
from psp_static.loader import KINDS
from tests.conftest import build, built_and_watched, html_files, soup

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=1">',
    "'><svg onload=window.__xss=1>",
    "</title></head><script>window.__xss=1</script>",
    "{{ 7*7 }}{% if true %}jinja{% endif %}",
    "javascript:window.__xss=1",
    '<a href="javascript:window.__xss=1">click</a>',
    "\u2028</script><script>window.__xss=1</script>",
    "<iframe srcdoc='<script>parent.__xss=1</script>'></iframe>",
]


def soup_text(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def is_plain_text(schema: dict[str, Any]) -> bool:
    return (
        schema.get("type") == "string"
        and not {"enum", "pattern", "format"} & schema.keys()
        and "Markdown" not in schema.get("description", "")
    )


def is_markdown(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "string" and "Markdown" in schema.get("description", "")


def fit(payload: str, schema: dict[str, Any]) -> str:
    text = payload
    while len(text) < schema.get("minLength", 0):
        text += " padding"
    return text[: schema.get("maxLength", len(text))]


def poison(data: Any, schema: dict[str, Any], payloads: Iterator[str]) -> Any:
    """Put a payload in every plain-text field the schema allows (adding optional ones)."""
    if schema.get("type") == "object" and isinstance(data, dict):
        for key, sub in schema.get("properties", {}).items():
            if is_plain_text(sub):
                data[key] = fit(next(payloads), sub)
            elif key in data:
                data[key] = poison(data[key], sub, payloads)
        return data
    if schema.get("type") == "array" and isinstance(data, list):
        return [poison(item, schema.get("items", {}), payloads) for item in data]
    return data


def poisoned_content(content: Path) -> int:
    """Rewrite every content file with payloads; return how many fields were poisoned."""
    payloads = itertools.cycle(PAYLOADS)
    count = 0

    def counting() -> Iterator[str]:
        nonlocal count
        for payload in payloads:
            count += 1
            yield payload

    stream = counting()
    for kind in KINDS:
        paths = sorted((content / kind.location).iterdir()) if kind.collection else [content / kind.location]
        for path in paths:
            text = path.read_text()
            schema = validation.schema(kind.name)
            if kind.markdown:
                front, body = text[4:].split("\n---\n", 1)
                data = poison(yaml.safe_load(front), schema, stream)
                path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body)
            else:
                data = poison(yaml.safe_load(text), schema, stream)
                path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return count


@pytest.mark.browser
def test_payloads_in_every_text_field_stay_inert(content: Path, tmp_path: Path, context: BrowserContext) -> None:
    # Give the one joint-site place without coordinates its own, so its poisoned name needs no lookup.
    joint = content / "sites" / "oakland-richmond.yaml"
    place = "  - name: Richmond\n    state: CA\n"
    joint.write_text(joint.read_text().replace(place, place + "    latitude: 37.94\n    longitude: -122.35\n"))
    assert poisoned_content(content) > 60
    out = tmp_path / "out"
    with built_and_watched(content, out, context) as (server, watched):
        dialogs: list[str] = []

        def on_dialog(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        watched.page.on("dialog", on_dialog)
        for path in html_files(out):
            route = "/" + path.relative_to(out).as_posix().removesuffix("index.html")
            watched.page.goto(server.url + route)
            assert watched.page.evaluate("window.__xss") is None, route
            assert watched.page.evaluate("window.__csp") == [], route  # an injected inline script was blocked
        assert dialogs == []
        assert watched.foreign == []
    # The payloads are shown as text, not swallowed.
    titles = [h1.get_text() for p in (out / "resources").glob("*/index.html") if (h1 := soup(p).h1) is not None]
    assert any("<" in title or "{{" in title for title in titles)  # which title gets which payload varies
    assert "49" not in (out / "index.html").read_text().split("{{ 7*7 }}")[0][-5:]  # Jinja never evaluates content


MARKDOWN_PAYLOADS = [p for p in PAYLOADS if "<" in p] + [
    "[click](javascript:window.__xss=1)",
    "[click](JaVaScRiPt:window.__xss=1)",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](https://evil.example/x.png)",
    '[x](https://example.org/"onmouseover="window.__xss=1)',
    '<https://example.org/"onmouseover="window.__xss=1>',
]


def dangerous(html: str) -> list[str]:
    doc = soup_text(html)
    found = [t.name for t in doc.find_all(["script", "iframe", "svg", "img", "object", "embed"])]
    found += [f"{t.name}[{a}]" for t in doc.find_all(True) for a in t.attrs if a.startswith("on")]
    safe = ("/", "#", "https:", "mailto:")
    found += [str(t["href"]) for t in doc.find_all(href=True) if not str(t["href"]).startswith(safe)]
    return found


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_payloads_in_markdown_are_refused_or_inert(content: Path, tmp_path: Path, payload: str) -> None:
    area = content / "areas" / "technology.yaml"
    data = yaml.safe_load(area.read_text())
    data["description"] = "Some text.\n\n" + payload + "\n"
    area.write_text(yaml.safe_dump(data))
    news = content / "news" / "fixture-summit.md"
    news.write_text(news.read_text() + "\n\n" + payload + "\n")
    out = tmp_path / "out"
    try:
        build(content, out)
    except ContentErrors as caught:
        assert {e.path for e in caught.errors} == {str(area), str(news)}
        assert not out.exists()
        return
    for page in (out / "areas" / "technology" / "index.html", out / "news" / "fixture-summit" / "index.html"):
        main = soup(page).find("main")
        assert main is not None
        assert dangerous(str(main)) == [], page


def test_unsafe_urls_in_url_fields_are_refused(content: Path) -> None:
    path = content / "resources" / "lpr-primer.yaml"
    path.write_text(path.read_text().replace("https://example.org/lpr.pdf", "'javascript:alert(1)'"))
    config = content / "site.yaml"
    bad = "'data:text/html,<script>x</script>'"
    config.write_text(config.read_text().replace("https://www.openstreetmap.org/copyright", bad))
    with pytest.raises(ContentErrors) as caught:
        build(content, content.parent / "out")
    assert len(caught.value.errors) == 2
    assert all("is not a valid https:// web address" in e.message for e in caught.value.errors)
