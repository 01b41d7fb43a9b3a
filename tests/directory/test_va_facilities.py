"""VA facilities load as their own kind of listing: every good record in, every bad one named by record, field
and reason, the good ones kept; counted apart from the clinics in check-data."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import config, vocab
from dashboard.directory.va_facilities import load_facilities, parse_facilities
from dashboard.states import in_us
from tests.paths import ROOT

GOOD = {
    "id": "va-example-medical-center-tucson-az",
    "kind": "va_facility",
    "name": "Example VA Medical Center",
    "street": None,
    "city": "Tucson",
    "state": "AZ",
    "zip": None,
    "place": "Tucson, AZ",
    "routes": ["iv_ketamine"],
    "conditions": ["treatment_resistant_depression"],
    "source_urls": ["https://www.va.gov/example/"],
    "source_type": "gov",
    "source_date": "2023-05-01",
    "evidence_date": None,
    "announced_only": False,
    "va_md_facts": ["F11"],
    "evidence_note": "A VA page says the centre gives IV ketamine.",
    "compiled_on": "2026-12-07",
}


def line(**changes) -> str:
    return json.dumps({**GOOD, **changes})


def test_the_bundled_facilities_all_load_with_a_place_sources_and_evidence():
    lines = [x for x in config.va_data_path().read_text(encoding="utf-8").splitlines() if x.strip()]
    df, report = load_facilities(config.va_data_path())
    assert report.ok and report.warnings == []
    assert len(df) == len(lines) >= 10
    assert df["id"].is_unique
    for row in df.to_dict("records"):
        assert row["listing_kind"] == vocab.VA_FACILITY
        assert in_us(row["lat"], row["lon"]), row["id"]
        assert row["source_urls"] and all(u.startswith(("http://", "https://")) for u in row["source_urls"])
        assert row["evidence_note"], row["id"]
        assert set(row["routes"]) <= vocab.ROUTE_CODES


def test_the_bundled_file_keeps_route_unstated_facilities_unstated():
    df, _ = load_facilities(config.va_data_path())
    unstated = set(df.loc[[not r for r in df["routes"]], "id"])
    assert "va-gainesville-fl" in unstated  # the source says only "ketamine": no route is made up


def test_each_bad_record_is_named_by_record_field_and_reason_and_the_good_ones_stay():
    lines = [
        line(),  # 1: good
        "{not json",  # 2
        "[1, 2]",  # 3
        line(id="va-no-name", name=""),  # 4
        line(id="va-magic", routes=["magic_route"]),  # 5
        line(id="va-nowhere", state="XX"),  # 6
        line(id="va-bad-date", source_date="last spring"),  # 7
        line(),  # 8: the same id again
        line(id="va-atlantis", city="Atlantis"),  # 9
        line(id="va-ftp", source_urls=["ftp://example.org/x"]),  # 10
        line(id="clinic-not-va"),  # 11
        line(id="va-wrong-kind", kind="clinic"),  # 12
        "",  # blank lines are skipped, not counted
        line(id="va-second-good", city="Phoenix"),  # 14: good
    ]
    df, report = parse_facilities(lines, "test")
    assert list(df["id"]) == ["va-example-medical-center-tucson-az", "va-second-good"]
    found = {(p.row, p.column) for p in report.problems}
    assert found == {
        (2, "record"),
        (3, "record"),
        (4, "name"),
        (5, "routes"),
        (6, "state"),
        (7, "source_date"),
        (8, "id"),
        (9, "city"),
        (10, "source_urls"),
        (11, "id"),
        (12, "kind"),
    }
    reasons = {p.row: p.reason for p in report.problems}
    assert reasons[5] == "unknown code(s): magic_route"
    assert "duplicate id" in reasons[8]
    assert "Atlantis, AZ" in reasons[9]
    assert report.rows_read == 13 and report.rows_loaded == 2 and not report.ok


def test_an_unknown_field_is_a_warning_and_the_record_is_kept():
    df, report = parse_facilities([line(phone_number="555")])
    assert len(df) == 1 and report.ok
    assert [(w.row, w.column) for w in report.warnings] == [(1, "phone_number")]


def test_an_unreadable_file_is_one_plain_reason(tmp_path):
    df, report = load_facilities(tmp_path / "missing.jsonl")
    assert df.empty and report.file_error
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(b"\xff\xfe\x00")
    assert load_facilities(bad)[1].file_error == "it is not UTF-8 text"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=80), st.builds(line, name=st.text(max_size=20))), max_size=8))
def test_any_text_loads_or_is_reported_never_raises(lines):
    df, report = parse_facilities(lines)
    counted = [x for x in lines if x.strip()]
    assert report.rows_read == len(counted)
    assert report.rows_loaded == len(df)
    assert len(df) + len(report.rejected_rows) == len(counted)


def _check_data(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "check-data", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_check_data_counts_va_facilities_apart_from_clinics():
    result = _check_data(str(ROOT / "data" / "clinics.csv"))
    df, _ = load_facilities(config.va_data_path())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "listings loaded; every row is valid." in result.stdout
    assert f"VA facilities (counted apart from clinics): {len(df)} loaded; every record is valid." in result.stdout


def test_check_data_names_a_bad_va_record_and_fails(tmp_path):
    va_file = tmp_path / "va.jsonl"
    va_file.write_text(line() + "\n" + line(id="va-magic", routes=["magic"]) + "\n", encoding="utf-8")
    result = _check_data(str(ROOT / "data" / "clinics.csv"), "--va-facilities", str(va_file))
    assert result.returncode == 1
    assert "VA facilities: record 2, column routes: unknown code(s): magic" in result.stdout
    assert "VA facilities (counted apart from clinics): 1 loaded; 1 record rejected." in result.stdout


def test_the_coverage_page_counts_them_apart_by_state():
    from dashboard.directory import coverage

    df, _ = load_facilities(config.va_data_path())
    sentence = coverage.va_sentence(df)
    assert sentence.startswith(f"Counted apart from the clinics: {len(df)} VA facilities in {df['state'].nunique()} ")
    places = coverage.va_places(df)
    assert "Puerto Rico 1" in places and f"California {int((df['state'] == 'CA').sum())}" in places
    assert coverage.va_sentence(df.iloc[0:0]) == "" and coverage.va_places(df.iloc[0:0]) == ""
