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
    phq9 = next(line for line in lines if line.startswith("- PHQ-9 total:"))
    assert "This meets the published definition of response" in phq9
    assert "does not meet the published definition of remission (a PHQ-9 total below 5)" in phq9
    assert phq9.endswith(
        "[Defining Success in Measurement-Based Care for Depression: A Comparison of Common Metrics. Psychiatric "
        "Services (doi:10.1176/appi.ps.201900295) (American Psychiatric Association Publishing)]"
    )
    assert "988" not in out  # no item 9 answer above "Not at all" in the example


def test_progress_as_json(capsys) -> None:
    code, out, _ = run(capsys, str(EXAMPLE), "--progress", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert [c["date"] for c in doc["checkins"]] == ["2026-10-05", "2026-10-12", "2026-10-19"]
    assert [c["phq9"] for c in doc["checkins"]] == [14, 10, 6]
    assert doc["checkins"][0]["session"] == {"number": 1, "date": "2026-10-02", "route": "iv_ketamine"}
    by = {c["measure"]: c for c in doc["changes"]}
    assert by["pain_now"]["difference"] == -3
    assert [(d["key"], d["applies"], d["meets"]) for d in by["pain_now"]["definitions"]] == [
        ("pain_change", True, True)
    ]
    phq9 = by["phq9"]
    assert (phq9["first"], phq9["latest"], phq9["difference"]) == (
        {"date": "2026-10-05", "value": 14},
        {"date": "2026-10-19", "value": 6},
        -8,
    )
    assert [(d["key"], d["applies"], d["meets"]) for d in phq9["definitions"]] == [
        ("phq9_response", True, True),
        ("phq9_remission", True, False),
    ]
    assert phq9["definitions"][1]["rule"] == "a PHQ-9 total below 5"
    assert phq9["sources"] == [phq9["definitions"][0]["source"]]  # one article for both
    assert "appi.ps.201900295" in phq9["sources"][0]
    assert "meets the published definition of response" in phq9["statement"]
    assert by["peg"]["definitions"] == [] and by["peg"]["sources"] == []
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


def test_a_first_phq9_under_10_gives_no_verdict_in_json(capsys, tmp_path) -> None:
    doc = json.loads(EXAMPLE.read_bytes())
    doc["checkins"][0]["phq9"] = [1] * 8 + [0]  # a first total of 8
    path = tmp_path / "d.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, _ = run(capsys, str(path), "--progress", "--format", "json")
    assert code == 0
    phq9 = next(c for c in json.loads(out)["changes"] if c["measure"] == "phq9")
    assert [(d["key"], d["applies"], d["meets"]) for d in phq9["definitions"]] == [
        ("phq9_response", False, None),
        ("phq9_remission", False, None),
    ]
    assert "they do not apply to a first PHQ-9 total of 8" in phq9["statement"]
