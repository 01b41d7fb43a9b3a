"""axe-core in a real browser: no serious or critical violation on the finder, About and Data pages, at phone and
desktop sizes; the map frames are named; headings go h1 → h2 → h3 without skipping."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import serious_violations, table
from tests.browser.conftest import new_context
from tests.browser.streamlit_waits import settled

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 1000}}


@pytest.fixture(params=sorted(SIZES))
def sized_page(request, browser):
    ctx = new_context(browser, viewport=SIZES[request.param], is_mobile=request.param == "phone")
    page = ctx.new_page()
    yield page
    ctx.close()


def heading_levels(page) -> list[int]:
    """Levels of the headings a screen reader would list (hidden ones excluded)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
              .filter(h => h.getClientRects().length && getComputedStyle(h).visibility !== 'hidden')
              .map(h => Number(h.tagName[1]))"""
    )


def assert_heading_order(levels: list[int]) -> None:
    assert levels and levels[0] == 1, levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


@pytest.mark.parametrize(
    "path",
    ["/?near=10017&radius=100", "/?near=99801&radius=25&insurance=1", "/?near=10017&radius=100&route=esketamine_nasal"],
)
def test_finder_has_no_serious_violation(sized_page, app_url, path):
    page = sized_page
    page.goto(f"{app_url}{path}")
    expect(
        page.get_by_role("heading", level=2, name=re.compile(r"— (\d+ found|\d+ confirmed, \d+ to ask)$"))
    ).to_be_visible()
    expect(page.locator("iframe[title='Map of results']")).to_be_attached()
    settled(page)
    violations = serious_violations(page)
    assert violations == [], table(violations)
    assert_heading_order(heading_levels(page))


@pytest.mark.parametrize("path", ["/about", "/data"])
def test_about_and_data_pages_have_no_serious_violation(sized_page, app_url, path):
    page = sized_page
    page.goto(f"{app_url}{path}")
    expect(page.get_by_role("heading", level=2).first).to_be_visible()
    if path == "/data":
        expect(page.locator("iframe[title='Map of listings per state']")).to_be_attached()
    settled(page)
    violations = serious_violations(page)
    assert violations == [], table(violations)
    assert_heading_order(heading_levels(page))


def test_finder_controls_have_unique_names(page, app_url):
    page.goto(f"{app_url}/?near=10017&radius=100")
    expect(page.get_by_role("heading", level=2, name=re.compile(r"— \d+ found$"))).to_be_visible()
    settled(page)
    names = page.evaluate(
        """() => [...document.querySelectorAll('button, [role=checkbox], [role=switch], input, select')]
              .filter(e => e.getClientRects().length)
              .map(e => (e.getAttribute('aria-label') || e.labels?.[0]?.innerText || e.innerText || '').trim())
              .filter(Boolean)"""
    )
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert duplicates == [], duplicates
