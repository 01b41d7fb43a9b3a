"""FindTreatment.gov adapter on the real response shape: one category per services entry, labels in f3."""

from __future__ import annotations

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.ingest.base import SOURCE_POINT, RawPages
from dashboard.ingest.findtreatment import ENDPOINT, FindTreatment, categories, citation_url, price_note
from tests.ingest.support import FIXTURES, FT_KETAMINE, FT_REAL, KETAMINE_FRID

ADAPTER = FindTreatment()


def parse_file(path):
    return ADAPTER.parse(ADAPTER.fetch(str(path)), retrieved="2026-11-26")


def parse_page(page):
    return ADAPTER.parse(RawPages(ENDPOINT, "test", [page]), retrieved="2026-11-26")


def real_page():
    return json.loads(FT_REAL.read_text(encoding="utf-8"))


def add_ketamine(row):
    """The derived fixture's one change, applied in memory to another real row."""
    for svc in row["services"]:
        if svc["f2"] == "TAP":
            svc["f3"] += "; Ketamine infusion therapy"
    return row


def test_the_real_page_has_no_ketamine_row_so_every_row_is_left_out_with_the_reason():
    result = parse_file(FT_REAL)
    assert result.records == [] and result.rejected == [] and result.complete
    assert len(result.excluded) == 30
    assert all("Treatment Approaches do not include Ketamine infusion therapy" in str(e) for e in result.excluded)
    # Electroconvulsive therapy is named, and never qualifies a facility.
    uva = next(str(e) for e in result.excluded if "University of Virginia Medical Center" in str(e))
    assert "Electroconvulsive therapy, which is not ketamine" in uva


def test_the_derived_page_becomes_exactly_that_facility():
    result = parse_file(FT_KETAMINE)
    assert len(result.excluded) == 29 and result.rejected == []
    (rec,) = result.records
    assert rec["id"] == f"findtreatment-{KETAMINE_FRID[:16]}"
    assert rec["name"] == "Empowering Families Program (mental health facility)"
    assert rec["street"] == "901 Preston Avenue, Suite 201"
    assert (rec["city"], rec["state"], rec["zip"]) == ("Charlottesville", "VA", "22903")
    assert rec[SOURCE_POINT] == (38.0374836, -78.488558, "street")  # the locator's street-level point
    assert rec["routes"] == ("iv_ketamine",)
    assert rec["accepts_insurance"] is True  # Medicare, Medicaid, private insurance in the payment labels
    assert rec["conditions"] == ("ptsd",)  # "Persons with post-traumatic stress disorder (PTSD)"
    assert rec["phone"] == "434-971-8454" and rec["website"] == "http://www.empoweringfamiliesprogram.com"
    assert rec["price_note"] == (
        "FindTreatment.gov lists payment accepted: Medicare; Medicaid; Military insurance (e.g., TRICARE); "
        "Private health insurance; Cash or self-payment; State-financed health insurance plan other than Medicaid"
    )
    assert "Block Grants" not in rec["price_note"]  # agency funding is not something a patient pays with
    assert rec["source_urls"] == (ENDPOINT,) and rec["source_kind"] == "samhsa_findtreatment"


def test_derived_fixture_differs_from_the_real_page_by_one_label_only():
    real, derived = real_page(), json.loads(FT_KETAMINE.read_text(encoding="utf-8"))
    (tap,) = [svc for svc in derived["rows"][5]["services"] if svc["f2"] == "TAP"]
    assert "; Ketamine infusion therapy; " in tap["f3"]
    tap["f3"] = tap["f3"].replace("Ketamine infusion therapy; ", "")
    assert real == derived


def test_ketamine_label_matches_ignoring_case_only_in_treatment_approaches():
    page = real_page()
    row = page["rows"][0]
    for svc in row["services"]:
        if svc["f2"] == "TAP":
            svc["f3"] += "; KETAMINE INFUSION THERAPY"
    assert len(parse_page(page).records) == 1
    page = real_page()
    page["rows"][0]["services"].append({"f1": "Ancillary Services", "f2": "AS", "f3": "Ketamine infusion therapy"})
    assert parse_page(page).records == []


def test_two_programmes_at_one_address_stay_two_listings():
    page = real_page()
    # Rows 3 and 4: Region Ten Community Services Board, 800 Preston Avenue; a mental health and a substance
    # use programme with the same name and address, told apart by typeFacility and frid.
    add_ketamine(page["rows"][2])
    add_ketamine(page["rows"][3])
    a, b = parse_page(page).records
    assert a["street"].startswith("800 Preston Avenue") and b["street"].startswith("800 Preston Avenue")
    assert a["id"] != b["id"] and a["id"].startswith("findtreatment-a1e806914f")
    assert {a["name"], b["name"]} == {
        "Region Ten Community Services Board (mental health facility)",
        "Region Ten Community Services Board (substance use facility)",
    }


