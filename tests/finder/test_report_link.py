"""Every result card and every listing in the printable list links to "Report a problem" for that listing."""

from __future__ import annotations

import re

import pytest

from dashboard.directory.clinics import load_clinics
from dashboard.finder import cards, html
from tests.apptest import new_app
from tests.paths import ROOT

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def test_report_urls_are_built_from_the_listing_id_only():
    assert cards.report_url("acme-clinic") == "report?listing=acme-clinic"
    assert (
        cards.report_url("a&b c", "https://kcf.example.org/app/")
        == "https://kcf.example.org/app/report?listing=a%26b+c"
    )


def test_the_printable_list_links_every_listing_to_the_report_page():
    df, _ = load_clinics(ROOT / "data" / "clinics.csv")
    rows = df.head(3)
    page = html.results_html(rows, "Three clinics", report_base_url="https://kcf.example.org/")
    links = re.findall(r'<a href="([^"]+)"[^>]*>Report a problem</a>', page)
    assert links == [f"https://kcf.example.org/report?listing={i}" for i in rows["id"]]
    assert "Report a problem" not in html.results_html(rows, "Three clinics")  # no address known: no link
    assert "Report a problem" not in html.results_html(rows, "x", report_base_url="javascript:alert(1)//")


def test_every_result_card_on_the_finder_links_to_its_report_page():
    at = new_app()
    at.query_params["near"] = "10017"
    at.query_params["radius"] = "5"
    at.run()
    assert not at.exception
    cards = [m.value for m in at.markdown if m.value.startswith('<ul class="kcf-results')]
    assert cards
    for card in cards:
        listing = re.search(r'<a href="report\?listing=([a-z0-9-]+)" target="_blank" rel="noopener">', card)
        assert listing, card
