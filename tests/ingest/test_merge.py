"""Merging: one listing per place, both sources kept, conflicts reported, missing listings marked."""

from __future__ import annotations

import json

from dashboard.ingest.merge import MISSING, SourceRef, complete_record, merge

FT = SourceRef("https://findtreatment.gov/locator/exportsAsJson/v2?sType=mh", "samhsa_findtreatment")
CSV = SourceRef("https://healthdept.example/ketamine-list", "directory")
DAY1, DAY2 = "2026-11-01", "2026-11-25"


def clinic(**kw):
    base = {
        "id": "desert-mind-ketamine-center-tucson-az",
        "name": "Desert Mind Ketamine Center",
        "street": "1200 N Campbell Ave",
        "city": "Tucson",
        "state": "AZ",
        "zip": "85719",
        "lat": 32.234,
        "lon": -110.944,
        "location_precision": "street",
        "phone": "520-555-0142",
        "routes": ("iv_ketamine",),
        "source_urls": (FT.url,),
        "source_kind": FT.kind,
    }
    base.update(kw)
    return base


def first_run():
    return merge([], [clinic()], FT, DAY1).records


def test_same_clinic_from_two_sources_becomes_one_listing_with_both():
    other = clinic(
        id="desert-mind-ketamine-center-tucson-az-2",
        name="Desert Mind Ketamine Center LLC",
        street="1200 North Campbell Avenue",
        phone="(520) 555-0142",
        routes=("esketamine_nasal",),
        accepts_insurance=True,
        source_urls=(CSV.url,),
        source_kind=CSV.kind,
    )
    result = merge(first_run(), [other], CSV, DAY2)
    (rec,) = result.records
    assert result.merged == [rec["id"]] and not result.added and not result.conflicts
    assert rec["source_urls"] == (FT.url, CSV.url)
    assert rec["routes"] == ("iv_ketamine", "esketamine_nasal")
    assert rec["accepts_insurance"] is True
    prov = json.loads(rec["provenance"])
    assert prov["accepts_insurance"] == {"source": CSV.url, "retrieved": DAY2}
    assert prov["name"] == {"source": FT.url, "retrieved": DAY1}
    assert {e["source"] for e in prov["routes"]} == {FT.url, CSV.url}


def test_nearby_point_and_similar_name_match_without_a_street():
    near = clinic(
        id="dm-tucson",
        name="Desert Mind Ketamine Centre",
        street="",
        lat=32.2345,
        lon=-110.9442,
        source_urls=(CSV.url,),
    )
    result = merge(first_run(), [near], CSV, DAY2)
    assert len(result.records) == 1 and result.merged


def test_different_branches_of_a_chain_stay_apart():
    branch = clinic(
        id="desert-mind-2", street="77 W Ina Rd", zip="85704", lat=32.33, lon=-110.98, source_urls=(CSV.url,)
    )
    result = merge(first_run(), [branch], CSV, DAY2)
    assert len(result.records) == 2 and result.added == ["desert-mind-2"]


def test_conflicting_values_are_reported_and_the_existing_value_kept():
    other = clinic(id="x", phone="520-555-9999", source_urls=(CSV.url,))
    result = merge(first_run(), [other], CSV, DAY2)
    (rec,) = result.records
    assert rec["phone"] == "520-555-0142"
    (conflict,) = result.conflicts
    assert conflict.field == "phone" and conflict.offered == "520-555-9999" and conflict.kept_from == FT.url
    assert "kept '520-555-0142'" in str(conflict)


def test_a_source_may_update_its_own_values():
    result = merge(first_run(), [clinic(phone="520-555-7777")], FT, DAY2)
    (rec,) = result.records
    assert rec["phone"] == "520-555-7777" and result.updated == [rec["id"]] and not result.conflicts
    assert rec["compiled_on"] == DAY2


