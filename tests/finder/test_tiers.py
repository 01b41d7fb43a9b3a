"""Results in tiers: a listing states a chosen fact, states the opposite, or does not say; confirmed
listings first, then those to ask (each naming what it does not state), then matches beyond the distance.
Facet counts say how many results there would be with an option added."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
from geopy.distance import geodesic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import vocab
from dashboard.directory.clinics import parse_clinics
from dashboard.finder import wording
from dashboard.finder.cards import result_sections
from dashboard.finder.criteria import Criteria
from dashboard.finder.filters import unstated_facts
from dashboard.finder.search import search
from dashboard.places.gazetteer import resolve_offline
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "clinics_small.csv"
TUCSON = resolve_offline("85719")
GROUP = {t.code: t.group for t in vocab.CONDITIONS}


@pytest.fixture(scope="module")
def small():
    df, report = parse_clinics(FIXTURE.read_text(encoding="utf-8"), source="fixture")
    assert report.ok, report.problems
    return df


def near(radius=None, **kw) -> Criteria:
    return Criteria(near="85719", place=TUCSON, radius_miles=radius, **kw)


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["id"])


# ---- the rule, case by case, on the fixture ----


def test_a_false_fact_excludes_an_unknown_one_asks(small):
    res = search(small, near(50, accepts_insurance=True))
    assert set(ids(res.results)) == {"tucson-iv", "tucson-spravato"}  # state insurance: yes
    assert set(ids(res.to_ask)) == {"tucson-no-route", "tucson-crps-study"}  # say nothing
    assert "tucson-no-condition" not in ids(res.to_ask)  # states "no insurance": never to ask
    for row in res.to_ask.to_dict("records"):
        assert unstated_facts(row, res.criteria) == ["insurance"]


def test_a_route_list_speaks_for_every_route(small):
    res = search(small, near(50, routes={"iv_ketamine"}))
    assert "tucson-spravato" not in ids(res.to_ask)  # lists its route (Spravato), not IV: excluded
    assert ids(res.to_ask) == ["tucson-no-route"]  # lists no route: may offer IV
    assert unstated_facts(res.to_ask.iloc[0].to_dict(), res.criteria) == ["IV ketamine infusion"]


def test_a_condition_list_speaks_only_for_its_kind(small):
    # tucson-no-route lists depression and PTSD (mental health): nothing said about pain.
    res = search(small, near(50, conditions={"neuropathic_pain"}))
    assert ids(res.results) == ["tucson-iv"]
    assert "tucson-no-route" in ids(res.to_ask)
    assert "tucson-spravato" in ids(res.to_ask)  # lists TRD only
    assert "tucson-crps-study" not in ids(res.to_ask)  # lists a pain condition (CRPS), not this one
    row = res.to_ask.set_index("id").loc["tucson-no-route"].to_dict()
    assert unstated_facts(row, res.criteria) == ["neuropathic (nerve) pain"]
    # For a mental-health condition, a listed mental-health list is a statement.
    ptsd = search(small, near(50, conditions={"ptsd"}))
    assert "tucson-spravato" not in ids(ptsd.to_ask) + ids(ptsd.results)
    assert "tucson-no-condition" in ids(ptsd.to_ask)  # lists no condition at all


def test_each_tier_is_nearest_first_and_the_tiers_are_apart(small):
    res = search(small, near(None, accepts_insurance=True))
    for frame in (res.results, res.to_ask):
        assert frame["distance_miles"].is_monotonic_increasing
    assert not set(ids(res.results)) & set(ids(res.to_ask))


def test_without_a_fact_filter_there_is_one_tier(small):
    res = search(small, near(50))
    assert res.to_ask.empty
    assert res.description.endswith("— 5 found")
    assert [s.kind for s in result_sections(res)] == ["matches"]
    assert result_sections(res)[0].heading == ""


def test_unknown_codes_match_nothing_and_ask_nothing(small):
    res = search(small, near(None, routes={"bogus"}, conditions={"not-a-code"}))
    assert res.results.empty and res.to_ask.empty
    assert res.description.endswith("— 0 found")


def test_beyond_the_distance_comes_after_both_tiers_when_nothing_is_confirmed(small):
    res = search(small, near(50, routes={"im_ketamine"}))
    assert res.results.empty
    assert ids(res.to_ask) == ["tucson-no-route"]
    assert ids(res.nearest_beyond) == ["phoenix-im-oral"]
    assert [s.kind for s in result_sections(res)] == ["matches", "to_ask", "nearest"]
    assert res.description.endswith("— 0 confirmed, 1 to ask")
    assert "1 does not state the opposite" in res.empty_reason
    assert "shown after them" in res.empty_reason
    # A confirmed match nearby: nothing beyond the distance.
    assert search(small, near(50, routes={"iv_ketamine"})).nearest_beyond.empty


def test_sections_name_what_each_card_does_not_state(small):
    res = search(small, near(50, routes={"iv_ketamine"}, accepts_insurance=True))
    sections = {s.kind: s for s in result_sections(res)}
    assert sections["matches"].heading == "Match everything you chose"
    ask = sections["to_ask"]
    assert ask.tier == "to ask"
    by_id = dict(zip(ask.rows["id"], ask.badges, strict=True))
    assert by_id["tucson-no-route"] == "does not state: IV ketamine infusion, insurance"
    assert by_id["tucson-crps-study"] == "does not state: insurance"
    assert ask.heading == "May offer it — don't state IV ketamine infusion or insurance; ask them"


def test_the_thin_note_only_when_no_nearby_tier_has_a_listing(small):
    # A listing to ask 1 mile away: the directory is not thin here.
    assert wording.thin_note(search(small, near(50, routes={"im_ketamine"}))) is None
    bangor = resolve_offline("Bangor, ME")
    res = search(small, Criteria("Bangor, ME", bangor, 50, routes={"im_ketamine"}))
    assert res.results.empty and res.to_ask.empty
    assert "may be incomplete" in wording.thin_note(res)
    # Within a chosen distance, a listing at all (here New York, some 380 miles away) is an answer: no note.
    wide = search(small, Criteria("Bangor, ME", bangor, 500))
    assert ids(wide.results) == ["new-york-multi"] and wide.results["distance_miles"].iloc[0] > 100
    assert wording.thin_note(wide) is None
    assert wording.thin_note(search(small, Criteria("Bangor, ME", bangor, None)))  # any distance: far is thin


def test_facet_counts_add_the_option_to_what_is_chosen(small):
    res = search(small, near(50, routes={"iv_ketamine"}, conditions={"neuropathic_pain"}))
    total = len(res.results) + len(res.to_ask)
    # An option already chosen: what the user sees now.
    assert res.facets.routes["iv_ketamine"] == total
    assert res.facets.conditions["neuropathic_pain"] == total
    # Adding a condition never shrinks the results, so no count reads below them.
    assert min(res.facets.conditions.values()) >= total > 0
    # Adding depression brings in the CRPS study (its list names pain only, nothing about mental health),
    # never tucson-spravato (its route list has no IV).
    assert res.facets.conditions["depression"] == total + 1
    with_depression = search(small, dataclasses.replace(res.criteria, conditions={"neuropathic_pain", "depression"}))
    assert "tucson-crps-study" in ids(with_depression.to_ask)


# ---- property: the tiers and every facet equal a plain-Python reference ----


def _answer(r: dict, c: Criteria) -> list[str]:
    """One of "yes", "no", "unknown" per filter in use, written from the rule's words."""
    out = []
    if c.routes:
        if set(r["routes"]) & c.routes:
            out.append("yes")
        else:
            out.append("unknown" if not r["routes"] and c.routes & vocab.ROUTE_CODES else "no")
    if c.conditions:
        listed = {GROUP[x] for x in r["conditions"]}
        if set(r["conditions"]) & c.conditions:
            out.append("yes")
        elif any(k in GROUP and GROUP[k] not in listed for k in c.conditions):
            out.append("unknown")
        else:
            out.append("no")
    for flag, column in ((c.accepts_insurance, "accepts_insurance"), (c.va_community_care, "va_community_care")):
        if flag:
            out.append({True: "yes", False: "no", None: "unknown"}[r[column]])
    if c.max_price is not None:
        price = r["self_pay_price_usd"]
        out.append("unknown" if price is None or math.isnan(price) else "yes" if price <= c.max_price else "no")
    if not c.include_studies:
        out.append("yes" if r["listing_kind"] != "research_study" else "no")
    return out


