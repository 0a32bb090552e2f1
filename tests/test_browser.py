"""The real site in Chromium: axe-core finds nothing, the keyboard reaches everything, and no page
breaks its Content-Security-Policy, logs an error, fails a request or calls a third-party host."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.conftest import REPO, Server, Watched, html_files, page_kinds, sitemap_paths, watch

pytestmark = pytest.mark.browser

AXE = REPO / "tests" / "tools" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_violations(page: Page) -> list[str]:
    assert AXE.exists(), "axe-core is missing: run `make test`, which installs the Node test tools"
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the browser, outside the page's CSP
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def kinds(real_site: Path) -> list[str]:
    return page_kinds(sitemap_paths(real_site))


def test_every_kind_of_page_is_covered(real_site: Path) -> None:
    covered = kinds(real_site)
    for expected in ("/", "/sites/", "/sites/albuquerque/", "/cohorts/2017/", "/team/", "/areas/community-engagement/",
                     "/clearinghouse/", "/news/", "/contact/", "/privacy/", "/404.html"):  # fmt: skip
        assert expected in covered


@pytest.mark.parametrize("width", [1280, 375])
def test_no_axe_violations_on_any_kind_of_page(
    real_site: Path, server: Server, context: BrowserContext, width: int
) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    for path in kinds(real_site):
        page.goto(server.url + path)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}


def test_no_axe_violations_without_javascript(server: Server, browser: Browser) -> None:
    # The page's own scripts are blocked (axe itself still runs through the debugging protocol),
    # which is what a visitor with scripts off, or a failed script download, gets.
    context = browser.new_context()
    context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    found = {}
    for path in ("/", "/sites/", "/clearinghouse/", "/resources/license-plate-readers-a-primer/"):
        page.goto(server.url + path)
        assert page.evaluate("document.documentElement.className") == ""
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    context.close()
    assert found == {}


def chunks(count: int) -> list[int]:
    return list(range(count))


@pytest.mark.parametrize("part", chunks(4))
def test_every_page_loads_cleanly_under_its_csp(
    real_site: Path, server: Server, context: BrowserContext, part: int
) -> None:
    pages = sorted("/" + p.relative_to(real_site).as_posix().removesuffix("index.html") for p in html_files(real_site))
    watched = watch(context, server.url)
    problems: dict[str, list[str]] = {}
    for path in pages[part::4]:
        # Leave the last page first: requests it still had running when we move on are cancelled
        # by the browser (net::ERR_ABORTED), which is no fault of either page.
        watched.page.goto("about:blank")
        watched.problems.clear()
        watched.page.goto(server.url + path, wait_until="load")
        csp = watched.page.evaluate("window.__csp")
        found = (
            watched.problems + [f"CSP violation: {v}" for v in csp] + [f"foreign request: {u}" for u in watched.foreign]
        )
        if found:
            problems[path] = found
        watched.foreign.clear()
    assert problems == {}


def visible_focusables(page: Page) -> list[str]:
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
          .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0
                   && getComputedStyle(el).visibility !== 'hidden'
                   && !(el.type === 'radio' && !el.checked))  // Tab stops on a group's checked radio only
          .map(el => el.outerHTML.slice(0, 120))"""
    )
    return found


FOCUS_STATE = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {html: el.outerHTML.slice(0, 120), outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
          shadow: s.boxShadow !== 'none', inView: r.bottom > 0 && r.top < innerHeight && r.width > 0};
}"""


@pytest.mark.parametrize("path", ["/", "/sites/", "/resources/license-plate-readers-a-primer/"])
def test_keyboard_reaches_every_control_in_order_with_visible_focus(
    server: Server, watched: Watched, path: str
) -> None:
    page = watched.page
    page.goto(server.url + path)
    expected = visible_focusables(page)
    reached = []
    for _ in range(len(expected) + 5):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["html"].startswith("<body"):
            break
        assert state["outline"] or state["shadow"], f"no visible focus indicator on {state['html']}"
        assert state["inView"], f"focused element is scrolled out of view: {state['html']}"
        reached.append(state["html"])
        if len(reached) == len(expected):
            break
    assert reached == expected


def test_skip_link_is_first_visible_on_focus_and_moves_focus_to_main(server: Server, watched: Watched) -> None:
    page = watched.page
    page.goto(server.url + "/sites/")
    page.keyboard.press("Tab")
    skip = page.locator(".usa-skipnav")
    assert page.evaluate("document.activeElement.className") == "usa-skipnav"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    # The next stop is inside main content, not back in the header.
    assert page.evaluate("document.getElementById('main-content').contains(document.activeElement)")


def test_mobile_menu_opens_closes_and_keeps_focus(server: Server, context: BrowserContext) -> None:
    watched = watch(context, server.url)
    page = watched.page
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(server.url + "/")
    nav = page.locator("#primary-nav")
    assert not nav.is_visible()
    page.locator(".usa-menu-btn").click()
    assert nav.is_visible()
    assert page.locator(".usa-menu-btn").get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.className") == "usa-nav__close"
    page.keyboard.press("Escape")
    assert not nav.is_visible()
    assert page.evaluate("document.activeElement.className") == "usa-menu-btn"
    assert watched.problems == []


def test_navigation_is_reachable_without_javascript_on_a_phone(server: Server, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(server.url + "/")
    assert page.locator("#primary-nav").is_visible()
    assert not page.locator(".usa-menu-btn").is_visible()
    assert page.locator("#primary-nav a", has_text="Clearinghouse").is_visible()
    context.close()
