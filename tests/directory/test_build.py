"""Building data/clinics.csv from the source listings: offline, reproducible, nothing guessed."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from dashboard.directory.build import build_records, coverage_text, import_seed, read_listings
from dashboard.directory.clinics import load_clinics
from dashboard.finder.criteria import Criteria
from dashboard.finder.search import search
from dashboard.places.gazetteer import resolve_offline, zip_place
from tests.paths import ROOT


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=cwd, capture_output=True, text=True)


def test_rebuild_reproduces_the_bundled_csv_exactly(project_root, tmp_path):
    out = tmp_path / "clinics.csv"
    result = run_cli("build-data", "--out", str(out), cwd=project_root)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (project_root / "data" / "clinics.csv").read_bytes()
    assert "not placed" not in result.stdout  # every compiled listing has a known place


@pytest.fixture(scope="module")
def bundled():
    df, report = load_clinics(ROOT / "data" / "clinics.csv")
    assert report.ok, report.summary()
    return df


@pytest.fixture(scope="module")
def sources():
    return {r["id"]: r for r in read_listings(ROOT / "data" / "sources" / "public_listings.jsonl")}


def test_every_built_row_traces_to_a_source_and_has_a_precision(bundled):
    assert len(bundled) >= 230
    assert bundled["state"].nunique() >= 46  # states and DC
    assert all(urls and all(u.startswith(("http://", "https://")) for u in urls) for urls in bundled["source_urls"])
    assert set(bundled["location_precision"]) <= {"zip", "city", "district"}  # no street geocode for the seed


def test_a_listing_that_names_only_a_county_district_is_placed_at_the_district_centre(bundled):
    row = bundled[bundled["id"] == "charlotte-charfen-md-ketamine-treatment-north-kohala-hi"].iloc[0]
    assert row["location_precision"] == "district"
    hawi, kapaau = zip_place("96719"), zip_place("96755")
    assert min(hawi.lat, kapaau.lat) <= row["lat"] <= max(hawi.lat, kapaau.lat)
    assert min(hawi.lon, kapaau.lon) <= row["lon"] <= max(hawi.lon, kapaau.lon)
    assert row["street"] == "" and row["zip"] == ""  # the page gave neither; none is made up


def test_every_source_listing_is_built_or_reported(project_root, bundled, sources):
    result = run_cli("build-data", "--out", "/dev/null", cwd=project_root)
    reported = {line.split(": ")[1] for line in result.stdout.splitlines() if line.startswith("not placed")}
    assert set(bundled["id"]) | reported == set(sources)
    assert not set(bundled["id"]) & reported


def test_compiled_on_and_state_from_city_come_from_each_listing(bundled, sources):
    for row in bundled.itertuples():
        src = sources[row.id]
        assert row.compiled_on == src["compiled_on"]
        flagged = row.state_from_city is not pd.NA and bool(row.state_from_city)
        assert flagged == bool(src.get("state_from_city"))
    assert set(bundled["compiled_on"]) == {"2026-11-25", "2026-11-26", "2026-12-07"}  # compilation, then review
    assert (bundled["state_from_city"] == True).sum() >= 70  # noqa: E712 (a nullable boolean column)


def test_a_search_near_tucson_within_100_miles_finds_at_least_three(bundled):
    found = search(bundled, Criteria(near="Tucson, AZ", place=resolve_offline("Tucson, AZ"), radius_miles=100))
    assert len(found.results) >= 3
    assert (found.results["distance_miles"] <= 100).all()


def test_coverage_text_counts_dc_apart():
    assert coverage_text(["AZ", "DC", "NY"]) == "2 states and DC"
    assert coverage_text(["AZ"]) == "1 state"


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
    assert rec["compiled_on"] == "2026-11-25" and rec["state_from_city"] is None


def test_import_seed_keeps_each_listings_date_and_state_from_city():
    lines = [
        json.dumps({"id": "x", "name": "X", "compiled_on": "2026-11-26", "state_from_city": True}),
        json.dumps({"id": "y", "name": "Y", "compiled_on": "2026-11-25"}),
    ]
    x, y = import_seed(lines, compiled_on="2000-01-01", source_kind="public_web_compilation")
    assert (x["compiled_on"], x["state_from_city"]) == ("2026-11-26", True)
    assert (y["compiled_on"], y["state_from_city"]) == ("2026-11-25", None)


def test_the_bundled_source_is_the_shared_compilation_without_evidence(project_root, sources):
    shared = project_root.parent / "shared" / "data" / "public_listings.jsonl"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    with open(shared, encoding="utf-8") as fh:
        compiled = {r["id"]: r for r in import_seed(fh, "", "public_web_compilation")}
    removed = {r["id"] for r in read_listings(project_root / "data" / "sources" / "removed_listings.jsonl")}
    assert set(compiled) - set(sources) == removed  # a listing leaves only with a removal note
    latest = max(r["compiled_on"] for r in compiled.values())
    for key, rec in sources.items():
        if key in compiled and rec["compiled_on"] == compiled[key]["compiled_on"]:
            assert rec == compiled[key]  # untouched since the compilation
        else:
            assert rec["compiled_on"] > latest  # added or corrected later (data/sources/wave3_review.md)
