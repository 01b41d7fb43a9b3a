"""AppTest: the finder page shows the tiers: its headline counts each, each tier has its heading, cards to
ask say what they do not state, the filter button counts the cards that follow, and option counts say
what ticking them would show."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import vocab
from tests.bounds import APPTEST_TIMEOUT_S
from tests.paths import ROOT

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")

TUCSON = {"near": "85719", "radius": "100", "route": "iv_ketamine", "condition": "neuropathic_pain"}
NYC = {"near": "NYC", "radius": "50", "condition": "ptsd", "insurance": "1"}


def finder(query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=APPTEST_TIMEOUT_S)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def headline(at: AppTest) -> str:
    return next(h.value for h in at.header if " — " in h.value)


def cards(at: AppTest) -> list[str]:
    """The clinic cards (a VA facility's card, in its own section, has the VA badge)."""
    return [m.value for m in at.markdown if 'class="kcf-results' in m.value and "va-badge" not in m.value]


def count_in(label: str) -> int:
    return int(re.search(r"\((\d+)\)$", label).group(1))


@pytest.mark.parametrize("query", [TUCSON, NYC], ids=["tucson", "nyc"])
def test_the_tiers_in_order_with_their_headings(query):
    at = finder(query)
    assert not at.exception
    assert re.search(r" — 0 confirmed, [1-9]\d* to ask$", headline(at))
    subheads = [h.value for h in at.subheader]
    ask = next(i for i, h in enumerate(subheads) if h.startswith("May offer it — don't state "))
    beyond = subheads.index(f"Nearest matches beyond {query['radius']} miles")
    assert ask < beyond
    assert not any("may be incomplete" in i.value for i in at.info)  # a tier nearby is not empty


def test_tucson_cards_to_ask_name_what_they_do_not_state():
    at = finder(TUCSON)
    lighthouse = next(c for c in cards(at) if "Lighthouse Psychiatry" in c)
    assert "does not state: neuropathic (nerve) pain" in lighthouse


def test_nyc_cards_to_ask_do_not_state_insurance():
    at = finder(NYC)
    shown = cards(at)
    number = int(re.search(r"(\d+) to ask$", headline(at)).group(1))
    asked = [c for c in shown if "does not state: insurance" in c]
    assert len(asked) == number
    assert any("Principium Psychiatry (Manhattan)" in c for c in asked)


@pytest.mark.parametrize("query", [TUCSON, NYC], ids=["tucson", "nyc"])
def test_the_filter_button_counts_the_cards_that_follow(query):
    at = finder(query)
    drawn = len([b for b in at.button if b.key.startswith("show_") and not b.key.startswith("show_all")])
    assert drawn == len(cards(at)) > 0
    assert at.button(key="filters_done").label == f"Show {drawn} results"


@pytest.mark.parametrize(("query", "chosen"), [(TUCSON, "neuropathic_pain"), (NYC, "ptsd")], ids=["tucson", "nyc"])
def test_option_counts_never_all_read_0(query, chosen):
    at = finder(query)
    number = int(re.search(r"(\d+) to ask$", headline(at)).group(1))
    conditions = {t.code: count_in(at.checkbox(key=f"condition_{t.code}").label) for t in vocab.CONDITIONS}
    assert conditions[chosen] == number > 0  # chosen: what is shown
    assert all(n >= number for n in conditions.values())  # adding a condition never shows fewer


def test_option_counts_say_what_ticking_them_would_show():
    at = finder(NYC)
    number = int(re.search(r"(\d+) to ask$", headline(at)).group(1))
    conditions = {t.code: count_in(at.checkbox(key=f"condition_{t.code}").label) for t in vocab.CONDITIONS}
    assert all(n >= number for n in conditions.values())  # adding a condition never shows fewer
    assert max(conditions.values()) > number
    # Picking the option the count promised shows that many results.
    code = max(conditions, key=conditions.get)
    at.checkbox(key=f"condition_{code}").check().run()
    confirmed, asked = map(int, re.search(r"— (\d+) confirmed, (\d+) to ask$", headline(at)).groups())
    assert confirmed + asked == conditions[code]


def test_each_tier_pages_on_its_own():
    at = finder({"near": "Kansas City, MO", "radius": "any", "route": "iv_ketamine"})
    confirmed, asked = map(int, re.search(r"— (\d+) confirmed, (\d+) to ask$", headline(at)).groups())
    assert confirmed > 25 and asked > 25  # both tiers need a second page (checked, not assumed)
    assert len(cards(at)) == 25 + 25
    at.button(key="show_all_matches_button").click().run()
    assert len(cards(at)) == confirmed + 25
    assert at.button(key="show_all_to_ask_button").label == f"Show all {asked} listings that may offer it"
    at.button(key="show_all_to_ask_button").click().run()
    assert len(cards(at)) == confirmed + asked
    assert at.button(key="filters_done").label == f"Show {confirmed + asked} results"
