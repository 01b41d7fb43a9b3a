"""The questionnaire page in AppTest: sections, persistence across Back/Next, the immediate crisis panel,
draft upload (good and bad), finder carry-over, no answer written to disk; navigation and Save draft at the
top, an h2 per section, unique field names, the blood-pressure form, typed dates, units as entered, and the
on-screen summary with every score."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.content import safety
from tests.apptest import INTAKE_PAGE, back, load_draft, new_app, next_, open_intake
from tests.helpers import INTAKE_SECTIONS, files_holding
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "intake" / "full_draft.json"
PAGE = INTAKE_PAGE

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def section(at: AppTest) -> int:
    return at.session_state["intake_section"] if "intake_section" in at.session_state else 0  # noqa: SIM401


def crisis_shown(at: AppTest) -> bool:
    return any(safety.CRISIS_HEADLINE in e.value for e in at.error)


def test_walk_every_section_with_progress():
    at = open_intake()
    seen = []
    for _ in range(len(INTAKE_SECTIONS)):
        seen.append(section(at))
        assert at.get("progress"), "progress indicator on every section"
        if section(at) < 6:
            next_(at)
    assert seen == list(range(len(INTAKE_SECTIONS)))
    assert at.button(key="intake_next").disabled
    assert any(b.label == "Download PDF summary" for b in at.get("download_button"))


def test_answers_persist_across_back_and_next():
    at = open_intake()
    at.text_input(key="ik:about.name").input("Łucja Nguyễn").run()
    at.text_input(key="ik:about.emergency_contact.phone").input("555-0100").run()
    next_(at)
    at.multiselect(key="ik:reason.conditions").set_value(["depression", "anxiety"]).run()
    at.text_area(key="ik:reason.own_words").input("tired of feeling tired").run()
    next_(at)
    next_(at)  # questionnaires
    at.radio(key="ik:instruments.gad7.0").set_value(2).run()
    for _ in range(3):
        back(at)
    assert section(at) == 0
    assert at.text_input(key="ik:about.name").value == "Łucja Nguyễn"
    assert at.text_input(key="ik:about.emergency_contact.phone").value == "555-0100"
    next_(at)
    assert at.multiselect(key="ik:reason.conditions").value == ["depression", "anxiety"]
    assert at.text_area(key="ik:reason.own_words").value == "tired of feeling tired"
    next_(at)
    next_(at)
    assert at.radio(key="ik:instruments.gad7.0").value == 2
    model = at.session_state["intake_answers"]
    assert model.about.name == "Łucja Nguyễn" and model.instruments.gad7[0] == 2


def test_questionnaires_follow_conditions():
    at = open_intake()
    next_(at)
    at.multiselect(key="ik:reason.conditions").set_value(["chronic_pain"]).run()
    next_(at)
    next_(at)
    keys = {r.key for r in at.radio}
    assert "ik:instruments.peg.0" in keys and "ik:instruments.nrs.0" in keys
    assert "ik:instruments.phq9.0" not in keys
    assert "ik:instruments.pcl5.0" not in keys


@pytest.mark.parametrize("answer", [1, 2, 3])
def test_item9_shows_crisis_panel_in_the_same_run(answer):
    at = open_intake()
    next_(at)
    at.multiselect(key="ik:reason.conditions").set_value(["depression"]).run()
    next_(at)
    next_(at)
    assert not crisis_shown(at)
    at.radio(key="ik:instruments.phq9.8").set_value(answer).run()  # one run, no submit
    assert crisis_shown(at)
    text = " ".join(e.value for e in at.error)
    assert "988" in text and "838255" in text and "911" in text
    assert "risk level" not in " ".join(m.value for m in at.markdown).lower()
    next_(at)  # still shown on the other sections
    assert crisis_shown(at)
    back(at)
    at.radio(key="ik:instruments.phq9.8").set_value(0).run()
    assert not crisis_shown(at)


def test_good_draft_upload_replaces_answers():
    at = open_intake()
    at.file_uploader(key="intake_upload").set_value(("d.json", FIXTURE.read_bytes(), "application/json")).run()
    assert not at.exception
    assert any("Draft loaded" in s.value for s in at.success)
    assert crisis_shown(at)  # the fixture answers item 9 with "Several days"
    assert at.session_state["intake_section"] == 5  # where the person left off: Logistics, its last answers
    assert any("opens at section 6" in s.value for s in at.success)
    at.session_state["intake_section"] = 0
    at.run()
    assert at.text_input(key="ik:about.name").value == "Nguyễn Thị Ánh Łucja Müller-Peña"


def test_a_message_stands_through_runs_nobody_asked_for_until_an_answer_changes():
    """Once, "Draft loaded" never appeared in a browser: The tab's copy of the answers replied while the
    upload's run was under way; Streamlit cut that run short for the reply's run, and the message, popped
    by the cut run, was gone. A run the person did not cause must not take their message away."""
    at = open_intake()
    at.file_uploader(key="intake_upload").set_value(("d.json", FIXTURE.read_bytes(), "application/json")).run()
    assert any("Draft loaded" in s.value for s in at.success)
    at.run()  # a run nobody asked for (the cut-short run left the state exactly like this)
    at.run()
    assert any("Draft loaded" in s.value for s in at.success)
    at.text_area(key="ik:logistics.notes").input("Something else").run()  # the person moves on
    assert not any("Draft loaded" in s.value for s in at.success)
    at.run()
    assert not any("Draft loaded" in s.value for s in at.success)


def test_a_message_goes_when_the_section_changes():
    at = open_intake()
    at.file_uploader(key="intake_upload").set_value(("d.json", FIXTURE.read_bytes(), "application/json")).run()
    next_(at)
    assert not any("Draft loaded" in s.value for s in at.success)
    back(at)
    assert not any("Draft loaded" in s.value for s in at.success)


@pytest.mark.parametrize(
    "content",
    [
        b"not json at all",
        b'{"schema_version": 7}',
        b'{"schema_version": 1, "instruments": {"phq9": [5,5,5,5,5,5,5,5,5]}}',
        b"[" * 200_000,
        b'{"schema_version": 1, "about": {"name": NaN}}',
        b"\x00\xff" * 1000,
    ],
)
def test_bad_draft_upload_keeps_answers(content):
    at = open_intake()
    at.text_input(key="ik:about.name").input("Keep Me").run()
    at.file_uploader(key="intake_upload").set_value(("bad.json", content, "application/json")).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("Your current answers were kept" in e for e in errors), errors
    assert at.text_input(key="ik:about.name").value == "Keep Me"
    assert at.session_state["intake_answers"].about.name == "Keep Me"


def test_finder_choice_carries_over_and_can_change():
    at = new_app()
    at.run()
    from dashboard.config import data_path
    from dashboard.directory.clinics import load_clinics

    df, _ = load_clinics(data_path())
    first, second = str(df["id"].iloc[0]), str(df["id"].iloc[1])
    at.session_state["chosen_clinic_id"] = first
    at.switch_page(PAGE)
    at.run()
    model = at.session_state["intake_answers"]
    assert model.logistics.clinic is not None and model.logistics.clinic.id == first
    assert model.logistics.clinic.name == str(df["name"].iloc[0])
    at.session_state["intake_section"] = 5
    at.run()
    box = at.selectbox(key="ik:logistics.clinic")
    assert box.value == first
    box.set_value(second).run()
    assert at.session_state["intake_answers"].logistics.clinic.id == second
    back(at)
    next_(at)
    assert at.session_state["intake_answers"].logistics.clinic.id == second


def test_full_intake_writes_no_answer_anywhere(caplog, capfd):
    """Run a whole intake with marker strings, then search files touched since, temp dir and logs."""
    marker = f"MARKER{uuid.uuid4().hex[:12]}"
    start = time.time() - 1
    at = open_intake()
    at.text_input(key="ik:about.name").input(f"{marker}name").run()
    at.text_input(key="ik:about.preferred_language").input(f"{marker}lang").run()
    next_(at)
    at.multiselect(key="ik:reason.conditions").set_value(["depression", "ptsd", "chronic_pain"]).run()
    at.text_area(key="ik:reason.own_words").input(f"{marker}words").run()
    next_(at)
    at.text_area(key="ik:history.psychotherapy").input(f"{marker}therapy").run()
    next_(at)
    for i in range(9):
        at.radio(key=f"ik:instruments.phq9.{i}").set_value(1).run()
    next_(at)
    at.text_area(key="ik:screening.allergies").input(f"{marker}allergy").run()
    next_(at)
    at.text_input(key="ik:logistics.insurance_name").input(f"{marker}insurer").run()
    next_(at)  # summary: PDF, HTML and FHIR are built in memory
    assert not at.exception
    downloads = at.get("download_button")
    assert len(downloads) >= 3
    assert at.session_state["intake_answers"].about.name == f"{marker}name"
    assert files_holding(marker, start) == []
    out, err = capfd.readouterr()
    assert marker not in out and marker not in err
    assert marker not in caplog.text
    assert json.dumps([r.getMessage() for r in caplog.records]).find(marker) == -1


def test_crisis_panel_stays_when_phq9_is_not_listed():
    at = open_intake()
    doc = json.dumps(
        {"schema_version": 1, "reason": {"conditions": ["crps"]}, "instruments": {"phq9": [None] * 8 + [3]}}
    ).encode()
    at.file_uploader(key="intake_upload").set_value(("d.json", doc, "application/json")).run()
    assert crisis_shown(at)
    at.session_state["intake_section"] = 3
    at.run()
    assert "ik:instruments.phq9.8" not in {r.key for r in at.radio}
    assert crisis_shown(at)


@pytest.mark.parametrize("units", ["us", "metric"])
@pytest.mark.parametrize(
    "extremes",
    [
        {"height_cm": 260.0, "weight_kg": 500.0},
        {"height_cm": 30.0, "weight_kg": 2.0},
    ],
)
def test_drafts_at_the_limits_render_every_section(units, extremes):
    doc = {
        "schema_version": 1,
        "about": {"age": 130, "date_of_birth": "1900-01-01"},
        "screening": extremes,
        "logistics": {"clinic": {"id": "not-in-the-dataset", "name": "Somewhere Else"}},
        "instruments": {"phq9": [3] * 9, "gad7": [3] * 7, "peg": [10] * 3, "nrs": [0] * 3, "pcl5": [4] * 20},
    }
    at = open_intake()
    at.file_uploader(key="intake_upload").set_value(("d.json", json.dumps(doc).encode(), "application/json")).run()
    assert any("Draft loaded" in s.value for s in at.success)
    for index in range(len(INTAKE_SECTIONS)):
        at.session_state["intake_section"] = index
        at.run()
        if index == 4:
            at.radio(key="ik:screening.units").set_value(units).run()
        assert not at.exception, (index, at.exception)
    assert at.session_state["intake_answers"].screening.height_cm == extremes["height_cm"]


CAREGIVER = FIXTURES / "intake" / "caregiver_draft.json"


def test_each_section_has_one_h2_under_the_page_h1_and_navigation_at_top_and_bottom():
    at = open_intake()
    for index, title in enumerate(INTAKE_SECTIONS):
        at.session_state["intake_section"] = index
        at.run()
        assert [t.value for t in at.title] == ["Pre-visit questionnaire"]  # h1
        assert [h.value for h in at.header] == [title]  # h2, the section heading
        keys = [b.key for b in at.button]
        assert keys.index("intake_back") < keys.index("intake_next") < keys.index("intake_back_bottom")
        saves = [d for d in at.get("download_button") if d.proto.label == "Save draft"]
        assert len(saves) == 2  # top and bottom
        scripts = [h for h in at.get("html") if "__intakeNav" in h.proto.body]
        assert len(scripts) == 1 and json.dumps(title) in scripts[0].proto.body


def test_next_counts_a_section_change_for_the_scroll_and_focus_script():
    at = open_intake()
    assert "intake_nav" not in at.session_state  # first arrival: no scrolling, no focus jump
    next_(at)
    first = at.session_state["intake_nav"]
    next_(at)
    assert at.session_state["intake_nav"] == first + 1
    body = next(h for h in at.get("html") if "__intakeNav" in h.proto.body).proto.body
    assert f'"nav": {first + 1}' in body and '"heading": "Treatment history"' in body


def test_unsaved_answers_are_flagged_until_saved_or_loaded():
    at = open_intake()

    def dirty() -> bool:
        body = next(h for h in at.get("html") if "__intakeNav" in h.proto.body).proto.body
        return '"dirty": true' in body

    assert not dirty()  # an empty form has nothing to lose
    at.text_input(key="ik:about.name").input("Ana").run()
    assert dirty()
    load_draft(at, CAREGIVER)
    assert not dirty()  # a freshly loaded draft is saved already
    at.session_state["intake_section"] = 0
    at.run()
    at.text_input(key="ik:about.name").input("Ana Changed").run()
    assert dirty()


def test_every_field_has_a_unique_accessible_name():
    at = open_intake()
    load_draft(at, CAREGIVER)
    for index in range(len(INTAKE_SECTIONS)):
        at.session_state["intake_section"] = index
        at.session_state["intake_show_all"] = True
        at.run()
        labels = [
            w.label
            for kind in ("text_input", "text_area", "number_input", "radio", "selectbox", "multiselect", "checkbox")
            for w in at.get(kind)
        ]
        labels += [b.label for b in at.button if not b.key.startswith(("intake_back", "intake_next"))]
        repeated = sorted({x for x in labels if labels.count(x) > 1})
        assert repeated == [], (INTAKE_SECTIONS[index], repeated)
    at.session_state["intake_section"] = 0
    at.run()
    assert at.text_input(key="ik:about.emergency_contact.phone").label == "Emergency contact phone"
    at.session_state["intake_section"] = 4
    at.run()
    assert "Remove oxycodone" in [b.label for b in at.button]


def test_who_filled_it_in_is_asked_and_kept():
    at = open_intake()
    at.radio(key="ik:about.completed_by").set_value("caregiver").run()
    at.text_input(key="ik:about.completed_by_name").input("Daniel Haddad").run()
    about = at.session_state["intake_answers"].about
    assert about.completed_by == "caregiver" and about.completed_by_name == "Daniel Haddad"


@pytest.mark.parametrize(("typed", "stored"), [("1971-06-14", "1971-06-14"), ("06/14/1971", "1971-06-14"), ("", None)])
def test_date_of_birth_is_typed(typed, stored):
    at = open_intake()
    at.text_input(key="ik:about.date_of_birth").input(typed).run()
    value = at.session_state["intake_answers"].about.date_of_birth
    assert (value.isoformat() if value else None) == stored
    assert not at.error


def test_unreadable_date_is_explained_and_kept_in_the_box():
    at = open_intake()
    at.text_input(key="ik:about.date_of_birth").input("1971-06-14").run()
    at.text_input(key="ik:about.date_of_birth").input("14/31/1971").run()
    assert any("could not be read" in e.value for e in at.error)
    assert at.text_input(key="ik:about.date_of_birth").value == "14/31/1971"  # nothing typed is lost
    assert at.session_state["intake_answers"].about.date_of_birth.isoformat() == "1971-06-14"


def test_add_reading_form_adds_once_and_clears():
    at = open_intake()
    at.session_state["intake_section"] = 4
    at.run()
    at.number_input(key="intake_bp_sys").set_value(150)
    at.number_input(key="intake_bp_dia").set_value(95)
    at.text_input(key="intake_bp_when").input("today")
    submit = next(b for b in at.button if b.label == "Add reading")
    submit.click().run()
    readings = at.session_state["intake_answers"].screening.blood_pressure_readings
    assert [(r.systolic, r.diastolic, r.when) for r in readings] == [(150, 95, "today")]
    next(b for b in at.button if b.label == "Add reading").click().run()  # the fields were cleared
    assert len(at.session_state["intake_answers"].screening.blood_pressure_readings) == 1
    assert "Remove reading 1 (150/95)" in [b.label for b in at.button]


def test_height_and_weight_keep_the_units_they_were_typed_in():
    at = open_intake()
    at.session_state["intake_section"] = 4
    at.run()
    at.number_input(key="ik:screening.height_cm@in").set_value(64.0).run()
    at.number_input(key="ik:screening.weight_kg@lb").set_value(150.0).run()
    s = at.session_state["intake_answers"].screening
    assert s.units == "us" and s.height_cm == pytest.approx(162.56) and s.weight_kg == pytest.approx(68.0389)
    back(at)
    next_(at)
    assert at.number_input(key="ik:screening.weight_kg@lb").value == 150.0  # reads back exactly as typed


def test_on_screen_summary_shows_every_score_including_pain_ratings():
    at = open_intake()
    load_draft(at, CAREGIVER)
    at.session_state["intake_section"] = 6
    at.run()
    [table] = at.table
    shown = table.value
    assert list(shown.index) == [
        "PHQ-9 (last 2 weeks)",
        "PEG (past week)",
        "Pain right now (0–10)",
        "Worst pain in the past week (0–10)",
        "Least pain in the past week (0–10)",
    ]
    assert list(shown["Score"]) == ["14 / 27", "7.3 / 10 (mean)", "6 / 10", "9 / 10", "4 / 10"]
    text = " ".join(m.value for m in at.markdown)
    assert "Completed by:** caregiver \\(Daniel Haddad\\)" in text
    assert "You reported high blood pressure" in text


def test_item9_message_on_the_summary_reads_naturally():
    at = open_intake()
    doc = json.dumps({"schema_version": 2, "instruments": {"phq9": [0] * 8 + [2]}}).encode()
    at.file_uploader(key="intake_upload").set_value(("d.json", doc, "application/json")).run()
    at.session_state["intake_section"] = 6
    at.run()
    assert any(
        w.value.startswith(
            "You answered that you have had thoughts of death or self-harm on more than half the days over the last"
        )
        for w in at.warning
    )


def test_the_summary_pdf_is_made_only_when_asked_for(monkeypatch):
    """Drawing the summary section must not render the PDF (~300 ms of the server's CPU, during which every
    other visitor waits); the download button makes it when pressed."""
    from dashboard.intake import summary_pdf

    made: list[object] = []
    real = summary_pdf.render
    monkeypatch.setattr(summary_pdf, "render", lambda content, *a, **k: made.append(content) or real(content, *a, **k))
    at = open_intake()
    for _ in range(6):
        next_(at)
    at.run()
    assert [b for b in at.get("download_button") if b.label == "Download PDF summary"]
    assert made == []  # tests/browser/test_intake_browser.py presses it and reads the PDF it gets
