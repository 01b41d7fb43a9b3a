"""A treatment series in one file: 52 weekly check-ins against one, each stage in the same run.

Target (issue 20): a file with 52 weekly check-ins loads, charts and renders its summary PDF within 2× the
time of the same file with one check-in: the last row, all three one after another, as a person uploading the
file and printing the summary waits for them. Each stage has its own row beside it, for where the time goes
(loading is milliseconds and grows with the file's size, so its own ratio is large and says little). Both
files hold the same full questionnaire (the test fixture), so the ratio says what the check-ins cost. The
check-ins are generated here (seeded), never shipped.
The chart's spec and PNG are kept per set of check-ins in the app; those caches are emptied before every
timed run here, so each figure is a real build and render.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from bench.common import Row, fmt_seconds, median_seconds
from dashboard.intake import draft, progress_chart, summary, summary_pdf

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "intake" / "full_draft.json"
TARGET_RATIO = 2.0
FIRST = dt.date(2025, 1, 6)


def weekly(count: int, seed: int = 20) -> list[dict[str, object]]:
    """``count`` weekly check-ins with every part answered, scores drifting as a series does."""
    rng = random.Random(seed)
    out = []
    for week in range(count):
        level = max(0, 3 - week // 12)
        out.append(
            {
                "date": (FIRST + dt.timedelta(weeks=week)).isoformat(),
                "phq9": [min(3, max(0, level - rng.randint(0, 1))) for _ in range(8)] + [0],
                "gad7": [min(3, max(0, level - rng.randint(0, 2))) for _ in range(7)],
                "peg": [rng.randint(2, 8) for _ in range(3)],
                "nrs": [rng.randint(2, 8), rng.randint(5, 10), rng.randint(0, 4)],
                "session": {
                    "number": week + 1,
                    "date": (FIRST + dt.timedelta(weeks=week, days=-2)).isoformat(),
                    "route": "iv_ketamine",
                },  # fmt: skip
                "side_effects": rng.choice(["", "Tired that evening.", "Mild nausea on the way home."]),
            }
        )
    return out


def file_with(count: int) -> bytes:
    doc = json.loads(FIXTURE.read_bytes())
    doc["schema_version"] = 3
    doc["checkins"] = weekly(count)
    return json.dumps(doc).encode("utf-8")


def _chart(answers) -> bytes:
    progress_chart.clear_caches()
    return progress_chart.png(progress_chart.spec(answers))


def _pdf(answers) -> bytes:
    progress_chart.clear_caches()
    return summary_pdf.render(summary.build(answers, dt.date(2026, 1, 1)))


def _all(data: bytes) -> bytes:
    answers = draft.parse(data)
    _chart(answers)
    return _pdf(answers)


def run(quick: bool) -> list[Row]:
    repeat = 3 if quick else 9
    one, many = file_with(1), file_with(52)
    a1, a52 = draft.parse(one), draft.parse(many)
    rows = []
    for stage, fn, target in (
        ("load (parse + validate)", lambda data, _a: draft.parse(data), False),
        ("chart (spec + PNG)", lambda _d, a: _chart(a), False),
        ("summary PDF with progress page", lambda _d, a: _pdf(a), False),
        ("load + chart + PDF", lambda data, _a: _all(data), True),
    ):
        base = median_seconds(lambda fn=fn: fn(one, a1), repeat=repeat, warmup=1)
        big = median_seconds(lambda fn=fn: fn(many, a52), repeat=repeat, warmup=1)
        ratio = big / base
        rows.append(
            Row(
                f"check-ins: {stage}, 52 weekly",
                fmt_seconds(big),
                f"{fmt_seconds(base)} (1 check-in)",
                f"{ratio:.2f}×",
                f"≤ {TARGET_RATIO:g}×" if target else "-",
                ratio <= TARGET_RATIO if target else None,
            )
        )
    return rows
