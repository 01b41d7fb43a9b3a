"""Real-browser finder tests: a search by ZIP, route and condition; the share link; hostile data stays inert."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.test_finder_browser import map_frame
from tests.test_clinics import GOOD, csv_text

pytestmark = pytest.mark.browser

PAYLOAD = '<img src=x onerror="window.__pwned=1">'


def results_heading(page):
    return page.get_by_role("heading", name=re.compile(r"— \d+ found"))


def test_search_by_zip_route_condition_then_share_link(page, context, app_url):
    page.goto(f"{app_url}/")
    page.get_by_role("textbox", name="Search near").fill("10017")
    page.get_by_role("textbox", name="Search near").press("Enter")
    results_heading(page).filter(has_text="New York, NY 10017").wait_for()
    page.get_by_text(re.compile(r"^IV ketamine infusion \(\d+\)$")).click()
    results_heading(page).filter(has_text="IV ketamine infusion clinics").wait_for()
    page.get_by_text(re.compile(r"^CRPS \(complex regional pain syndrome\) \(\d+\)$")).click()
    heading = results_heading(page).filter(has_text="treating CRPS")
    heading.wait_for()
    text = heading.inner_text()
    assert "within 50 miles of New York, NY 10017" in text
    found = int(re.search(r"— (\d+) found", text).group(1))
    assert found >= 1
    expect(page.locator("ul.kcf-results .name")).to_have_count(found)
    names = page.locator("ul.kcf-results .name").all_inner_texts()
    assert all("Ainsworth" in n for n in names)
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for()
    # the map shows the results (plus the searched place and the radius circle)
    assert frame.locator("path.leaflet-interactive").count() >= found

    # The search lives in the address bar; the link reproduces it in a new page.
    page.wait_for_function("() => window.location.search.includes('condition=crps')")
    shared = page.url
    assert "route=iv_ketamine" in shared and "near=10017" in shared
    other = context.new_page()
    other.goto(shared)
    results_heading(other).filter(has_text="treating CRPS").wait_for()
    assert results_heading(other).filter(has_text="treating CRPS").inner_text() == text
    expect(other.locator("ul.kcf-results .name")).to_have_count(len(names))
    assert other.locator("ul.kcf-results .name").all_inner_texts() == names


def test_hostile_dataset_text_is_inert_in_list_and_popup(page, start_server, tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_text(
        csv_text(
            {**GOOD, "name": PAYLOAD, "website": "https://example.org"},
            {**GOOD, "id": "second", "name": "Second <b>bold</b>", "lat": "32.3"},
        )
    )
    server = start_server(env={"CLINIC_FINDER_DATA": str(path)})
    page.goto(f"{server.url}/")
    page.locator("ul.kcf-results .name").first.wait_for()
    assert PAYLOAD in page.locator("ul.kcf-results .name").all_inner_texts()
    assert page.locator("ul.kcf-results img").count() == 0
    assert page.locator("ul.kcf-results b").count() == 0
    frame = map_frame(page)
    marker = frame.locator("path.leaflet-interactive").first
    marker.wait_for()
    marker.click(force=True)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    assert frame.locator(".leaflet-popup-content img").count() == 0
    assert "<" in popup.inner_text()  # shown as text
    assert page.evaluate("() => window.__pwned") is None
    assert frame.locator("body").evaluate("() => window.__pwned") is None


def test_selecting_a_marker_highlights_its_result_and_show_on_map_opens_its_popup(page, app_url):
    page.goto(f"{app_url}/?near=10017&radius=5")
    results_heading(page).filter(has_text="New York, NY 10017 — 4 found").wait_for()
    expect(page.locator("ul.kcf-results .name")).to_have_count(4)
    names = page.locator("ul.kcf-results .name").all_inner_texts()
    assert len(names) >= 2
    selected = page.locator("ul.kcf-results.selected .name")
    # Click a marker: the matching result in the list is highlighted. (The component may still be
    # starting when the marker first appears, so a click that reaches no one is repeated.)
    for _attempt in range(4):
        marker = map_frame(page).locator("path.leaflet-interactive").last
        marker.wait_for()
        page.wait_for_timeout(1000)
        marker.click(force=True)
        try:
            selected.first.wait_for(timeout=8000)
            break
        except PlaywrightTimeoutError:
            continue
    clicked_name = selected.first.inner_text()
    assert clicked_name in names
    # "Show on map" on another result highlights it and opens its popup on the map.
    other = next(n for n in names if n != clicked_name)
    page.get_by_role("button", name=f"Show {other} on map").click()
    # (while Streamlit reruns, the old card can linger for a moment: wait for exactly the new one)
    expect(page.locator("ul.kcf-results.selected .name")).to_have_text([other], timeout=30_000)
    expect(map_frame(page).locator(".leaflet-popup-content strong")).to_have_text(other, timeout=30_000)
