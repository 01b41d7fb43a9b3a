"""The results map: a folium map whose markers are built in the browser from compact rows.

Why not one ``folium.Marker`` per clinic: every marker then carries its own JavaScript and popup HTML,
so 5,000 results make megabytes of page and seconds of build time. Here the rows travel once as JSON
(escaped so no dataset text can close the script), and the browser draws circle markers, builds popups
with ``textContent`` (dataset text is never parsed as HTML) and clusters them when there are many.
Only http(s) links are ever made clickable. Leaflet comes from the app's own static files, not a CDN.

Geography without a tile server: U.S. state outlines (us-atlas, U.S. Census Bureau boundaries, fetched and
hash-checked at install time) are drawn under the markers from ``/app/static``, loaded by the browser from
that URL (cached), never inlined into each map. ``CLINIC_FINDER_TILE_URL=none`` leaves tiles out entirely,
so a patient's browser contacts no tile server; the outlines then carry the map.

The map follows the list: it gets exactly the rows the list shows (``dashboard.finder.cards.result_sections``),
its view fits them all with the searched place, and it tells the page what to bring into view after a
choice (``focus``): the map after "Show on map", the card after a marker click.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import xyzservices
from folium.elements import JSCSSMixin
from jinja2 import Template

from dashboard import config
from dashboard.assets import asset_url
from dashboard.places.gazetteer import Place
from dashboard.text import cell_text, is_http_url

_LAYER_JS = (Path(__file__).parent / "results_layer.js").read_text(encoding="utf-8")
_STATES_JS = (Path(__file__).parent / "states_layer.js").read_text(encoding="utf-8")
CLUSTER_THRESHOLD = 200  # above this many markers, cluster them in the browser
MAP_TITLE = "Map of results"
STATES_URL = asset_url("us-atlas", "states-10m.json")
STATES_ATTRIBUTION = "States: U.S. Census Bureau"
NO_TILES = "none"
LAND, WATER = "#f3f1ea", "#dce7f0"
MAX_ZOOM = 18


@dataclass(frozen=True)
class MarkerStyle:
    key: str
    label: str
    color: str
    shape: str = "circle"  # "circle", or "square" for a VA facility (told apart by shape, not colour alone)


# Colour by the route group a listing offers; several groups and "not listed" get their own colour.
STYLES: tuple[MarkerStyle, ...] = (
    MarkerStyle("IV infusion", "IV infusion", "#1f77b4"),
    MarkerStyle("Nasal", "Nasal spray (esketamine or compounded)", "#2ca02c"),
    MarkerStyle("Injection", "Injection (IM)", "#d62728"),
    MarkerStyle("Oral / sublingual", "Oral / sublingual", "#ff7f0e"),
    MarkerStyle("several", "Several routes", "#6b3fa0"),
    MarkerStyle("none", "Route not listed", "#7f7f7f"),
    MarkerStyle("study", "Recruiting research study", "#8c564b"),
    MarkerStyle("va", "VA medical centre (for enrolled veterans)", "#0b3d6e", "square"),
)
_STYLE_INDEX = {s.key: i for i, s in enumerate(STYLES)}


def _route_groups() -> dict[str, str]:
    from dashboard.vocab import ROUTES

    return {t.code: t.group for t in ROUTES}


def style_keys(df: pd.DataFrame) -> list[int]:
    """Index into STYLES for each row (numpy over the boolean route columns: pandas operations per column
    cost ~10 ms a map)."""
    n = len(df)
    if not n:
        return []
    per_group: dict[str, np.ndarray] = {}
    for code, group in _route_groups().items():
        col = f"route_{code}"
        has = df[col].to_numpy(dtype=bool, na_value=False) if col in df else np.zeros(n, dtype=bool)
        per_group[group] = per_group.get(group, np.zeros(n, dtype=bool)) | has
    counts = np.sum(list(per_group.values()), axis=0) if per_group else np.zeros(n, dtype=int)
    keys = np.full(n, _STYLE_INDEX["none"])
    for group, mask in per_group.items():
        keys[mask & (counts == 1)] = _STYLE_INDEX[group]
    keys[counts > 1] = _STYLE_INDEX["several"]
    if "listing_kind" in df:
        kinds = df["listing_kind"]
        keys[(kinds == "research_study").to_numpy(dtype=bool, na_value=False)] = _STYLE_INDEX["study"]
        keys[(kinds == "va_facility").to_numpy(dtype=bool, na_value=False)] = _STYLE_INDEX["va"]
    return keys.tolist()


_ROW_COLUMNS = ("lat", "lon", "location_precision", "name", "city", "state", "phone", "website")


def compact_rows(df: pd.DataFrame, notes: Sequence[str] | None = None) -> list[list]:
    """One short list per result: what the browser needs to draw the marker and a light popup.

    ``notes``: one line per row for the popup (for example "not stated: insurance"), or None.
    Reads only the columns it needs (records of the whole table cost ~5 ms a map).
    """
    if df.empty:
        return []
    styles = style_keys(df)
    n = len(df)
    cols = {c: (df[c].tolist() if c in df else [None] * n) for c in _ROW_COLUMNS}
    distance = df["distance_miles"].tolist() if "distance_miles" in df else [None] * n
    notes = list(notes) if notes is not None else [""] * n
    rows = []
    for i in range(n):
        website = cell_text(cols["website"][i])
        dist = distance[i]
        rows.append(
            [
                round(float(cols["lat"][i]), 5),
                round(float(cols["lon"][i]), 5),
                styles[i],
                1 if cols["location_precision"][i] == "street" else 0,
                cell_text(cols["name"][i]),
                ", ".join(p for p in (cell_text(cols["city"][i]), cell_text(cols["state"][i])) if p),
                cell_text(cols["phone"][i]),
                website if is_http_url(website) else "",
                "" if dist is None or (isinstance(dist, float) and math.isnan(dist)) else f"{dist:.1f} mi",
                i,
                notes[i] if i < len(notes) else "",
            ]
        )
    return rows


def _safe_json(value: object) -> str:
    """JSON that cannot end the surrounding <script> or start HTML, whatever the dataset says."""
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class _ResultsLayer(JSCSSMixin):
    """Draws the search circle, the result markers, popups, legend and selection in the browser."""

    default_js = [("markercluster", asset_url("leaflet.markercluster", "dist/leaflet.markercluster.js"))]
    default_css = [
        ("markercluster_css", asset_url("leaflet.markercluster", "dist/MarkerCluster.css")),
        ("markercluster_default_css", asset_url("leaflet.markercluster", "dist/MarkerCluster.Default.css")),
    ]
    _template = Template("{% macro script(this, kwargs) %}{{ this.script() }}{% endmacro %}")

    def __init__(self, payload: str) -> None:
        super().__init__()
        self._name = "ResultsLayer"
        self.payload = payload

    def script(self) -> str:
        return _LAYER_JS.replace("__MAP__", self._parent.get_name()).replace("__PAYLOAD__", self.payload)


class OfflineMap(folium.Map):
    """A folium map that loads Leaflet from the app's static files instead of third-party CDNs."""

    default_js = [
        ("leaflet", asset_url("leaflet", "dist/leaflet.js")),
        ("jquery", asset_url("jquery", "dist/jquery.min.js")),
    ]
    default_css = [("leaflet_css", asset_url("leaflet", "dist/leaflet.css"))]


