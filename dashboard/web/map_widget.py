"""UI helper (imports Streamlit): the results map, drawn by streamlit-folium from a map rendered once.

Why: ``st_folium`` renders the whole folium map on every call (Jinja templates compiled and rendered,
element names rewritten), ~35 ms of a finder run on this machine, although only the results
layer's data differs from one search to the next (``dashboard.mapview.results_map``). So the map is built
and passed through ``st_folium`` once per process and tile setting, with ``mapview.PAYLOAD_SLOT`` where the
results go; what ``st_folium`` would send to the browser is kept, and each run puts its own results into
the slot and sends that through streamlit-folium's own component, keyed as ``st_folium`` keys it.

Only streamlit-folium's code makes what reaches the browser. Capturing it means standing in for its
component function while the one map renders — in that thread only, so sessions drawing maps at the same
moment are not affected. tests/web/test_map_widget.py checks that every search gives exactly what
``st_folium(build_map(...))`` gives, so a streamlit-folium release that works differently fails there, not
in a patient's browser.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import streamlit as st
import streamlit_folium

from dashboard import config, mapview

MAP_KEY = "map"
MAP_OPTIONS: Mapping[str, Any] = {
    "height": 460,
    "use_container_width": True,
    "returned_objects": ["last_object_clicked", "last_object_clicked_tooltip"],
}

_capture = threading.local()
_component = streamlit_folium._component_func


def _component_or_capture(**kwargs: Any) -> Any:
    """streamlit-folium's component, except in a thread that is capturing its arguments."""
    sink = getattr(_capture, "sink", None)
    if sink is None:
        return _component(**kwargs)
    sink.update(kwargs)
    return None


streamlit_folium._component_func = _component_or_capture


def component_args(fmap: Any, key: str = MAP_KEY, **options: Any) -> dict[str, Any]:
    """What ``st_folium(fmap, key=key, **options)`` sends to the browser, without sending it."""
    sink: dict[str, Any] = {}
    _capture.sink = sink
    try:
        streamlit_folium.st_folium(fmap, key=key, **options)
    finally:
        _capture.sink = None
    sink.pop("on_change", None)
    return sink


@st.cache_resource(show_spinner=False, max_entries=4)
def _shell(tiles: str) -> dict[str, Any]:
    """The results map with an empty slot for the results, as st_folium sends it; one per tile setting.
    Read-only once made (shared by every session)."""
    args = component_args(mapview.results_map(mapview.PAYLOAD_SLOT, tiles), **MAP_OPTIONS)
    if args["script"].count(mapview.PAYLOAD_SLOT) != 1:
        raise RuntimeError("streamlit-folium changed the results layer's script; draw the map with st_folium")
    return args


def results_args(payload: str, tiles: str | None = None) -> dict[str, Any]:
    """The component arguments for a results map showing ``payload`` (``mapview.results_payload``)."""
    shell = _shell(tiles or config.tile_url())
    script = shell["script"].replace(mapview.PAYLOAD_SLOT, payload)
    key = streamlit_folium.generate_js_hash(script, MAP_KEY, shell["return_on_hover"])
    return {**shell, "script": script, "key": key}


def draw_results_map(payload: str) -> Any:
    """Draw the results map; returns what st_folium returns (the last marker clicked, ...)."""
    args = results_args(payload)
    state_key = args["key"]

    def on_change() -> None:  # as st_folium's own: the map's value also under its key
        st.session_state[MAP_KEY] = st.session_state.get(state_key, {})

    return _component(**args, on_change=on_change)
