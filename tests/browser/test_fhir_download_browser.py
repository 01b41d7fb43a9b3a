"""In a real browser, the summary section's two FHIR downloads give the validated Bundle for the loaded draft
and the published Questionnaire, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.intake import fhir
from dashboard.intake import questionnaire as q
from tests.browser.streamlit_waits import rerun, settled
from tests.intake import fhir_schema
from tests.paths import FIXTURES

pytestmark = pytest.mark.browser

DRAFT = FIXTURES / "intake" / "caregiver_draft.json"


def download(page, name: str) -> bytes:
    button = page.get_by_role("button", name=name)
    expect(button).to_be_visible()
    with page.expect_download() as info:
        button.click()
    return Path(info.value.path()).read_bytes()


def test_summary_offers_the_bundle_and_the_questionnaire(page, app_url):
    page.goto(f"{app_url}/intake")
    settled(page)
    page.get_by_text("Resume a saved draft, or start over").click()
    with rerun(page):
        page.locator('input[type="file"]').set_input_files(
            {"name": "d.json", "mimeType": "application/json", "buffer": DRAFT.read_bytes()}
        )
    with rerun(page):
        page.get_by_role("button", name="Go to summary", exact=True).first.click()
    bundle = json.loads(download(page, "Download FHIR export (Bundle)"))
    fhir.validate(bundle)
    assert fhir_schema.errors(bundle) == []
    [response] = fhir.resources(bundle, "QuestionnaireResponse")
    assert response["questionnaire"] == q.REFERENCE
    assert [p["name"][0]["text"] for p in fhir.resources(bundle, "RelatedPerson")] == ["Daniel Haddad"]
    assert download(page, "Download FHIR Questionnaire") == q.published_bytes()
    assert page.outside_requests == []
