"""Shared helpers for the benchmarks: timing and the result row printed in the table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    """One line of the benchmark table."""

    bench: str  # what is measured, e.g. "search 100k"
    measured: str  # the figure, with unit
    baseline: str  # the baseline figure measured in the same run, with what it is
    ratio: str  # measured / baseline (or baseline / measured), as the target states it
    target: str  # the target, in words
    ok: bool | None  # met? None when there is no target


def median_seconds(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs after ``warmup`` untimed runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def fmt_seconds(s: float) -> str:
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"
