"""A veteran searches near a VA facility, on a phone (390×844) and a desktop, in a real browser: ticking "I am a
veteran" opens the VA pathway; the VA facility has its own square marker on the map with a legend entry and its
own card with the VA badge; a click on its marker brings its card; axe finds nothing serious on the page or in
the map. Screenshots go to /tmp/shots-va/ (or $KCF_SCREENSHOTS)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard import config, vocab
from dashboard.content import va as pathway
from dashboard.directory.va_facilities import load_facilities
from dashboard.finder import va
from dashboard.places.gazetteer import resolve_offline
from tests.browser.axe import serious_violations, table
from tests.browser.conftest import new_context
from tests.browser.streamlit_waits import map_frame, rerun, settled

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 1000}}
SHOTS = Path(os.environ.get("KCF_SCREENSHOTS") or "/tmp/shots-va")
NEAR, RADIUS = "19104", 25
FACILITY = va.nearby(load_facilities(config.va_data_path())[0], resolve_offline(NEAR), RADIUS).iloc[0]


@pytest.fixture(params=sorted(SIZES))
def sized(request, browser):
    ctx = new_context(browser, viewport=SIZES[request.param], is_mobile=request.param == "phone")
    page = ctx.new_page()
    yield request.param, page
    ctx.close()


def card(page, listing_id: str):
    return page.locator(f".st-key-kcf_card_{re.sub(r'[^a-zA-Z0-9_-]', '-', listing_id)}")


def test_a_veteran_near_a_va_facility_sees_the_pathway_its_marker_and_its_card(sized, app_url):
    size, page = sized
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{app_url}/?near={NEAR}&radius={RADIUS}")
    settled(page)
    panel = page.locator("[data-testid='stExpander']").filter(has_text=pathway.TITLE)
    expect(panel.locator("summary")).to_be_visible()
    expect(panel.get_by_text("How to ask", exact=True)).to_be_hidden()  # folded until asked for

    with rerun(page):
        page.get_by_text("I am a veteran", exact=True).click()
    expect(panel.get_by_text("How to ask", exact=True)).to_be_visible()
    expect(panel.get_by_text(re.compile("Community Care office"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"veteran=1"))

    va_card = card(page, FACILITY["id"])
    expect(va_card.locator("li.va-facility .name")).to_have_text(FACILITY["name"])
    expect(va_card.locator(".va-badge")).to_have_text(vocab.VA_BADGE)
    expect(va_card).to_contain_text("The source shows no date.")
    expect(page.get_by_role("heading", name=f"VA facilities near you: 1 within {RADIUS} miles")).to_be_visible()

    frame = map_frame(page)
    marker = frame.locator(f".kcf-va-marker[title='{FACILITY['name']}']")
    expect(marker).to_have_count(1)
    expect(frame.locator(".kcf-legend")).to_contain_text("VA medical centre (for enrolled veterans)")
    page.screenshot(path=str(SHOTS / f"veteran-{size}.png"), full_page=True)
    page.locator("iframe[title='Map of results']").screenshot(path=str(SHOTS / f"veteran-map-{size}.png"))

    violations = serious_violations(page)
    assert violations == [], table(violations)
    inside_map = serious_violations(page.locator("iframe[title='Map of results']").element_handle().content_frame())
    assert inside_map == [], table(inside_map)

    marker.scroll_into_view_if_needed()
    with rerun(page):  # the map reports the click; the page selects the facility's card and brings it into view
        marker.click()
    expect(va_card.locator("ul.kcf-results.selected")).to_have_count(1)
    expect(va_card).to_be_in_viewport()
    page.screenshot(path=str(SHOTS / f"veteran-selected-{size}.png"))


def test_the_about_page_shows_the_pathway_with_linked_sources(sized, app_url):
    size, page = sized
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{app_url}/about")
    settled(page)
    heading = page.get_by_role("heading", name=pathway.TITLE)
    heading.scroll_into_view_if_needed()
    expect(heading).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(r"^Eligibility for community care outside VA")).first
    ).to_have_attribute("href", "https://www.va.gov/resources/eligibility-for-community-care-outside-va/")
    page.screenshot(path=str(SHOTS / f"about-pathway-{size}.png"))
