"""FindTreatment.gov adapter: KIT facilities only, defensive parsing, payment and condition codes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.ingest.base import SOURCE_POINT, RawPages
from dashboard.ingest.findtreatment import ENDPOINT, FindTreatment, citation_url
from tests.test_ingest_support import FIXTURES

ADAPTER = FindTreatment()


def parse_fixture(name="findtreatment_pages.json"):
    raw = ADAPTER.fetch(str(FIXTURES / name))
    return ADAPTER.parse(raw, retrieved="2026-11-25")


def by_name(result):
    return {r["name"]: r for r in result.records}


def test_only_ketamine_infusion_facilities_become_listings():
    result = parse_fixture()
    names = set(by_name(result))
    assert names == {
        "Sunrise Behavioral Health, Ketamine Clinic",
        "Desert Mind Ketamine Center",
        "Prairie Ketamine Wellness",
    }
    excluded = " ".join(str(e) for e in result.excluded)
    assert "Lakeside Neuromodulation Center" in excluded and "Gulf Coast ECT Service" in excluded
    assert all(r["routes"] == ("iv_ketamine",) for r in result.records)
    assert all(r["listing_kind"] == "clinic" and r["source_kind"] == "samhsa_findtreatment" for r in result.records)


def test_malformed_rows_are_rejected_with_reasons_and_the_rest_kept():
    result = parse_fixture()
    reasons = [str(r) for r in result.rejected]
    assert any("missing or invalid name1" in r for r in reasons)
    assert any("not a JSON object" in r for r in reasons)
    assert result.complete
    assert "page 3: no rows" in result.notes


def test_payment_codes_and_special_groups():
    sunrise = by_name(parse_fixture())["Sunrise Behavioral Health, Ketamine Clinic"]
    assert sunrise["accepts_insurance"] is True  # PI / MC / MI
    assert sunrise["conditions"] == ("ptsd",)  # the PTSD special-group code
    # VA funds are noted in the source's own words, never turned into a VA community care claim.
    assert "VA funds" in sunrise["price_note"]
    assert sunrise.get("va_community_care") is None
    assert sunrise["street"] == "6560 Fannin Street, Suite 1200"
    assert sunrise["zip"] == "77030"
    assert sunrise[SOURCE_POINT] == (29.7079, -95.399, "street")


def test_unknown_stays_empty():
    desert = by_name(parse_fixture())["Desert Mind Ketamine Center"]
    assert desert["accepts_insurance"] is None  # cash only: not "no insurance", just not said
    assert desert["conditions"] == ()
    assert desert["website"] == "http://www.desertmindketamine.example"
    prairie = by_name(parse_fixture())["Prairie Ketamine Wellness"]
    assert SOURCE_POINT not in prairie and prairie["street"] == "" and prairie["phone"] == ""


def test_saved_file_cites_the_endpoint_and_live_url_cites_the_search_without_page():
    assert ADAPTER.fetch(str(FIXTURES / "findtreatment_pages.json")).source_url == ENDPOINT
    assert citation_url(f"{ENDPOINT}?sType=mh&page=4&pageSize=10") == f"{ENDPOINT}?sType=mh&pageSize=10"


def test_malformed_page_marks_the_fetch_incomplete():
    result = parse_fixture("findtreatment_malformed.json")
    assert not result.records
    assert "'rows' is not a list" in str(result.rejected[0])
    assert not result.complete


def test_ids_are_stable_slugs():
    ids = [r["id"] for r in parse_fixture().records]
    assert "desert-mind-ketamine-center-tucson-az" in ids
    assert ids == [r["id"] for r in parse_fixture().records]


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)
row_like = st.fixed_dictionaries(
    {},
    optional={
        k: json_values | st.text(max_size=30)
        for k in ("name1", "name2", "street1", "city", "state", "zip", "phone", "website", "latitude", "longitude")
    }
    | {
        "services": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "f1": st.text(max_size=30),
                    "f2": st.sampled_from(["KIT", "KIT; PI", "TMS; ECT", ""]) | st.text(max_size=10),
                    "f3": json_values,
                },
            ),
            max_size=3,
        )
        | json_values
    },
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(json_values | st.fixed_dictionaries({"rows": st.lists(row_like | json_values, max_size=4)}), max_size=3)
)
def test_parser_never_crashes_and_accounts_for_everything(pages):
    result = ADAPTER.parse(RawPages(ENDPOINT, "test", pages), retrieved="2026-01-01")
    assert isinstance(result.records, list) and isinstance(result.rejected, list)
    for rec in result.records:
        assert rec["name"] and rec["city"] and len(rec["state"]) == 2
        assert rec["routes"] == ("iv_ketamine",)
    json.dumps([{k: v for k, v in r.items()} for r in result.records])
