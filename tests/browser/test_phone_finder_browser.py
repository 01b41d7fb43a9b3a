"""A phone (390×844) in a real browser, for the caregiver in rural Montana: after the search (Miles City MT,
Spravato, treatment-resistant depression) the first result card starts within a screen and a half of the page
top, the crisis contacts are one tap away wherever the page is scrolled, on every page, and the map's legend
folds to one small button on a narrow map (a desktop shows it open)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context
from tests.browser.streamlit_waits import map_frame, rerun, settled

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MONTANA = "/?near=Miles+City+MT&radius=50&route=esketamine_nasal&condition=treatment_resistant_depression"
CARDS = "[class*='st-key-kcf_card_']"
SCROLLER = "[data-testid='stMain']"  # Streamlit scrolls its main area, not the document


@pytest.fixture
def phone(browser):
    ctx = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    yield page
    ctx.close()


def montana_search(page, app_url: str) -> None:
    """What the caregiver does: type the town, open the filters, tick the route and the condition, and press
    the button under the filters."""
    page.goto(f"{app_url}/")
    settled(page)
    box = page.get_by_role("textbox", name="Search near")
    with rerun(page):
        box.fill("Miles City MT")
        box.press("Enter")
    with rerun(page):
        page.get_by_text(re.compile(r"^Filters · \d+ active$")).click()
    panel = page.locator(".st-key-kcf_filters_open")
    with rerun(page):
        panel.get_by_text(re.compile(r"^Esketamine nasal spray \(Spravato\)")).click()
    with rerun(page):
        panel.get_by_text(re.compile(r"^Treatment-resistant depression")).click()
    with rerun(page):
        page.get_by_role("button", name=re.compile(r"^Show \d+ results?$")).click()
    map_frame(page)


def first_card_top(page) -> float:
    """Where the first card on screen (the highest one) starts, in pixels below the top of the page."""
    return page.evaluate(
        """([cards, scroller]) => {
             const main = document.querySelector(scroller);
             const tops = [...document.querySelectorAll(cards)].map(c => c.getBoundingClientRect().top);
             return Math.min(...tops) - main.getBoundingClientRect().top + main.scrollTop;
           }""",
        [CARDS, SCROLLER],
    )


def test_after_the_montana_search_the_first_card_is_within_a_screen_and_a_half(phone, app_url):
    montana_search(phone, app_url)
    expect(phone.locator(CARDS).first).to_contain_text("Treatment-resistant depression")
    expect(phone.locator(".st-key-kcf_filters_open")).to_have_count(0)  # the filters folded away
    assert first_card_top(phone) <= 1.5 * PHONE["height"]


def test_a_shared_montana_link_puts_the_first_card_within_a_screen_and_a_half(phone, app_url):
    phone.goto(f"{app_url}{MONTANA}")
    map_frame(phone)
    expect(phone.locator(CARDS).first).to_be_visible()
    assert first_card_top(phone) <= 1.5 * PHONE["height"]


def scroll_to(page, where: str) -> None:
    page.locator(SCROLLER).evaluate(
        "(m, where) => m.scrollTo(0, where === 'bottom' ? m.scrollHeight : m.scrollHeight / 2)", where
    )


def tappable(page, link) -> bool:
    """The link is on screen and nothing covers its middle: a tap there lands on it."""
    return link.evaluate(
        """a => { const r = a.getBoundingClientRect();
                  if (r.width === 0 || r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth)
                    return false;
                  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                  return !!hit && (hit === a || a.contains(hit)); }"""
    )


def one_tap_contacts(page) -> None:
    """988, the Veterans line and 911 can each be reached by one tap where the page is now."""
    for href, name in (("tel:988", "988"), ("tel:988", "press 1"), ("tel:911", "911")):
        links = page.locator(f"a[href='{href}']").filter(has_text=name)
        assert any(tappable(page, links.nth(i)) for i in range(links.count())), f"no tappable {name} link"


def test_after_the_montana_search_the_crisis_contacts_are_one_tap_away_wherever_the_page_is(phone, app_url):
    montana_search(phone, app_url)
    one_tap_contacts(phone)  # where the search left the page: at the results
    for where in ("middle", "bottom"):
        scroll_to(phone, where)
        one_tap_contacts(phone)


@pytest.mark.parametrize("path", ["/intake", "/about", "/data"])
def test_the_crisis_contacts_are_one_tap_away_at_the_foot_of_every_page(phone, app_url, path):
    phone.goto(f"{app_url}{path}")
    settled(phone)
    expect(phone.locator("h1").first).to_be_visible()
    scroll_to(phone, "bottom")
    one_tap_contacts(phone)


def legend_share(frame) -> float:
    """The part of the map the legend covers."""
    return frame.locator(".leaflet-container").evaluate(
        """c => { const m = c.getBoundingClientRect(), l = c.querySelector('.kcf-legend').getBoundingClientRect();
                  return (l.width * l.height) / (m.width * m.height); }"""
    )


def test_on_a_phone_the_legend_folds_to_a_small_button_that_opens_with_a_tap(phone, app_url):
    phone.goto(f"{app_url}{MONTANA}")
    frame = map_frame(phone)
    entry = frame.get_by_text("Nasal spray (esketamine or compounded)")
    expect(entry).to_be_hidden()
    assert legend_share(frame) <= 0.03
    frame.get_by_text("Legend", exact=True).tap()
    expect(entry).to_be_visible()


def test_on_a_desktop_the_legend_is_open(page, app_url):
    page.goto(f"{app_url}{MONTANA}")
    frame = map_frame(page)
    expect(frame.get_by_text("Nasal spray (esketamine or compounded)")).to_be_visible()
    expect(frame.get_by_text("Solid: street address.", exact=False)).to_be_visible()
