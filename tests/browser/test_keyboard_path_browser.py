"""The finder by keyboard in a real browser: from the search box to the first result card in at most ten Tab
presses (the "Skip to results" link counts), the map's stops never come before the cards, "Show … on map" moves
focus to the map and a marker click moves it to its card."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.directory.clinics import load_clinics
from dashboard.finder.criteria import Criteria
from dashboard.finder.search import search
from dashboard.places.gazetteer import resolve_offline
from tests.browser.conftest import new_context
from tests.browser.streamlit_waits import map_frame, rerun, settled

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SEARCH = "/?near=10017&radius=100"
CARDS = "[class*='st-key-kcf_card_']"
MAP = "iframe[title='Map of results']"
PAGE_SIZE = 25  # cards drawn before "Show all" (dashboard/web/pages/finder.py)

# Where the keyboard focus is: "card" (inside the first result card), "map" (inside the map's frame), "skip" (the
# skip link), or the focused element's name.
FOCUS_JS = """([cards, map]) => {
  const e = document.activeElement;
  if (!e) return '';
  if (e.matches(map)) return 'map';
  if (e.closest(cards) === document.querySelector(cards)) return 'card';
  if (e.matches('a.kcf-skip')) return 'skip';
  return (e.getAttribute('aria-label') || e.textContent || e.tagName).trim().slice(0, 60);
}"""


def focus(page) -> str:
    return page.evaluate(FOCUS_JS, [CARDS, MAP])


def rows_near_10017():
    rows = load_clinics(ROOT / "data" / "clinics.csv")[0]
    return search(rows, Criteria("10017", resolve_offline("10017"), 100.0)).results.reset_index(drop=True)


def card(page, listing_id: str):
    return page.locator(f".st-key-kcf_card_{re.sub(r'[^a-zA-Z0-9_-]', '-', listing_id)}")


@pytest.fixture(params=["desktop", "phone"])
def sized(request, browser):
    size = {"desktop": {"width": 1280, "height": 1000}, "phone": {"width": 390, "height": 844}}[request.param]
    ctx = new_context(browser, viewport=size, is_mobile=request.param == "phone")
    page = ctx.new_page()
    yield page
    ctx.close()


def test_from_the_search_box_to_the_first_card_in_at_most_ten_tabs(sized, app_url):
    page = sized
    page.goto(f"{app_url}{SEARCH}")
    settled(page)
    page.get_by_role("textbox", name="Search near").focus()
    path = []
    for _ in range(10):
        page.keyboard.press("Tab")
        path.append(focus(page))
        if path[-1] == "skip":
            expect(page.locator("a.kcf-skip")).to_be_in_viewport()  # a sighted keyboard user sees it
            page.keyboard.press("Enter")
            path.append(focus(page))
        if path[-1] == "card":
            break
    assert path[-1] == "card", path
    focused = page.locator(f"{CARDS} :focus")
    expect(focused).to_be_in_viewport()


def test_tabbing_on_without_the_skip_link_reaches_the_cards_before_any_stop_in_the_map(page, app_url):
    page.goto(f"{app_url}{SEARCH}")
    settled(page)
    page.get_by_role("textbox", name="Search near").focus()
    path = []
    while len(path) < 120 and (not path or path[-1] != "card"):
        page.keyboard.press("Tab")
        path.append(focus(page))
    assert path[-1] == "card", path
    assert "map" not in path, path


def test_show_on_map_moves_the_focus_to_the_map(page, app_url):
    rows = rows_near_10017()
    last = rows.iloc[min(len(rows), PAGE_SIZE) - 1]
    page.goto(f"{app_url}{SEARCH}")
    settled(page)
    button = card(page, last["id"]).get_by_role("button", name=f"Show {last['name']} on map")
    button.focus()
    with rerun(page):
        page.keyboard.press("Enter")
    frame = map_frame(page)
    expect(page.locator(MAP)).to_be_focused()
    expect(frame.locator(".leaflet-container")).to_be_focused()
    expect(page.locator(MAP)).to_be_in_viewport(ratio=0.9)


def test_a_marker_click_moves_the_focus_to_its_card(page, app_url):
    rows = rows_near_10017()
    coords = list(zip(rows["lat"], rows["lon"], strict=True))
    k = next(i for i in range(1, min(len(rows), PAGE_SIZE) - 1) if coords.count(coords[i]) == 1)
    target = rows.iloc[k]
    page.goto(f"{app_url}{SEARCH}")
    frame = map_frame(page)
    with rerun(page):
        frame.locator("path.leaflet-interactive").nth(k).click()  # markers are drawn in list order
    target_card = card(page, target["id"])
    expect(target_card.locator("ul.kcf-results.selected")).to_have_count(1)
    expect(target_card).to_be_focused()
    expect(target_card).to_be_in_viewport()
