"""Live calls to the real public services. Skipped unless pytest runs with ``--live`` (CI never does);
the pytest header says whether they ran. They check that the documented response shapes still hold."""

from __future__ import annotations

import pytest

from dashboard.ingest import http
from dashboard.ingest.base import RawPages
from dashboard.ingest.clinicaltrials import ENDPOINT as CT_ENDPOINT
from dashboard.ingest.clinicaltrials import ClinicalTrials
from dashboard.ingest.findtreatment import ENDPOINT as FT_ENDPOINT
from dashboard.ingest.findtreatment import FindTreatment

pytestmark = pytest.mark.live


def first_page(url: str) -> RawPages:
    """Only the first page: enough to see the shape, gentle on the service."""
    return RawPages(url, url, http.fetch_pages(url, lambda u, p: None, timeout=30))


def test_clinicaltrials_live_first_page_parses():
    raw = first_page(f"{CT_ENDPOINT}?query.intr=ketamine&filter.overallStatus=RECRUITING&pageSize=5")
    assert isinstance(raw.pages[0].get("studies"), list)
    result = ClinicalTrials().parse(raw, retrieved="2026-01-01")
    assert all(r["listing_kind"] == "research_study" for r in result.records)


def test_findtreatment_live_first_page_parses():
    # Facilities the locator itself selects for Ketamine Infusion Therapy (sCodes=KIT) within 50 miles of
    # Tucson: each row must carry the label the adapter reads, so none may be left out.
    url = (
        f"{FT_ENDPOINT}?sAddr=32.2226,-110.9747&limitType=2&limitValue=80467&sType=mh&sCodes=KIT"
        "&pageSize=10&page=1&sort=0"
    )
    raw = first_page(url)
    assert isinstance(raw.pages[0].get("rows"), list)
    result = FindTreatment().parse(raw, retrieved="2026-01-01")
    assert all(r["routes"] == ("iv_ketamine",) for r in result.records)
    assert not result.excluded, result.excluded[:3]
