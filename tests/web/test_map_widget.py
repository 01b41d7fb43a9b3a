"""The finder's map, drawn from a map rendered once: exactly what st_folium would send for every search."""

from __future__ import annotations

import threading

import pytest

from dashboard import config, mapview
from dashboard.directory.clinics import parse_clinics
from dashboard.finder.criteria import Criteria
from dashboard.finder.search import search
from dashboard.mapview import Focus, build_map, results_payload
from dashboard.places.gazetteer import zip_place
from dashboard.web import map_widget
from tests.helpers import GOOD, csv_text
from tests.helpers import HOSTILE_MARKUP as HOSTILE


@pytest.fixture(scope="module")
def bundled():
    from dashboard.directory.clinics import load_clinics

    df, report = load_clinics(config.DEFAULT_DATA)
    assert report.ok
    return df


def st_folium_args(df, tiles: str, **kwargs) -> dict:
    """What st_folium itself sends for a map built the slow way (a new folium map for this search)."""
    fmap = build_map(df, tiles=tiles, **kwargs)
    return map_widget.component_args(fmap, key=map_widget.MAP_KEY, **map_widget.MAP_OPTIONS)


@pytest.mark.parametrize("tiles", ["none", "https://tiles.example.org/{z}/{x}/{y}.png"])
@pytest.mark.parametrize(
    ("near", "radius", "routes"),
    [("10017", 100.0, frozenset()), ("85719", 25.0, frozenset({"iv_ketamine"})), ("", None, frozenset())],
)
def test_a_search_sends_what_st_folium_sends(bundled, tiles, near, radius, routes):
    place = zip_place(near) if near else None
    found = search(bundled, Criteria(near=near, place=place, radius_miles=radius, routes=routes)).results
    for selected, focus in ((None, None), (0, Focus("map", 3)), (1, Focus("card", 4, ".st-key-kcf_card_x"))):
        kwargs = {"place": place, "radius_miles": radius, "selected": selected, "focus": focus}
        fast = map_widget.results_args(results_payload(found, **kwargs), tiles=tiles)
        assert fast == st_folium_args(found, tiles, **kwargs)


def test_hostile_listing_text_reaches_the_map_as_st_folium_sends_it():
    df, report = parse_clinics(csv_text({**GOOD, "name": HOSTILE, "website": "https://ok.example"}))
    assert report.ok
    fast = map_widget.results_args(results_payload(df, notes=["not stated: _insurance_ </script>"]), tiles="none")
    assert fast == st_folium_args(df, "none", notes=["not stated: _insurance_ </script>"])
    assert "</script><img" not in fast["script"]


def test_an_empty_result_and_a_changed_result_get_different_keys(bundled):
    """The browser replaces the map when the key changes, and keeps it when it does not."""
    empty = map_widget.results_args(results_payload(bundled.iloc[:0]), tiles="none")
    some = map_widget.results_args(results_payload(bundled.iloc[:3]), tiles="none")
    again = map_widget.results_args(results_payload(bundled.iloc[:3]), tiles="none")
    assert empty["key"] != some["key"]
    assert some == again


def test_capturing_in_one_thread_leaves_other_threads_drawing(monkeypatch):
    """Only the thread rendering the shell captures; a session drawing a map meanwhile reaches the component."""
    drawn: list[str] = []
    monkeypatch.setattr(map_widget, "_component", lambda **kwargs: drawn.append(threading.current_thread().name))
    inside = threading.Event()
    release = threading.Event()
    original = mapview.results_map

    def slow_map(*args, **kwargs):
        inside.set()
        release.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(mapview, "results_map", slow_map)
    capturing = threading.Thread(target=lambda: map_widget.component_args(mapview.results_map(tiles="none")))
    capturing.start()
    assert inside.wait(10)
    other = threading.Thread(target=lambda: map_widget._component_or_capture(script="x"), name="other-session")
    other.start()
    other.join(10)
    release.set()
    capturing.join(10)
    assert drawn == ["other-session"]


def test_the_shell_has_one_slot_for_the_results():
    args = map_widget._shell("none")
    assert args["script"].count(mapview.PAYLOAD_SLOT) == 1
