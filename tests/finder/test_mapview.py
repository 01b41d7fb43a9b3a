"""The map as data: markers, escaping, offline assets, and links that are never dangerous."""

from __future__ import annotations

import json
import re

import pytest

from dashboard.directory.clinics import load_clinics, parse_clinics
from dashboard.mapview import STYLES, build_map, clicked_result, compact_rows, map_html, style_keys
from dashboard.places.gazetteer import zip_place
from tests.helpers import GOOD, csv_text
from tests.helpers import HOSTILE_MARKUP as HOSTILE


@pytest.fixture
def hostile_df():
    df, report = parse_clinics(
        csv_text(
            {**GOOD, "name": HOSTILE, "website": "https://ok.example"},
            {**GOOD, "id": "two", "name": "Two", "routes": "", "lat": "32.3"},
        )
    )
    assert report.ok
    return df


def payloads(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r"var cfg = (\{.*?\});\n", html)]


def payload(html: str) -> dict:
    """The results layer's payload (the states layer has its own)."""
    found = [p for p in payloads(html) if "rows" in p]
    assert len(found) == 1, "payload not found"
    return found[0]


def test_one_marker_row_per_result_and_no_cdn(project_root):
    df, _ = load_clinics(project_root / "data" / "clinics.csv")
    html = map_html(build_map(df))
    data = payload(html)
    assert len(data["rows"]) == len(df)
    for host in ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "bootstrapcdn", "fontawesome"):
        assert host not in html
    assert "/app/static/vendor/leaflet/dist/leaflet.js" in html


def test_dataset_text_cannot_break_out_of_the_script(hostile_df):
    html = map_html(build_map(hostile_df))
    assert HOSTILE not in html
    assert "</script><img" not in html
    assert payload(html)["rows"][0][4] == HOSTILE  # the browser gets the exact text, to show via textContent


def test_only_http_links_reach_the_browser():
    df, _ = parse_clinics(csv_text(GOOD))
    df.loc[0, "website"] = "javascript:alert(1)"  # even if a bad value slipped past validation
    assert compact_rows(df)[0][7] == ""


def test_styles_by_route_group(hostile_df):
    keys = style_keys(hostile_df)
    assert STYLES[keys[0]].key == "several"  # IV and nasal
    assert STYLES[keys[1]].key == "none"


def test_search_circle_and_selection_in_payload(hostile_df):
    place = zip_place("85719")
    data = payload(map_html(build_map(hostile_df, place=place, radius_miles=50, selected=1)))
    assert data["radius_m"] == pytest.approx(50 * 1609.344)
    assert data["selected"] == 1
    assert data["place"] == {"lat": place.lat, "lon": place.lon}


def test_approximate_locations_are_marked(project_root):
    df, _ = load_clinics(project_root / "data" / "clinics.csv")
    rows = compact_rows(df)
    assert {r[3] for r in rows} == {0}  # the seed data has no street-level geocodes


def test_a_marker_click_maps_back_to_its_result():
    df, _ = parse_clinics(
        csv_text(
            {**GOOD, "id": "a", "name": "Alpha"},
            {**GOOD, "id": "b", "name": "Beta"},  # same point as Alpha (a shared city centre)
            {**GOOD, "id": "c", "name": "Gamma", "lat": "33.5", "lon": "-112.0"},
        )
    )
    near_alpha = {"lat": 32.2476, "lng": -110.9489}  # Leaflet reports the pointer, a little off centre
    assert clicked_result({"last_object_clicked": near_alpha, "last_object_clicked_tooltip": "Beta"}, df) == "b"
    assert clicked_result({"last_object_clicked": near_alpha, "last_object_clicked_tooltip": "Alpha"}, df) == "a"
    assert clicked_result({"last_object_clicked": {"lat": 33.5, "lng": -112.0}}, df) == "c"
    assert clicked_result({"last_object_clicked": {"lat": 45.0, "lng": -90.0}}, df) is None
    assert clicked_result({"last_object_clicked": None}, df) is None
    assert clicked_result(None, df) is None
