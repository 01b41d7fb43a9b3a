"""Building data/clinics.csv from the source listings: offline, reproducible, nothing guessed."""

from __future__ import annotations

import json
import subprocess
import sys

from dashboard.build_data import build_records, import_seed
from dashboard.clinics import load_clinics


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=cwd, capture_output=True, text=True)


def test_rebuild_reproduces_the_bundled_csv_exactly(project_root, tmp_path):
    out = tmp_path / "clinics.csv"
    result = run_cli("build-data", "--out", str(out), cwd=project_root)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (project_root / "data" / "clinics.csv").read_bytes()
    assert "not placed (left out)" in result.stdout  # the one listing with no resolvable place


def test_every_built_row_traces_to_a_source_and_has_a_precision(project_root):
    df, report = load_clinics(project_root / "data" / "clinics.csv")
    assert report.ok and len(df) >= 100
    assert all(urls and all(u.startswith(("http://", "https://")) for u in urls) for urls in df["source_urls"])
    assert set(df["location_precision"]) <= {"zip", "city"}  # no street geocode was done for the seed


def test_source_facts_carry_no_evidence_quotes(project_root):
    for line in (project_root / "data" / "sources" / "public_listings.jsonl").read_text().splitlines():
        rec = json.loads(line)
        assert "evidence" not in rec


def test_zip_beats_city_and_missing_facts_stay_empty():
    listings = [
        {"id": "a", "name": "A", "city": "Tucson", "state": "AZ", "zip": "85719", "source_urls": ["https://a.org"]},
        {"id": "b", "name": "B", "city": "St. Paul", "state": "MN", "zip": None, "source_urls": ["https://b.org"]},
        {"id": "c", "name": "C", "city": "Nowhereburg", "state": "FL", "zip": None, "source_urls": ["https://c.org"]},
    ]
    records, report = build_records(listings)
    assert [r["id"] for r in records] == ["a", "b"]
    assert [r["location_precision"] for r in records] == ["zip", "city"]
    assert records[0]["phone"] == "" and records[0]["accepts_insurance"] is None
    assert report.unresolved[0][0] == "c"


def test_import_seed_drops_evidence():
    line = json.dumps({"id": "x", "name": "X", "evidence": {"address": "quoted page text"}, "address_complete": True})
    (rec,) = import_seed([line], compiled_on="2026-11-25", source_kind="public_web_compilation")
    assert "evidence" not in rec and "address_complete" not in rec
    assert rec["compiled_on"] == "2026-11-25"
