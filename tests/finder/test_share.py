"""Shareable links: criteria <-> query parameters round trip, and garbage never breaks the page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import vocab
from dashboard.finder.criteria import DEFAULT_RADIUS, MAX_RADIUS, MIN_RADIUS, Criteria
from dashboard.finder.share import PARAM_NAMES, criteria_to_params, params_to_criteria
from dashboard.places.gazetteer import resolve_offline

ROUTES = sorted(vocab.ROUTE_CODES)
CONDITIONS = sorted(vocab.CONDITION_CODES)


def test_params_are_short_and_stable():
    c = Criteria(
        near="Tucson, AZ",
        place=resolve_offline("Tucson, AZ"),
        radius_miles=100,
        routes={"iv_ketamine", "esketamine_nasal"},
        conditions={"ptsd", "neuropathic_pain"},
        accepts_insurance=True,
        va_community_care=True,
        max_price=500,
        include_studies=False,
    )
    assert criteria_to_params(c) == {
        "near": "Tucson, AZ",
        "radius": "100",
        "route": ["iv_ketamine", "esketamine_nasal"],
        "condition": ["neuropathic_pain", "ptsd"],
        "insurance": "1",
        "va": "1",
        "max_price": "500",
        "studies": "0",
    }
    assert set(criteria_to_params(c)) <= set(PARAM_NAMES)


def test_defaults_are_left_out_except_radius():
    assert criteria_to_params(Criteria()) == {"radius": str(int(DEFAULT_RADIUS))}
    assert criteria_to_params(Criteria(near="85719", radius_miles=None)) == {"near": "85719", "radius": "any"}


def test_round_trip_drops_only_the_resolved_place():
    c = Criteria(
        near="85719",
        place=resolve_offline("85719"),
        radius_miles=25,
        routes={"im_ketamine"},
        conditions={"crps"},
        max_price=450.5,
    )
    back = params_to_criteria(criteria_to_params(c))
    assert back.place is None
    assert back == Criteria(near="85719", radius_miles=25, routes={"im_ketamine"}, conditions={"crps"}, max_price=450.5)


def test_round_trip_through_a_real_query_string():
    c = Criteria(near="Saint Paul, MN", radius_miles=None, routes=set(ROUTES[:2]), conditions={"depression"})
    query = urlencode(criteria_to_params(c), doseq=True)
    assert query.count("route=") == 2
    assert params_to_criteria(parse_qs(query)) == c


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, Criteria()),
        (None, Criteria()),
        ("near=85719", Criteria()),
        ({"radius": "1"}, Criteria(radius_miles=MIN_RADIUS)),
        ({"radius": "100000"}, Criteria(radius_miles=MAX_RADIUS)),
        ({"radius": "-3"}, Criteria(radius_miles=MIN_RADIUS)),
        ({"radius": "nan"}, Criteria()),
        ({"radius": "inf"}, Criteria(radius_miles=MAX_RADIUS)),
        ({"radius": "ANY"}, Criteria(radius_miles=None)),
        ({"radius": "lots"}, Criteria()),
        ({"radius": ["10", "25"]}, Criteria(radius_miles=25)),
        ({"route": ["iv_ketamine", "bogus", "depression"]}, Criteria(routes={"iv_ketamine"})),
        ({"route": "iv_ketamine,IM_KETAMINE"}, Criteria(routes={"iv_ketamine", "im_ketamine"})),
        ({"condition": ["depress", "ptsd"]}, Criteria(conditions={"ptsd"})),
        ({"insurance": "yes", "va": "maybe"}, Criteria(accepts_insurance=True)),
        ({"max_price": "-1"}, Criteria()),
        ({"max_price": "1e99"}, Criteria(max_price=100_000.0)),
        ({"max_price": "abc"}, Criteria()),
        ({"studies": "0"}, Criteria(include_studies=False)),
        ({"studies": "junk"}, Criteria()),
        ({"near": "  Tucson,\n AZ\x00 "}, Criteria(near="Tucson, AZ")),
        ({"near": "x" * 5000}, Criteria(near="x" * 200)),
        ({"near": ["first", "second"]}, Criteria(near="second")),
        ({"near": 12345}, Criteria(near="12345")),
        ({"route": 7, "condition": None, "insurance": ["1"]}, Criteria(accepts_insurance=True)),
    ],
)
def test_garbage_is_tolerated(params, expected):
    assert params_to_criteria(params) == expected


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | st.binary(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)
keys = st.sampled_from(PARAM_NAMES) | st.text(max_size=10)


@settings(max_examples=300, deadline=None)
@given(params=st.dictionaries(keys, json_like, max_size=10))
def test_arbitrary_params_never_raise(params):
    c = params_to_criteria(params)
    assert isinstance(c, Criteria)
    assert c.place is None
    assert c.radius_miles is None or MIN_RADIUS <= c.radius_miles <= MAX_RADIUS
    assert c.routes <= vocab.ROUTE_CODES
    assert c.conditions <= vocab.CONDITION_CODES
    assert c.max_price is None or 0 <= c.max_price <= 100_000
    assert len(c.near) <= 200
    # And what comes out can be shared again, unchanged.
    assert params_to_criteria(criteria_to_params(c)) == c


@settings(max_examples=200, deadline=None)
@given(
    params=st.dictionaries(
        st.sampled_from(PARAM_NAMES),
        st.text(max_size=40) | st.lists(st.text(max_size=20), max_size=5),
        max_size=8,
    )
)
def test_query_string_params_never_raise(params):
    c = params_to_criteria(params)
    assert params_to_criteria(criteria_to_params(c)) == c


criteria_strategy = st.builds(
    Criteria,
    near=st.text(alphabet=st.characters(max_codepoint=0x2FFF, exclude_categories=("Cc", "Cs")), max_size=60).map(
        lambda s: " ".join(s.split())
    ),
    radius_miles=st.none() | st.floats(min_value=MIN_RADIUS, max_value=MAX_RADIUS),
    routes=st.frozensets(st.sampled_from(ROUTES)),
    conditions=st.frozensets(st.sampled_from(CONDITIONS)),
    accepts_insurance=st.booleans(),
    va_community_care=st.booleans(),
    max_price=st.none() | st.floats(min_value=0, max_value=100_000),
    include_studies=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(c=criteria_strategy)
def test_round_trip_property(c):
    assert params_to_criteria(criteria_to_params(c)) == c
    query = urlencode(criteria_to_params(c), doseq=True)
    assert params_to_criteria(parse_qs(query, keep_blank_values=True)) == c
