"""Search (filter + rank) on synthetic clinics, beside a bare numpy haversine and a naive geodesic loop.

The synthetic table is generated here, in memory, every run (random points in the contiguous US and
random route/condition/payment facts, with the same columns and dtypes as ``dashboard.directory.clinics``
produces); it is never written to disk or shipped as data.

Rows: search at 1k, 100k and 1M listings (a typical query: one route, two conditions, 100 miles), each
beside (a) ``dashboard.places.distance.haversine_miles`` over the same coordinate arrays, the practical floor for
ranking by distance, and (b) a Python loop of ``geopy.distance.geodesic`` over the same points,
timed in full when it takes at most 20 s and otherwise timed on a sample and extrapolated (the row
says so). Targets at 100k: search within 2x the bare haversine, and at least 1,000x faster than the
geodesic loop. Plus informative rows without targets: the same filters at any distance, the worst
case (no filters, any distance: every row sorted and returned) and the haversine's accuracy against
geodesic.

Read the ratios knowing how search works: with a radius it first cuts a latitude band (rows further
north or south than the radius cannot be inside it; exact, see ``dashboard.finder.search._lat_band``) and runs
the haversine on that band only, which is why it can beat a haversine over every row at 1M. At any
distance there is no band, and the time is the full haversine plus building the (large) result frame.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pandas as pd
from geopy.distance import geodesic

from bench.common import Row, fmt_seconds, median_seconds
from dashboard import vocab
from dashboard.config import DEFAULT_DATA
from dashboard.directory.clinics import BOOL_COLUMNS, COLUMNS, load_clinics
from dashboard.finder.columns import Columns
from dashboard.finder.criteria import Criteria
from dashboard.finder.search import search
from dashboard.places.distance import haversine_miles
from dashboard.places.gazetteer import Place

GEODESIC_FULL_LIMIT_S = 20.0
ORIGIN = Place(39.0997, -94.5786, "Kansas City, MO", "city", city="Kansas City", state="MO")
QUERY = Criteria(
    near="Kansas City, MO",
    place=ORIGIN,
    radius_miles=100.0,
    routes=frozenset({"iv_ketamine"}),
    conditions=frozenset({"depression", "ptsd"}),
)
WORST = Criteria(near="Kansas City, MO", place=ORIGIN, radius_miles=None)
# The same filters at any distance: no latitude band can be cut, so the haversine runs on every row.
ANYWHERE = Criteria(
    near="Kansas City, MO",
    place=ORIGIN,
    radius_miles=None,
    routes=QUERY.routes,
    conditions=QUERY.conditions,
)

# Rough shares seen in the real dataset: most list IV; some list nothing.
ROUTE_SHARE = {
    "iv_ketamine": 0.65,
    "esketamine_nasal": 0.25,
    "intranasal_ketamine": 0.03,
    "im_ketamine": 0.07,
    "oral_sublingual_ketamine": 0.06,
}
CONDITION_SHARE = 0.22


def _tuples(bits: np.ndarray, codes: list[str]) -> np.ndarray:
    """Per-row tuples of codes from a boolean matrix, built once per distinct pattern (not per row)."""
    weights = (1 << np.arange(bits.shape[1], dtype=np.int64)).astype(np.int64)
    keys = bits.astype(np.int64) @ weights
    uniq, inverse = np.unique(keys, return_inverse=True)
    table = np.empty(len(uniq), dtype=object)
    for i, key in enumerate(uniq):
        table[i] = tuple(c for j, c in enumerate(codes) if key >> j & 1)
    return table[inverse]


def _nullable(rng: np.random.Generator, n: int, p_known: float, p_true: float) -> pd.arrays.BooleanArray:
    values = rng.random(n) < p_true
    mask = rng.random(n) >= p_known
    return pd.arrays.BooleanArray(values, mask)


def synthetic_clinics(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` synthetic listings with the loader's columns (schema columns + route_/condition_ booleans)."""
    rng = np.random.default_rng(seed)
    route_codes = [t.code for t in vocab.ROUTES]
    condition_codes = [t.code for t in vocab.CONDITIONS]
    route_bits = np.column_stack([rng.random(n) < ROUTE_SHARE.get(c, 0.05) for c in route_codes])
    cond_bits = rng.random((n, len(condition_codes))) < CONDITION_SHARE
    ids = np.char.add("synthetic-", np.arange(n).astype(str)).astype(object)
    price = np.where(rng.random(n) < 0.3, rng.choice([350.0, 450.0, 500.0, 650.0, 800.0], n), np.nan)
    data: dict[str, object] = {
        "id": ids,
        "name": np.char.add("Synthetic clinic ", np.arange(n).astype(str)).astype(object),
        "street": np.full(n, "", dtype=object),
        "city": np.full(n, "Synthetic", dtype=object),
        "state": rng.choice(["KS", "MO", "NE", "OK", "TX", "CA", "NY", "FL"], n).astype(object),
        "zip": np.full(n, "", dtype=object),
        "lat": rng.uniform(25.0, 49.0, n),
        "lon": rng.uniform(-124.0, -67.5, n),
        "location_precision": rng.choice(["street", "zip", "city"], n).astype(object),
        "phone": np.full(n, "(555) 555-0100", dtype=object),
        "website": np.full(n, "https://synthetic.example.org", dtype=object),
        "routes": _tuples(route_bits, route_codes),
        "conditions": _tuples(cond_bits, condition_codes),
        "ketamine_assisted_psychotherapy": _nullable(rng, n, 0.3, 0.5),
        "accepts_insurance": _nullable(rng, n, 0.2, 0.4),
        "self_pay_price_usd": price,
        "price_note": np.full(n, "", dtype=object),
        "va_community_care": _nullable(rng, n, 0.05, 0.5),
        "source_urls": np.full(n, ("https://synthetic.example.org",), dtype=object),
        "source_kind": np.full(n, "synthetic", dtype=object),
        "source_date": np.full(n, "", dtype=object),
        "compiled_on": np.full(n, "2026-11-25", dtype=object),
        "state_from_city": pd.array([pd.NA] * n, dtype="boolean"),
        "listing_kind": np.where(rng.random(n) < 0.02, "research_study", "clinic").astype(object),
        "study_id": np.full(n, "", dtype=object),
        "status": np.full(n, "", dtype=object),
        "last_seen": np.full(n, "", dtype=object),
        "provenance": np.full(n, "", dtype=object),
    }
    df = pd.DataFrame({c: data[c] for c in COLUMNS})
    for col in ("id", "name", "street", "city", "state", "zip", "location_precision", "listing_kind"):
        df[col] = df[col].astype("str")
    for col in BOOL_COLUMNS:
        assert df[col].dtype == "boolean"
    for j, code in enumerate(route_codes):
        df[f"route_{code}"] = route_bits[:, j]
    for j, code in enumerate(condition_codes):
        df[f"condition_{code}"] = cond_bits[:, j]
    df["route_count"] = route_bits.sum(axis=1).astype(int)
    df["condition_count"] = cond_bits.sum(axis=1).astype(int)
    return df


