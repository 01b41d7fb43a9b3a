"""Wave 3 of the bundled directory: every checked candidate and correction is recorded in
data/sources/wave3_review.jsonl, and the bundled data agrees with that record (kept listings are there with
the pages that confirmed them, dropped ones and the closed clinic are not, the VA community care correction
carries its source)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard.directory import coverage
from dashboard.directory.build import read_listings
from dashboard.directory.clinics import load_clinics
from tests.paths import ROOT

SOURCES = ROOT / "data" / "sources"
REVIEW = read_listings(SOURCES / "wave3_review.jsonl")
CANDIDATES = [r for r in REVIEW if r["kind"] == "candidate"]
KEPT = [r for r in CANDIDATES if r["decision"] == "kept"]
DROPPED = [r for r in CANDIDATES if r["decision"] == "dropped"]
CORRECTIONS = {r["id"]: r for r in REVIEW if r["kind"] == "correction"}
CANDIDATE_FILES = {"candidates_wave3.jsonl": 26, "candidates_wave3b.jsonl": 13}  # candidates per shared file
CLOSED_ID = "apex-physical-medicine-and-rehabilitation-colorado-springs-co"
FIRST_LOUISIANA_ID = "ketamine-infusion-center-dr-brian-ball-covington-la"


def shared_data() -> Path | None:
    """The read-only shared folder sits beside the main checkout (../shared) or beside the worktrees' parent."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "data" / "candidates_wave3.jsonl").exists():
            return base / "shared" / "data"
    return None


@pytest.fixture(scope="module")
def bundled():
    df, report = load_clinics(ROOT / "data" / "clinics.csv")
    assert report.ok, report.summary()
    return df.set_index("id", drop=False)


@pytest.fixture(scope="module")
def source_ids():
    return {r["id"] for r in read_listings(SOURCES / "public_listings.jsonl")}


def test_the_record_has_one_decision_per_candidate_of_each_file():
    per_file = {f: [r["id"] for r in CANDIDATES if r["file"] == f] for f in CANDIDATE_FILES}
    assert {f: len(ids) for f, ids in per_file.items()} == CANDIDATE_FILES
    assert all(len(set(ids)) == len(ids) for ids in per_file.values())
    assert {r["decision"] for r in CANDIDATES} == {"kept", "dropped"}
    shared = shared_data()
    if shared is None:
        pytest.skip("the shared candidate files are not beside this checkout")
    for name, ids in per_file.items():
        with open(shared / name, encoding="utf-8") as fh:
            assert ids == [json.loads(line)["id"] for line in fh if line.strip()]


def test_every_decision_says_why_and_what_was_checked():
    for r in REVIEW:
        assert r["reason"].strip() and r["checked_on"] == "2026-12-07", r["id"]
        assert all(u.startswith(("http://", "https://")) for u in r["urls_checked"]), r["id"]
        if r["decision"] != "not_added":
            assert r["urls_checked"], r["id"]
    assert {r["reason_group"] for r in DROPPED} <= {"republisher_only", "place_not_stated"}


@pytest.mark.parametrize("rec", KEPT, ids=lambda r: r["id"])
def test_each_kept_candidate_is_in_the_directory_with_the_pages_that_confirmed_it(rec, bundled):
    (listing_id,) = rec["listing_ids"]
    assert listing_id in bundled.index
    row = bundled.loc[listing_id]
    assert set(rec["urls_checked"]) <= set(row["source_urls"])
    assert row["compiled_on"] == "2026-12-07"


@pytest.mark.parametrize("rec", DROPPED, ids=lambda r: r["id"])
def test_each_dropped_candidate_stays_out(rec, bundled, source_ids):
    assert rec["id"] not in bundled.index and rec["id"] not in source_ids
    cited = {u for urls in bundled["source_urls"] for u in urls}
    republishers = [u for u in rec["urls_checked"] if rec["reason_group"] == "republisher_only"]
    assert not set(republishers) & cited  # a republishing site is never a listing's source


def test_the_renamed_candidate_is_kept_only_under_the_town_its_page_states(bundled):
    (rec,) = [r for r in KEPT if r["id"] == "next-step-psychiatry-roswell-ga"]
    assert rec["listing_ids"] == ["next-step-psychiatry-lilburn-ga"]
    assert "next-step-psychiatry-roswell-ga" not in bundled.index
    assert bundled.loc["next-step-psychiatry-lilburn-ga", "city"] == "Lilburn"


def test_the_closed_clinic_has_left_the_directory_with_a_removal_note(bundled, source_ids):
    assert CLOSED_ID not in bundled.index and CLOSED_ID not in source_ids
    assert not bundled["name"].str.contains("APEX Physical Medicine", case=False).any()
    (note,) = [r for r in read_listings(SOURCES / "removed_listings.jsonl") if r["id"] == CLOSED_ID]
    assert note["reason"] == "closed" and note["removed_on"] == "2026-12-07"
    record = CORRECTIONS[CLOSED_ID]
    assert record["decision"] == "removed_closed"
    assert set(record["urls_checked"]) == set(note["source_urls"])


def test_the_first_louisiana_listing_appears_in_coverage(bundled):
    row = bundled.loc[FIRST_LOUISIANA_ID]
    assert (row["state"], row["city"]) == ("LA", "Covington")
    counts = coverage.state_counts(bundled.reset_index(drop=True)).set_index("state")
    assert counts.loc["LA", "listings"] == int((bundled["state"] == "LA").sum()) >= 1
    assert counts.loc["LA", "iv"] >= 1  # its source states IV ketamine
    assert "Louisiana" not in coverage.summary(bundled.reset_index(drop=True)).states_empty
    shared = shared_data()
    if shared is not None:  # the audited compilation before wave 3 had none in Louisiana
        assert not [r for r in read_listings(shared / "public_listings.jsonl") if r["state"] == "LA"]


def test_va_community_care_is_stated_only_where_a_reviewed_page_says_so(bundled):
    applied = [
        r for r in CORRECTIONS.values() if r["decision"] == "applied" and "va_community_care=true" in r["changed"]
    ]
    assert {r["id"] for r in applied} == {"great-salt-lake-wellness-*", "ketamine-north-infusion-center-*"}
    stating = set(bundled.index[bundled["va_community_care"].eq(True)])
    assert stating == {listing_id for r in applied for listing_id in r["listing_ids"]}
    for r in applied:
        for listing_id in r["listing_ids"]:
            assert set(r["urls_checked"]) <= set(bundled.loc[listing_id, "source_urls"])


def test_a_page_that_only_explains_va_coverage_leaves_the_va_field_unknown(bundled):
    record = CORRECTIONS["klearmind-clinics-*"]
    assert record["decision"] == "not_applied"
    for listing_id in record["listing_ids"]:
        assert pd.isna(bundled.loc[listing_id, "va_community_care"])  # unknown, neither true nor false


def test_every_corrected_listing_named_in_the_record_exists(bundled):
    for r in CORRECTIONS.values():
        for listing_id in r["listing_ids"]:
            assert listing_id in bundled.index, (r["id"], listing_id)
