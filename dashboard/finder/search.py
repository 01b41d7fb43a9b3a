"""Search: ``Criteria`` in, filtered and distance-ranked ``SearchResult`` out (pure pandas/numpy).

The one entry point is :func:`search`. It never loops over rows in Python: every filter is a vectorised
mask (``dashboard.finder.filters``, which also says how tiers and facet counts are made), and
distances come from one vectorised haversine over the coordinates.

Distance: a listing is inside the radius when its straight-line distance is ``<= radius_miles``;
``radius_miles=None`` means any distance. Without a ``place`` there is no distance at all: every listing
is "inside", ``distance_miles`` is NaN and results are ordered by state, city and name. When nothing
Results come in tiers (``dashboard.finder.filters`` says the rule): ``results`` states everything chosen,
``to_ask`` states no opposite but leaves something chosen unsaid. When nothing is confirmed inside a
radius, up to ``NEAREST_BEYOND`` nearest confirmed listings beyond it are offered after both tiers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard.finder import wording
from dashboard.finder.columns import Columns
from dashboard.finder.criteria import DISTANCE_COLUMN, NEAREST_BEYOND, Criteria, Facets, SearchResult
from dashboard.finder.filters import FILTERS, all_of, strict_mask
from dashboard.places.distance import EARTH_RADIUS_MILES, haversine_miles


def _rank(cols: Columns, pos: np.ndarray, dist: np.ndarray | None) -> np.ndarray:
    """Permutation of ``pos`` (row positions; ``dist`` aligned with it) nearest first, ties by name.

    Without distances: by state, city, name. Names are read only for rows whose distance ties
    (listings placed at the same city or ZIP centre), so ranking stays a numpy sort.
    """
    if len(pos) == 0:
        return np.arange(0)
    if dist is None:
        return np.lexsort((cols.text("name", pos), cols.text("city", pos), cols.text("state", pos)))
    d = np.where(np.isnan(dist), np.inf, dist)
    order = np.argsort(d)
    ds = d[order]
    tie = np.zeros(len(ds), dtype=bool)
    same = ds[1:] == ds[:-1]
    tie[1:] |= same
    tie[:-1] |= same
    if tie.any():
        slots = np.flatnonzero(tie)
        group = np.cumsum(np.concatenate(([True], ~same)))[slots]
        rows = pos[order[slots]]
        order[slots] = order[slots][np.lexsort((rows, cols.text("name", rows), group))]
    return order


def _frame(df: pd.DataFrame, pos: np.ndarray, dist: np.ndarray | None) -> pd.DataFrame:
    out = df.take(pos)
    out.index = pd.RangeIndex(len(out))
    out[DISTANCE_COLUMN] = dist if dist is not None else np.full(len(pos), np.nan)
    return out


def _lat_band(radius: float) -> float:
    """Degrees of latitude that ``radius`` miles can span: a point further north or south than this
    cannot be within the radius (great-circle distance >= meridian distance), so the haversine only
    needs to run on the band. The margin keeps the cut exact under rounding."""
    return math.degrees(radius / EARTH_RADIUS_MILES) * (1 + 1e-9) + 1e-9


def search(df: pd.DataFrame, criteria: Criteria, columns: Columns | None = None) -> SearchResult:
    """Filter and rank ``df`` (a table from ``dashboard.directory.clinics``) by ``criteria``. Never modifies
    ``df``. ``columns``: ``Columns(df)`` kept from earlier searches of the same table (the result is the same)."""
    cols = columns if columns is not None else Columns(df, keep=False)
    if cols.df is not df:
        raise ValueError("columns were made from another table")
    c = criteria
    n = len(df)
    place = c.place
    radius = c.radius_miles if place is not None else None
    everything = slice(None)
    lat_all = cols.floats("lat", everything)
    lon_all = cols.floats("lon", everything)

    # Distance: a vectorised haversine over the rows that can be inside the radius (a latitude band
    # first when a radius is set); everything after works on the rows inside the radius only.
    base_dist: np.ndarray | None = None
    if place is not None:
        band = _lat_band(radius) if radius is not None else None
        cand = np.arange(n) if band is None else np.flatnonzero(np.abs(lat_all - place.lat) <= band)
        d = haversine_miles(place.lat, place.lon, lat_all[cand], lon_all[cand])
        inside = d <= radius if radius is not None else ~np.isnan(d)
        base = cand[inside]
        base_dist = d[inside]
    else:
        base = np.arange(n)
    m = len(base)

    # Every filter over the rows inside the radius: its options, and what each row says (see filters).
    options = [f.options(cols, c, base) for f in FILTERS]
    answers = [f.answers(cols, c, base, opts) for f, opts in zip(FILTERS, options, strict=True)]
    confirmed = all_of((a[0] if a else None for a in answers), m)
    allowed = [a[0] | a[1] if a else None for a in answers]  # not stating the opposite
    possible = all_of(allowed, m)
    ask = possible & ~confirmed

    # Facet counts: with the option added, the rows no filter excludes.
    counts: dict[str, dict[str, int]] = {"routes": {}, "conditions": {}, "payment": {}, "listing_kinds": {}}
    for i, f in enumerate(FILTERS):
        others = all_of(allowed[:i] + allowed[i + 1 :], m)
        own = allowed[i] if allowed[i] is not None and f.adds else np.zeros(m, dtype=bool)
        reach = f.reach(cols, base, options[i])
        counts[f.facet].update({key: int(np.count_nonzero(others & (own | mask))) for key, mask in reach.items()})
    facets = Facets(**counts)

    hit_pos = base[confirmed]
    hit_dist = base_dist[confirmed] if base_dist is not None else None
    order = _rank(cols, hit_pos, hit_dist)
    results = _frame(df, hit_pos[order], hit_dist[order] if hit_dist is not None else None)
    ask_pos = base[ask]
    ask_dist = base_dist[ask] if base_dist is not None else None
    ask_order = _rank(cols, ask_pos, ask_dist)
    to_ask = _frame(df, ask_pos[ask_order], ask_dist[ask_order] if ask_dist is not None else None)
    nearest = results.iloc[:0]
    empty_reason = None
    if len(results) == 0:
        if place is not None and radius is not None:
            nearest = _nearest_beyond(cols, c, lat_all, lon_all, base)
        empty_reason = wording.empty_reason(c, n, m, nearest, len(to_ask))

    return SearchResult(
        criteria=c,
        results=results,
        facets=facets,
        within_radius=m,
        nearest_beyond=nearest,
        description=wording.describe(c, len(results), len(to_ask)),
        empty_reason=empty_reason,
        to_ask=to_ask,
    )


def _nearest_beyond(
    cols: Columns, c: Criteria, lat_all: np.ndarray, lon_all: np.ndarray, inside: np.ndarray
) -> pd.DataFrame:
    """Up to ``NEAREST_BEYOND`` nearest listings outside the radius that meet every other filter."""
    outside = np.ones(len(cols.df), dtype=bool)
    outside[inside] = False
    pos = np.flatnonzero(outside)
    pos = pos[strict_mask(cols, c, pos)]
    d = haversine_miles(c.place.lat, c.place.lon, lat_all[pos], lon_all[pos])
    keep = ~np.isnan(d)
    pos, d = pos[keep], d[keep]
    if len(pos) > NEAREST_BEYOND:
        part = np.argpartition(d, NEAREST_BEYOND - 1)[:NEAREST_BEYOND]
        pos, d = pos[part], d[part]
    order = _rank(cols, pos, d)
    return _frame(cols.df, pos[order], d[order])
