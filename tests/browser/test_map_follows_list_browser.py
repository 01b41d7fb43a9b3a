"""The map follows the list in a real browser: the view holds the nearest match an empty search lists, "Show on
map" brings the map into view, a marker click brings its card into view; state outlines draw with tiles blocked,
and with CLINIC_FINDER_TILE_URL=none no request leaves 127.0.0.1. The downloads of an empty search explain it."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from dashboard import config
from dashboard.directory.clinics import load_clinics
from dashboard.directory.va_facilities import load_facilities
from dashboard.finder import va
from dashboard.finder.criteria import Criteria
from dashboard.finder.search import search
from dashboard.places.gazetteer import resolve_offline
from tests.browser.streamlit_waits import map_frame, rerun, settled
from tests.paths import ROOT

pytestmark = pytest.mark.browser

MAP = "iframe[title='Map of results']"
PAGE_SIZE = 25  # the finder draws the first 25 cards (dashboard/web/pages/finder.py); the map shows every result


def dataset():
    return load_clinics(ROOT / "data" / "clinics.csv")[0]


def card(page, listing_id: str):
    return page.locator(f".st-key-kcf_card_{re.sub(r'[^a-zA-Z0-9_-]', '-', listing_id)}")


def drawn_map(page):
    """The map once the page has settled and Leaflet, its markers and the state outlines are drawn."""
    frame = map_frame(page)
    expect(frame.locator(".leaflet-container[data-states='56']")).to_be_visible()
    return frame


def test_juneau_the_map_shows_the_nearest_match_the_list_shows(page, app_url):
    juneau = resolve_offline("99801")
    res = search(dataset(), Criteria("99801", juneau, 25.0))
    assert res.count == 0 and len(res.nearest_beyond)
    nearest = res.nearest_beyond.iloc[0]

    page.goto(f"{app_url}/?near=99801&radius=25")
    settled(page)
    expect(page.get_by_role("heading", name="Nearest matches beyond 25 miles")).to_be_visible()
    first = card(page, nearest["id"])
    expect(first).to_contain_text(nearest["name"])
    frame = drawn_map(page)
    # Tiles are unreachable here: the state outlines still give the map its geography.
    assert frame.locator("path.kcf-state").count() >= 50
    container = frame.locator(".leaflet-container")
    inside = container.evaluate("(el, p) => kcfMap.getBounds().contains(p)", [nearest["lat"], nearest["lon"]])
    assert inside, "the nearest match listed is outside the map's view"
    # and its marker is drawn inside the visible map
    box = page.locator(MAP).bounding_box()
    to_pixels = (
        "(el, p) => { const q = kcfMap.latLngToContainerPoint(p); return [q.x, q.y, el.clientWidth, el.clientHeight]; }"
    )
    points = container.evaluate(to_pixels, [nearest["lat"], nearest["lon"]])
    x, y, width, height = points
    assert 0 <= x <= width and 0 <= y <= height and height <= box["height"] + 1
    assert frame.locator("path.leaflet-interactive").count() >= len(res.nearest_beyond)


def test_a_marker_click_brings_its_card_and_show_on_map_brings_the_map(page, app_url):
    place = resolve_offline("10017")
    res = search(dataset(), Criteria("10017", place, 100.0))
    rows = res.results.reset_index(drop=True)
    assert len(rows) >= 3
    coords = list(zip(rows["lat"], rows["lon"], strict=True))
    # VA facilities nearby are drawn too, on top: their squares cover a clinic at the same city centre
    facilities = va.nearby(load_facilities(config.va_data_path())[0], place, 100.0)
    taken = coords + list(zip(facilities["lat"], facilities["lon"], strict=True))
    # a listing with a marker of its own (several share a city centre), not the last one
    drawn = min(len(rows), PAGE_SIZE)
    k = next(i for i in range(1, drawn - 1) if taken.count(coords[i]) == 1)
    target, last = rows.iloc[k], rows.iloc[drawn - 1]  # the last card drawn

    page.goto(f"{app_url}/?near=10017&radius=100")
    settled(page)
    frame = drawn_map(page)
    target_card = card(page, target["id"])
    expect(target_card).to_contain_text(target["name"])
    expect(target_card).not_to_be_in_viewport()
    marker = frame.locator("path.leaflet-interactive").nth(k)  # markers are drawn in list order
    # The map appears at its view rather than zooming into it: the marker is at its own size (radius 8,
    # stroke 2), not scaled up mid-zoom, where a click lands on whichever marker slides under the pointer.
    box = marker.bounding_box()
    assert box and round(box["width"]) == 18, box
    with rerun(page):  # the map reports the click to the server; clicked as a person clicks, once it stands still
        marker.click()
    expect(target_card.locator("ul.kcf-results.selected")).to_have_count(1)
    expect(target_card).to_be_in_viewport()

    last_card = card(page, last["id"])
    button = last_card.get_by_role("button", name=f"Show {last['name']} on map")
    button.scroll_into_view_if_needed()
    expect(page.locator(MAP)).not_to_be_in_viewport()
    with rerun(page):
        button.click()
    expect(last_card.locator("ul.kcf-results.selected")).to_have_count(1)
    expect(page.locator(MAP)).to_be_in_viewport(ratio=0.9)
    expect(page.frame_locator(MAP).locator(".leaflet-popup-content strong")).to_have_text(last["name"])


def test_no_tile_server_means_no_outside_request_and_the_outlines_carry_the_map(page, start_server):
    server = start_server(env={"CLINIC_FINDER_TILE_URL": "none"})
    page.goto(f"{server.url}/?near=99801&radius=25")
    settled(page)
    frame = drawn_map(page)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached()
    assert frame.locator("path.kcf-state").count() >= 50
    assert frame.locator(".leaflet-tile").count() == 0
    assert page.outside_requests == []  # nothing left 127.0.0.1: no tiles, no CDN


def _download(page, name: str) -> str:
    with page.expect_download() as info:
        page.get_by_role("button", name=name).click()
    return Path(info.value.path()).read_text(encoding="utf-8-sig")


def test_downloads_of_an_empty_search_explain_it_and_start_directions_at_the_origin(page, app_url):
    juneau = resolve_offline("99801")
    res = search(dataset(), Criteria("99801", juneau, 25.0))
    page.goto(f"{app_url}/?near=99801&radius=25")
    settled(page)
    expect(page.get_by_role("heading", name="Nearest matches beyond 25 miles")).to_be_visible()
    printable = _download(page, "Printable list (HTML)")
    assert res.empty_reason.replace("'", "&#x27;") in printable
    assert "<h2>Nearest matches beyond 25 miles</h2>" in printable
    rows = list(csv.DictReader(io.StringIO(_download(page, "Download results (CSV)"))))
    assert len(rows) == len(res.nearest_beyond)
    for row in rows:
        assert row["note"] == res.empty_reason
        start = parse_qs(urlparse(row["directions"]).query)["route"][0].split(";")[0]
        assert start == f"{juneau.lat:.5f},{juneau.lon:.5f}"
