"""What only a browser shows: the map draws offline from the app's own files, beside the list."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def map_frame(page):
    page.wait_for_selector("iframe[title='Map of results']", timeout=60_000)
    return page.frame_locator("iframe[title='Map of results']")


def test_finder_shows_map_markers_and_list(page, app_url):
    page.goto(f"{app_url}/")
    frame = map_frame(page)
    # Leaflet draws one path per circle marker; clusters render as divs.
    frame.locator(".leaflet-container").wait_for(timeout=60_000)
    markers = frame.locator("path.leaflet-interactive, .marker-cluster")
    markers.first.wait_for(timeout=30_000)
    assert markers.count() > 10
    assert frame.locator(".kcf-legend").count() == 1
    page.get_by_role("heading", name=re.compile(r"anywhere in the directory — 104 found")).wait_for()
    page.locator("ul.kcf-results .name").first.wait_for()
    assert page.locator("ul.kcf-results .name").count() == 25  # the first page of the list
    assert page.locator("iframe[title='Map of results']").bounding_box()["height"] > 200
    # Map libraries come from the app itself: the only outside requests allowed are map tiles.
    outside = [u for u in page.outside_requests if "tile.openstreetmap.org" not in u]
    assert outside == []
