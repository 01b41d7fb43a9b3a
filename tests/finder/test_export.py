"""Export: result card fields, formula-safe CSV, escaped printable HTML."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from dashboard.content import safety
from dashboard.directory.clinics import parse_clinics
from dashboard.finder.cards import (
    NOT_LISTED_ADDRESS,
    NOT_LISTED_ADDRESS_NOTHING,
    directions_url,
    result_card_fields,
    tel_href,
)
from dashboard.finder.criteria import Criteria
from dashboard.finder.downloads import CSV_COLUMNS, results_csv
from dashboard.finder.html import results_html
from dashboard.finder.search import search
from dashboard.places.gazetteer import resolve_offline
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "clinics_small.csv"
TUCSON = resolve_offline("85719")
EVIL_NAME = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def result():
    df, report = parse_clinics(FIXTURE.read_text(encoding="utf-8"))
    assert report.ok
    return search(df, Criteria("85719", TUCSON, None))


def row_of(result, ident: str) -> pd.Series:
    res = result.results
    return res[res["id"] == ident].iloc[0]


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_bom_header_and_every_result(result):
    data = results_csv(result.results, TUCSON)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(data)
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 1 + result.count
    assert not results_csv(result.results, bom=False).startswith(b"\xef\xbb\xbf")


def test_csv_neutralises_formula_payloads_in_every_cell(result):
    rows = _csv_rows(results_csv(result.results, TUCSON))
    evil = next(r for r in rows if "HYPERLINK" in r[0])
    assert evil[0] == '\'=HYPERLINK("http://evil.example","<img src=x onerror=alert(1)>")'
    assert evil[CSV_COLUMNS.index("address")] == "'@SUM(1+1)"
    assert evil[CSV_COLUMNS.index("phone")] == "'+1 928 555 0110"
    assert evil[CSV_COLUMNS.index("price note")] == "'-2 discount for veterans"
    for row in rows:
        for cell in row:
            assert not cell or (cell[0] not in "=+-@\t\r" and cell.lstrip()[:1] not in ("=", "+", "-", "@"))


def test_csv_neutralises_tab_and_cr_payloads():
    rows = [
        {"name": "\t=cmd", "street": "\r=2+2", "city": "X", "state": "AZ", "routes": (), "conditions": ()},
        {"name": "ok", "street": "", "city": "-", "state": "AZ", "routes": (), "conditions": ()},
    ]
    parsed = _csv_rows(results_csv(rows))
    # Surrounding whitespace is trimmed from dataset text, then the formula is neutralised.
    assert parsed[1][0] in ("'\t=cmd", "'=cmd")
    assert parsed[1][3] in ("'\r=2+2", "'=2+2")
    assert parsed[2][3] == NOT_LISTED_ADDRESS_NOTHING  # no phone and no website: nothing to call or visit
    assert parsed[2][4] == "'-"


def test_csv_facts_for_a_person(result):
    rows = _csv_rows(results_csv(result.results, TUCSON))
    by_name = {r[0]: dict(zip(CSV_COLUMNS, r, strict=True)) for r in rows[1:]}
    iv = by_name["Tucson IV Ketamine Clinic"]
    assert iv["routes"] == "IV ketamine infusion"
    assert iv["conditions"] == "Neuropathic (nerve) pain; Depression"
    assert (iv["accepts insurance"], iv["VA community care"], iv["self-pay price (USD)"]) == ("yes", "yes", "450")
    assert iv["location precision"] == "street address"
    assert iv["address"] == "100 N Main Ave"
    assert iv["directions"].startswith("https://www.openstreetmap.org/directions?")
    spravato = by_name["Tucson Spravato Center"]
    assert spravato["address"] == NOT_LISTED_ADDRESS
    assert spravato["VA community care"] == "not listed"
    assert spravato["self-pay price (USD)"] == "not listed"
    assert spravato["location precision"] == "approximate location: ZIP code centre"
    study = by_name["Ketamine for CRPS trial (University site)"]
    assert (study["listing type"], study["study id"]) == ("Recruiting research study", "NCT01234567")
    assert float(iv["distance (miles, straight line)"]) < 5


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("(520) 555-0101", "tel:+15205550101"),
        ("520.555.0101", "tel:+15205550101"),
        ("+1 928 555 0110", "tel:+19285550110"),
        ("1-800-555-0199", "tel:+18005550199"),
        ("(212) 555-0109 x12", "tel:+12125550109"),
        ("988", "tel:988"),
        ("call us", None),
    ],
)
def test_tel_href(phone, href):
    assert tel_href(phone) == href


def test_card_fields(result):
    f = result_card_fields(row_of(result, "tucson-iv"), TUCSON)
    assert f["name"] == "Tucson IV Ketamine Clinic"
    assert f["address"] == "100 N Main Ave"
    assert f["address_listed"] is True
    assert f["locality"] == "Tucson, AZ 85701"
    assert f["precision_label"] == "street address"
    assert f["approximate"] is False
    assert f["routes"] == ["IV ketamine infusion"]
    assert f["conditions"] == ["Neuropathic (nerve) pain", "Depression"]
    assert f["phone_href"] == "tel:+15205550101"
    assert f["website"] == "https://tucson-iv.example.org"
    assert f["website_site"] == "tucson-iv.example.org"
    assert f["payment_lines"] == [
        "Insurance: accepted",
        "VA community care: yes",
        "Self-pay price: $450 (per infusion)",
    ]
    assert all(fact.stated for fact in f["payment_facts"])
    # one source page: the stated facts came from it
    assert {fact.source_url for fact in f["payment_facts"]} == {"https://tucson-iv.example.org/ketamine"}
    assert f["source_urls"] == ["https://tucson-iv.example.org/ketamine"]
    assert f["source_labels"] == ["tucson-iv.example.org"]
    assert f["source_date"] == "2026-10-01"
    assert f["distance_text"].endswith("miles")
    assert f["is_study"] is False


def test_card_fields_unknowns(result):
    f = result_card_fields(row_of(result, "tucson-no-route"))
    assert f["address"] == NOT_LISTED_ADDRESS
    assert f["address_listed"] is False
    assert f["precision_label"] == "approximate location: city centre"
    assert f["approximate"] is True
    assert f["routes"] == []
    assert f["payment_lines"] == [
        "Insurance: not stated — ask the clinic",
        "VA community care: not stated — ask the clinic",
        "Self-pay price: not stated — ask the clinic",
    ]
    assert not any(fact.stated or fact.source_url for fact in f["payment_facts"])
    study = result_card_fields(row_of(result, "tucson-crps-study"))
    assert study["is_study"] is True
    assert study["kind_label"] == "Recruiting research study"


def test_directions_url():
    street_row = {
        "street": "100 N Main Ave",
        "city": "Tucson",
        "state": "AZ",
        "zip": "85701",
        "lat": 32.2,
        "lon": -110.9,
    }
    url = directions_url(street_row, TUCSON)
    parsed = urlparse(url)
    assert (parsed.scheme, parsed.netloc, parsed.path) == ("https", "www.openstreetmap.org", "/directions")
    q = parse_qs(parsed.query)
    assert q["route"] == [f"{TUCSON.lat:.5f},{TUCSON.lon:.5f};"]
    assert q["to"] == ["100 N Main Ave, Tucson, AZ 85701"]
    assert "%3B" in url
    no_street = directions_url({"street": "", "lat": 33.5207, "lon": -112.0828})
    assert parse_qs(urlparse(no_street).query)["route"] == [";33.52070,-112.08280"]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict]]:
    c = _Collector()
    c.feed(page)
    return c.tags


def test_html_escapes_dataset_strings(result):
    page = results_html(result.results, result.description, TUCSON, generated=dt.date(2026, 11, 25))
    assert EVIL_NAME not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    tags = _tags(page)
    assert not [t for t, _ in tags if t in ("img", "script", "iframe", "object")]
    assert not [a for _, a in tags if any(k.startswith("on") for k in a)]
    assert "Content-Security-Policy" in page


def test_html_links_are_only_http_or_tel():
    rows = [
        {
            "id": "x",
            "name": "Bad links",
            "street": "",
            "city": "Tucson",
            "state": "AZ",
            "lat": 32.2,
            "lon": -110.9,
            "location_precision": "city",
            "phone": "(520) 555-0101",
            "website": "javascript:alert(1)",
            "routes": (),
            "conditions": (),
            "source_urls": ("javascript:alert(2)", "https://ok.example.org/src", "data:text/html,hi"),
        }
    ]
    page = results_html(rows, "Test — 1 found")
    hrefs = [a["href"] for t, a in _tags(page) if t == "a"]
    assert hrefs
    for href in hrefs:
        assert re.match(r"^(https://|http://|tel:\+?\d+$)", href), href
    assert "javascript:" not in page
    assert "tel:+15205550101" in hrefs
    assert "https://ok.example.org/src" in hrefs
    assert result_card_fields(rows[0])["website"] is None


def test_html_has_description_date_notes_and_crisis_text(result):
    page = results_html(
        result.results,
        "IV infusion clinics <b>near</b> Tucson — 3 found",
        TUCSON,
        notes=["2 listings that otherwise match are not shown because they do not list a treatment route."],
        generated=dt.date(2026, 11, 25),
    )
    assert "<h1>IV infusion clinics &lt;b&gt;near&lt;/b&gt; Tucson — 3 found</h1>" in page
    assert "2026-11-25" in page
    assert "confirm by phone" in page
    assert "not medical advice" in page
    assert "988" in page
    assert html.escape(safety.CRISIS_LINES[0].name) in page
    assert "do not list a treatment route" in page
    assert "@media print" in page
    assert NOT_LISTED_ADDRESS in page
    assert "approximate location: city centre" in page
    assert "Recruiting research study NCT01234567" in page
    assert len(re.findall(r'<li class="result" data-id="[^"]+">', page)) == result.count


def test_html_empty():
    page = results_html(pd.DataFrame(), "Clinics within 5 miles of X — 0 found")
    assert "No listings match this search." in page


def test_precision_note_says_when_the_state_was_inferred_from_the_city(result):
    row = row_of(result, "tucson-no-route").copy()
    row["state_from_city"] = True
    f = result_card_fields(row)
    assert f["precision_label"] == "approximate location: city centre; state inferred from the city"
