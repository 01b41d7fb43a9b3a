"""Filters that no listing in the directory can satisfy are known (the listings that do not state a fact
are the "to ask" tier: tests/finder/test_tiers.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import vocab
from dashboard.directory.clinics import parse_clinics
from dashboard.finder.filters import directory_counts

FIXTURE = Path(__file__).parent / "fixtures" / "clinics_small.csv"


@pytest.fixture(scope="module")
def df():
    frame, report = parse_clinics(FIXTURE.read_text(encoding="utf-8"))
    assert report.ok
    return frame


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
