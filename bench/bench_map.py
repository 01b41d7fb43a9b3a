"""Map build time and HTML size at 100 / 1,000 / 5,000 results, beside plain ``folium.Marker`` markers.

Targets: a 5,000-result map is at most 1.2 MB of HTML and at least 10x faster to build than the
same results as plain folium markers with popups, both measured in this run.
"""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd

from bench.common import Row, fmt_seconds, median_seconds
from dashboard import vocab
from dashboard.mapview import build_map, map_html

TILES = "https://tile.example.invalid/{z}/{x}/{y}.png"


def synthetic_results(n: int, seed: int = 1) -> pd.DataFrame:
    """Fake results for the benchmark only (never shipped as data): random points in the contiguous US."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "id": [f"synthetic-{i}" for i in range(n)],
            "name": [f"Synthetic clinic {i}" for i in range(n)],
            "city": "Springfield",
            "state": "IL",
            "lat": rng.uniform(25, 49, n),
            "lon": rng.uniform(-124, -67, n),
            "location_precision": rng.choice(["street", "zip", "city"], n),
            "phone": "555-0100",
            "website": "https://example.org",
            "listing_kind": "clinic",
            "distance_miles": rng.uniform(0, 500, n),
        }
    )
    for t in vocab.ROUTES:
        df[f"route_{t.code}"] = rng.random(n) < 0.3
    return df


def plain_markers_html(df: pd.DataFrame) -> str:
    """The naive way: one folium.Marker with an HTML popup per result."""
    fmap = folium.Map(location=[39.5, -98.35], zoom_start=4, tiles=TILES, attr="bench")
    for rec in df.to_dict("records"):
        popup = f"<b>{rec['name']}</b><br>{rec['city']}, {rec['state']}<br>{rec['phone']}"
        folium.Marker([rec["lat"], rec["lon"]], popup=folium.Popup(popup), tooltip=rec["name"]).add_to(fmap)
    return fmap.get_root().render()


def run(quick: bool = False) -> list[Row]:
    rows: list[Row] = []
    repeat = 2 if quick else 5
    for n in (100, 1000, 5000):
        df = synthetic_results(n)
        ours = median_seconds(lambda df=df: map_html(build_map(df, tiles=TILES)), repeat=repeat)
        size = len(map_html(build_map(df, tiles=TILES)).encode())
        plain = median_seconds(lambda df=df: plain_markers_html(df), repeat=1 if n == 5000 else repeat, warmup=0)
        plain_size = len(plain_markers_html(df).encode())
        speedup = plain / ours
        is_target = n == 5000
        rows.append(
            Row(
                f"map build {n:,} results",
                fmt_seconds(ours),
                f"{fmt_seconds(plain)} plain folium.Marker",
                f"{speedup:.0f}x faster",
                ">= 10x faster at 5,000" if is_target else "",
                speedup >= 10 if is_target else None,
            )
        )
        rows.append(
            Row(
                f"map HTML size {n:,} results",
                f"{size / 1e6:.3f} MB",
                f"{plain_size / 1e6:.3f} MB plain folium.Marker",
                f"{plain_size / size:.1f}x smaller",
                "<= 1.2 MB at 5,000" if is_target else "",
                size <= 1.2e6 if is_target else None,
            )
        )
    return rows
