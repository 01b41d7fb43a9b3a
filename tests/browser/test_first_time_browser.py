"""What a first-time user does in a real browser: typing a word into a multi-select and pressing Enter picks
the one highlighted option (never "Select N matches"), on the questionnaire and on the submission form; a
draft uploaded in a fresh tab opens where the person left off."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from dashboard.intake import draft
from tests.browser.streamlit_waits import rerun, settled
from tests.browser.test_intake_flow_browser import (
    FULL,
    go_to,
    heading_in_view_and_focused,
    open_intake,
    press,
    save_draft,
)
from tests.helpers import INTAKE_SECTIONS as SECTIONS

pytestmark = pytest.mark.browser


def type_and_enter(page, label: str, typed: str, *, in_form: bool = False) -> None:
    """Type into a multi-select and press Enter (outside a form that reruns the page; inside, it does not)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.press_sequentially(typed)
    if in_form:
        box.press("Enter")
    else:
        with rerun(page):
            box.press("Enter")
    page.keyboard.press("Escape")  # close the list so it covers nothing


def test_typing_depression_and_enter_picks_one_condition_and_the_summary_lists_exactly_it(page, app_url):
    open_intake(page, app_url)
    go_to(page, "Reason for the visit")
    type_and_enter(page, "What would you like help with?", "depression")
    for later in SECTIONS[2:]:
        press(page, "top", "Next", later)
    saved = draft.parse(save_draft(page))
    assert saved.reason.conditions == ["depression"]
    summary = page.locator("body")
    expect(summary).to_contain_text("Depression")
    for other in ("Bipolar depression", "Postpartum depression", "Treatment-resistant depression"):
        expect(summary).not_to_contain_text(other)


def test_the_submission_form_multiselect_picks_one_condition_on_enter(page, app_url):
    page.goto(f"{app_url}/submit")
    settled(page)
    type_and_enter(page, "Conditions treated", "depression", in_form=True)
    form = page.locator(".stMultiSelect").filter(has_text="Conditions treated")
    expect(form.get_by_text("Depression", exact=True)).to_have_count(1)
    expect(form.get_by_text("Bipolar depression", exact=True)).to_have_count(0)
    expect(form.get_by_text("Postpartum depression", exact=True)).to_have_count(0)


def test_a_draft_uploaded_in_a_fresh_tab_opens_where_the_person_left_off(page, app_url):
    """A draft answered up to Treatment history opens there, heading in view, as the message says."""
    doc = json.loads(FULL.read_text(encoding="utf-8"))
    stopped = {k: doc[k] for k in ("schema_version", "about", "reason", "history")}
    open_intake(page, app_url)  # a fresh tab: a new session, nothing in the tab's storage
    page.get_by_text("Resume a saved draft, or start over").click()
    with rerun(page):
        page.locator('input[type="file"]').set_input_files(
            {"name": "d.json", "mimeType": "application/json", "buffer": json.dumps(stopped).encode()}
        )
    expect(page.get_by_text("Draft loaded. It opens at section 3")).to_be_visible()
    expect(page.get_by_text("Section 3 of 7: Treatment history")).to_be_visible()
    heading_in_view_and_focused(page, "Treatment history")
    assert draft.parse(save_draft(page)) == draft.parse(json.dumps(stopped).encode())
