"""Each finder filter is declared once: its record drives matching, facets, left-out counts and words."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import vocab
from dashboard.finder import filters
from dashboard.finder.columns import Columns
from dashboard.finder.criteria import Criteria, Facets
from dashboard.finder.search import search
from dashboard.places.gazetteer import resolve_offline

TUCSON = resolve_offline("85719")


def test_every_facet_has_its_filter():
    facets = {f.name for f in dataclasses.fields(Facets)}
    assert {f.facet for f in filters.FILTERS} == facets


def test_no_filter_in_use_by_default():
    assert filters.in_use(Criteria()) == 0
    c = Criteria(routes={"iv_ketamine", "im_ketamine"}, accepts_insurance=True, max_price=300.0, include_studies=False)
    assert filters.in_use(c) == 5
    assert all(f.passes({}, Criteria(), 3) is None for f in filters.FILTERS)


def test_an_option_no_listing_has_counts_zero(small_clinics):
    no_price = small_clinics.copy()
    no_price["self_pay_price_usd"] = np.nan
    counts = filters.directory_counts(no_price)
    assert counts["self_pay_price_usd"] == 0 and counts["iv_ketamine"] > 0
    assert set(counts) == {*vocab.ROUTE_CODES, *vocab.CONDITION_CODES, "accepts_insurance", "va_community_care",
                           "self_pay_price_usd"}  # fmt: skip


criteria = st.builds(
    Criteria,
    near=st.just("85719"),
    place=st.just(TUCSON),
    radius_miles=st.sampled_from([None, 150.0, 500.0]),
    routes=st.frozensets(st.sampled_from(sorted(vocab.ROUTE_CODES)), max_size=2),
    conditions=st.frozensets(st.sampled_from(sorted(vocab.CONDITION_CODES)), max_size=2),
    accepts_insurance=st.booleans(),
    va_community_care=st.booleans(),
    max_price=st.one_of(st.none(), st.sampled_from([300.0, 1000.0])),
)


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(c=criteria)
def test_a_fact_reads_the_same_for_a_row_and_for_a_column(small_clinics, c):
    """A fact reads the same column-wise (the search) and row-wise (a card's "does not state"), and every
    listing to ask names what it does not state."""
    res = search(small_clinics, c)
    cols = Columns(small_clinics, keep=False)
    everyone = np.arange(len(small_clinics))
    for f in filters.FILTERS:
        if f.fact is None:
            continue
        column = f.fact.unknown(cols, everyone)
        rows = [f.fact.unstated_in(r) for r in small_clinics.to_dict("records")]
        assert list(column) == rows, f.fact.column
    for row in res.to_ask.to_dict("records"):
        assert filters.unstated_facts(row, c), row["id"]
