"""The tiers in a real browser, phone (390×844) and desktop, for the two searches that used to answer with
clinics hundreds of miles away: a veteran with nerve pain in Tucson wanting IV ketamine, and PTSD with
insurance in New York City. The headline counts each tier, the listings to ask come before anything beyond
the distance and say what they do not state, the filter button counts the cards, and axe finds nothing
serious. Screenshots go to /tmp/shots-tiers/ to be looked at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.axe import serious_violations, table
from tests.browser.conftest import new_context
from tests.browser.streamlit_waits import rerun, settled

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-tiers")
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 1000}}
SEARCHES = {
    "tucson": (
        "near=85719&radius=100&route=iv_ketamine&condition=neuropathic_pain",
        "Lighthouse Psychiatry",
        "does not state: neuropathic (nerve) pain",
        "Nearest matches beyond 100 miles",
    ),
    "nyc": (
        "near=NYC&radius=50&condition=ptsd&insurance=1",
        "Principium Psychiatry (Manhattan)",
        "does not state: insurance",
        "Nearest matches beyond 50 miles",
    ),
}


@pytest.fixture(params=sorted(SIZES))
def sized_page(request, browser):
    ctx = new_context(browser, viewport=SIZES[request.param], is_mobile=request.param == "phone")
    page = ctx.new_page()
    page.size_name = request.param
    yield page
    ctx.close()


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_tiers_nearby_first_then_beyond(sized_page, app_url, name):
    page = sized_page
    query, listing, badge, beyond = SEARCHES[name]
    page.goto(f"{app_url}/?{query}")
    headline = page.get_by_role("heading", level=2, name=re.compile(r"— 0 confirmed, [1-9]\d* to ask$"))
    expect(headline).to_be_visible()
    settled(page)
    asked = int(re.search(r"(\d+) to ask$", headline.inner_text()).group(1))
    ask_heading = page.get_by_role("heading", level=3, name=re.compile(r"^May offer it — don't state .+; ask them$"))
    beyond_heading = page.get_by_role("heading", level=3, name=beyond)
    expect(ask_heading).to_be_visible()
    expect(beyond_heading).to_be_visible()
    assert ask_heading.bounding_box()["y"] < beyond_heading.bounding_box()["y"]
    card = page.locator("li.result").filter(has=page.locator(".name", has_text=listing)).first
    expect(card).to_contain_text(badge)
    assert card.bounding_box()["y"] < beyond_heading.bounding_box()["y"]
    expect(page.locator("li.result .unstated-badge")).to_have_count(asked)
    expect(page.get_by_text(re.compile("may be incomplete"))).to_have_count(0)

    cards = page.locator("ul.kcf-results .name").count()
    if page.size_name == "phone":  # the filters fold behind a switch, closed by "Show N results"
        with rerun(page):
            page.get_by_text(re.compile(r"^Filters · \d+ active$")).click()
        expect(page.get_by_role("button", name=f"Show {cards} results", exact=True)).to_be_visible()
        with rerun(page):
            page.get_by_role("button", name=f"Show {cards} results", exact=True).click()
    else:  # beside the results on a desktop, where the button is not needed
        expect(page.locator(".st-key-filters_done button")).to_have_text(f"Show {cards} results")

    violations = serious_violations(page)
    assert violations == [], table(violations)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for part, where in (("top", headline), ("ask", ask_heading), ("beyond", beyond_heading)):
        where.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"{name}-{page.size_name}-{part}.png"))


@pytest.mark.parametrize(
    "args",
    [
        ["--near", "85719", "--radius", "100", "--route", "iv_ketamine", "--condition", "neuropathic_pain"],
        ["--near", "Dodge City, KS", "--radius", "25"],  # nothing nearby: the nearest beyond, same explanation
    ],
    ids=["tucson", "empty-nearby"],
)
def test_the_apps_csv_download_is_the_cli_csv_byte_for_byte(page, app_url, args):
    from urllib.parse import urlencode

    from tests.finder.test_cli_tiers import cli_csv

    query = {k.removeprefix("--"): v for k, v in zip(args[::2], args[1::2], strict=True)}  # the share link
    page.goto(f"{app_url}/?{urlencode(query)}")
    expect(page.get_by_role("heading", level=2, name=re.compile(r" — "))).to_be_visible()
    settled(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download results (CSV)").click()
    assert Path(info.value.path()).read_bytes() == cli_csv(*args)
