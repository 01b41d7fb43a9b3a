"""What only a real browser shows for the intake: the item-9 crisis panel appears at once, the PDF
downloads, a bad draft keeps the answers, and a full intake leaves no answer on the server's disk or logs."""

from __future__ import annotations

import io
import time
import uuid
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect

from dashboard.content import safety
from tests.browser.streamlit_waits import rerun, settled
from tests.helpers import files_holding
from tests.paths import FIXTURES

pytestmark = pytest.mark.browser

FIXTURE = FIXTURES / "intake" / "full_draft.json"
ITEM9 = "better off dead"


def open_intake(page, app_url: str) -> None:
    page.goto(f"{app_url}/intake")
    settled(page)
    expect(page.get_by_role("heading", name="Pre-visit questionnaire")).to_be_visible()
    expect(page.get_by_text("Section 1 of 7")).to_be_visible()


def click_button(page, name: str) -> None:
    """Click a button on the settled page and wait for the rerun it starts (Back/Next/Save sit at the top and
    the bottom of a section: the first is the top one)."""
    with rerun(page):
        page.get_by_role("button", name=name, exact=True).first.click()


def go_to(page, n: int) -> None:
    for _ in range(7):
        if page.get_by_text(f"Section {n} of 7").is_visible():  # the page is settled: no stale section
            return
        click_button(page, "Next")
    raise AssertionError(f"Section {n} of 7 never came")


def fill(page, label: str, value: str) -> None:
    box = page.get_by_label(label, exact=True)
    with rerun(page):
        box.fill(value)
        box.press("Tab")  # commit on blur


def radio(page, question: str, option: str) -> None:
    """Choose an option; the choice alone starts a rerun (no submit button anywhere)."""
    group = page.locator('[data-testid="stRadio"]').filter(has_text=question)
    with rerun(page):
        group.get_by_text(option, exact=True).click()


def upload_draft(page, name: str, data: bytes) -> None:
    page.get_by_text("Resume a saved draft, or start over").click()  # an expander: opens in the browser, no rerun
    with rerun(page):
        page.locator('input[type="file"]').set_input_files(
            {"name": name, "mimeType": "application/json", "buffer": data}
        )


def test_item9_crisis_panel_appears_immediately(page, app_url):
    open_intake(page, app_url)
    go_to(page, 4)  # no condition chosen: every questionnaire is shown
    expect(page.get_by_text(ITEM9)).to_be_visible()
    headline = page.get_by_text(safety.CRISIS_HEADLINE)
    expect(headline).to_have_count(0)
    radio(page, ITEM9, "Several days")  # the choice's own rerun shows it: no submit button anywhere
    expect(headline).to_be_visible()
    panel = page.locator('[data-testid="stAlert"]').filter(has_text=safety.CRISIS_HEADLINE)
    expect(panel).to_contain_text("988")
    expect(panel).to_contain_text("838255")
    expect(panel).to_contain_text("911")
    radio(page, ITEM9, "Not at all")
    expect(headline).to_have_count(0)


def test_pdf_downloads_from_summary(page, app_url):
    open_intake(page, app_url)
    upload_draft(page, "draft.json", FIXTURE.read_bytes())
    expect(page.get_by_text("Draft loaded")).to_be_visible()
    click_button(page, "Go to summary")
    button = page.get_by_role("button", name="Download PDF summary")
    expect(button).to_be_visible()
    with page.expect_download() as info:
        button.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Nguyễn Thị Ánh Łucja Müller-Peña" in text
    assert "Clínica Señora Ketamine Care" in text and "14 / 27" in text and "moderate" in text


def test_bad_draft_keeps_answers(page, app_url):
    open_intake(page, app_url)
    fill(page, "Patient's name", "Keep This Name")
    upload_draft(page, "bad.json", b'{"schema_version": 1, "about": ' + b"[" * 5000)
    expect(page.get_by_text("Your current answers were kept")).to_be_visible()
    expect(page.get_by_label("Patient's name", exact=True)).to_have_value("Keep This Name")


def test_full_intake_leaves_no_answer_on_server(page, app_url, server_log):
    marker = f"MARK{uuid.uuid4().hex[:12]}"
    start = time.time() - 1
    open_intake(page, app_url)
    fill(page, "Patient's name", f"{marker}name")
    fill(page, "Preferred language", f"{marker}lang")
    click_button(page, "Next")
    fill(page, "In your own words", f"{marker}words")
    click_button(page, "Next")
    fill(page, "Psychotherapy (what kind, how long)", f"{marker}therapy")
    click_button(page, "Next")
    radio(page, ITEM9, "Several days")
    click_button(page, "Next")
    fill(page, "Allergies (medicines, foods, latex…) and what happened", f"{marker}allergy")
    click_button(page, "Next")
    fill(page, "Insurance plan (if any)", f"{marker}insurer")
    click_button(page, "Next")
    expect(page.get_by_role("button", name="Download PDF summary")).to_be_visible()
    page.get_by_text("Preview the print view").click()  # an expander: no rerun
    # the answers reached the server (shown in the summary and again in the print view)
    expect(page.get_by_text(f"{marker}allergy").first).to_be_visible()
    assert files_holding(marker, start) == []
    assert marker not in server_log()
