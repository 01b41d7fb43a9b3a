"""Any CSV through a mapping file: columns, value maps, rejections with reasons."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.ingest.base import SOURCE_POINT, RawPages
from dashboard.ingest.csv_source import CsvSource, MappingError, load_mapping
from tests.ingest.support import FIXTURES

MAPPING = load_mapping(FIXTURES / "community_mapping.toml")


def parse(text: str, mapping=MAPPING, source_url="https://healthdept.example/list"):
    return CsvSource(mapping).parse(RawPages(source_url, "test", [text]), retrieved="2026-11-25")


def test_community_csv_through_the_mapping():
    adapter = CsvSource(MAPPING)
    result = adapter.parse(adapter.fetch(str(FIXTURES / "community.csv")), retrieved="2026-11-25")
    recs = {r["name"]: r for r in result.records}
    assert set(recs) == {
        "Desert Mind Ketamine Center",
        "Old Pueblo Infusions",
        "Sonoran Ketamine Wellness",
        "Mesa Ketamine Clinic",
    }
    desert = recs["Desert Mind Ketamine Center"]
    assert desert["routes"] == ("iv_ketamine", "esketamine_nasal")
    assert desert["conditions"] == ("depression", "ptsd")
    assert desert["accepts_insurance"] is True and desert["self_pay_price_usd"] == 450.0
    assert desert["source_urls"] == ("https://healthdept.example/ketamine-list",)
    assert desert["source_kind"] == "directory"
    assert recs["Sonoran Ketamine Wellness"]["accepts_insurance"] is False
    assert recs["Mesa Ketamine Clinic"]["accepts_insurance"] is None  # "unknown" stays unknown
    reasons = [str(r) for r in result.rejected]
    assert any("Magic Mushrooms" in r and "[values.routes]" in r for r in reasons)
    assert any("missing or invalid city" in r for r in reasons)


def test_identity_mapping_reads_our_own_columns():
    text = "name,city,state,routes,source_urls\nA Clinic,Tucson,az,iv_ketamine,https://a.example\n"
    (rec,) = parse(text, mapping={}).records
    assert rec["state"] == "AZ" and rec["routes"] == ("iv_ketamine",) and rec["id"] == "a-clinic-tucson-az"


def test_coordinates_are_trusted_only_when_the_mapping_says_how_precise_they_are():
    text = "name,city,state,lat,lon,source_urls\nA,Tucson,AZ,32.2,-110.9,https://a.example\n"
    assert SOURCE_POINT not in parse(text, mapping={}).records[0]
    mapping = {
        "columns": {c: c for c in ("name", "city", "state", "lat", "lon", "source_urls")},
        "coordinate_precision": "street",
    }
    assert parse(text, mapping=mapping).records[0][SOURCE_POINT] == (32.2, -110.9, "street")


def test_rows_without_a_source_url_are_rejected():
    text = "name,city,state\nA,Tucson,AZ\n"
    result = parse(text, mapping={}, source_url="")
    assert not result.records and "no http(s) source URL" in str(result.rejected[0])


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("zip=ABCDE", "not a US ZIP"),
        ("price=cheap", "not an amount"),
        ("ins=maybe", "not yes/no"),
        ("web=not a site", "not a web address"),
    ],
)
def test_bad_values_reject_the_row_with_the_reason(cell, reason):
    values = {"zip": "", "price": "", "ins": "", "web": ""}
    key, value = cell.split("=")
    values[key] = value
    text = (
        "name,city,state,zip,self_pay_price_usd,accepts_insurance,website,source_urls\n"
        f"A,Tucson,AZ,{values['zip']},{values['price']},{values['ins']},{values['web']},https://a.example\n"
    )
    result = parse(text, mapping={})
    assert not result.records and reason in str(result.rejected[0])


def test_missing_header_columns_and_html_are_page_problems():
    assert "no column(s)" in str(parse("foo,bar\n1,2\n").rejected[0])
    html = parse("<html><body>error</body></html>")
    assert "HTML" in str(html.rejected[0]) and not html.complete


def test_mapping_file_problems_are_named(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({"columns": {"nonsense": "X"}}))
    with pytest.raises(MappingError, match="unknown column"):
        load_mapping(bad)
    bad.write_text(json.dumps({"values": {"routes": {"IV": "iv_magic"}}}))
    with pytest.raises(MappingError, match="unknown code"):
        load_mapping(bad)
    bad.write_text("{not json")
    with pytest.raises(MappingError, match="not valid JSON"):
        load_mapping(bad)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_parser_never_crashes_on_arbitrary_text(text):
    result = parse(text, mapping={})
    for rec in result.records:
        assert rec["name"] and rec["city"] and len(rec["state"]) == 2


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(alphabet='ab,;"\n |AZ', max_size=12), min_size=1, max_size=5), max_size=6))
def test_parser_never_crashes_on_csv_like_rows(rows):
    text = "name,city,state,routes,conditions\n" + "\n".join(",".join(r) for r in rows)
    parse(text, mapping={})
