"""Phone (390×844) and desktop (1280×1000) in a real browser: on a phone the results heading and a crisis contact
are in the first screen of the finder, a crisis contact is in the first screen of every page, and the filters sit
behind one switch; a desktop keeps the filters beside the results and the crisis lines in the sidebar."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context
from tests.browser.streamlit_waits import map_frame, rerun, settled

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGES = ("/", "/intake", "/about", "/data")


@pytest.fixture
def phone(browser):
    ctx = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    yield page
    ctx.close()


def results_heading(page):
    return page.get_by_role("heading", level=2, name=re.compile(r"— (\d+ found|\d+ confirmed, \d+ to ask)$"))


def strip(page):
    return page.locator(".st-key-kcf_crisis_strip")


def test_phone_results_heading_and_988_in_the_first_screen(phone, app_url):
    phone.goto(f"{app_url}/?near=10017&radius=100")
    settled(phone)
    heading = results_heading(phone)
    expect(heading).to_contain_text("New York, NY 10017")
    expect(heading).to_be_in_viewport(ratio=1)
    call = strip(phone).get_by_role("link", name="Call 988", exact=True)
    expect(call).to_be_in_viewport(ratio=1)
    expect(call).to_have_attribute("href", "tel:988")
    # The Veterans line: the call is a tel: link, the text an sms: link, as their labels say.
    expect(strip(phone).get_by_role("link", name="Call 988 and press 1")).to_have_attribute("href", "tel:988")
    expect(strip(phone).get_by_role("link", name="Text 838255")).to_have_attribute("href", "sms:838255")


@pytest.mark.parametrize("path", PAGES)
def test_phone_crisis_contact_in_the_first_screen_of_every_page(phone, app_url, path):
    phone.goto(f"{app_url}{path}")
    settled(phone)
    expect(phone.locator("h1").first).to_be_visible()
    expect(strip(phone).get_by_role("link", name="Call 988", exact=True)).to_be_in_viewport(ratio=1)


def test_phone_filters_behind_one_switch_that_counts_active_filters(phone, app_url):
    phone.goto(f"{app_url}/?near=10017&radius=100")
    settled(phone)
    expect(results_heading(phone)).to_be_visible()
    iv = phone.get_by_text(re.compile(r"^IV ketamine infusion \(\d+\)$"))
    switch = phone.get_by_text("Filters · 0 active")
    expect(switch).to_be_in_viewport()
    expect(iv).to_be_hidden()  # folded away behind the switch: the results come first
    with rerun(phone):  # a toggle: its state is the server's
        switch.click()
    expect(iv).to_be_visible()
    with rerun(phone):
        iv.click()
    expect(phone.get_by_text("Filters · 1 active")).to_be_visible()
    show = phone.get_by_role("button", name=re.compile(r"^Show \d+ results?$"))
    expect(show).to_be_visible()
    with rerun(phone):
        show.click()
    expect(iv).to_be_hidden()
    heading = results_heading(phone).filter(has_text="IV ketamine infusion clinics")
    expect(heading).to_be_in_viewport(ratio=1)


def test_desktop_keeps_filters_beside_results_and_crisis_lines_in_the_sidebar(page, app_url):
    page.goto(f"{app_url}/?near=10017&radius=100")
    settled(page)
    heading = results_heading(page)
    expect(heading).to_be_in_viewport(ratio=1)
    iv = page.get_by_text(re.compile(r"^IV ketamine infusion \(\d+\)$"))
    expect(iv).to_be_in_viewport()
    iv_box, heading_box = iv.bounding_box(), heading.bounding_box()
    assert iv_box["x"] + iv_box["width"] <= heading_box["x"]  # beside, to the left of the results
    expect(page.get_by_text(re.compile(r"^Filters · \d+ active$"))).to_be_hidden()
    expect(strip(page)).to_have_count(1)
    expect(strip(page)).to_be_hidden()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("link", name="Call 988", exact=True)).to_be_in_viewport()
    expect(sidebar.get_by_role("link", name="Call 988 and press 1")).to_have_attribute("href", "tel:988")
    expect(sidebar.get_by_role("link", name="Text 838255")).to_have_attribute("href", "sms:838255")


def test_desktop_with_the_sidebar_collapsed_shows_the_strip(page, app_url):
    page.goto(f"{app_url}/about")
    settled(page)
    expect(page.locator("h1").first).to_be_visible()
    expect(strip(page)).to_have_count(1)
    expect(strip(page)).to_be_hidden()
    page.get_by_test_id("stSidebar").hover()
    page.get_by_test_id("stSidebarCollapseButton").get_by_role("button").click()
    expect(strip(page).get_by_role("link", name="Call 988", exact=True)).to_be_in_viewport()


@pytest.mark.parametrize("tab", ["phone", "page"])
def test_the_maps_attribution_leaves_its_scale_bar_readable(tab, request, app_url):
    """The attribution line once wrapped across the map's foot, over the scale bar (folium's 1rem text)."""
    tab = request.getfixturevalue(tab)  # a phone, or a desktop page
    tab.goto(f"{app_url}/?near=10017&radius=100")
    frame = map_frame(tab)
    boxes = frame.locator(".leaflet-container").evaluate(
        """c => ['.leaflet-control-attribution', '.leaflet-control-scale'].map(s => {
             const r = c.querySelector(s).getBoundingClientRect();
             return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
           })"""
    )
    attribution, scale = boxes
    assert attribution["right"] > attribution["left"] and scale["right"] > scale["left"]  # both drawn
    side_by_side = attribution["left"] >= scale["right"] or scale["left"] >= attribution["right"]
    one_above_other = attribution["top"] >= scale["bottom"] or scale["top"] >= attribution["bottom"]
    assert side_by_side or one_above_other, boxes
