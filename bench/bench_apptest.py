"""Finder rerun cost: an AppTest rerun after a filter change beside a rerun with nothing changed.

Target: a filter change reruns within 3x of a no-change rerun, both measured in this run.
The search, the map (cached by filter settings) and the list are what a filter change redoes.
"""

from __future__ import annotations

import os
import statistics
import time

from bench.common import Row, fmt_seconds
from dashboard.config import PROJECT_ROOT


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run(quick: bool = False) -> list[Row]:
    os.environ.setdefault("CLINIC_FINDER_ONLINE_GEOCODING", "0")
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PROJECT_ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["near"] = "10017"
    at.query_params["radius"] = "250"
    at.run()
    at.run()  # warm caches
    repeat = 5 if quick else 15
    same = [_timed(at.run) for _ in range(repeat)]
    changed = []
    for i in range(repeat):
        widget = at.checkbox(key="route_iv_ketamine")
        changed.append(_timed(lambda w=widget, v=i % 2 == 0: w.set_value(v).run()))
    assert not at.exception, at.exception
    same_s, changed_s = statistics.median(same), statistics.median(changed)
    ratio = changed_s / same_s
    return [
        Row(
            "finder rerun after a filter change (AppTest)",
            fmt_seconds(changed_s),
            f"{fmt_seconds(same_s)} rerun with nothing changed",
            f"{ratio:.2f}x",
            "<= 3x of a no-change rerun",
            ratio <= 3,
        )
    ]