def _tiers(records: list[dict], c: Criteria) -> tuple[set[str], set[str]]:
    confirmed, ask = set(), set()
    for r in records:
        radius = c.radius_miles if c.place is not None else None
        if radius is not None and geodesic((c.place.lat, c.place.lon), (r["lat"], r["lon"])).miles > radius * 1.01:
            continue
        answers = _answer(r, c)
        if all(a == "yes" for a in answers):
            confirmed.add(r["id"])
        elif "no" not in answers:
            ask.add(r["id"])
    return confirmed, ask


def _seen(records, c: Criteria) -> set[str]:
    confirmed, ask = _tiers(records, c)
    return confirmed | ask


criteria_strategy = st.builds(
    Criteria,
    near=st.just("85719"),
    place=st.sampled_from([TUCSON, None]),
    radius_miles=st.sampled_from([None, 5.0, 25.0, 150.0, 500.0]),
    routes=st.frozensets(st.sampled_from([*sorted(vocab.ROUTE_CODES), "bogus"]), max_size=2),
    conditions=st.frozensets(st.sampled_from(sorted(vocab.CONDITION_CODES)), max_size=3),
    accepts_insurance=st.booleans(),
    va_community_care=st.booleans(),
    max_price=st.one_of(st.none(), st.sampled_from([100.0, 450.0, 1000.0])),
    include_studies=st.booleans(),
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(c=criteria_strategy)
def test_tiers_and_facets_equal_the_reference(small, c):
    records = [{k: (None if v is pd.NA else v) for k, v in r.items()} for r in small.to_dict("records")]
    res = search(small, c)
    confirmed, ask = _tiers(records, c)
    assert set(ids(res.results)) == confirmed
    assert set(ids(res.to_ask)) == ask
    for row in res.to_ask.to_dict("records"):
        assert unstated_facts(row, c), row["id"]  # a card to ask always says what it does not state
    for code in vocab.ROUTE_CODES:
        assert res.facets.routes[code] == len(_seen(records, dataclasses.replace(c, routes=c.routes | {code})))
    for code in vocab.CONDITION_CODES:
        added = dataclasses.replace(c, conditions=c.conditions | {code})
        assert res.facets.conditions[code] == len(_seen(records, added)), code
    pay = res.facets.payment
    assert pay["accepts_insurance"] == len(_seen(records, dataclasses.replace(c, accepts_insurance=True)))
    assert pay["va_community_care"] == len(_seen(records, dataclasses.replace(c, va_community_care=True)))
    assert pay["self_pay_price_usd"] == len(_seen(records, c))
    with_studies = _seen(records, dataclasses.replace(c, include_studies=True))
    kinds = {r["id"]: r["listing_kind"] for r in records}
    assert res.facets.listing_kinds["research_study"] == sum(kinds[i] == "research_study" for i in with_studies)


def test_a_shared_link_gives_the_same_tiers(small):
    from dashboard.finder.share import criteria_to_params, params_to_criteria

    c = near(50, routes={"iv_ketamine"}, conditions={"ptsd"}, accepts_insurance=True)
    params = {k: v if isinstance(v, list) else [v] for k, v in criteria_to_params(c).items()}
    again = params_to_criteria(params)
    shared = search(small, dataclasses.replace(again, place=TUCSON))
    res = search(small, c)
    assert (ids(shared.results), ids(shared.to_ask)) == (ids(res.results), ids(res.to_ask))
    assert ids(res.to_ask)  # the link carries a search that has listings to ask
