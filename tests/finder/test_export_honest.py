"""Cards read honestly (one line per payment fact, no phone means "see website", sources named by site), and the
printable list and CSV carry the same sections and explanation the page shows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from dashboard.directory.clinics import load_clinics, parse_clinics
from dashboard.finder.cards import (
    NO_PHONE_SEE_WEBSITE,
    NOT_LISTED_ADDRESS_NO_PHONE,
    result_card_fields,
    result_sections,
    site_name,
)
from dashboard.finder.criteria import Criteria
from dashboard.finder.downloads import CSV_COLUMNS, results_csv
from dashboard.finder.html import card_html, results_html
from dashboard.finder.search import search
from dashboard.places.gazetteer import resolve_offline
from tests.helpers import GOOD, csv_text
from tests.paths import ROOT

TUCSON = resolve_offline("85719")


@pytest.fixture(scope="module")
def bundled_df():
    df, _ = load_clinics(ROOT / "data" / "clinics.csv")
    return df


def _text(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment)


def test_no_card_in_the_directory_reads_an_unknown_as_a_yes(bundled_df):
    for row in bundled_df.to_dict("records"):
        f = result_card_fields(row)
        text = _text(card_html(f))
        assert "not listed: accepts insurance" not in text.lower()
        assert "not listed:" not in text
        lines = [line for line in f["payment_lines"] if line.startswith("Insurance:")]
        assert len(lines) == 1  # one line per payment fact
        if pd.isna(row["accepts_insurance"]):
            assert lines == ["Insurance: not stated — ask the clinic"]
        if not f["phone"]:
            assert "call to confirm" not in text  # nothing to call


def test_no_phone_says_see_website(small_clinics):
    row = small_clinics[small_clinics["id"] == "tucson-no-condition"].iloc[0]  # a website but no phone
    f = result_card_fields(row)
    assert f["phone_text"] == NO_PHONE_SEE_WEBSITE
    assert NO_PHONE_SEE_WEBSITE in _text(card_html(f))


def test_no_street_and_no_phone_does_not_say_call(small_clinics):
    row = small_clinics[small_clinics["id"] == "tucson-crps-study"].iloc[0]
    f = result_card_fields(row)
    assert f["address"] == NOT_LISTED_ADDRESS_NO_PHONE


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://www.lhinfusions.com/ketamine", "lhinfusions.com"),
        ("https://findtreatment.gov/locator?x=1", "FindTreatment.gov"),
        ("https://clinicaltrials.gov/study/NCT01234567", "ClinicalTrials.gov"),
        ("http://Example.ORG", "example.org"),
    ],
)
def test_sources_are_named_by_their_site(url, name):
    assert site_name(url) == name


def test_several_pages_of_one_site_are_told_apart():
    row = {**GOOD, "source_urls": "https://a.example.org/ketamine;https://a.example.org/pricing;https://b.example.org"}
    df, _ = parse_clinics(csv_text(row))
    f = result_card_fields(df.iloc[0])
    assert f["source_labels"] == ["a.example.org/ketamine", "a.example.org/pricing", "b.example.org"]
    text = _text(card_html(f))
    assert "source 1" not in text
    assert "Sources: a.example.org/ketamine · a.example.org/pricing · b.example.org." in text


def test_a_fact_with_provenance_links_its_own_source():
    prov = {"va_community_care": {"source": "https://findtreatment.gov/x", "retrieved": "2026-11-01"}}
    row = {
        **GOOD,
        "va_community_care": "true",
        "source_urls": "https://clinic.example.org;https://findtreatment.gov/x",
        "provenance": json.dumps(prov),
    }
    df, report = parse_clinics(csv_text(row, columns=[*GOOD, "provenance"]))
    assert report.ok, report.summary()
    f = result_card_fields(df.iloc[0])
    va = next(fact for fact in f["payment_facts"] if fact.label == "VA community care")
    assert (va.text, va.source_url) == ("VA community care: yes", "https://findtreatment.gov/x")
    assert "VA community care: yes (source: " in card_html(f)
    insurance = next(fact for fact in f["payment_facts"] if fact.label == "Insurance")
    if insurance.stated:  # two sources and no provenance: which page said it is unknown, so no link
        assert insurance.source_url is None


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _empty_search(df):
    """A search with nothing inside the radius: the nearest matches beyond it are shown."""
    place = resolve_offline("99801")  # Juneau, AK: the fixture has nothing in Alaska
    res = search(df, Criteria("99801", place, 25.0))
    assert res.count == 0 and len(res.nearest_beyond) and res.empty_reason
    return res, place


def test_printable_list_of_an_empty_search_says_why(small_clinics):
    res, place = _empty_search(small_clinics)
    page = results_html(
        result_sections(res), res.description, place, explanation=res.empty_reason, generated=dt.date(2026, 1, 2)
    )
    assert res.description.endswith("0 found")
    assert res.empty_reason in page.replace("&#x27;", "'")
    assert "<h2>Nearest matches beyond 25 miles</h2>" in page
    assert page.index(res.empty_reason[:30]) < page.index("<ol>")
    assert page.count('class="result"') == len(res.nearest_beyond)


def test_csv_of_an_empty_search_carries_the_explanation_and_the_origin(small_clinics):
    res, place = _empty_search(small_clinics)
    rows = _csv(results_csv(result_sections(res), place, explanation=res.empty_reason))
    assert len(rows) == len(res.nearest_beyond)
    for row in rows:
        assert row["note"] == res.empty_reason
        start = parse_qs(urlparse(row["directions"]).query)["route"][0].split(";")[0]
        assert start == f"{place.lat:.5f},{place.lon:.5f}"


def test_csv_with_no_rows_at_all_is_one_explanation_row():
    rows = _csv(results_csv([], explanation="No listing anywhere matches these filters."))
    assert rows == [{c: ("No listing anywhere matches these filters." if c == "note" else "") for c in CSV_COLUMNS}]


def test_listings_to_ask_are_a_tier_with_a_badge(small_clinics):
    c = Criteria("85719", TUCSON, 100.0, accepts_insurance=True)
    res = search(df := small_clinics, c)
    assert len(res.to_ask)
    shown = result_sections(res)
    assert [s.kind for s in shown] == ["matches", "to_ask"]
    section = shown[1]
    assert section.heading == "May offer it — don't state insurance; ask them"
    assert section.badges == ["does not state: insurance"] * len(res.to_ask)
    page = results_html(shown, res.description, TUCSON)
    assert page.count("does not state: insurance</span>") == len(res.to_ask)
    assert page.index("<h2>Match everything you chose</h2>") < page.index("<h2>May offer it")
    rows = _csv(results_csv(shown, TUCSON))
    assert [r["tier"] for r in rows] == ["confirmed"] * res.count + ["to ask"] * len(res.to_ask)
    assert [r["does not state"] for r in rows] == [""] * res.count + ["insurance"] * len(res.to_ask)
    assert len(df)  # the fixture is unchanged


def test_sections_keep_the_page_order(small_clinics):
    """Confirmed, then to ask, then nearest beyond: the map and the list index rows the same way."""
    place = resolve_offline("99801")
    res = search(small_clinics, Criteria("99801", place, 25.0, accepts_insurance=True))
    kinds = [s.kind for s in result_sections(res)]
    assert kinds[0] == "matches" and kinds[-1] == "nearest"