def test_hand_compiled_values_are_never_overwritten():
    existing = complete_record(
        clinic(phone="520-555-0000", source_urls=("https://desertmind.example/",), source_kind="public_web_compilation")
    )
    result = merge([existing], [clinic()], FT, DAY2)
    assert (
        result.records[0]["phone"] == "520-555-0000" and result.conflicts[0].kept_from == "https://desertmind.example/"
    )


def test_same_inputs_twice_change_nothing():
    once = first_run()
    again = merge(once, [clinic()], FT, DAY1)
    assert again.records == once and again.unchanged == [once[0]["id"]]


def test_missing_from_a_complete_fetch_is_marked_not_deleted():
    result = merge(first_run(), [], FT, DAY2)
    (rec,) = result.records
    assert rec["status"] == MISSING and rec["last_seen"] == DAY1
    assert result.marked_missing == [rec["id"]]
    back = merge(result.records, [clinic()], FT, "2026-12-01").records[0]
    assert back["status"] == "" and back["last_seen"] == "2026-12-01"


def test_nothing_is_marked_when_the_fetch_was_incomplete():
    result = merge(first_run(), [], FT, DAY2, complete=False)
    assert result.records[0]["status"] == "" and not result.marked_missing


def test_listings_of_other_sources_are_not_marked_missing():
    result = merge(first_run(), [], CSV, DAY2)
    assert result.records[0]["status"] == ""


def test_research_sites_never_merge_with_clinics():
    site = clinic(
        id="nct01234567-desert-mind-ketamine-center-tucson-az", listing_kind="research_study", study_id="NCT01234567"
    )
    result = merge(
        first_run(), [site], SourceRef("https://clinicaltrials.gov/api/v2/studies", "clinicaltrials_gov"), DAY2
    )
    assert len(result.records) == 2


def test_duplicates_within_one_source_become_one_listing():
    result = merge([], [clinic(), clinic(routes=("im_ketamine",))], FT, DAY1)
    (rec,) = result.records
    assert rec["routes"] == ("iv_ketamine", "im_ketamine") and result.notes


def test_generic_names_without_a_street_do_not_merge():
    one = clinic(
        id="ketamine-clinic-of-tucson", name="Ketamine Clinic of Tucson", street="", zip="", location_precision="city"
    )
    other = clinic(
        id="tucson-ketamine-clinic-2",
        name="Ketamine Clinic",
        street="",
        zip="",
        location_precision="city",
        source_urls=(CSV.url,),
    )
    result = merge(merge([], [one], FT, DAY1).records, [other], CSV, DAY2)
    assert len(result.records) == 2


def test_a_street_lets_a_longer_name_match():
    other = clinic(id="dm", name="Desert Mind", street="1200 North Campbell Avenue", source_urls=(CSV.url,))
    result = merge(first_run(), [other], CSV, DAY2)
    assert len(result.records) == 1 and result.merged


def test_rerunning_either_source_of_a_merged_listing_changes_nothing():
    other = clinic(id="x", street="1200 North Campbell Avenue", routes=("esketamine_nasal",), source_urls=(CSV.url,))
    both = merge(first_run(), [other], CSV, DAY1).records
    assert merge(both, [clinic()], FT, DAY1).records == both
    assert merge(both, [other], CSV, DAY1).records == both


def test_a_conflict_keeps_both_sources_in_provenance_and_reruns_do_not_grow_it():
    existing = complete_record(
        clinic(phone="520-555-0000", source_urls=("https://desertmind.example/",), source_kind="public_web_compilation")
    )
    once = merge([existing], [clinic()], FT, DAY2).records
    prov = json.loads(once[0]["provenance"])
    assert prov["phone"] == {
        "source": "https://desertmind.example/",
        "offered": [{"source": FT.url, "retrieved": DAY2, "value": "520-555-0142"}],
    }
    twice = merge(once, [clinic()], FT, DAY2).records
    assert twice[0]["provenance"] == once[0]["provenance"]
