"""The map as data: it follows the list (view fits every row shown), draws state outlines from the app's own
static file (not inlined), can run with no tile server at all, and carries its title and focus."""

from __future__ import annotations

import json
import re

import pandas as pd

from dashboard.directory.clinics import parse_clinics
from dashboard.finder.criteria import Criteria
from dashboard.finder.search import search
from dashboard.mapview import (
    MAP_TITLE,
    STATES_URL,
    Focus,
    _bounds,
    build_map,
    compact_rows,
    map_html,
)
from dashboard.places.gazetteer import resolve_offline
from tests.finder.test_mapview import payload, payloads
from tests.helpers import GOOD, csv_text


def far_df() -> pd.DataFrame:
    df, report = parse_clinics(
        csv_text(
            {
                **GOOD,
                "id": "seattle",
                "name": "Seattle",
                "city": "Seattle",
                "state": "WA",
                "lat": "47.61",
                "lon": "-122.33",
            },
            {
                **GOOD,
                "id": "portland",
                "name": "Portland",
                "city": "Portland",
                "state": "OR",
                "lat": "45.52",
                "lon": "-122.68",
            },
        )
    )
    assert report.ok
    return df


def contains(bounds, lat, lon) -> bool:
    (south, west), (north, east) = bounds
    return south <= lat <= north and west <= lon <= east


def test_the_view_contains_the_nearest_matches_beyond_an_empty_radius():
    juneau = resolve_offline("99801")
    res = search(far_df(), Criteria("99801", juneau, 25.0))
    assert res.count == 0 and len(res.nearest_beyond) == 2
    data = payload(map_html(build_map(res.nearest_beyond, juneau, 25.0)))
    assert len(data["rows"]) == 2
    for row in res.nearest_beyond.to_dict("records"):
        assert contains(data["bounds"], row["lat"], row["lon"])
    assert contains(data["bounds"], juneau.lat, juneau.lon)


def test_the_view_keeps_the_search_circle_and_every_row():
    place = resolve_offline("98101")
    rows = compact_rows(far_df())
    bounds = _bounds(rows, place, 50.0)
    assert contains(bounds, place.lat + 50 / 69.0 - 1e-6, place.lon)  # the circle's north edge
    for r in rows:
        assert contains(bounds, r[0], r[1])


def test_state_outlines_come_from_the_static_file_not_the_page():
    html = map_html(build_map(far_df()))
    states = [p for p in payloads(html) if "url" in p]
    assert len(states) == 1 and states[0]["url"] == STATES_URL == "/app/static/vendor/us-atlas/states-10m.json"
    assert '"arcs"' not in html and len(html) < 60_000  # the 115 kB TopoJSON is fetched (and cached), never inlined
    assert "/app/static/vendor/topojson-client/dist/topojson-client.min.js" in html


def test_no_tile_server_at_all_when_tiles_are_none(monkeypatch):
    monkeypatch.setenv("CLINIC_FINDER_TILE_URL", "none")
    html = map_html(build_map(far_df()))
    assert "L.tileLayer" not in html and "tile.openstreetmap.org" not in html
    assert re.search(r'"maxZoom":\s*18', html)  # clustering needs a maxZoom even without tiles
    states = next(p for p in payloads(html) if "url" in p)
    assert states["tiles"] is False
    monkeypatch.setenv("CLINIC_FINDER_TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    html = map_html(build_map(far_df()))
    assert "tiles.example.org" in html
    assert next(p for p in payloads(html) if "url" in p)["tiles"] is True


def test_title_notes_and_focus_reach_the_browser():
    df = far_df()
    data = payload(
        map_html(build_map(df, notes=["", "not stated: insurance"], focus=Focus("card", 3, ".st-key-kcf_card_x")))
    )
    assert data["title"] == MAP_TITLE == "Map of results"
    assert [r[10] for r in data["rows"]] == ["", "not stated: insurance"]
    assert data["focus"] == {"target": "card", "seq": 3, "selector": ".st-key-kcf_card_x"}
    assert payload(map_html(build_map(df)))["focus"] is None


def test_the_cluster_library_is_loaded_when_many_markers_cluster():
    df = far_df()
    big = pd.concat([df] * 120, ignore_index=True)
    html = map_html(build_map(big))
    assert len(payload(html)["rows"]) > payload(html)["cluster"]
    assert "/app/static/vendor/leaflet.markercluster/dist/leaflet.markercluster.js" in html
    assert json.loads(json.dumps(payload(html)["rows"][0]))  # rows stay plain JSON
