"""ClinicalTrials.gov adapter: US recruiting sites of ketamine/esketamine studies as research-study listings."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.ingest.base import SOURCE_POINT, RawPages
from dashboard.ingest.clinicaltrials import ENDPOINT, ClinicalTrials, map_condition, routes_from_interventions
from tests.ingest.support import FIXTURES, UPSTREAM

ADAPTER = ClinicalTrials()


def parse_fixture(name="clinicaltrials_pages.json"):
    return ADAPTER.parse(ADAPTER.fetch(str(FIXTURES / name)), retrieved="2026-11-25")


def test_us_recruiting_sites_become_research_study_listings():
    result = parse_fixture()
    ids = sorted(r["id"] for r in result.records)
    assert ids == [
        "nct01234567-baylor-college-of-medicine-houston-tx",
        "nct01234567-university-of-arizona-tucson-az",
        "nct07654321-springfield-research-unit-springfield-il",
        "nct07654321-va-palo-alto-health-care-system-palo-alto-ca",
    ]
    for rec in result.records:
        assert rec["listing_kind"] == "research_study"
        assert rec["source_kind"] == "clinicaltrials_gov"
        assert rec["source_urls"] == (f"https://clinicaltrials.gov/study/{rec['study_id']}",)


def test_what_is_left_out_and_why():
    result = parse_fixture()
    excluded = "\n".join(str(e) for e in result.excluded)
    assert "not a US site (Canada)" in excluded
    assert "NOT_YET_RECRUITING" in excluded
    assert "COMPLETED" in excluded
    assert "no study sites listed" in excluded
    assert "no ketamine or esketamine intervention" in excluded
    assert len(result.rejected) == 2  # a study that is not an object, a study with no NCT id


def test_routes_conditions_contacts_and_geopoints():
    recs = {r["id"]: r for r in parse_fixture().records}
    baylor = recs["nct01234567-baylor-college-of-medicine-houston-tx"]
    assert baylor["routes"] == ("iv_ketamine",)
    assert baylor["conditions"] == ("suicidal_ideation", "treatment_resistant_depression")  # insomnia: no code
    assert baylor["phone"] == "713-555-0101 ext. 12"
    assert baylor["state"] == "TX" and baylor["zip"] == "77030"
    assert baylor["source_date"] == "2026-10-01"
    assert baylor[SOURCE_POINT] == (29.76328, -95.36327, "city")
    arizona = recs["nct01234567-university-of-arizona-tucson-az"]
    assert SOURCE_POINT not in arizona  # no geoPoint: placed later from the city centroid
    assert arizona["phone"] == "713-555-0100"  # the study's central contact
    palo_alto = recs["nct07654321-va-palo-alto-health-care-system-palo-alto-ca"]
    assert palo_alto["routes"] == ("esketamine_nasal",) and palo_alto["conditions"] == ("ptsd",)


def test_empty_page():
    result = parse_fixture("clinicaltrials_empty.json")
    assert result.records == [] and result.rejected == [] and result.complete


@pytest.mark.parametrize(
    ("interventions", "routes"),
    [
        ([{"name": "Ketamine", "description": "intravenous infusion"}], ["iv_ketamine"]),
        ([{"name": "Ketamine", "description": "IV, 0.5 mg/kg"}], ["iv_ketamine"]),
        ([{"name": "Intranasal ketamine"}], ["intranasal_ketamine"]),
        ([{"name": "Esketamine"}], ["esketamine_nasal"]),
        ([{"name": "Study drug", "otherNames": ["Spravato"]}], ["esketamine_nasal"]),
        ([{"name": "Oral ketamine", "description": "sublingual lozenge"}], ["oral_sublingual_ketamine"]),
        ([{"name": "Ketamine", "description": "intramuscular injection"}], ["im_ketamine"]),
        ([{"name": "Ketamine"}], []),  # route not stated: unknown, never guessed
        ([{"name": "Esketamine", "description": "intravenous"}], []),  # IV esketamine has no code of ours
        ([{"name": "Sertraline"}], []),
        # Brand names and synonyms: found as ketamine; the route only from words that state it.
        ([{"name": "Ketalar", "description": "0.5 mg/kg IV over 40 minutes"}], ["iv_ketamine"]),
        ([{"name": "Spravato 56 mg"}], ["esketamine_nasal"]),
        ([{"name": "Study drug", "otherNames": ["JNJ-54135419"]}], ["esketamine_nasal"]),
        ([{"name": "S-ketamine", "description": "nasal spray"}], ["esketamine_nasal"]),
        ([{"name": "Ketanest S", "description": "intravenous"}], []),  # IV esketamine: no code of ours
    ],
)
def test_routes_from_interventions(interventions, routes):
    assert routes_from_interventions(interventions)[0] == routes


@pytest.mark.parametrize("name", ["Ketalar", "Ketanest", "Spravato", "esketamine", "Esketamine hydrochloride"])
def test_a_study_naming_ketamine_only_by_brand_or_synonym_is_found(name):
    assert routes_from_interventions([{"name": name, "type": "DRUG"}])[1] is True
    assert routes_from_interventions([{"name": "Sertraline", "otherNames": ["Zoloft"]}])[1] is False
    assert ADAPTER.default_url.count("Ketalar") == ADAPTER.default_url.count("Spravato") == 1


def real_pages():
    return [json.loads((UPSTREAM / f"clinicaltrials_v2_page_{x}.json").read_text()) for x in "ab"]


def test_the_real_pages_have_no_ketamine_study_so_nothing_is_listed():
    result = ADAPTER.parse(RawPages(ENDPOINT, "test", real_pages()), retrieved="2026-11-26")
    assert result.records == [] and result.rejected == [] and result.complete
    excluded = [str(e) for e in result.excluded]
    assert excluded == [
        "page 1 study 1 NCT05147467: no ketamine or esketamine intervention listed",
        "page 2 study 1 NCT00184067: study status is TERMINATED, not RECRUITING",
        "page 2 study 2 NCT03934567: study status is ACTIVE_NOT_RECRUITING, not RECRUITING",
    ]


def test_site_level_status_on_a_real_recruiting_study():
    """The real recruiting study (page a), its drug renamed to Ketalar in memory: each site is judged alone."""
    page, _ = real_pages()
    study = page["studies"][0]
    study["protocolSection"]["armsInterventionsModule"]["interventions"][0]["name"] = "Ketalar"
    result = ADAPTER.parse(RawPages(ENDPOINT, "test", [page]), retrieved="2026-11-26")
    assert result.records == []
    reasons = [e.reason for e in result.excluded]
    assert reasons == ["not a US site (China)"] * 11  # found as ketamine; every site is abroad

    sites = study["protocolSection"]["contactsLocationsModule"]["locations"]
    assert [s["status"] for s in sites].count("RECRUITING") == 1
    us = [{**site, "country": "United States", "state": "Arizona", "city": "Tucson", "zip": "85724"}
          for site in sites[4:6]]  # fmt: skip
    assert [s["status"] for s in us] == ["NOT_YET_RECRUITING", "RECRUITING"]
    us.append({k: v for k, v in us[1].items() if k != "status"})  # a site with no status of its own
    us[2]["facility"] = "Banner University Medical Center"
    study["protocolSection"]["contactsLocationsModule"]["locations"] = us
    result = ADAPTER.parse(RawPages(ENDPOINT, "test", [page]), retrieved="2026-11-26")
    assert [r["name"] for r in result.records] == [us[1]["facility"], "Banner University Medical Center"]
    assert [e.reason for e in result.excluded] == ["site status is NOT_YET_RECRUITING, not RECRUITING"]
    assert all(r["study_id"] == "NCT05147467" and r["state"] == "AZ" for r in result.records)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Major Depressive Disorder", ["depression"]),
        ("Treatment Resistant Depression", ["treatment_resistant_depression"]),
        ("Bipolar Depression", ["bipolar_depression"]),
        ("PTSD", ["ptsd"]),
        ("Complex Regional Pain Syndromes", ["crps"]),
        ("Postoperative Pain", ["other_pain"]),
        ("Alcohol Use Disorder", ["substance_use"]),
        ("Insomnia", []),
    ],
)
def test_condition_mapping(text, codes):
    assert map_condition(text) == codes


json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=15),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=25,
)
location = st.fixed_dictionaries(
    {},
    optional={
        "facility": st.text(max_size=20),
        "city": st.text(max_size=15),
        "state": st.sampled_from(["Texas", "Ontario", "NY", ""]) | json_values,
        "country": st.sampled_from(["United States", "Canada"]) | json_values,
        "status": st.sampled_from(["RECRUITING", "COMPLETED"]) | json_values,
        "geoPoint": st.fixed_dictionaries({}, optional={"lat": json_values, "lon": json_values}) | json_values,
        "zip": json_values,
    },
)
study = st.fixed_dictionaries(
    {
        "protocolSection": st.fixed_dictionaries(
            {},
            optional={
                "identificationModule": st.fixed_dictionaries(
                    {}, optional={"nctId": st.from_regex(r"NCT\d{8}", fullmatch=True) | json_values}
                ),
                "statusModule": st.fixed_dictionaries(
                    {}, optional={"overallStatus": st.just("RECRUITING") | json_values}
                ),
                "armsInterventionsModule": st.fixed_dictionaries(
                    {},
                    optional={
                        "interventions": st.lists(
                            st.fixed_dictionaries(
                                {}, optional={"name": st.sampled_from(["Ketamine IV", "Esketamine"]) | json_values}
                            ),
                            max_size=3,
                        )
                        | json_values
                    },
                ),
                "contactsLocationsModule": st.fixed_dictionaries(
                    {}, optional={"locations": st.lists(location | json_values, max_size=3) | json_values}
                ),
            },
        )
        | json_values
    }
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(json_values | st.fixed_dictionaries({"studies": st.lists(study | json_values, max_size=3)}), max_size=3)
)
def test_parser_never_crashes_and_accounts_for_everything(pages):
    result = ADAPTER.parse(RawPages(ENDPOINT, "test", pages), retrieved="2026-01-01")
    for rec in result.records:
        assert rec["listing_kind"] == "research_study" and rec["study_id"].startswith("NCT")
        assert rec["name"] and rec["city"] and len(rec["state"]) == 2
