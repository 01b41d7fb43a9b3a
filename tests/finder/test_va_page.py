"""AppTest: the finder's "I am a veteran" choice opens the VA pathway (so does the VA community care filter),
which is otherwise folded but always there; VA facilities near the place get their own section; About shows
the pathway too."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import vocab
from dashboard.content import va as pathway
from tests.bounds import APPTEST_TIMEOUT_S
from tests.paths import ROOT

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def finder(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=APPTEST_TIMEOUT_S)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def pathway_panel(at: AppTest):
    (panel,) = [e for e in at.expander if e.label == pathway.TITLE]
    return panel


def va_cards(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if 'class="result va-facility"' in m.value]


def test_the_pathway_is_folded_but_there_and_opens_for_a_veteran():
    at = finder({"near": "Philadelphia, PA", "radius": "50"})
    assert not at.exception
    assert pathway_panel(at).proto.expanded is False
    at.checkbox(key="veteran").check().run()
    assert not at.exception
    panel = pathway_panel(at)
    assert panel.proto.expanded is True
    shown = " ".join(m.value for m in panel.markdown)
    assert "Community Care office" in shown and "988 and then press 1" in shown
    assert at.query_params["veteran"] in ("1", ["1"])  # the page address keeps the choice
    (link,) = [m.value for m in at.markdown if m.value.startswith("[Link to this search]")]
    assert "veteran=1" in link  # and so does the link a person copies or prints


def test_ticking_va_community_care_opens_the_pathway():
    at = finder({"near": "Salt Lake City, UT", "radius": "100"})
    at.checkbox(key="va").check().run()
    assert not at.exception
    assert pathway_panel(at).proto.expanded is True


def test_a_shared_veteran_link_opens_it():
    at = finder({"near": "Philadelphia, PA", "radius": "50", "veteran": "1"})
    assert at.checkbox(key="veteran").value is True
    assert pathway_panel(at).proto.expanded is True


def test_va_facilities_near_the_place_have_their_own_section_and_badge():
    at = finder({"near": "Philadelphia, PA", "radius": "50", "veteran": "1"})
    assert "VA facilities near you: 1 within 50 miles" in [s.value for s in at.subheader]
    (card,) = va_cards(at)
    assert "Philadelphia VA Medical Center" in card and vocab.VA_BADGE in card
    clinic_cards = [m.value for m in at.markdown if 'class="result"' in m.value]
    assert clinic_cards and all("Philadelphia VA Medical Center" not in c for c in clinic_cards)


def test_a_route_filter_narrows_the_va_section_too():
    at = finder({"near": "Philadelphia, PA", "radius": "50", "route": "iv_ketamine"})
    assert "VA facilities near you: none within 50 miles" in [s.value for s in at.subheader]
    assert va_cards(at) == []


def test_the_about_page_has_the_pathway():
    at = AppTest.from_file(str(ROOT / "dashboard" / "web" / "pages" / "about.py"), default_timeout=APPTEST_TIMEOUT_S)
    at.run()
    assert not at.exception
    assert pathway.TITLE in [h.value for h in at.header]
    text = " ".join(m.value for m in at.markdown)
    assert "VA Community Care" in text and "Eligibility for community care outside VA" in text


def test_the_coverage_page_counts_va_facilities_apart_from_clinics():
    at = AppTest.from_file(str(ROOT / "dashboard" / "web" / "pages" / "data.py"), default_timeout=APPTEST_TIMEOUT_S)
    at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Counted apart from the clinics:" in text and "VA facilities" in text
    assert "VA facilities" not in " ".join(str(t.value.columns.tolist()) for t in at.table)  # not a clinic column
