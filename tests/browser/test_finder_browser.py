"""What only a browser shows: the map draws offline from the app's own files, beside the list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard.directory.clinics import load_clinics
from tests.browser.streamlit_waits import MAP_IFRAME, map_frame
from tests.paths import ROOT

pytestmark = pytest.mark.browser
LISTINGS = len(load_clinics(ROOT / "data" / "clinics.csv")[0])  # counted, not hard-coded

__all__ = ["map_frame"]  # other finder tests import it from here
ALL_ON_THE_MAP = """(total) => document.querySelectorAll('path.leaflet-interactive').length
  + [...document.querySelectorAll('.marker-cluster')].reduce((n, c) => n + Number(c.textContent), 0) === total"""


def test_finder_shows_map_markers_and_list(page, app_url):
    page.goto(f"{app_url}/")
    frame = map_frame(page)
    # Every listing is on the map once it has fitted its view: a marker (Leaflet draws one path per circle
    # marker) or counted in a cluster (a div that shows how many it holds). Until the fit is done, the first
    # view's clusters are still on screen, fading out beside the new ones.
    shown = page.locator(MAP_IFRAME).element_handle().content_frame()
    shown.wait_for_function(ALL_ON_THE_MAP, arg=LISTINGS)
    expect(frame.locator(".kcf-legend")).to_have_count(1)
    expect(page.get_by_role("heading", name=re.compile(r"— \d+ found"))).to_have_text(
        re.compile(rf"anywhere in the directory — {LISTINGS} found")
    )
    expect(page.locator("ul.kcf-results .name")).to_have_count(25)  # the first page of the list
    assert page.locator(MAP_IFRAME).bounding_box()["height"] > 200
    # Map libraries come from the app itself: the only outside requests allowed are map tiles.
    outside = [u for u in page.outside_requests if "tile.openstreetmap.org" not in u]
    assert outside == []
