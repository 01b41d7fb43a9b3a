"""A loaded draft survives a browser that draws its widgets late.

Streamlit loads a widget's code lazily, the first time a page draws that kind of widget. A slow browser (a
busy machine, an old phone) may therefore draw a widget for the first time from a later rerun's message,
not from the one that filled it in from the answers. It then shows the widget's declared default and sends
that back with the next rerun as if the patient had chosen it, and the questionnaire wrote it into the
answers: a draft's preferred routes and payment became "none", its notes empty. Holding back the widgets'
code until a rerun has happened makes every run of these tests that slow browser; the answers a later
"Save draft" downloads must be the draft's, unchanged. (tests/web/test_intake_reruns.py checks the cause, the
declared defaults, in every section.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboard.intake import draft
from tests.browser.streamlit_waits import rerun, served, settled
from tests.paths import FIXTURES

pytestmark = pytest.mark.browser

FULL = FIXTURES / "intake" / "full_draft.json"


def widget_code(names: str) -> re.Pattern:
    """The code of these widgets, fetched the first time the page draws one (Streamlit loads them lazily)."""
    return re.compile(rf"/static/js/({names})\.[^/]*\.js$")


def the_draft() -> bytes:
    """The full test draft, with notes for the clinic as well (a text area on the logistics section).

    A draft opens at its last answered section, Logistics here."""
    doc = json.loads(FULL.read_text(encoding="utf-8"))
    doc["logistics"]["notes"] = "Please call after 5 pm; mornings are hard."
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def about_draft() -> bytes:
    """Only the About you answers of the full draft: a draft stopped there opens at About you."""
    doc = json.loads(FULL.read_text(encoding="utf-8"))
    return json.dumps({"schema_version": doc["schema_version"], "about": doc["about"]}, ensure_ascii=False).encode()


def top_button(page: Page, name: str):
    return page.locator(".st-key-intake-nav-top").get_by_role("button", name=name, exact=True)


def save_draft(page: Page) -> bytes:
    """Save draft, as the patient would; the file holds the answers of the run before the click."""
    with rerun(page), page.expect_download() as download:
        top_button(page, "Save draft").click()
    return Path(download.value.path()).read_bytes()


def routes(page: Page):
    return page.locator('[data-testid="stMultiSelect"]').filter(has_text="Preferred ways of receiving treatment")


def payment(page: Page):
    return page.locator('[data-testid="stMultiSelect"]').filter(has_text="How you plan to pay")


def about_is_the_drafts(page: Page) -> None:
    expect(page.get_by_role("textbox", name="Patient's name", exact=True)).to_have_value(
        "Nguyễn Thị Ánh Łucja Müller-Peña"
    )
    expect(page.get_by_role("textbox", name="Date of birth", exact=True)).to_have_value("1984-03-09")
    expect(page.get_by_role("radio", name="Female", exact=True)).to_be_checked()
    expect(page.get_by_role("textbox", name="Emergency contact phone", exact=True)).to_have_value("555-0100")
    expect(page.get_by_role("textbox", name="Referring clinician name", exact=True)).to_have_value("Dr. Zoë Kowalczyk")


def logistics_is_the_drafts(page: Page) -> None:
    expect(routes(page)).to_contain_text("IV ketamine infusion")
    expect(routes(page)).to_contain_text("Esketamine nasal spray")
    expect(payment(page)).to_contain_text("Insurance")
    expect(page.get_by_role("combobox", name="Clinic for this visit")).to_have_value(
        re.compile(r"^Clínica Señora Ketamine Care")
    )
    expect(page.get_by_role("textbox", name="Insurance plan (if any)", exact=True)).to_have_value("Aetna")
    expect(page.get_by_role("textbox", name="Anything else the clinic should know", exact=True)).to_have_value(
        "Please call after 5 pm; mornings are hard."
    )


def open_about_late(page: Page, app_url: str) -> None:
    """About you: its own widget kinds are late. The draft is loaded while they still wait for their code."""
    page.goto(f"{app_url}/intake")
    served(page)
    expect(page.locator('[data-testid="stSkeleton"]')).not_to_have_count(0)  # nothing to type into yet
    page.get_by_text("Resume a saved draft, or start over").click()  # an expander: no rerun
    with rerun(page, settle=False):
        page.locator('input[type="file"]').set_input_files(
            {"name": "draft.json", "mimeType": "application/json", "buffer": about_draft()}
        )
    expect(page.get_by_text("Draft loaded")).to_be_visible()


def open_logistics_late(page: Page, app_url: str) -> None:
    """Logistics: the draft is loaded on About you and opens at Logistics, whose widgets are first drawn then."""
    page.goto(f"{app_url}/intake")
    settled(page)  # About you has none of the late kinds
    page.get_by_text("Resume a saved draft, or start over").click()
    with rerun(page, settle=False):
        page.locator('input[type="file"]').set_input_files(
            {"name": "draft.json", "mimeType": "application/json", "buffer": the_draft()}
        )
    expect(page.get_by_text("Draft loaded")).to_be_visible()
    expect(page.get_by_text("Section 6 of 7: Logistics")).to_be_visible()
    expect(page.locator('[data-testid="stSkeleton"]')).not_to_have_count(0)


@pytest.mark.parametrize(
    ("late", "open_late", "shows_the_draft", "uploaded"),
    [
        pytest.param("TextInput|Radio|NumberInput", open_about_late, about_is_the_drafts, about_draft, id="about-you"),
        pytest.param(
            "Multiselect|Selectbox|TextArea", open_logistics_late, logistics_is_the_drafts, the_draft, id="logistics"
        ),
    ],
)
def test_a_loaded_draft_survives_a_browser_that_draws_its_widgets_late(
    page, app_url, server_log, late, open_late, shows_the_draft, uploaded
):
    held = []
    page.route(widget_code(late), lambda route: held.append(route))  # answered below, after a rerun
    open_late(page, app_url)
    # A rerun the late widgets do not see: they are still waiting for their code. (Save draft changes
    # nothing, and no widget of a late kind is drawn yet, so the file is the loaded draft.)
    with rerun(page, settle=False), page.expect_download():
        top_button(page, "Save draft").click()
    assert held, "the page asked for no widget code: the widgets were drawn before the test could hold it back"
    expect(page.locator('[data-testid="stSkeleton"]')).not_to_have_count(0)  # the late widgets, not drawn yet
    for route in held:
        route.continue_()
    settled(page)
    shows_the_draft(page)  # the widgets are drawn: they show the draft's answers
    save_draft(page)  # the next rerun carries what the widgets show back to the server
    saved = save_draft(page)  # ...and this file holds the answers after that rerun
    assert draft.parse(saved) == draft.parse(uploaded())
    shows_the_draft(page)
    # A widget seeded through st.session_state that also declares a default makes Streamlit warn, with a
    # stack trace, once per server; here both are on purpose (.streamlit/config.toml turns the warning off).
    assert "set via the Session State API" not in server_log()