def test_va_funds_stay_a_payment_fact_not_a_va_community_care_claim():
    page = real_page()
    rec = parse_page({**page, "rows": [add_ketamine(page["rows"][2])]}).records[0]
    assert "U.S. Department of VA funds" in rec["price_note"]
    assert rec.get("va_community_care") is None


def test_no_insurance_label_leaves_insurance_unknown_not_false():
    page = real_page()
    row = add_ketamine(page["rows"][15])  # row 16: federal funding and cash only
    rec = parse_page({**page, "rows": [row]}).records[0]
    assert rec["accepts_insurance"] is None
    assert rec["price_note"].startswith("FindTreatment.gov lists payment accepted: Cash or self-payment. ")
    assert rec["conditions"] == ()


def test_payment_assistance_is_noted():
    page = real_page()
    rec = parse_page({**page, "rows": [add_ketamine(page["rows"][0])]}).records[0]  # has a sliding fee scale
    assistance = ". Payment assistance: Sliding fee scale (fee is based on income and other factors)"
    assert rec["price_note"].endswith(assistance)


def test_empty_website_and_missing_frid():
    page = real_page()
    row = add_ketamine(copy.deepcopy(page["rows"][5]))
    row["website"] = "http://"  # what the locator sends for "no website"
    del row["frid"]
    rec = parse_page({**page, "rows": [row]}).records[0]
    assert rec["website"] == ""
    assert rec["id"] == "empowering-families-program-mental-health-facility-charlottesville-va-mh"


def test_categories_are_one_entry_per_code_with_labels_split():
    cats = categories(real_page()["rows"][27]["services"])  # Fair Winds
    assert cats["SG"] == [
        "Persons who have experienced trauma",
        "Persons with post-traumatic stress disorder (PTSD)",
        "Children/adolescents with serious emotional disturbance (SED)",
    ]
    assert price_note({}) == ""


def test_saved_file_cites_the_endpoint_and_live_url_cites_the_search_without_page():
    assert ADAPTER.fetch(str(FT_REAL)).source_url == ENDPOINT
    assert citation_url(f"{ENDPOINT}?sType=mh&page=4&pageSize=10") == f"{ENDPOINT}?sType=mh&pageSize=10"
    assert "sCodes=KIT" in ADAPTER.default_url


def test_malformed_page_marks_the_fetch_incomplete():
    result = parse_file(FIXTURES / "findtreatment_malformed.json")
    assert not result.records
    assert "'rows' is not a list" in str(result.rejected[0])
    assert not result.complete


def test_malformed_rows_are_rejected_with_reasons_and_the_rest_kept():
    page = real_page()
    nameless = add_ketamine(copy.deepcopy(page["rows"][5]))
    nameless["name1"] = ""
    page["rows"] = [nameless, "not a row", add_ketamine(page["rows"][5])]
    result = parse_page(page)
    reasons = [str(r) for r in result.rejected]
    assert any("missing or invalid name1" in r for r in reasons)
    assert any("not a JSON object" in r for r in reasons)
    assert len(result.records) == 1 and result.complete


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)
row_like = st.fixed_dictionaries(
    {},
    optional={
        k: json_values | st.text(max_size=30)
        for k in (
            "frid",
            "name1",
            "name2",
            "street1",
            "city",
            "state",
            "zip",
            "phone",
            "website",
            "latitude",
            "longitude",
            "typeFacility",
        )  # fmt: skip
    }
    | {
        "services": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "f1": st.sampled_from(["Treatment Approaches", "Payment/Insurance/Funding Accepted"])
                    | st.text(max_size=30),
                    "f2": st.sampled_from(["TAP", "PAY", "SG", "PYAS", ""]) | st.text(max_size=10),
                    "f3": st.sampled_from(["Ketamine infusion therapy", "Medicare; Cash", "PTSD"]) | json_values,
                },
            ),
            max_size=4,
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
    rows = sum(len(p["rows"]) for p in pages if isinstance(p, dict) and isinstance(p.get("rows"), list))
    assert len(result.records) + len(result.rejected) + len(result.excluded) >= rows
    for rec in result.records:
        assert rec["name"] and rec["city"] and len(rec["state"]) == 2
        assert rec["routes"] == ("iv_ketamine",)
    json.dumps([{k: v for k, v in r.items()} for r in result.records])
