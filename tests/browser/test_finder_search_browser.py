"""Real-browser finder tests: a search by ZIP, route and condition; the share link; hostile data stays
inert; a search survives a browser that draws its widgets late; sessions do not leak into each other."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard.directory.clinics import load_clinics
from dashboard.finder.cards import result_sections
from dashboard.finder.criteria import Criteria
from dashboard.finder.search import search
from dashboard.places.gazetteer import resolve_offline
from tests.browser.streamlit_waits import map_frame, rerun, served, settled, track
from tests.helpers import GOOD, csv_text
from tests.paths import ROOT

pytestmark = pytest.mark.browser
LISTINGS = len(load_clinics(ROOT / "data" / "clinics.csv")[0])  # counted, not hard-coded
NEAR_10017_5_MILES = len(
    search(load_clinics(ROOT / "data" / "clinics.csv")[0], Criteria("10017", resolve_offline("10017"), 5.0)).results
)
SHOW_ON_MAP = re.compile(r"^Show .+ on map$")  # each card's button is named by its listing

PAYLOAD = '<img src=x onerror="window.__pwned=1">'


def widget_code(names: str) -> re.Pattern:
    """The code of these widgets, fetched the first time the page draws one (Streamlit loads them lazily)."""
    return re.compile(rf"/static/js/({names})\.[^/]*\.js$")


def results_heading(page):
    return page.get_by_role("heading", name=re.compile(r"— (\d+ found|\d+ confirmed, \d+ to ask)"))


def expected_names(*, near: str, radius: float, route: str, condition: str) -> list[str]:
    """What the search module finds in the bundled directory, tier by tier in rank order: the page must list
    exactly these."""
    criteria = Criteria(
        near=near,
        place=resolve_offline(near),
        radius_miles=radius,
        routes=frozenset({route}),
        conditions=frozenset({condition}),
    )
    res = search(load_clinics(ROOT / "data" / "clinics.csv")[0], criteria)
    return [name for section in result_sections(res) for name in section.rows["name"]]


def search_near(page, text: str) -> None:
    box = page.get_by_role("textbox", name="Search near")
    with rerun(page):
        box.fill(text)
        box.press("Enter")


def distance(page):
    """The distance box; its value is the chosen option's label ("50 miles")."""
    return page.get_by_role("combobox", name="Distance")


def test_search_by_zip_route_condition_then_share_link(page, context, app_url):
    page.goto(f"{app_url}/")
    settled(page)
    search_near(page, "10017")
    expect(results_heading(page)).to_contain_text("within 50 miles of New York, NY 10017")
    with rerun(page):
        page.get_by_text(re.compile(r"^IV ketamine infusion \(\d+\)$")).click()
    expect(results_heading(page)).to_contain_text("IV ketamine infusion clinics")
    with rerun(page):
        page.get_by_text(re.compile(r"^CRPS \(complex regional pain syndrome\) \(\d+\)$")).click()
    heading = results_heading(page)
    expect(heading).to_contain_text("treating CRPS")
    text = heading.inner_text()
    assert "within 50 miles of New York, NY 10017" in text
    confirmed, asked = map(int, re.search(r"— (\d+) confirmed, (\d+) to ask", text).groups())
    found = min(confirmed, 25) + min(asked, 25)  # each tier shows a page of 25
    assert confirmed >= 1 and found < 50
    expect(page.locator("ul.kcf-results .name")).to_have_count(found)
    names = page.locator("ul.kcf-results .name").all_inner_texts()
    assert names == expected_names(near="10017", radius=50.0, route="iv_ketamine", condition="crps")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for()
    # the map shows the results (plus the searched place and the radius circle)
    assert frame.locator("path.leaflet-interactive").count() >= found

    # The search lives in the address bar; the link reproduces it in a new page (a new session).
    expect(page).to_have_url(re.compile(r"[?&]condition=crps"))
    shared = page.url
    assert "route=iv_ketamine" in shared and "near=10017" in shared and "radius=50" in shared
    other = context.new_page()
    track(other)
    other.goto(shared)
    settled(other)
    expect(results_heading(other)).to_have_text(text)
    expect(other.locator("ul.kcf-results .name")).to_have_text(names)
    expect(distance(other)).to_have_value("50 miles")


