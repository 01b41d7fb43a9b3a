"""Search: the confirmed tier's filter semantics, ranking, descriptions, nearest beyond the radius (the tiers and
facet counts: tests/finder/test_tiers.py)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from geopy.distance import geodesic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import vocab
from dashboard.directory.clinics import empty_table, load_clinics, parse_clinics
from dashboard.finder.columns import Columns
from dashboard.finder.criteria import DEFAULT_RADIUS, Criteria, clamp_radius
from dashboard.finder.search import search
from dashboard.finder.wording import describe
from dashboard.places.gazetteer import Place, resolve_offline
from tests.paths import FIXTURES, ROOT

FIXTURE = FIXTURES / "clinics_small.csv"
REAL = ROOT / "data" / "clinics.csv"
TUCSON = resolve_offline("85719")

ROUTE_CODES = sorted(vocab.ROUTE_CODES)
CONDITION_CODES = sorted(vocab.CONDITION_CODES)


@pytest.fixture(scope="module")
def small():
    df, report = parse_clinics(FIXTURE.read_text(encoding="utf-8"), source="fixture")
    assert report.ok, report.problems
    return df


@pytest.fixture(scope="module")
def real():
    df, report = load_clinics(REAL)
    assert report.file_error is None
    assert len(df) > 50
    return df


def ids(result) -> set[str]:
    return set(result.results["id"])


def near(radius=None, **kw) -> Criteria:
    return Criteria(near="85719", place=TUCSON, radius_miles=radius, **kw)


TUCSON_ROWS = {"tucson-iv", "tucson-spravato", "tucson-no-route", "tucson-no-condition", "tucson-crps-study"}
ALL_ROWS = TUCSON_ROWS | {
    "phoenix-im-oral",
    "phoenix-nasal-spray",
    "albuquerque-iv",
    "new-york-multi",
    "flagstaff-formula",
}

CASES = [
    ("radius 50", near(50), TUCSON_ROWS),
    ("radius 50 without studies", near(50, include_studies=False), TUCSON_ROWS - {"tucson-crps-study"}),
    ("radius 150 reaches Phoenix", near(150), TUCSON_ROWS | {"phoenix-im-oral", "phoenix-nasal-spray"}),
    ("any distance", near(None), ALL_ROWS),
    (
        "route iv",
        near(None, routes={"iv_ketamine"}),
        {"tucson-iv", "tucson-no-condition", "tucson-crps-study", "albuquerque-iv", "new-york-multi"},
    ),
    (
        "nasal group (any of two routes)",
        near(None, routes={"esketamine_nasal", "intranasal_ketamine"}),
        {"tucson-spravato", "phoenix-nasal-spray", "new-york-multi"},
    ),
    ("route im", near(None, routes={"im_ketamine"}), {"phoenix-im-oral"}),
    ("route oral", near(None, routes={"oral_sublingual_ketamine"}), {"phoenix-im-oral", "flagstaff-formula"}),
    # "depression" is a substring of three other codes: none of those rows may match.
    (
        "condition depression is exact",
        near(None, conditions={"depression"}),
        {"tucson-iv", "tucson-no-route", "albuquerque-iv"},
    ),
    ("condition TRD", near(None, conditions={"treatment_resistant_depression"}), {"tucson-spravato"}),
    (
        "conditions any of (pain or mental health)",
        near(None, conditions={"neuropathic_pain", "ptsd"}),
        {"tucson-iv", "phoenix-im-oral", "tucson-no-route"},
    ),
    (
        "route and condition (all across groups)",
        near(None, routes={"iv_ketamine"}, conditions={"depression"}),
        {"tucson-iv", "albuquerque-iv"},
    ),
    ("insurance", near(None, accepts_insurance=True), {"tucson-iv", "tucson-spravato", "new-york-multi"}),
    (
        "insurance and VA (all within payment)",
        near(None, accepts_insurance=True, va_community_care=True),
        {"tucson-iv", "new-york-multi"},
    ),
    ("max price 500", near(None, max_price=500), {"tucson-iv", "phoenix-im-oral"}),
    ("max price exactly at a price", near(None, max_price=450), {"tucson-iv", "phoenix-im-oral"}),
    ("max price and insurance", near(None, max_price=500, accepts_insurance=True), {"tucson-iv"}),
    ("VA within 50", near(50, va_community_care=True), {"tucson-iv"}),
    ("unknown route code matches nothing", near(None, routes={"bogus"}), set()),
    ("condition code given as a route matches nothing", near(None, routes={"depression"}), set()),
    ("no place: radius ignored", Criteria(radius_miles=5, conditions={"crps"}), {"tucson-crps-study"}),
]


@pytest.mark.parametrize(("label", "criteria", "expected"), CASES, ids=[c[0] for c in CASES])
def test_filters(small, label, criteria, expected):
    assert ids(search(small, criteria)) == expected


def test_results_ranked_by_distance_then_name(small):
    res = search(small, near(None)).results
    d = res["distance_miles"].to_numpy()
    assert np.all(np.diff(d) >= 0)
    assert res["id"].iloc[-1] == "new-york-multi"
    same = res[res["distance_miles"] == res["distance_miles"].iloc[0]]
    assert list(same["name"]) == sorted(same["name"])
    assert list(res.index) == list(range(len(res)))


def test_real_ties_are_ordered_by_name(real):
    res = search(real, near(None)).results
    groups = res.groupby("distance_miles", sort=False)["name"].apply(list)
    assert (groups.map(len) > 1).any(), "the real data has listings at the same city centre"
    for names in groups:
        assert names == sorted(names)


def test_no_place_orders_by_state_city_name(small):
    res = search(small, Criteria(radius_miles=None)).results
    assert res["distance_miles"].isna().all()
    keys = list(zip(res["state"], res["city"], res["name"], strict=True))
    assert keys == sorted(keys)


def test_search_does_not_modify_the_table(small):
    before = small.copy()
    search(small, near(50, routes={"iv_ketamine"}, accepts_insurance=True, max_price=100))
    assert small.equals(before)
    assert "distance_miles" not in small.columns


def test_empty_table():
    res = search(empty_table(), near(50, routes={"iv_ketamine"}))
    assert res.count == 0
    assert res.empty_reason == "The directory has no listings to search."
    assert res.facets.routes["iv_ketamine"] == 0


def test_research_studies_are_labelled(small):
    res = search(small, near(50))
    study = res.results.set_index("id").loc["tucson-crps-study"]
    assert study["listing_kind"] == "research_study"
    assert study["study_id"] == "NCT01234567"
    hidden = search(small, near(50, include_studies=False))
    assert hidden.facets.listing_kinds == {"clinic": 4, "research_study": 1}


def test_facet_counts_are_the_results_with_the_option_added(small):
    res = search(small, near(50, routes={"iv_ketamine"}))
    # 3 confirmed (IV listed) and tucson-no-route to ask (lists no route): 4 results now.
    assert (res.count, len(res.to_ask)) == (3, 1)
    assert res.facets.routes == {
        "iv_ketamine": 4,  # chosen: what is shown
        "esketamine_nasal": 5,  # IV or Spravato: tucson-spravato joins
        "intranasal_ketamine": 4,
        "im_ketamine": 4,
        "oral_sublingual_ketamine": 4,
    }
    cond = res.facets.conditions
    # Neuropathic pain: tucson-iv states it; the route-less and condition-less listings do not say;
    # the CRPS study lists a pain condition, not this one.
    assert cond["neuropathic_pain"] == 3
    assert cond["ptsd"] == 3  # tucson-no-route states it; the CRPS study and no-condition suite do not say
    assert res.facets.payment == {"accepts_insurance": 3, "va_community_care": 3, "self_pay_price_usd": 4}
    assert res.facets.listing_kinds == {"clinic": 3, "research_study": 1}


def test_payment_facets_leave_out_only_their_own_constraint(small):
    res = search(small, near(None, accepts_insurance=True, va_community_care=True))
    # Insurance and VA both ticked: two confirmed, and those saying nothing about one or both to ask.
    shown = res.count + len(res.to_ask)
    assert res.facets.payment["accepts_insurance"] == res.facets.payment["va_community_care"] == shown
    without_va = search(small, near(None, accepts_insurance=True))
    assert res.facets.payment["va_community_care"] <= without_va.count + len(without_va.to_ask)


def test_nearest_beyond_radius(small):
    res = search(small, near(50, routes={"im_ketamine"}))
    assert res.count == 0
    assert list(res.nearest_beyond["id"]) == ["phoenix-im-oral"]
    assert 100 < res.nearest_beyond["distance_miles"].iloc[0] < 120
    assert res.within_radius == 5
    assert res.empty_reason.startswith("No listing within 50 miles of Tucson, AZ 85719 states everything you chose")
    assert "closest is 1" in res.empty_reason


def test_nearest_beyond_is_at_most_three_and_sorted(small):
    ny = resolve_offline("New York, NY")
    res = search(small, Criteria("New York, NY", ny, 5, conditions={"depression", "treatment_resistant_depression"}))
    assert res.count == 0
    near_ids = list(res.nearest_beyond["id"])
    assert len(near_ids) == 3
    assert np.all(np.diff(res.nearest_beyond["distance_miles"].to_numpy()) >= 0)
    assert set(near_ids) <= {"tucson-iv", "tucson-spravato", "tucson-no-route", "albuquerque-iv"}
    assert "albuquerque-iv" in near_ids  # Albuquerque is nearer New York than Tucson


def test_empty_everywhere(small):
    res = search(small, near(25, routes={"im_ketamine"}, accepts_insurance=True))
    assert res.count == 0
    assert len(res.nearest_beyond) == 0
    assert "No listing beyond that distance states everything you chose either" in res.empty_reason
    # Every listing nearby states the opposite (a route list without IM, or a mental-health list without OCD).
    lone = search(small, near(25, routes={"im_ketamine"}, conditions={"ocd"}))
    assert lone.count == 0 and lone.to_ask.empty and lone.nearest_beyond.empty
    assert "No listing anywhere matches these filters" in lone.empty_reason


def test_nothing_within_radius_message(small):
    place = resolve_offline("Bangor, ME")
    res = search(small, Criteria("Bangor, ME", place, 25))
    assert res.empty_reason.startswith("No listings are within 25 miles of Bangor, ME.")
    assert len(res.nearest_beyond) == 3


@pytest.mark.parametrize(
    ("criteria", "n", "expected"),
    [
        (
            near(100, routes={"iv_ketamine"}, conditions={"neuropathic_pain"}),
            3,
            "IV ketamine infusion clinics treating neuropathic (nerve) pain "
            "within 100 miles of Tucson, AZ 85719 — 3 confirmed, 0 to ask",
        ),
        (
            near(25, routes={"iv_ketamine", "esketamine_nasal"}),
            1,
            "IV ketamine infusion or esketamine nasal spray (Spravato) clinics "
            "within 25 miles of Tucson, AZ 85719 — 1 confirmed, 0 to ask",
        ),
        (
            near(50, conditions={"ptsd", "crps", "depression"}, accepts_insurance=True),
            0,
            "Clinics treating CRPS (complex regional pain syndrome), depression or PTSD, accepting insurance, "
            "within 50 miles of Tucson, AZ 85719 — 0 confirmed, 0 to ask",
        ),
        (
            near(None, accepts_insurance=True, va_community_care=True, max_price=500),
            2,
            "Clinics accepting insurance, taking VA community care and with a stated self-pay price of at most $500 "
            "at any distance from Tucson, AZ 85719 — 2 confirmed, 0 to ask",
        ),
        (Criteria(radius_miles=None), 104, "Clinics anywhere in the directory — 104 found"),
        (
            near(12.5, include_studies=False),
            4,
            "Clinics within 12.5 miles of Tucson, AZ 85719 (research studies not shown) — 4 found",
        ),
        (near(50, routes={"bogus"}), 0, "Clinics within 50 miles of Tucson, AZ 85719 — 0 found"),
    ],
)
def test_describe(criteria, n, expected):
    assert describe(criteria, n) == expected


def test_description_in_result(small):
    res = search(small, near(50, routes={"iv_ketamine"}))
    assert res.description == "IV ketamine infusion clinics within 50 miles of Tucson, AZ 85719 — 3 confirmed, 1 to ask"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (1, 5.0),
        (5, 5.0),
        (42.5, 42.5),
        (501, 500.0),
        (float("inf"), 500.0),
        (float("nan"), DEFAULT_RADIUS),
    ],
)
def test_clamp_radius(value, expected):
    assert clamp_radius(value) == expected


def test_criteria_accepts_lists_and_is_hashable():
    c = Criteria(routes=["iv_ketamine"], conditions=("ptsd",))
    assert c.routes == frozenset({"iv_ketamine"})
    assert hash(c) == hash(Criteria(routes={"iv_ketamine"}, conditions={"ptsd"}))
    assert Criteria(routes="iv_ketamine").routes == frozenset({"iv_ketamine"})  # one code, not its letters


# ---- the real dataset ----


def test_real_distances_match_geodesic_and_are_sorted(real):
    res = search(real, near(None)).results
    assert len(res) == len(real)
    d = res["distance_miles"].to_numpy()
    assert np.all(np.diff(d) >= 0)
    for lat, lon, miles in zip(res["lat"], res["lon"], d, strict=True):
        ref = geodesic((TUCSON.lat, TUCSON.lon), (lat, lon)).miles
        assert math.isclose(miles, ref, rel_tol=0.005), (lat, lon, miles, ref)


def test_real_depression_filter_is_exact(real):
    res = search(real, near(None, conditions={"depression"}))
    expected = {r.id for r in real.itertuples() if "depression" in r.conditions}
    assert ids(res) == expected
    only_other = {
        r.id
        for r in real.itertuples()
        if "depression" not in r.conditions and any("depression" in c for c in r.conditions)
    }
    assert only_other, "the dataset should have rows with only another *depression code"
    assert not (ids(res) & only_other)


def test_real_filters_match_a_reference(real):
    for routes, conditions, radius in [
        ({"iv_ketamine"}, {"ptsd"}, 500),
        ({"esketamine_nasal"}, set(), 1000),
        (set(), {"crps", "fibromyalgia"}, None),
    ]:
        res = search(real, near(radius, routes=routes, conditions=conditions))

        def matches(r, slack, routes=routes, conditions=conditions, radius=radius):
            return (
                (not routes or set(r.routes) & routes)
                and (not conditions or set(r.conditions) & conditions)
                and (radius is None or geodesic((TUCSON.lat, TUCSON.lon), (r.lat, r.lon)).miles <= radius * slack)
            )

        clearly_in = {r.id for r in real.itertuples() if matches(r, 0.995)}
        possibly_in = {r.id for r in real.itertuples() if matches(r, 1.005)}
        assert clearly_in <= ids(res) <= possibly_in
        assert clearly_in
        if radius is not None:
            assert (res.results["distance_miles"] <= radius).all()


# ---- property: search equals a plain-Python reference on the fixture ----


def _reference(records, c: Criteria):
    out = set()
    for r in records:
        d = geodesic((c.place.lat, c.place.lon), (r["lat"], r["lon"])).miles if c.place else None
        if c.place is not None and c.radius_miles is not None and d > c.radius_miles * 1.01:
            continue
        if c.routes and not set(r["routes"]) & c.routes:
            continue
        if c.conditions and not set(r["conditions"]) & c.conditions:
            continue
        if c.accepts_insurance and r["accepts_insurance"] is not True:
            continue
        if c.va_community_care and r["va_community_care"] is not True:
            continue
        price = r["self_pay_price_usd"]
        if c.max_price is not None and (price is None or math.isnan(price) or price > c.max_price):
            continue
        if not c.include_studies and r["listing_kind"] == "research_study":
            continue
        out.add(r["id"])
    return out


criteria_strategy = st.builds(
    Criteria,
    near=st.just("85719"),
    place=st.sampled_from([TUCSON, None]),
    radius_miles=st.sampled_from([None, 5.0, 25.0, 150.0, 250.0, 500.0]),
    routes=st.frozensets(st.sampled_from(ROUTE_CODES), max_size=3),
    conditions=st.frozensets(st.sampled_from(CONDITION_CODES), max_size=3),
    accepts_insurance=st.booleans(),
    va_community_care=st.booleans(),
    max_price=st.one_of(st.none(), st.sampled_from([100.0, 300.0, 450.0, 1000.0])),
    include_studies=st.booleans(),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(c=criteria_strategy)
def test_search_matches_reference(small, c):
    records = small.to_dict("records")
    records = [{k: (None if v is pd.NA else v) for k, v in r.items()} for r in records]
    res = search(small, c)
    # Fixture distances are far from every radius choice, so the 1 % slack never changes the answer.
    assert ids(res) == _reference(records, c)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    lat=st.floats(min_value=25.0, max_value=49.0),
    lon=st.floats(min_value=-124.0, max_value=-67.0),
    radius=st.floats(min_value=5.0, max_value=500.0),
    routes=st.frozensets(st.sampled_from(ROUTE_CODES), max_size=2),
)
def test_radius_cut_equals_a_full_haversine(real, lat, lon, radius, routes):
    """The latitude band the search cuts before the haversine never drops a listing inside the radius."""
    from dashboard.places.distance import haversine_miles
    from dashboard.places.gazetteer import Place

    place = Place(lat, lon, "x", "point")
    res = search(real, Criteria("x", place, radius, routes=routes))
    d = haversine_miles(lat, lon, real["lat"].to_numpy(), real["lon"].to_numpy())
    has_route = np.array([not routes or bool(set(r) & routes) for r in real["routes"]])
    assert ids(res) == set(real["id"][(d <= radius) & has_route])
    assert res.within_radius == int(np.count_nonzero(d <= radius))


def test_a_cache_key_tells_every_difference_and_only_differences():
    """The finder caches searches, cards and maps by Criteria.cache_key: a field it missed would show one
    person's results for another search."""
    base = Criteria("85719", Place(32.2, -110.9, "Tucson, AZ 85719", "zip", zip="85719"), 50.0)
    assert Criteria("85719", base.place, 50.0, routes=["b", "a"]).cache_key() == (
        Criteria("85719", base.place, 50.0, routes=("a", "b")).cache_key()
    )
    changed = {
        "near": "85718",
        "place": Place(32.2, -110.91, "Tucson, AZ 85719", "zip", zip="85719"),
        "radius_miles": 50.000001,
        "routes": frozenset({"iv_ketamine"}),
        "conditions": frozenset({"crps"}),
        "accepts_insurance": True,
        "va_community_care": True,
        "max_price": 0.0,
        "include_studies": False,
    }
    assert set(changed) == {f.name for f in dataclasses.fields(Criteria)}, "a new field needs a case here"
    keys = {name: dataclasses.replace(base, **{name: value}).cache_key() for name, value in changed.items()}
    assert base.cache_key() not in keys.values()
    assert len(set(keys.values())) == len(keys)


