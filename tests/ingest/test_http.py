"""The one fetch function: live URLs (through a fake HTTP layer), saved files, paging and clear errors."""

from __future__ import annotations

import json

import pytest
import requests

from dashboard.ingest import http
from dashboard.ingest.clinicaltrials import ClinicalTrials
from dashboard.ingest.findtreatment import FindTreatment
from dashboard.ingest.http import FetchError, Response
from tests.ingest.support import (
    FIXTURES,
    FakeHttp,
    findtreatment_pages,
    json_response,
    params,
    serve_saved_pages,
    timeout_error,
)

FT_URL = "https://findtreatment.gov/locator/exportsAsJson/v2?sType=mh&limitType=0&limitValue=5&pageSize=2"
CT_URL = "https://clinicaltrials.gov/api/v2/studies?query.intr=ketamine&filter.overallStatus=RECRUITING"


def no_sleep(seconds: float) -> None:
    pass


def test_429_is_retried_after_the_wait_the_server_asks_for():
    answers = [Response(429, "slow down", {"Retry-After": "7"}), json_response({"ok": 1})]
    waits: list[float] = []
    fake = FakeHttp(lambda url: answers.pop(0))
    assert http.get_text("https://x.example/a", client=fake, sleep=waits.append) == '{"ok": 1}'
    assert waits == [7.0]


def test_429_that_persists_is_a_plain_error():
    fake = FakeHttp(lambda url: Response(429, "", {"Retry-After": "3"}))
    with pytest.raises(FetchError, match=r"HTTP 429 Too Many Requests.*wait 3 s"):
        http.get_text("https://x.example/a", client=fake, sleep=no_sleep)
    assert len(fake.urls) == 3  # first try + two retries, then it gives up


@pytest.mark.parametrize(("status", "message"), [(500, "HTTP 500: the server"), (502, "HTTP 502"), (404, "HTTP 404")])
def test_server_errors_are_named(status, message):
    with pytest.raises(FetchError, match=message):
        http.get_text("https://x.example/a", client=FakeHttp(lambda url: Response(status, "", {})), sleep=no_sleep)


def test_timeout_from_requests_becomes_a_plain_error(monkeypatch):
    client = http.RequestsClient()

    def boom(*args, **kwargs):
        raise requests.Timeout("read timed out")

    monkeypatch.setattr(client.session, "get", boom)
    with pytest.raises(FetchError, match="timed out after 5 s"):
        client.get("https://x.example/a", timeout=5)


def test_connection_error_becomes_a_plain_error(monkeypatch):
    client = http.RequestsClient()

    def boom(*args, **kwargs):
        raise requests.ConnectionError("no route")

    monkeypatch.setattr(client.session, "get", boom)
    with pytest.raises(FetchError, match="could not reach"):
        client.get("https://x.example/a", timeout=5)


def test_html_instead_of_json_is_named():
    html = (FIXTURES / "error_page.html").read_text()
    with pytest.raises(FetchError, match="HTML page instead of JSON"):
        http.fetch_pages(FT_URL, lambda u, p: None, client=FakeHttp(lambda url: Response(200, html, {})))
    with pytest.raises(FetchError, match="HTML page instead of JSON"):
        http.fetch_pages(str(FIXTURES / "error_page.html"), lambda u, p: None)


def test_broken_json_and_missing_files_are_named(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"rows": [')
    with pytest.raises(FetchError, match="not return valid JSON"):
        http.fetch_pages(str(bad), lambda u, p: None)
    with pytest.raises(FetchError, match="no such file"):
        http.fetch_pages(str(tmp_path / "missing.json"), lambda u, p: None)


def test_local_file_is_one_page_or_a_list_of_pages(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"rows": []}))
    assert http.fetch_pages(str(one), lambda u, p: None) == [{"rows": []}]
    many = tmp_path / "many.json"
    many.write_text(json.dumps(findtreatment_pages()))
    assert len(http.fetch_pages(str(many), lambda u, p: None)) == 3


def test_findtreatment_pages_through_page_and_total_pages():
    pages = findtreatment_pages()
    fake = serve_saved_pages(pages, "page")
    raw = FindTreatment().fetch(FT_URL, client=fake, sleep=no_sleep)
    assert [params(u)["page"] for u in fake.urls] == ["1", "2", "3"]
    assert raw.pages == pages
    assert "page=" not in raw.source_url and raw.source_url.startswith("https://findtreatment.gov/")


def test_clinicaltrials_pages_through_next_page_token():
    pages = json.loads((FIXTURES / "clinicaltrials_pages.json").read_text())
    fake = serve_saved_pages(pages, "token")
    raw = ClinicalTrials().fetch(CT_URL, client=fake, sleep=no_sleep)
    assert len(fake.urls) == 2
    assert params(fake.urls[1])["pageToken"] == "NF0g5JKGlw"
    assert raw.pages == pages


def test_a_failure_on_a_later_page_fails_the_whole_fetch():
    pages = findtreatment_pages()

    def answer(url):
        return json_response(pages[0]) if params(url).get("page") == "1" else timeout_error(url)

    with pytest.raises(FetchError, match="timed out"):
        FindTreatment().fetch(FT_URL, client=FakeHttp(answer), sleep=no_sleep)


def test_paging_stops_at_max_pages():
    endless = FakeHttp(lambda url: json_response({"studies": [], "nextPageToken": "again"}))
    with pytest.raises(FetchError, match="stopped after 3 pages"):
        ClinicalTrials().fetch(CT_URL, client=endless, max_pages=3, sleep=no_sleep)


@pytest.mark.parametrize(
    ("adapter", "key", "url"),
    [(FindTreatment(), "page", FT_URL), (ClinicalTrials(), "token", CT_URL)],
)
def test_saved_file_parses_exactly_like_the_live_url(adapter, key, url, tmp_path):
    saved_ct = FIXTURES / "clinicaltrials_pages.json"
    pages = findtreatment_pages() if key == "page" else json.loads(saved_ct.read_text())
    saved_file = tmp_path / "saved.json"
    saved_file.write_text(json.dumps(pages))
    live = adapter.fetch(url, client=serve_saved_pages(pages, key), sleep=no_sleep)
    saved = adapter.fetch(str(saved_file), source_url=live.source_url)
    a, b = adapter.parse(live, retrieved="2026-01-02"), adapter.parse(saved, retrieved="2026-01-02")
    assert a.records == b.records
    assert a.rejected == b.rejected and a.excluded == b.excluded