@pytest.mark.parametrize(
    "late",
    [
        pytest.param("Selectbox", id="distance"),  # a 5-mile radius nobody chose, as once seen
        pytest.param("Selectbox|Checkbox|NumberInput|TextInput", id="every-search-widget"),
    ],
)
def test_a_shared_search_survives_a_browser_that_draws_its_widgets_late(page, app_url, late):
    """A flake made deterministic: a slow browser (a busy machine, an old phone) may draw a
    widget for the first time from a rerun's message rather than from the message that filled it in
    from the link. It then shows the widget's declared default and sends that back as the user's choice:
    the 100-mile IV search below became a 5-mile one, or with every widget late, a search of everything
    everywhere. Holding back the widgets' code until a rerun has happened makes every run of this test
    that slow browser."""
    held = []
    page.route(widget_code(late), lambda route: held.append(route))  # answered below, after a rerun
    page.goto(f"{app_url}/?near=10017&radius=100&route=iv_ketamine")
    heading = results_heading(page)
    expect(heading).to_contain_text("IV ketamine infusion clinics within 100 miles of New York, NY 10017")
    expected = heading.inner_text()
    served(page)
    # A rerun the widgets do not see: they are still waiting for their code.
    with rerun(page, settle=False):
        page.get_by_role("button", name=SHOW_ON_MAP).first.click()
    expect(page.locator("ul.kcf-results.selected")).to_have_count(1)
    assert held, "the page asked for no widget code: the widgets were drawn before the test could hold it back"
    expect(page.locator('[data-testid="stSkeleton"]')).not_to_have_count(0)  # the late widgets, not drawn yet
    for route in held:
        route.continue_()
    settled(page)
    # The next rerun carries whatever the widgets show back to the server: the search must not change.
    with rerun(page):
        page.get_by_role("button", name=SHOW_ON_MAP).nth(1).click()
    assert heading.inner_text() == expected
    expect(page).to_have_url(re.compile(r"radius=100"))
    assert "route=iv_ketamine" in page.url and "max_price" not in page.url
    expect(page.get_by_role("textbox", name="Search near")).to_have_value("10017")
    expect(distance(page)).to_have_value("100 miles")
    expect(page.get_by_role("checkbox", name=re.compile(r"^IV ketamine infusion \("))).to_be_checked()
    expect(page.get_by_role("spinbutton", name=re.compile("Maximum self-pay price"))).to_have_value("")


def test_a_search_in_one_session_leaves_other_sessions_alone(page, second_page, app_url):
    """Sessions share a server and its caches, nothing else: one user's 5-mile search is not another's
    distance, and the first user's search is untouched by what the second one does."""
    page.goto(f"{app_url}/?near=10017&radius=5")
    settled(page)
    first = results_heading(page)
    expect(first).to_have_text(re.compile(rf"within 5 miles of New York, NY 10017 — {NEAR_10017_5_MILES} found"))

    second_page.goto(f"{app_url}/")
    settled(second_page)
    expect(results_heading(second_page)).to_have_text(re.compile(rf"anywhere in the directory — {LISTINGS} found"))
    expect(distance(second_page)).to_have_value("50 miles")
    search_near(second_page, "10017")
    expect(results_heading(second_page)).to_contain_text("within 50 miles of New York, NY 10017")
    expect(second_page).to_have_url(re.compile(r"radius=50"))
    expect(map_frame(second_page).locator(".kcf-legend")).to_have_count(1)

    with rerun(page):  # the first session reruns after the second one searched
        page.get_by_role("button", name=SHOW_ON_MAP).first.click()
    expect(first).to_have_text(re.compile(rf"within 5 miles of New York, NY 10017 — {NEAR_10017_5_MILES} found"))
    expect(distance(page)).to_have_value("5 miles")
    expect(page).to_have_url(re.compile(r"radius=5(&|$)"))


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
    settled(page)
    expect(page.locator("ul.kcf-results .name")).to_have_count(2)
    assert PAYLOAD in page.locator("ul.kcf-results .name").all_inner_texts()
    assert page.locator("ul.kcf-results img").count() == 0
    assert page.locator("ul.kcf-results b").count() == 0
    frame = map_frame(page)
    marker = frame.locator("path.leaflet-interactive").first
    marker.wait_for()
    # The click selects the listing (a rerun); the popup opens in the map the rerun draws.
    with rerun(page):
        marker.click()
    popup = map_frame(page).locator(".leaflet-popup-content")
    expect(popup).to_have_count(1)
    assert map_frame(page).locator(".leaflet-popup-content img").count() == 0
    assert "<" in popup.inner_text()  # shown as text
    assert page.evaluate("() => window.__pwned") is None
    assert map_frame(page).locator("body").evaluate("() => window.__pwned") is None


def test_selecting_a_marker_highlights_its_result_and_show_on_map_opens_its_popup(page, app_url):
    page.goto(f"{app_url}/?near=10017&radius=5")
    settled(page)
    expect(results_heading(page)).to_contain_text(f"New York, NY 10017 — {NEAR_10017_5_MILES} found")
    expect(page.locator("ul.kcf-results .name")).to_have_count(NEAR_10017_5_MILES)
    names = page.locator("ul.kcf-results .name").all_inner_texts()
    selected = page.locator("ul.kcf-results.selected .name")
    # Click a marker: the matching result in the list is highlighted. The map is drawn and listening
    # once its markers are (streamlit-folium draws and binds its click handlers in one script).
    marker = map_frame(page).locator("path.leaflet-interactive").last
    marker.wait_for()
    with rerun(page):
        marker.click()
    expect(selected).to_have_count(1)
    clicked_name = selected.inner_text()
    assert clicked_name in names
    # "Show on map" on another result highlights it and opens its popup on the map.
    other = next(n for n in names if n != clicked_name)
    with rerun(page):
        page.get_by_role("button", name=f"Show {other} on map").click()
    expect(selected).to_have_text([other])
    expect(map_frame(page).locator(".leaflet-popup-content strong")).to_have_text(other)


def test_a_rerun_that_keeps_the_search_keeps_the_map(page, app_url):
    """The map is not thrown away and reloaded by a rerun that does not change it (a user's zoom stays)."""
    page.goto(f"{app_url}/?near=10017&radius=25")
    settled(page)
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for()
    frame.locator("body").evaluate("() => { window.__kcfSameMap = true; }")
    with rerun(page):
        page.get_by_role("button", name=re.compile(r"^Use .* in my questionnaire$")).first.click()
    assert map_frame(page).locator("body").evaluate("() => window.__kcfSameMap === true")
