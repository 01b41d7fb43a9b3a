"""How the questionnaire flows in a real browser: every Next opens the new section at its h2 heading (in view,
with keyboard focus) and axe-core finds no serious or critical violation on any section; "Add reading" clears
its fields; the date of birth is typed with no calendar left open; leaving with unsaved answers warns; every
field has its own accessible name; Save draft at the top downloads the answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.intake import draft
from dashboard.intake.answers import SCHEMA_VERSION
from tests.browser.axe import serious_violations, table
from tests.browser.streamlit_waits import rerun, settled
from tests.helpers import INTAKE_SECTIONS as SECTIONS
from tests.paths import FIXTURES

pytestmark = pytest.mark.browser

FULL = FIXTURES / "intake" / "full_draft.json"
CAREGIVER = FIXTURES / "intake" / "caregiver_draft.json"


def open_intake(page, app_url: str) -> None:
    page.goto(f"{app_url}/intake")
    settled(page)
    expect(page.get_by_role("heading", name="About you", level=2)).to_be_visible()


def load(page, path: Path, *, opens_at: str = "Logistics") -> None:
    """Upload a draft; it opens at the section it was last answered in (both fixtures: Logistics)."""
    page.get_by_text("Resume a saved draft, or start over").click()  # an expander: opens in the browser, no rerun
    with rerun(page):
        page.locator('input[type="file"]').set_input_files(str(path))
    expect(page.get_by_text("Draft loaded")).to_be_visible()
    expect(page.get_by_text(f"Section {SECTIONS.index(opens_at) + 1} of 7: {opens_at}")).to_be_visible()


def back_to_start(page, title: str) -> None:
    """From section ``title`` back to the first one with the top Back button."""
    for earlier in reversed(SECTIONS[: SECTIONS.index(title)]):
        press(page, "top", "Back", earlier)


def top_button(page, name: str):
    return page.locator(".st-key-intake-nav-top").get_by_role("button", name=name, exact=True)


def save_draft(page) -> bytes:
    """Save draft at the top: the download, and the rerun its click starts (it marks the answers saved)."""
    with rerun(page), page.expect_download() as download:
        top_button(page, "Save draft").click()
    return Path(download.value.path()).read_bytes()


def commit(page, box, value: str) -> None:
    """Type into a text box and leave it (Tab): that is when Streamlit sends the value, in a rerun."""
    with rerun(page):
        box.fill(value)
        box.press("Tab")


def section_heading(page, title: str):
    return page.get_by_role("heading", name=title, level=2, exact=True)


def heading_in_view_and_focused(page, title: str) -> None:
    heading = section_heading(page, title)
    expect(heading).to_be_in_viewport()
    try:
        expect(heading).to_be_focused()
    except AssertionError as err:  # say where the focus went instead
        focused = page.evaluate("(() => { const e = document.activeElement; return e && e.outerHTML.slice(0, 99); })()")
        raise AssertionError(f"{title}: focus is on {focused}") from err


def press(page, bar: str, name: str, title: str) -> None:
    """Press Back or Next in the top or bottom bar and wait for the section ``title`` to be drawn."""
    button = page.locator(f".st-key-intake-nav-{bar}").get_by_role("button", name=name, exact=True)
    with rerun(page):
        button.click()
    expect(page.get_by_text(f"Section {SECTIONS.index(title) + 1} of 7: {title}")).to_be_visible()


def go_to(page, title: str) -> None:
    for later in SECTIONS[1 : SECTIONS.index(title) + 1]:
        press(page, "top", "Next", later)


def test_every_next_opens_the_new_section_at_its_heading_and_axe_finds_nothing_serious(page, app_url):
    open_intake(page, app_url)
    load(page, FULL)  # crisis panel, every questionnaire, rows of medicines and trials: the busiest page
    back_to_start(page, "Logistics")
    report = []
    for index, title in enumerate(SECTIONS):
        if index:
            press(page, "bottom", "Next", title)  # read to the end of the section, then Next
            heading_in_view_and_focused(page, title)
        violations = serious_violations(page)
        report.append(f"{title}: {table(violations)}")
        assert violations == [], f"{title}\n{table(violations)}"
    print("\n".join(report))


def test_an_empty_form_passes_axe_on_every_section_using_the_top_buttons(page, app_url):
    open_intake(page, app_url)
    for index, title in enumerate(SECTIONS):
        if index:
            press(page, "top", "Next", title)
            heading_in_view_and_focused(page, title)
        violations = serious_violations(page)
        assert violations == [], f"{title}\n{table(violations)}"
    press(page, "top", "Back", "Logistics")
    heading_in_view_and_focused(page, "Logistics")


def test_add_reading_clears_its_fields_so_a_second_click_adds_nothing(page, app_url):
    open_intake(page, app_url)
    go_to(page, "Health and safety")
    top = page.get_by_label("Top number (systolic)", exact=True)
    bottom = page.get_by_label("Bottom number (diastolic)", exact=True)
    top.fill("150")  # fields of a form: sent with the form, no rerun of their own
    bottom.fill("95")
    page.get_by_label("When was it taken (e.g. last week)", exact=True).fill("today")
    with rerun(page):
        page.get_by_role("button", name="Add reading", exact=True).click()
    expect(page.get_by_text("150/95 mmHg — today")).to_be_visible()
    expect(top).to_have_value("")
    expect(bottom).to_have_value("")
    with rerun(page):
        page.get_by_role("button", name="Add reading", exact=True).click()
    expect(page.get_by_text("Enter both numbers of the blood-pressure reading.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove reading 1 (150/95)", exact=True)).to_have_count(1)
    expect(page.get_by_role("button", name="Remove reading 2", exact=False)).to_have_count(0)


def test_date_of_birth_is_typed_and_no_calendar_covers_the_next_question(page, app_url):
    open_intake(page, app_url)
    box = page.get_by_role("textbox", name="Date of birth", exact=True)
    box.click()
    commit(page, box, "03/09/1984")
    expect(page.get_by_role("grid")).to_have_count(0)  # no calendar popup, open or closed
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_label("Age, if you prefer not to give the date of birth", exact=True)).to_be_visible()
    commit(page, box, "31/31/1984")
    expect(page.get_by_text("That date of birth could not be read.")).to_be_visible()
    expect(box).to_have_value("31/31/1984")  # what was typed stays, to be corrected


LEAVING_BLOCKED = """() => {
  const e = new Event("beforeunload", {cancelable: true});
  window.dispatchEvent(e);
  return e.defaultPrevented;
}"""


def test_leaving_with_unsaved_answers_asks_first_and_saving_stops_the_question(context, app_url):
    page = context.new_page()  # closed by the test itself (tracked by the context: streamlit_waits)
    open_intake(page, app_url)
    assert page.evaluate(LEAVING_BLOCKED) is False  # nothing typed yet: nothing to lose
    name = page.get_by_role("textbox", name="Patient's name", exact=True)
    commit(page, name, "Ana Unsaved")
    page.wait_for_function("window.__intakeDirty === true")  # set by the page script of that rerun
    with page.expect_event("dialog") as info:
        page.close(run_before_unload=True)  # as closing the tab or reloading would
    dialog = info.value
    assert dialog.type == "beforeunload"
    dialog.dismiss()  # stay on the page: the answers are still there
    expect(name).to_have_value("Ana Unsaved")

    saved = draft.parse(save_draft(page))
    assert saved.about.name == "Ana Unsaved"
    page.wait_for_function("window.__intakeDirty === false")
    assert page.evaluate(LEAVING_BLOCKED) is False
    commit(page, name, "Ana Changed Again")
    page.wait_for_function("window.__intakeDirty === true")
    assert page.evaluate(LEAVING_BLOCKED) is True
    page.close()


def test_fields_have_their_own_accessible_names(page, app_url):
    open_intake(page, app_url)
    load(page, CAREGIVER)
    back_to_start(page, "Logistics")
    for name in ("Emergency contact phone", "Driver phone", "Referring clinician phone", "Patient's name"):
        expect(page.get_by_role("textbox", name=name, exact=True)).to_have_count(1)
    expect(page.get_by_role("textbox", name="Name", exact=True)).to_have_count(0)
    expect(page.get_by_role("textbox", name="Phone", exact=True)).to_have_count(0)
    go_to(page, "Health and safety")
    expect(page.get_by_role("button", name="Remove oxycodone", exact=True)).to_have_count(1)
    expect(page.get_by_role("button", name="Remove", exact=True)).to_have_count(0)
    expect(page.get_by_role("textbox", name="Medicine 1 dose", exact=True)).to_have_value("5 mg")
    expect(page.get_by_role("spinbutton", name="Weight (pounds)", exact=True)).to_have_value("150.00")


def test_save_draft_at_the_top_downloads_the_answers(page, app_url):
    open_intake(page, app_url)
    load(page, CAREGIVER)
    expect(top_button(page, "Save draft")).to_be_in_viewport()
    data = save_draft(page)
    assert draft.parse(data) == draft.parse(CAREGIVER.read_bytes())
    assert json.loads(data)["schema_version"] == SCHEMA_VERSION
