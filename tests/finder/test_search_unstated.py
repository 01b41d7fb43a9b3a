"""Filters that no listing in the directory can satisfy are known (the listings that do not state a fact
are the "to ask" tier: tests/finder/test_tiers.py)."""

from __future__ import annotations

import pandas as pd

from dashboard import vocab
from dashboard.finder.filters import directory_counts


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
