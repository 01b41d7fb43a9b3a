"""`python -m dashboard intake FILE --progress`: the progress page's table and changes as text, or as JSON with
`--format json`, read from the example file with three check-ins; a damaged check-in is named on stderr."""

from __future__ import annotations

import json
from pathlib import Path

from dashboard.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "three-checkins.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["intake", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_progress_prints_the_table_of_the_three_checkins_and_the_changes(capsys) -> None:
    code, out, err = run(capsys, str(EXAMPLE), "--progress")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["Date", "Session", "PHQ-9", "PEG", "Pain", "now", "Worst", "Least", "Side", "effects"]
    rows = [line for line in lines if line.startswith("2026-")]
    assert [r.split()[0] for r in rows] == ["2026-10-05", "2026-10-12", "2026-10-19"]
    assert "Session 1 · 2026-10-02 · IV ketamine infusion  14" in rows[0]
    assert "Change since the first check-in:" in lines
    pain = next(line for line in lines if line.startswith("- Pain now:"))
    assert "meets the published definition of a clinically meaningful change in a 0–10 pain rating" in pain
    assert pain.endswith("[Numeric Rating Scale (NRS-11) (Canadian Physiotherapy Association, Pain Science Division)]")
    assert "988" not in out  # no item 9 answer above "Not at all" in the example


def test_progress_as_json(capsys) -> None:
    code, out, _ = run(capsys, str(EXAMPLE), "--progress", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert [c["date"] for c in doc["checkins"]] == ["2026-10-05", "2026-10-12", "2026-10-19"]
    assert [c["phq9"] for c in doc["checkins"]] == [14, 10, 6]
    assert doc["checkins"][0]["session"] == {"number": 1, "date": "2026-10-02", "route": "iv_ketamine"}
    by = {c["measure"]: c for c in doc["changes"]}
    assert by["pain_now"]["difference"] == -3 and by["pain_now"]["meets_published_definition"] is True
    assert by["phq9"]["meets_published_definition"] is None and by["phq9"]["definition"] is None
    assert doc["crisis"] is False


def test_item_9_on_a_checkin_prints_the_crisis_line_and_a_damaged_checkin_is_named(capsys, tmp_path) -> None:
    doc = json.loads(EXAMPLE.read_bytes())
    doc["checkins"][1]["phq9"][8] = 2
    doc["checkins"].append({"date": "2026-10-26", "peg": [12, 0, 0]})
    path = tmp_path / "d.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = run(capsys, str(path), "--progress")
    assert code == 0
    assert "Call or text 988" in out and "12; item 9: 2" in out
    assert err.startswith("warning: Check-in 4 (dated 2026-10-26) has an invalid value at peg.0")
    assert "2026-10-26" not in out


def test_a_file_without_checkins_says_so(capsys, tmp_path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"schema_version": 2}', encoding="utf-8")
    assert run(capsys, str(path), "--progress") == (0, "No check-ins in this file.\n", "")
