"""HSDS 3.0 interchange: export of the bundled dataset round-trips; another publisher's tables import."""

from __future__ import annotations

import csv
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.cli import main
from dashboard.clinics import COLUMNS, load_clinics, table_records
from dashboard.config import DEFAULT_DATA
from dashboard.ingest.base import SOURCE_POINT, RawPages
from dashboard.ingest.csv_source import load_mapping
from dashboard.ingest.geocoding import StreetGeocoder
from dashboard.ingest.hsds import TABLES, Hsds, export_tables, write_tables
from dashboard.ingest.refresh import run_refresh
from tests.test_ingest_support import FIXTURES


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    return a == b


def test_export_of_the_bundled_dataset_round_trips_field_by_field(tmp_path):
    table, report = load_clinics(DEFAULT_DATA)
    assert report.ok
    original = table_records(table)
    write_tables(export_tables(original), tmp_path)
    adapter = Hsds()
    parsed = adapter.parse(adapter.fetch(str(tmp_path)), retrieved="2030-01-01")
    assert not parsed.rejected and not parsed.excluded
    back = {r["id"]: r for r in parsed.records}
    assert set(back) == {r["id"] for r in original}
    for rec in original:
        got = back[rec["id"]]
        lat, lon, precision = got[SOURCE_POINT]
        got = {**got, "lat": lat, "lon": lon, "location_precision": precision}
        for col in COLUMNS:
            want, have = rec[col], got.get(col)
            if col in (
                "ketamine_assisted_psychotherapy",
                "accepts_insurance",
                "va_community_care",
                "self_pay_price_usd",
            ):
                want = None if want is None or (isinstance(want, float) and math.isnan(want)) else want
            assert same(want, have), (rec["id"], col, want, have)


def test_round_trip_through_the_commands_is_byte_identical(tmp_path):
    hsds_dir, out = tmp_path / "hsds", tmp_path / "back.csv"
    assert main(["export-hsds", "--out", str(hsds_dir)]) == 0
    assert sorted(p.name for p in hsds_dir.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    code = main(["refresh", "--source", "hsds", "--from", str(hsds_dir), "--out", str(out), "--no-online-geocoding"])
    assert code == 0
    assert out.read_bytes() == DEFAULT_DATA.read_bytes()


def test_export_is_valid_hsds_shaped_and_stable(tmp_path):
    records = table_records(load_clinics(DEFAULT_DATA)[0])
    tables = export_tables(records)
    assert tables == export_tables(records)  # UUIDv5 ids: the same export every time
    assert len(tables["organization"]) == len(tables["location"]) == len(tables["service_at_location"]) == len(records)
    assert all(r["location_type"] == "physical" for r in tables["location"])
    loc_ids = {r["id"] for r in tables["location"]}
    svc_ids = {r["id"] for r in tables["service"]}
    assert all(r["location_id"] in loc_ids and r["service_id"] in svc_ids for r in tables["service_at_location"])
    write_tables(tables, tmp_path)
    with open(tmp_path / "location.csv", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == TABLES["location"]


def test_import_another_publishers_tables_with_a_mapping():
    adapter = Hsds(load_mapping(FIXTURES / "hsds_county_mapping.json"))
    parsed = adapter.parse(adapter.fetch(str(FIXTURES / "hsds_county")), retrieved="2026-11-25")
    (rec,) = parsed.records
    assert rec["name"] == "Riverbend Psychiatry - Downtown"
    assert rec["street"] == "300 River Street, Suite 4" and rec["city"] == "Boise" and rec["state"] == "ID"
    assert rec["routes"] == ("iv_ketamine",) and rec["conditions"] == ("depression",)
    assert rec["phone"] == "208-555-0133" and rec["website"] == "https://riverbend.example"
    assert rec["source_urls"] == ("https://county.example/hsds",)
    assert rec["price_note"] == "Sliding scale available"
    assert "not about ketamine" in str(parsed.excluded[0])  # the food pantry
    assert "not in the tables" in str(parsed.rejected[0])  # a link to a service that does not exist


def test_missing_required_table_fails_the_fetch(tmp_path):
    (tmp_path / "organization.csv").write_text("id,name\n")
    geo = StreetGeocoder(None)
    outcome = run_refresh("hsds", str(tmp_path), tmp_path / "o.csv", geocoder=geo, source_url="https://x.example")
    assert not outcome.ok and "no such file" in outcome.summary and not (tmp_path / "o.csv").exists()


cells = st.text(alphabet='abc,"\n 12-ketamine', max_size=30)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(TABLES)), cells, max_size=len(TABLES)))
def test_import_never_crashes_on_arbitrary_tables(tables):
    texts = {name: f"{','.join(TABLES[name])}\n{body}" for name, body in tables.items()}
    result = Hsds().parse(RawPages("https://x.example", "test", [texts]), retrieved="2026-01-01")
    for rec in result.records:
        assert rec["name"] and rec["city"] and len(rec["state"]) == 2
