"""VA facilities near a place: their own section (within the distance, nearest first, by route), their own card
with the VA badge and dated evidence, their own map marker, the printable list and the command line; clinics
that state VA community care match the VA filter end to end."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from dashboard import config, mapview, vocab
from dashboard.content import va as pathway
from dashboard.directory.clinics import load_clinics
from dashboard.directory.va_facilities import load_facilities, parse_facilities
from dashboard.finder import cards, html, va
from dashboard.finder.criteria import Criteria
from dashboard.finder.search import search
from dashboard.places.gazetteer import resolve_offline
from tests.directory.test_va_facilities import line
from tests.paths import ROOT


@pytest.fixture(scope="module")
def facilities() -> pd.DataFrame:
    return load_facilities(config.va_data_path())[0]


def test_within_the_distance_nearest_first(facilities):
    place = resolve_offline("Philadelphia, PA")
    near = va.nearby(facilities, place, 50)
    assert list(near["id"]) == ["va-philadelphia-va-medical-center-philadelphia-pa"]
    everywhere = va.nearby(facilities, place, None)
    assert len(everywhere) == len(facilities)
    assert list(everywhere["distance_miles"]) == sorted(everywhere["distance_miles"])


def test_a_route_filter_keeps_matches_and_marks_those_stating_no_route(facilities):
    little_rock = resolve_offline("Little Rock, AR")
    iv = va.nearby(facilities, little_rock, 500, {"iv_ketamine"})
    by_id = dict(zip(iv["id"], iv["route_unstated"], strict=True))
    assert by_id["va-john-l-mcclellan-memorial-veterans-hospital-little-rock-ar"] is True  # says only "ketamine"
    assert by_id["va-eastern-oklahoma-va-health-care-system-muskogee-ok"] is False  # states IV
    assert all("esketamine_nasal" not in r or "iv_ketamine" in r for r in iv["routes"])  # esketamine-only left out
    assert not va.nearby(facilities, resolve_offline("Philadelphia, PA"), 50, {"iv_ketamine"}).size


def test_no_place_no_section(facilities):
    assert va.nearby(facilities, None, 50).empty


def test_a_card_has_the_badge_its_evidence_and_the_evidence_date(facilities):
    place = resolve_offline("San Diego, CA")
    row = va.nearby(facilities, place, 25).to_dict("records")[0]
    f = va.card_fields(row, place)
    assert f["badge"] == "VA medical centre — for veterans enrolled in VA health care"
    assert f["evidence_when"] == "Evidence dated 2020-05-27 (source dated 2020-06-17)."
    item = va.card_html(f)
    assert "VA medical centre — for veterans enrolled in VA health care" in item
    assert "Spravato" in item and "Evidence (from a news report)" in item and "inewsource.org" in item


def test_undated_and_announced_evidence_say_so():
    assert va.evidence_when({"evidence_date": None, "source_date": None}) == "The source shows no date."
    df, _ = parse_facilities([line(announced_only=True, source_date=None)])
    item = va.card_html(va.card_fields(df.assign(distance_miles=1.0).to_dict("records")[0]))
    assert va.ANNOUNCED in item and "Evidence dated" not in item and va.NO_DATE in item


def test_dataset_text_on_a_card_is_escaped():
    df, _ = parse_facilities([line(name="<img src=x onerror=alert(1)>", evidence_note="<b>bold</b>")])
    item = va.card_html(va.card_fields(df.assign(distance_miles=2.0).to_dict("records")[0]))
    assert "<img" not in item and "<b>" not in item and "&lt;img" in item


def test_the_map_draws_va_facilities_as_squares_with_their_own_legend_entry(facilities):
    rows = va.map_rows(va.nearby(facilities, resolve_offline("Philadelphia, PA"), 50))
    payload = json.loads(mapview.results_payload(rows, resolve_offline("Philadelphia, PA"), 50))
    style = payload["styles"][payload["rows"][0][2]]
    assert style["shape"] == "square"
    assert {"label": "VA medical centre (for enrolled veterans)", "color": style["color"], "shape": "square"} in (
        payload["legend"]
    )
    assert all(s["shape"] == "circle" for s in payload["styles"] if s is not style)


def test_the_printable_list_has_the_va_section_and_the_pathway(facilities):
    place = resolve_offline("Philadelphia, PA")
    rows = va.nearby(facilities, place, 50)
    page = html.results_html(
        pd.DataFrame(),
        "Clinics near Philadelphia",
        place,
        extra_html=[va.printable_section(rows, place, 50), pathway.html_section()],
    )
    assert "VA facilities near you: 1 within 50 miles" in page
    assert vocab.VA_BADGE in page and pathway.TITLE in page
    assert page.index("VA facilities near you") < page.index(pathway.TITLE)
    assert va.printable_section(rows.iloc[0:0], place, 50) == ""


def test_clinics_that_state_va_community_care_say_so_and_match_the_filter():
    df, _ = load_clinics(ROOT / "data" / "clinics.csv")
    stating = set(df.loc[df["va_community_care"].eq(True), "id"])
    assert stating, "the bundled directory has listings whose sources state VA community care"
    place = resolve_offline("Salt Lake City, UT")
    res = search(df, Criteria(near="Salt Lake City, UT", place=place, radius_miles=None, va_community_care=True))
    assert set(res.results["id"]) == stating
    facts = cards.result_card_fields(res.results.iloc[0])["payment_lines"]
    assert "VA community care: yes" in facts


def _search(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "search", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_the_command_line_lists_va_facilities_apart_for_a_veteran():
    table = _search("--near", "Philadelphia, PA", "--radius", "50", "--veteran")
    assert table.returncode == 0, table.stderr
    clinics, _, rest = table.stdout.partition("VA facilities near you: 1 within 50 miles.")
    assert "Philadelphia VA Medical Center" not in clinics and "Philadelphia VA Medical Center" in rest
    assert vocab.VA_BADGE in rest and pathway.TITLE in rest
    as_json = json.loads(
        _search("--near", "Philadelphia, PA", "--radius", "50", "--veteran", "--format", "json").stdout
    )
    assert [f["id"] for f in as_json["va_facilities"]] == ["va-philadelphia-va-medical-center-philadelphia-pa"]
    assert all(c.get("listing_kind") != "va_facility" for c in as_json["clinics"])
    plain = json.loads(_search("--near", "Philadelphia, PA", "--radius", "50", "--format", "json").stdout)
    assert plain == as_json["clinics"]  # without --veteran: the clinic list, as before