def _assert_same_result(a, b) -> None:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y)
        else:
            assert x == y, f.name


@pytest.fixture(scope="module")
def shared_columns(real):
    """One ``Columns`` for every example, as the finder shares one between all searches of a table."""
    return Columns(real)


real_criteria = st.builds(
    Criteria,
    near=st.just("x"),
    place=st.one_of(
        st.none(),
        st.builds(
            Place,
            st.floats(min_value=18.0, max_value=65.0),
            st.floats(min_value=-160.0, max_value=-66.0),
            st.just("x"),
            st.just("point"),
        ),
    ),
    radius_miles=st.sampled_from([None, 5.0, 25.0, 100.0, 500.0]),
    routes=st.frozensets(st.sampled_from([*ROUTE_CODES, "not-a-code"]), max_size=2),
    conditions=st.frozensets(st.sampled_from([*CONDITION_CODES, "not-a-code"]), max_size=2),
    accepts_insurance=st.booleans(),
    va_community_care=st.booleans(),
    max_price=st.one_of(st.none(), st.sampled_from([100.0, 450.0, 1000.0])),
    include_studies=st.booleans(),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(c=real_criteria)
def test_shared_columns_give_the_same_result_as_a_fresh_search(real, shared_columns, c):
    """The finder keeps one ``Columns`` per table for every search; a search with it must be exactly the
    search without it (results, facets, left-out counts, nearest beyond, texts)."""
    _assert_same_result(search(real, c, shared_columns), search(real, c))


def test_shared_columns_are_read_only_and_belong_to_one_table(real, small):
    columns = Columns(real)
    search(real, near(100.0, routes={"iv_ketamine"}, accepts_insurance=True), columns)
    kept = columns.bool("accepts_insurance", slice(None))  # a view of the array every search shares
    assert kept.flags.writeable is False
    with pytest.raises(ValueError, match="read-only"):
        kept[0] = True
    with pytest.raises(ValueError, match="another table"):
        search(small, near(100.0), columns)
