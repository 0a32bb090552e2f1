"""Tests that look: every kind of page measured in Chromium at phone and desktop widths.

Boxes are measured, not CSS read: sideways scrolling (WCAG 1.4.10 reflow), field widths, target
sizes and spacing (WCAG 2.5.8), overlapping controls, links left in the browser's default colours,
the height of the sites page on a phone, every site inside the interactive maps' first view, and
every count of sites a visitor reads against the site files it describes.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, BrowserContext, Page

from tests.conftest import REAL_CONTENT, Server, page_kinds, sitemap_paths, soup, watch

pytestmark = pytest.mark.browser

WIDTHS = (320, 375, 1280)
SITES_PAGE_MAX_HEIGHT = 15_000

# Everything a visitor aims at that WCAG 2.5.8 covers here (inline links are exempt by the rule).
MEASURE = """() => {
  const visible = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    // checkVisibility() is false inside a closed <details> (its content is skipped, not removed).
    return r.width > 1 && r.height > 1 && el.checkVisibility({visibilityProperty: true, opacityProperty: true})
      && s.clipPath === 'none' && s.clip === 'auto' && !el.closest('.usa-sr-only, .leaflet-container');
  };
  const describe = el => el.outerHTML.slice(0, 90).replace(/\\s+/g, ' ');
  const box = el => { const r = el.getBoundingClientRect();
    return {x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height, html: describe(el)}; };
  const fields = [...document.querySelectorAll(
      'input[type=text], input[type=search], input[type=email], input[type=url], input:not([type]), textarea')]
    .filter(visible).map(box);
  const targets = [...document.querySelectorAll(
      'button, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), select, textarea, summary,'
      + ' .usa-checkbox__label, .usa-radio__label')].filter(visible).map(box);
  const defaults = ['rgb(0, 0, 238)', 'rgb(85, 26, 139)', 'rgb(0, 0, 255)', 'rgb(238, 0, 0)'];
  const links = [...document.querySelectorAll('a[href]')].filter(visible)
    .filter(a => a.textContent.trim() && defaults.includes(getComputedStyle(a).color))
    .map(a => getComputedStyle(a).color + ' ' + describe(a));
  return {scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
          height: document.documentElement.scrollHeight, fields, targets, links};
}"""


def kinds(real_site: Path) -> list[str]:
    """One page of each kind, plus the toolkit holding a shared list (its actions show then)."""
    return [*page_kinds(sitemap_paths(real_site)), "/toolkit/?r=" + ",".join(resource_ids()[:3])]


def resource_ids() -> list[str]:
    ids = []
    for path in sorted((REAL_CONTENT / "resources").glob("*.yaml")):
        ids.append(str(yaml.safe_load(path.read_text(encoding="utf-8"))["id"]))
    return ids


def measure(page: Page, server: Server, path: str) -> dict[str, Any]:
    page.goto(server.url + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("/clearinghouse/") and path.count("/") == 2:
        page.wait_for_selector("#finder-results li")
    if path.startswith("/toolkit/"):
        page.wait_for_selector("#toolkit[data-ready]")
    result: dict[str, Any] = page.evaluate(MEASURE)
    return result


def overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(
        a["x"] < b["x"] + b["w"] - 0.5
        and b["x"] < a["x"] + a["w"] - 0.5
        and a["y"] < b["y"] + b["h"] - 0.5
        and b["y"] < a["y"] + a["h"] - 0.5
    )


def contains(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(
        a["x"] <= b["x"] + 0.5
        and a["y"] <= b["y"] + 0.5
        and a["x"] + a["w"] >= b["x"] + b["w"] - 0.5
        and a["y"] + a["h"] >= b["y"] + b["h"] - 0.5
    )


def circle_hits(c: dict[str, Any], box: dict[str, Any]) -> bool:
    """Whether the 24 px circle centred on ``c`` meets ``box`` (WCAG 2.5.8's spacing exception)."""
    cx, cy = c["x"] + c["w"] / 2, c["y"] + c["h"] / 2
    nx, ny = min(max(cx, box["x"]), box["x"] + box["w"]), min(max(cy, box["y"]), box["y"] + box["h"])
    return bool((cx - nx) ** 2 + (cy - ny) ** 2 < 12**2)


def target_problems(targets: list[dict[str, Any]]) -> list[str]:
    """Targets under 24 x 24 px without the spacing that excuses them, and overlapping controls."""
    problems = []
    for i, t in enumerate(targets):
        others = targets[:i] + targets[i + 1 :]
        if t["w"] < 23.5 or t["h"] < 23.5:
            crowded = [o for o in others if not contains(o, t) and not contains(t, o) and circle_hits(t, o)]
            if crowded:
                problems.append(f"{t['w']:.0f}x{t['h']:.0f} px target too close to others: {t['html']}")
        for o in targets[i + 1 :]:
            if overlaps(t, o) and not contains(t, o) and not contains(o, t):
                problems.append(f"overlapping controls: {t['html']} and {o['html']}")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_every_kind_of_page_reflows_with_wide_fields_and_big_targets(
    real_site: Path, server: Server, browser: Browser, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = watch(context, server.url).page
    problems: dict[str, list[str]] = {}
    narrowest: tuple[float, str] = (1e9, "")
    for path in kinds(real_site):
        found = measure(page, server, path)
        wrong = []
        if width == 320 and found["scroll"] > found["width"]:
            wrong.append(f"scrolls sideways: {found['scroll']} px of content in {found['width']} px")
        least = min(240, 0.6 * width)
        for f in found["fields"]:
            narrowest = min(narrowest, (f["w"], f"{path} {f['html']}"))
            if f["w"] < least - 0.5:
                wrong.append(f"field {f['w']:.0f} px wide (at least {least:.0f}): {f['html']}")
        wrong += target_problems(found["targets"])
        wrong += [f"link in the browser's default colour: {link}" for link in found["links"]]
        if wrong:
            problems[path] = wrong
    context.close()
    print(f"narrowest field at {width} px: {narrowest[0]:.0f} px ({narrowest[1]})")
    assert problems == {}, "\n".join(f"{path}: {line}" for path, lines in problems.items() for line in lines)


def test_checkbox_labels_in_the_finder_are_24_px_apart(server: Server, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = watch(context, server.url).page
    page.goto(server.url + "/clearinghouse/")
    page.wait_for_selector("#finder-results li")
    boxes = page.evaluate(
        "() => [...document.querySelectorAll('.finder__facet[open] .usa-checkbox__label')]"
        ".map(l => l.getBoundingClientRect()).map(r => [r.top, r.bottom, r.height])"
    )
    context.close()
    assert boxes and all(h >= 24 for _, _, h in boxes), boxes
    assert all(b[0] >= a[1] for a, b in itertools.pairwise(boxes) if b[0] > a[0])


def test_sites_page_on_a_phone_stays_compact(server: Server, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = watch(context, server.url).page
    page.goto(server.url + "/sites/")
    height = page.evaluate("document.documentElement.scrollHeight")
    # No loss of information: every site still has a link from the page.
    linked = page.evaluate(
        "() => new Set([...document.querySelectorAll('main table a[href^=\"/sites/\"]')].map(a => a.pathname)).size"
    )
    context.close()
    print(f"sites page at 375 px: {height} px tall")
    assert height < SITES_PAGE_MAX_HEIGHT
    assert linked == len(site_files())


# --- the interactive maps ---------------------------------------------------------------------------

MAP_VIEW = """id => {
  const map = pspMaps[id];
  const size = map.getSize();
  const box = map.getContainer().getBoundingClientRect();
  const outside = [];
  map.eachLayer(l => {
    if (l.feature && l.getLatLng) {
      const p = map.latLngToContainerPoint(l.getLatLng());
      if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) outside.push(l.feature.properties.label);
    }
  });
  map.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) l.getLayers().forEach(m => {
    if (!m.feature) return;
    const p = map.latLngToContainerPoint(m.getLatLng());
    if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) outside.push(m.feature.properties.label);
  }); });
  const focusable = [...map.getContainer().querySelectorAll('.leaflet-marker-icon[tabindex]')]
    .filter(el => el.tabIndex >= 0).map(el => [el.getAttribute('aria-label'), el.getBoundingClientRect()])
    .filter(([, r]) => r.left < box.left - 1 || r.top < box.top - 1
                       || r.right > box.right + 1 || r.bottom > box.bottom + 1)
    .map(([label]) => label);
  return {outside: [...new Set(outside)], focusable};
}"""


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", ["/", "/sites/"])
def test_every_site_is_in_the_maps_first_view(server: Server, browser: Browser, width: int, path: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = watch(context, server.url).page
    page.goto(server.url + path)
    element = page.locator(".site-map__canvas").get_attribute("id")
    page.wait_for_function(f"() => window.pspMaps && window.pspMaps[{element!r}]")
    found = page.evaluate(MAP_VIEW, element)
    context.close()
    assert found == {"outside": [], "focusable": []}


# --- counts of sites --------------------------------------------------------------------------------


def site_files() -> dict[str, list[str]]:
    """Each site file's slug with the cohorts it names."""
    found = {}
    for path in sorted((REAL_CONTENT / "sites").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[path.stem] = sorted({str(e["cohort"]) for e in data["engagements"]})
    return found


def cohorts() -> dict[str, str]:
    """Cohort slug to name."""
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))["name"]
        for p in sorted((REAL_CONTENT / "cohorts").glob("*.yaml"))
    }


def per_cohort() -> Counter[str]:
    return Counter(c for cs in site_files().values() for c in cs)


WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
NUMBERS = {w: i for i, w in enumerate(WORDS.split())}
COUNTED = re.compile(
    r"\b(\d+|" + "|".join(NUMBERS) + r") (?:new )?(?:PSP )?(sites?|cities(?: and counties)?)\b", re.IGNORECASE
)


def counts_in(text: str) -> list[int]:
    """Every count of sites written in ``text``, as numbers."""
    found = []
    for match in COUNTED.finditer(" ".join(text.split())):
        word = match.group(1).lower()
        found.append(int(word) if word.isdigit() else NUMBERS[word])
    return found


def main_text(page: BeautifulSoup) -> str:
    """The page's own words: titles of cited works ("Eight Cities Collaborate ...") are others'."""
    main = page.find("main")
    assert main is not None
    main = copy.copy(main)  # the page is shared with other tests
    for cited in main.find_all("cite"):
        cited.decompose()
    return main.get_text(" ")


def test_every_count_of_sites_on_the_home_sites_and_cohort_pages_counts_site_files(real_site: Path) -> None:
    total, each = len(site_files()), per_cohort()
    home = main_text(soup(real_site / "index.html"))
    sites = main_text(soup(real_site / "sites" / "index.html"))
    assert counts_in(home) and counts_in(sites)
    for text in (home, sites):
        for name, slug in ((n, s) for s, n in cohorts().items()):
            # "Pilot cohort: 15 sites" in captions and summaries.
            for count in re.findall(re.escape(name) + r"\W{1,3}(\d+) sites?", text):
                assert int(count) == each[slug], f"{name}: {count} != {each[slug]}"
    for page_text in (home, sites):
        for count in counts_in(page_text):
            assert count in set(each.values()) | {total}, count
    assert total in counts_in(sites) and total in counts_in(home)
    table = soup(real_site / "cohorts" / "index.html").select("main table tbody tr")
    names = {name: slug for slug, name in cohorts().items()}
    shown = {names[row.th.get_text(" ", strip=True)]: int(row.find_all("td")[-1].get_text()) for row in table if row.th}
    assert shown == dict(each)
    for slug in cohorts():
        text = main_text(soup(real_site / "cohorts" / slug / "index.html"))
        assert counts_in(text), f"the {slug} cohort page does not say how many sites it has"
        assert set(counts_in(text)) == {each[slug]}, f"{slug}: {counts_in(text)} but {each[slug]} site files"


def test_the_map_layer_control_counts_sites(server: Server, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = watch(context, server.url).page
    page.goto(server.url + "/sites/")
    page.wait_for_function("() => window.pspMaps && window.pspMaps['map_00000000']")
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    caption = page.locator(".site-map__caption").inner_text()
    context.close()
    each = per_cohort()
    shown = {}
    for label in labels:
        match = re.match(r"\s*(.+?) \((\d+) sites?\)", label)
        assert match, label
        shown[match.group(1)] = int(match.group(2))
    assert shown == {name: each[slug] for slug, name in cohorts().items()}
    assert counts_in(caption) == [len(site_files())]


# --- the toolkit button -----------------------------------------------------------------------------


def test_toolkit_button_says_what_it_does_and_its_pressed_state(server: Server, context: BrowserContext) -> None:
    page = watch(context, server.url).page
    page.goto(server.url + "/resources/license-plate-readers-a-primer/")
    button = page.locator(".resource .toolkit-toggle")
    assert button.inner_text().strip() == "Save to my toolkit" and button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.inner_text().strip() == "Remove from my toolkit" and button.get_attribute("aria-pressed") == "true"
    page.reload()
    assert button.inner_text().strip() == "Remove from my toolkit" and button.get_attribute("aria-pressed") == "true"
    button.click()
    assert button.inner_text().strip() == "Save to my toolkit" and button.get_attribute("aria-pressed") == "false"


# The top of each visible action button, and how far the first one sits from the row's start.
ACTION_TOPS = """() => {
  const row = document.querySelector('.toolkit-actions__buttons').getBoundingClientRect();
  const boxes = [...document.querySelectorAll('.toolkit-actions__buttons .usa-button')]
    .filter(b => b.checkVisibility()).map(b => b.getBoundingClientRect());
  return [...boxes.map(b => Math.round(b.top)), Math.round(boxes[0].left - row.left)];
}"""


def test_toolkit_actions_sit_on_one_row_and_a_shared_toolkit_says_so(server: Server, context: BrowserContext) -> None:
    page = watch(context, server.url).page
    ids = resource_ids()[:2]
    page.goto(server.url + "/toolkit/")
    page.evaluate("ids => pspToolkit.set(ids)", [int(i) for i in ids])
    page.reload()
    page.wait_for_selector("#toolkit[data-ready]")
    *tops, indent = page.evaluate(ACTION_TOPS)  # your own toolkit: E-mail, Print, Download and Clear
    assert len(tops) == 4 and len(set(tops)) == 1 and indent == 0, (tops, indent)
    assert page.locator("h1").inner_text() == "My toolkit"
    page.goto(server.url + "/toolkit/?r=" + ",".join(ids))
    page.wait_for_selector("#toolkit[data-ready]")
    *tops, indent = page.evaluate(ACTION_TOPS)  # a shared one: Save these, E-mail, Print and Download
    assert len(tops) == 4 and len(set(tops)) == 1 and indent == 0, (tops, indent)
    assert page.locator("h1").inner_text() == "A shared toolkit"
    assert page.title().startswith("A shared toolkit")
    assert f"{len(ids)} resources" in page.locator("#toolkit-intro").inner_text()
    page.goto(server.url + "/toolkit/?r=")
    page.wait_for_selector("#toolkit[data-ready]")
    intro = page.locator("#toolkit-intro").inner_text()
    assert "0 resources" not in intro and "does not list any resource" in intro
    assert not page.locator("#toolkit-actions").is_visible()


def test_filters_fold_behind_one_button_on_a_phone_and_results_come_first(server: Server, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = watch(context, server.url).page
    page.goto(server.url + "/clearinghouse/")
    page.wait_for_selector("#finder-results li")
    toggle = page.locator("#finder-filters-toggle")
    first_box = page.locator(".finder__facet .usa-checkbox__label").first
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not first_box.is_visible()
    result = page.locator("#finder-results li").first.bounding_box()
    assert result is not None and result["y"] < 1500  # before: about 1,500 px of facets came first
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and first_box.is_visible()
    first_box.click()
    page.wait_for_function("() => document.getElementById('finder-filters-count').textContent === '(1 active)'")
    assert " ".join(toggle.inner_text().split()) == "Filters (1 active)"
    context.close()


def test_a_skip_link_jumps_past_the_facets_on_a_desktop(server: Server, context: BrowserContext) -> None:
    page = watch(context, server.url).page
    page.goto(server.url + "/clearinghouse/")
    page.wait_for_selector("#finder-results li")
    assert not page.locator("#finder-filters-toggle").is_visible()
    page.locator(".finder__search-row button").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "finder-results-heading"


def test_the_finder_says_what_it_shows(server: Server, context: BrowserContext) -> None:
    page = watch(context, server.url).page
    page.goto(server.url + "/clearinghouse/")
    page.wait_for_selector("#finder-results li")
    total = len(resource_ids())
    shown = page.locator("#finder-results > li").count()  # the cards, not the lists inside them
    assert page.locator("#finder-count").inner_text() == f"Showing all {total} resources, newest first."
    more = page.locator("#finder-more")
    if total > shown:
        left = total - shown
        expected = f"Show {min(left, shown)} more resources" + (f" ({left} not shown yet)" if left > shown else "")
        assert more.inner_text() == expected