class StatesLayer(JSCSSMixin):
    """U.S. state outlines under the markers, or (``counts`` by state FIPS code) a choropleth of them."""

    default_js = [("topojson_client", asset_url("topojson-client", "dist/topojson-client.min.js"))]
    _template = Template("{% macro script(this, kwargs) %}{{ this.script() }}{% endmacro %}")

    def __init__(self, payload: str) -> None:
        super().__init__()
        self._name = "StatesLayer"
        self.payload = payload

    def script(self) -> str:
        return _STATES_JS.replace("__MAP__", self._parent.get_name()).replace("__PAYLOAD__", self.payload)


def states_payload(
    tiles: bool,
    counts: dict[str, int] | None = None,
    bins: Sequence[int] = (),
    colours: Sequence[str] = (),
    fit: list[list[float]] | None = None,
    legend: Sequence[tuple[str, str]] = (),
    legend_title: str = "",
    title: str = "",
) -> str:
    """The JSON the states layer reads (see states_layer.js). With ``counts`` (by state FIPS code) the
    states are filled by class (``bins``/``colours``) and ``legend`` lists (label, colour)."""
    return _safe_json(
        {
            "url": STATES_URL,
            "tiles": tiles,
            "land": LAND,
            "water": WATER,
            "attribution": STATES_ATTRIBUTION,
            "counts": counts,
            "bins": list(bins),
            "colours": list(colours),
            "fit": fit,
            "legend": [{"label": label, "colour": colour} for label, colour in legend],
            "legend_title": legend_title,
            "title": title,
        }
    )


