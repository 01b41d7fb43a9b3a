"""Listings hidden only because a fact is not stated are returned (to show on request), and filters that no
listing in the directory can satisfy are known."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import vocab
from dashboard.finder.criteria import Criteria, LeftOut
from dashboard.finder.filters import directory_counts, unstated_facts
from dashboard.finder.search import search
from dashboard.finder.wording import left_out_prompt
from dashboard.places.distance import haversine_miles
from dashboard.places.gazetteer import resolve_offline

TUCSON = resolve_offline("85719")


def _names(frame: pd.DataFrame) -> set[str]:
    return set(frame["id"])


def test_unstated_are_the_left_out_listings_nearest_first(small_clinics):
    c = Criteria("85719", TUCSON, 100.0, accepts_insurance=True)
    res = search(small_clinics, c)
    miles = haversine_miles(TUCSON.lat, TUCSON.lon, small_clinics["lat"].to_numpy(), small_clinics["lon"].to_numpy())
    expected = set(small_clinics["id"][(miles <= 100) & small_clinics["accepts_insurance"].isna().to_numpy()])
    assert expected  # the fixture has such listings
    assert _names(res.unstated) == expected
    assert len(res.unstated) == res.left_out.total == res.left_out.insurance_unknown
    assert res.unstated["distance_miles"].is_monotonic_increasing
    assert not _names(res.unstated) & _names(res.results)
    for row in res.unstated.to_dict("records"):
        assert unstated_facts(row, c) == ["insurance"]


def test_unstated_respects_every_other_filter(small_clinics):
    c = Criteria("85719", TUCSON, 100.0, routes={"iv_ketamine"}, accepts_insurance=True)
    res = search(small_clinics, c)
    for row in res.unstated.to_dict("records"):
        facts = unstated_facts(row, c)
        assert facts, row["id"]
        assert row["route_iv_ketamine"] or "treatment route" in facts


def test_no_filter_means_nothing_unstated(small_clinics):
    res = search(small_clinics, Criteria("85719", TUCSON, None))
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


def test_directory_counts_match_the_data(small_clinics):
    counts = directory_counts(small_clinics)
    for t in vocab.ROUTES:
        assert counts[t.code] == sum(t.code in r for r in small_clinics["routes"]), t.code
    for t in vocab.CONDITIONS:
        assert counts[t.code] == sum(t.code in r for r in small_clinics["conditions"]), t.code
    assert counts["accepts_insurance"] == int((small_clinics["accepts_insurance"] == True).sum())  # noqa: E712
    assert counts["va_community_care"] == int((small_clinics["va_community_care"] == True).sum())  # noqa: E712
    assert counts["self_pay_price_usd"] == int(small_clinics["self_pay_price_usd"].notna().sum())


def test_a_fact_no_listing_states_counts_zero(small_clinics):
    no_va = small_clinics.copy()
    no_va["va_community_care"] = pd.array([pd.NA] * len(small_clinics), dtype="boolean")
    assert directory_counts(no_va)["va_community_care"] == 0
    assert directory_counts(small_clinics)["va_community_care"] > 0
