"""Listings hidden only because a fact is not stated are returned (to show on request), and filters that no
listing in the directory can satisfy are known."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import vocab
from dashboard.directory.clinics import parse_clinics
from dashboard.finder.criteria import Criteria, LeftOut
from dashboard.finder.filters import directory_counts, unstated_facts
from dashboard.finder.search import search
from dashboard.finder.wording import left_out_prompt
from dashboard.places.distance import haversine_miles
from dashboard.places.gazetteer import resolve_offline
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "clinics_small.csv"
TUCSON = resolve_offline("85719")


@pytest.fixture(scope="module")
def df():
    frame, report = parse_clinics(FIXTURE.read_text(encoding="utf-8"))
    assert report.ok
    return frame


def _names(frame: pd.DataFrame) -> set[str]:
    return set(frame["id"])


def test_unstated_are_the_left_out_listings_nearest_first(df):
    c = Criteria("85719", TUCSON, 100.0, accepts_insurance=True)
    res = search(df, c)
    miles = haversine_miles(TUCSON.lat, TUCSON.lon, df["lat"].to_numpy(), df["lon"].to_numpy())
    expected = set(df["id"][(miles <= 100) & df["accepts_insurance"].isna().to_numpy()])
    assert expected  # the fixture has such listings
    assert _names(res.unstated) == expected
    assert len(res.unstated) == res.left_out.total == res.left_out.insurance_unknown
    assert res.unstated["distance_miles"].is_monotonic_increasing
    assert not _names(res.unstated) & _names(res.results)
    for row in res.unstated.to_dict("records"):
        assert unstated_facts(row, c) == ["insurance"]


def test_unstated_respects_every_other_filter(df):
    c = Criteria("85719", TUCSON, 100.0, routes={"iv_ketamine"}, accepts_insurance=True)
    res = search(df, c)
    for row in res.unstated.to_dict("records"):
        facts = unstated_facts(row, c)
        assert facts, row["id"]
        assert row["route_iv_ketamine"] or "treatment route" in facts


def test_no_filter_means_nothing_unstated(df):
    res = search(df, Criteria("85719", TUCSON, None))
    assert res.unstated.empty and res.left_out.total == 0
    assert left_out_prompt(res.left_out) == ""


@pytest.mark.parametrize(
    ("left_out", "text"),
    [
        (LeftOut(total=2, insurance_unknown=2), "2 more listings don't state whether they take insurance"),
        (LeftOut(total=1, insurance_unknown=1), "1 more listing doesn't state whether it takes insurance"),
        (
            LeftOut(total=3, no_route=1, va_unknown=2),
            "3 more listings don't state a treatment route or whether they take VA community care",
        ),
        (LeftOut(total=1, price_unknown=1), "1 more listing doesn't state a self-pay price"),
    ],
)
def test_prompt_wording(left_out, text):
    assert left_out_prompt(left_out) == text


def test_directory_counts_match_the_data(df):
    counts = directory_counts(df)
    for t in vocab.ROUTES:
        assert counts[t.code] == sum(t.code in r for r in df["routes"]), t.code
    for t in vocab.CONDITIONS:
        assert counts[t.code] == sum(t.code in r for r in df["conditions"]), t.code
    assert counts["accepts_insurance"] == int((df["accepts_insurance"] == True).sum())  # noqa: E712
    assert counts["va_community_care"] == int((df["va_community_care"] == True).sum())  # noqa: E712
    assert counts["self_pay_price_usd"] == int(df["self_pay_price_usd"].notna().sum())


def test_a_fact_no_listing_states_counts_zero(df):
    no_va = df.copy()
    no_va["va_community_care"] = pd.array([pd.NA] * len(df), dtype="boolean")
    assert directory_counts(no_va)["va_community_care"] == 0
    assert directory_counts(df)["va_community_care"] > 0