CONTIGUOUS_US = [[24.4, -125.0], [49.4, -66.9]]
COVERAGE_TITLE = "Map of listings per state"


def coverage_map(counts: dict[str, int], bins: Sequence[int], colours: Sequence[str], labels: Sequence[str]):
    """A choropleth of listings per state (``counts`` by FIPS code), drawn in the browser from the same
    boundaries; no tile layer at all (nothing to fetch from anyone)."""
    fmap, _ = base_map(NO_TILES, zoomSnap=0.25)
    payload = states_payload(
        False,
        counts=counts,
        bins=bins,
        colours=colours,
        fit=CONTIGUOUS_US,
        legend=list(zip(labels, colours, strict=True)),
        legend_title="Listings",
        title=COVERAGE_TITLE,
    )
    fmap.add_child(StatesLayer(payload))
    return fmap


# folium sets the whole map's text to 1rem, which made the attribution line wrap across the map's foot and
# cover the scale bar (bottom left). The attribution gets Leaflet's own 12px, and the bottom-right corner
# (attribution, legend) keeps clear of the scale bar. The map shows where the keyboard focus is ("Show … on map"
# moves it there).
MAP_CSS = """<style>
.leaflet-container .leaflet-control-attribution { font-size: 12px; }
.leaflet-bottom.leaflet-right { max-width: calc(100% - 100px); }
.leaflet-container:focus-visible { outline: 3px solid #0b4f9c; outline-offset: -3px; }
</style>"""


def base_map(tiles: str | None = None, **options) -> tuple[folium.Map, bool]:
    """An offline map with the deployment's tile layer (none for ``CLINIC_FINDER_TILE_URL=none``); returns
    the map and whether it has tiles. ``maxZoom`` is set on the map itself, so clustering works without a
    tile layer."""
    url = (tiles or config.tile_url()).strip()
    with_tiles = url.lower() != NO_TILES
    fmap = OfflineMap(
        location=[39.5, -98.35], zoom_start=4, tiles=None, control_scale=True, maxZoom=MAX_ZOOM, **options
    )
    fmap.get_root().header.add_child(folium.Element(MAP_CSS), name="kcf_map_css")
    if with_tiles:
        # A TileProvider, not the URL text: folium looks text up among every named provider (~5 ms a map).
        provider = xyzservices.TileProvider(name="Map", url=url, attribution=config.DEFAULT_TILE_ATTRIBUTION)
        folium.TileLayer(tiles=provider, max_zoom=MAX_ZOOM, name="Map").add_to(fmap)
    return fmap, with_tiles


def _bounds(rows: Sequence[Sequence], place: Place | None, radius_miles: float | None) -> list[list[float]] | None:
    """The view: every row shown and the searched place, and the search circle when something is inside it
    (an empty circle around the place says "nothing here" better than a zoomed-in blank)."""
    lats = [r[0] for r in rows] + ([place.lat] if place else [])
    lons = [r[1] for r in rows] + ([place.lon] if place else [])
    if place is not None and radius_miles:
        dlat = radius_miles / 69.0
        dlon = radius_miles / max(1e-6, 69.0 * math.cos(math.radians(place.lat)))
        lats += [place.lat - dlat, place.lat + dlat]
        lons += [place.lon - dlon, place.lon + dlon]
    if not lats:
        return None
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


