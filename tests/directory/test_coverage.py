"""Where the directory is thin: per-state counts, the directory's date, the finder's note beyond 100 miles,
and the Data page that shows them."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import states
from dashboard.directory import coverage
from dashboard.directory.clinics import load_clinics, parse_clinics
from dashboard.finder import wording
from dashboard.finder.criteria import Criteria
from dashboard.finder.search import search
from dashboard.places.gazetteer import resolve_offline
from tests.apptest import new_app
from tests.helpers import GOOD, csv_text
from tests.paths import FIXTURES, ROOT

FIXTURE = FIXTURES / "clinics_small.csv"


@pytest.fixture(scope="module")
def bundled():
    df, _ = load_clinics(ROOT / "data" / "clinics.csv")
    return df


def test_counts_per_state_add_up_to_the_directory(bundled):
    counts = coverage.state_counts(bundled)
    kinds = bundled["listing_kind"].fillna("clinic")
    assert counts["listings"].sum() == int((kinds != "research_study").sum())
    assert counts["studies"].sum() == int((kinds == "research_study").sum())
    for row in counts.itertuples():
        mine = bundled[(bundled["state"] == row.state) & (kinds != "research_study")]
        assert row.listings == len(mine)
        assert row.iv == int(mine["route_iv_ketamine"].sum())
        assert row.esketamine == int(mine["route_esketamine_nasal"].sum())
    assert set(counts["state"]) == states.US_STATES  # empty states are kept, with zeros
    assert list(counts["name"]) == sorted(counts["name"])


def test_summary_names_the_empty_states_and_the_date(bundled):
    s = coverage.summary(bundled)
    counts = coverage.state_counts(bundled)
    main = counts[counts["state"].isin(states.FIFTY_AND_DC)]
    assert len(states.FIFTY_AND_DC) == 51
    assert s.states_covered + len(s.states_empty) == 51
    assert set(s.states_empty) == set(main.loc[main["listings"] == 0, "name"])
    assert s.compiled_on == max(bundled["compiled_on"].dropna().astype(str))


@pytest.mark.parametrize(
    ("n", "label"), [(0, "none"), (1, "1–2"), (2, "1–2"), (5, "3–5"), (10, "6–10"), (40, "11 or more")]
)
def test_colour_classes(n, label):
    assert coverage.BIN_LABELS[coverage.bin_of(n)] == label


def _df(*rows):
    df, report = parse_clinics(csv_text(*rows))
    assert report.ok
    return df


def test_thin_note_only_beyond_100_miles():
    df = _df({**GOOD, "id": "a", "lat": "32.2226", "lon": "-110.9747"})  # Tucson
    tucson = resolve_offline("85719")
    assert wording.thin_note(search(df, Criteria("85719", tucson, 50.0))) is None
    assert wording.thin_note(search(df, Criteria(""))) is None  # no place: no distance to judge
    juneau = resolve_offline("99801")
    res = search(df, Criteria("99801", juneau, 25.0))
    miles = wording.nearest_shown_miles(res)
    assert miles > wording.THIN_MILES
    note = wording.thin_note(res)
    assert f"{miles:,.0f} miles away" in note and "may be incomplete" in note
    res_any = search(df, Criteria("99801", juneau, None))  # any distance: a match, but far
    assert res_any.count == 1 and wording.thin_note(res_any)
    nothing = search(df, Criteria("99801", juneau, 25.0, routes={"im_ketamine"}))
    assert math.isinf(wording.nearest_shown_miles(nothing))
    assert wording.thin_note(nothing).startswith("No listing in this directory matches")


def test_public_locators_are_links_only():
    assert [loc.name for loc in coverage.PUBLIC_LOCATORS] == ["FindTreatment.gov", 'SPRAVATO "Find a Center"']
    assert all(loc.url.startswith("https://") for loc in coverage.PUBLIC_LOCATORS)


@pytest.mark.usefixtures("clear_streamlit_caches")
def test_data_page_shows_the_date_the_table_and_the_locators(bundled):
    at = new_app().run()
    at.switch_page("dashboard/web/pages/data.py").run()
    assert not at.exception
    assert at.title[0].value == "What the directory covers"
    text = " ".join(m.value for m in at.markdown)
    summary = coverage.summary(bundled)
    assert f"Directory date: {summary.compiled_on}" in text
    assert "in 47 states and DC." in text  # the bundled directory
    assert "No listing yet in 3 states: Alaska, New Hampshire and West Virginia." in text
    assert "of the 50 states and DC" not in text  # "47 of the 50 states and DC" beside "4 of" read as a slip
    table = at.table[0].value
    counts = coverage.state_counts(bundled).set_index("name")
    for state, row in table.iterrows():
        assert row["Clinics"] == counts.loc[state, "listings"]
    assert len(table) >= 51
    assert "findtreatment.gov" in text and "spravatotreatmentcenter.com" in text
    assert isinstance(table, pd.DataFrame)


@pytest.mark.usefixtures("clear_streamlit_caches")
def test_finder_links_the_public_locators_when_the_nearest_is_far(monkeypatch):
    monkeypatch.setenv("CLINIC_FINDER_DATA", str(FIXTURE))
    at = new_app()
    at.query_params["near"] = "99801"
    at.query_params["radius"] = "25"
    at.run()
    assert not at.exception
    notes = [i.value for i in at.info if "may be incomplete" in i.value]
    assert len(notes) == 1
    assert "https://findtreatment.gov/" in notes[0] and "https://spravatotreatmentcenter.com/" in notes[0]


def _totals(covered_states: int, empty: tuple[str, ...], dc: bool) -> coverage.Totals:
    return coverage.Totals(10, 0, covered_states + (1 if dc else 0), empty, "2026-12-07", "2026-12-07", dc)


@pytest.mark.parametrize(
    ("totals", "where", "missing"),
    [
        (
            _totals(47, ("Alaska", "New Hampshire", "West Virginia"), True),
            "in 47 states and DC",
            "No listing yet in 3 states: Alaska, New Hampshire and West Virginia.",
        ),
        (
            _totals(47, ("Alaska", "District of Columbia", "Maine", "Vermont"), False),
            "in 47 states (none yet in DC)",
            "No listing yet in 3 states and DC: Alaska, District of Columbia, Maine and Vermont.",
        ),
        (_totals(50, (), True), "in 50 states and DC", ""),
        (_totals(49, ("Alaska",), True), "in 49 states and DC", "No listing yet in 1 state: Alaska."),
    ],
)
def test_coverage_sentences_add_up_to_the_50_states_and_dc(totals, where, missing):
    assert coverage.where_listed(totals) == where
    assert coverage.not_listed(totals) == missing


def test_bundled_states_with_and_without_a_listing_add_up(bundled):
    s = coverage.summary(bundled)
    assert s.dc_covered
    with_listing = int(coverage.where_listed(s).split()[1])
    without = len([n for n in s.states_empty if n != coverage.DC_NAME])
    assert with_listing + without == 50
