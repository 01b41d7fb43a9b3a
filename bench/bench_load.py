"""Many people at once, over Streamlit's websocket protocol: the app beside a bare one-line page (same run).

Targets, at 20 concurrent tabs on the benchmark machine: the app's throughput at least 0.5x
the bare page's, and p95 at most 2 s. ``python -m bench load`` has the options (more rounds, other
session counts, the soak, ``dashboard serve``); this row is its default run, shortened.
"""

from __future__ import annotations

from bench.common import Row, fmt_seconds
from bench.load_run import measure
from bench.load_servers import start_app, start_bare


def run(quick: bool = False) -> list[Row]:
    sessions, seconds, warmup = (5, 8.0, 2.0) if quick else (20, 20.0, 5.0)
    app, bare = start_app(), start_bare()
    try:
        a = measure(app, sessions, seconds, warmup, bare=False)
        b = measure(bare, sessions, seconds, warmup, bare=True)
    finally:
        app.stop()
        bare.stop()
    ratio = a.throughput / b.throughput if b.throughput else 0.0
    p95 = a.percentile(0.95)
    errors = len(a.errors) + len(b.errors)
    mb = f"{(a.rss_peak or 0) / 1e6:.0f} MB"
    return [
        Row(
            f"load: {sessions} tabs, reruns/s ({errors} errors)",
            f"{a.throughput:.1f}/s",
            f"{b.throughput:.1f}/s bare page",
            f"{ratio:.2f}x",
            ">= 0.5x bare (aim 0.7x), no errors",
            ratio >= 0.5 and errors == 0,
        ),
        Row(
            f"load: {sessions} tabs, p95 of an interaction",
            fmt_seconds(p95),
            f"{fmt_seconds(b.percentile(0.95))} bare page",
            f"{p95 / b.percentile(0.95):.1f}x" if b.percentile(0.95) else "-",
            "<= 2 s",
            p95 <= 2.0,
        ),
        Row(
            f"load: {sessions} tabs, server RSS (peak)",
            mb,
            f"{(b.rss_peak or 0) / 1e6:.0f} MB bare page",
            "-",
            "-",
            None,
        ),
    ]