def _geodesic_loop(lats: np.ndarray, lons: np.ndarray) -> float:
    origin = (ORIGIN.lat, ORIGIN.lon)
    t0 = time.perf_counter()
    for lat, lon in zip(lats.tolist(), lons.tolist(), strict=True):
        _ = geodesic(origin, (lat, lon)).miles
    return time.perf_counter() - t0


def _geodesic_time(lats: np.ndarray, lons: np.ndarray, quick: bool) -> tuple[float, str]:
    """Seconds for the full geodesic loop: measured when it fits in 20 s, else extrapolated from a sample."""
    n = len(lats)
    sample = min(n, 500 if quick else 3000)
    per_call = _geodesic_loop(lats[:sample], lons[:sample]) / sample
    if sample == n:
        return per_call * n, "full loop"
    if not quick and per_call * n <= GEODESIC_FULL_LIMIT_S:
        return _geodesic_loop(lats, lons), "full loop"
    return per_call * n, f"extrapolated from {sample:,} calls"


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def run(quick: bool = False) -> list[Row]:
    sizes = (1_000, 100_000) if quick else (1_000, 100_000, 1_000_000)
    repeat = 3 if quick else 7
    rows: list[Row] = []
    for n in sizes:
        df = synthetic_clinics(n)
        lats = df["lat"].to_numpy()
        lons = df["lon"].to_numpy()
        found = search(df, QUERY).count
        t_search = median_seconds(lambda df=df: search(df, QUERY), repeat=repeat)
        t_hav = median_seconds(lambda la=lats, lo=lons: haversine_miles(ORIGIN.lat, ORIGIN.lon, la, lo), repeat=repeat)
        ratio = t_search / t_hav
        target_100k = n == 100_000
        rows.append(
            Row(
                bench=f"search {_label(n)} (1 route, 2 conditions, 100 mi; {found:,} found)",
                measured=fmt_seconds(t_search),
                baseline=f"{fmt_seconds(t_hav)} bare numpy haversine",
                ratio=f"{ratio:.2f}x haversine",
                target="<= 2x haversine" if target_100k else "-",
                ok=(ratio <= 2.0) if target_100k else None,
            )
        )
        t_geo, how = _geodesic_time(lats, lons, quick)
        speedup = t_geo / t_search
        rows.append(
            Row(
                bench=f"search {_label(n)} vs geodesic loop",
                measured=fmt_seconds(t_search),
                baseline=f"{fmt_seconds(t_geo)} geodesic loop ({how})",
                ratio=f"{speedup:,.0f}x faster",
                target=">= 1,000x faster" if target_100k else "-",
                ok=(speedup >= 1000) if target_100k else None,
            )
        )
        if n == 100_000:
            t_any = median_seconds(lambda df=df: search(df, ANYWHERE), repeat=repeat)
            rows.append(
                Row(
                    bench=f"search {_label(n)} same filters, any distance ({search(df, ANYWHERE).count:,} found)",
                    measured=fmt_seconds(t_any),
                    baseline=f"{fmt_seconds(t_hav)} bare numpy haversine",
                    ratio=f"{t_any / t_hav:.2f}x haversine",
                    target="-",
                    ok=None,
                )
            )
            t_worst = median_seconds(lambda df=df: search(df, WORST), repeat=repeat)
            rows.append(
                Row(
                    bench=f"search {_label(n)} worst case (no filters, any distance: all rows ranked)",
                    measured=fmt_seconds(t_worst),
                    baseline=f"{fmt_seconds(t_hav)} bare numpy haversine",
                    ratio=f"{t_worst / t_hav:.2f}x haversine",
                    target="-",
                    ok=None,
                )
            )
            # Accuracy of the ranking distance against geodesic on the same points (a sample).
            k = 2000
            hav = haversine_miles(ORIGIN.lat, ORIGIN.lon, lats[:k], lons[:k])
            ref = np.array(
                [geodesic((ORIGIN.lat, ORIGIN.lon), (a, b)).miles for a, b in zip(lats[:k], lons[:k], strict=True)]
            )
            err = float(np.max(np.abs(hav - ref) / ref))
            rows.append(
                Row(
                    bench=f"haversine accuracy ({k:,} random US points)",
                    measured=f"max error {err * 100:.3f} %",
                    baseline="geopy geodesic (WGS-84)",
                    ratio="-",
                    target="<= 0.5 %",
                    ok=err <= 0.005,
                )
            )
        del df
    rows.append(_real_dataset_row(repeat))
    return rows


def _real_dataset_row(repeat: int) -> Row:
    """The bundled dataset as the finder searches it: every search of a table shares one ``Columns``
    (dashboard.finder_cache); the baseline converts the columns again for each search."""
    df, _ = load_clinics(DEFAULT_DATA)
    queries = [
        dataclasses.replace(QUERY, radius_miles=r, routes=routes, conditions=conds)
        for r in (25.0, 100.0, 500.0, None)
        for routes in (frozenset(), QUERY.routes)
        for conds in (frozenset(), QUERY.conditions)
    ]
    columns = Columns(df)
    t_shared = median_seconds(lambda: [search(df, q, columns) for q in queries], repeat=repeat) / len(queries)
    t_fresh = median_seconds(lambda: [search(df, q) for q in queries], repeat=repeat) / len(queries)
    return Row(
        bench=f"search, bundled dataset ({len(df)} listings; {len(queries)} queries), shared Columns",
        measured=fmt_seconds(t_shared),
        baseline=f"{fmt_seconds(t_fresh)} columns converted per search",
        ratio=f"{t_fresh / t_shared:.1f}x faster",
        target="-",
        ok=None,
    )