@dataclass(frozen=True)
class Focus:
    """What the page should bring into view once the map is drawn: ``target`` "map", or "card"/"results"
    with ``selector`` the CSS selector of the element; ``seq`` changes with every new choice, so a redraw
    of the same map never repeats it."""

    target: str
    seq: int
    selector: str = ""


# Stands in for the results in a map built once and reused for every search (``results_map``); a valid
# JavaScript expression, so such a map also works on its own (no results).
PAYLOAD_SLOT = "null /* kcf-results */"


def results_payload(
    results: pd.DataFrame,
    place: Place | None = None,
    radius_miles: float | None = None,
    selected: int | None = None,
    notes: Sequence[str] | None = None,
    focus: Focus | None = None,
) -> str:
    """Everything a results map shows, as the JSON its layer reads (see results_layer.js): the rows a
    list shows, ``selected`` the row position of the highlighted result, ``notes`` one popup line per
    row, ``focus`` what to bring into view."""
    rows = compact_rows(results, notes)
    used = sorted({r[2] for r in rows})
    payload = {
        "rows": rows,
        "styles": [{"color": s.color, "shape": s.shape} for s in STYLES],
        "legend": [{"label": STYLES[i].label, "color": STYLES[i].color, "shape": STYLES[i].shape} for i in used],
        "cluster": CLUSTER_THRESHOLD,
        "selected": selected if selected is not None and 0 <= selected < len(rows) else None,
        "place": {"lat": place.lat, "lon": place.lon} if place else None,
        "radius_m": radius_miles * 1609.344 if (place and radius_miles) else None,
        "bounds": _bounds(rows, place, radius_miles),
        "title": MAP_TITLE,
        "focus": {"target": focus.target, "seq": focus.seq, "selector": focus.selector} if focus else None,
    }
    return _safe_json(payload)


def results_map(payload: str = PAYLOAD_SLOT, tiles: str | None = None) -> folium.Map:
    """The results map around ``payload`` (``results_payload``). Nothing else in it depends on the search,
    so a page can build it once with ``PAYLOAD_SLOT`` and put each search's payload in its place: folium
    compiles and renders some twenty Jinja templates per map (~35 ms a finder run)."""
    fmap, with_tiles = base_map(tiles)
    fmap.add_child(StatesLayer(states_payload(with_tiles)))
    fmap.add_child(_ResultsLayer(payload))
    return fmap


def build_map(
    results: pd.DataFrame,
    place: Place | None = None,
    radius_miles: float | None = None,
    selected: int | None = None,
    tiles: str | None = None,
    notes: Sequence[str] | None = None,
    focus: Focus | None = None,
) -> folium.Map:
    """The map for the rows a list shows (see ``results_payload``)."""
    return results_map(results_payload(results, place, radius_miles, selected, notes, focus), tiles)


def map_html(fmap: folium.Map) -> str:
    """The full standalone HTML of a map (used by tests and the benchmark)."""
    return fmap.get_root().render()


def clicked_result(clicked: dict | None, results: pd.DataFrame, tolerance_deg: float = 0.05) -> str | None:
    """The id of the result whose marker was clicked, from st_folium's return value (or None).

    Leaflet reports where the pointer was, not the marker's centre, so the tooltip (the listing's
    name) decides, and among listings with that name (or without a tooltip) the nearest marker wins.
    """
    if not clicked or results.empty:
        return None
    point = clicked.get("last_object_clicked") or {}
    try:
        lat, lon = float(point["lat"]), float(point["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    tooltip = (clicked.get("last_object_clicked_tooltip") or "").strip()
    candidates = results[results["name"].str.strip() == tooltip] if tooltip else results
    if candidates.empty:
        return None
    offset = (candidates["lat"] - lat).abs() + (candidates["lon"] - lon).abs()
    if offset.min() > tolerance_deg:
        return None
    return str(candidates.loc[offset.idxmin(), "id"])
