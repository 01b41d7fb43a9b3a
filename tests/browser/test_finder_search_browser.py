"""Real-browser finder tests: a search by ZIP, route and condition; the share link; hostile data stays inert."""

from __future__ import annotations

import re

import pytest
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
