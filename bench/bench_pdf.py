"""Summary PDF build time: embedded Unicode font (shipped DejaVu subset) vs built-in Helvetica, same run.

Targets: median ≤ 200 ms with the Unicode font, and ≤ 2.5× the Latin-1 baseline built from the same
answers (names transliterated for Helvetica).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bench.common import Row, fmt_seconds, median_seconds
from dashboard.intake import draft, summary
from dashboard.intake.summary_pdf import render

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "intake" / "full_draft.json"
TARGET_S = 0.200
TARGET_RATIO = 2.5


def run(quick: bool) -> list[Row]:
    answers = draft.parse(FIXTURE.read_bytes())
    content = summary.build(answers, dt.date(2026, 1, 1))
    repeat = 5 if quick else 21
    unicode_s = median_seconds(lambda: render(content, "unicode"), repeat=repeat, warmup=2)
    latin_s = median_seconds(lambda: render(content, "latin1"), repeat=repeat, warmup=2)
    ratio = unicode_s / latin_s
    full_s = median_seconds(lambda: render(summary.build(answers), "unicode"), repeat=repeat, warmup=1)
    return [
        Row(
            "summary PDF, embedded Unicode font",
            fmt_seconds(unicode_s),
            f"{fmt_seconds(latin_s)} (Helvetica, Latin-1)",
            f"{ratio:.2f}×",
            f"≤ {TARGET_S * 1000:.0f} ms and ≤ {TARGET_RATIO}×",
            unicode_s <= TARGET_S and ratio <= TARGET_RATIO,
        ),
        Row(
            "summary PDF incl. scoring + flags",
            fmt_seconds(full_s),
            "-",
            "-",
            f"≤ {TARGET_S * 1000:.0f} ms",
            full_s <= TARGET_S,
        ),
    ]
