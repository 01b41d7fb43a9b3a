"""Pre-visit questionnaire page: seven sections, each a short function, drawn from the one Answers model.

Widgets bound to the answers, navigation, saving and the scroll/focus script live in
dashboard/web/questionnaire/; questions, scoring, flags and the summary live in dashboard/intake/. This
file is the list of sections.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from dashboard import vocab
from dashboard.content import safety
from dashboard.intake import fhir, questionnaire, summary, summary_html, summary_pdf
from dashboard.intake.answers import AntidepressantTrial, Medicine, PainTreatment
from dashboard.intake.instruments import (
    INSTRUMENTS,
    NEUROPATHIC_NOTE,
    NEUROPATHIC_SCREENERS,
    PHQ9_DIFFICULTY_OPTIONS,
    PHQ9_DIFFICULTY_TEXT,
    PHQ9_ITEM9_INDEX,
    Instrument,
    shown_for,
)
from dashboard.intake.scoring import crisis, item9_value, score_all
from dashboard.intake.screening import MEDICINE_QUESTIONS, SCREENING_QUESTIONS, flags, item9_message
from dashboard.web import dataset, frame
from dashboard.web.questionnaire import binding, clinic, flow, tab_storage
from dashboard.web.questionnaire import widgets as w

COMPLETED_BY = {
    "patient": "I am the patient",
    "caregiver": "A caregiver or family member, for the patient",
    "clinician": "A clinician, with the patient",
}


def section_about() -> None:
    st.markdown("Everything is optional. Give what you are comfortable sharing with the clinic.")
    w.choice("Who is filling in this form?", ("about", "completed_by"), COMPLETED_BY, horizontal=False)
    if binding.answers().about.completed_by in ("caregiver", "clinician"):
        w.text("Your name (the person filling in the form)", ("about", "completed_by_name"))
        st.markdown("In the rest of the form, **you** means the patient: answer as the patient would.")
    w.text("Patient's name", ("about", "name"))
    w.text("Clinic record number, if the clinic gave one", ("about", "clinic_record_number"))
    c1, c2 = st.columns(2)
    with c1:
        w.date_text("Date of birth", ("about", "date_of_birth"), help="For example 1984-03-09 or 03/09/1984.")
    with c2:
        w.number("Age, if you prefer not to give the date of birth", ("about", "age"), 0, 130)
    w.choice("Sex", ("about", "sex"), {None: "Not answered", **summary.SEX})
    w.text("Preferred language", ("about", "preferred_language"))
    w.contact("Emergency contact", ("about", "emergency_contact"), "relationship")
    w.yesno("Will someone take you home after a treatment session?", ("about", "ride_home"))
    w.contact("Driver", ("about", "driver"), "relationship")
    w.contact("Referring clinician", ("about", "referring_clinician"), "role or practice")


def section_reason() -> None:
    w.multi("What would you like help with?", ("reason", "conditions"), [t.code for t in vocab.CONDITIONS], vocab.label)
    w.text("In your own words", ("reason", "own_words"), area=True, max_chars=2000)
    w.text("How long has this been going on?", ("reason", "how_long"))


def _helped(path: binding.Path, row: str) -> None:
    options = {None: "Not answered", "yes": "Yes", "partly": "Partly", "no": "No", "unsure": "Not sure"}
    w.choice(f"Did {row} help?", (*path, "helped"), options)


def _pain_kind(path: binding.Path, row: str) -> None:
    options = {None: "Not answered", "medicine": "Medicine", "procedure": "Procedure", "other": "Other"}
    w.choice(f"Kind of {row}", (*path, "kind"), options)


def section_history() -> None:
    w.rows(
        "Antidepressants tried",
        "antidepressant",
        ("history", "antidepressants"),
        AntidepressantTrial,
        (("name", "name"), ("how_long", "how long"), ("side_effects", "side effects")),
        extra=_helped,
    )
    w.text("Psychotherapy (what kind, how long)", ("history", "psychotherapy"), area=True, max_chars=2000)
    c1, c2 = st.columns(2)
    with c1:
        w.yesno("ECT (electroconvulsive therapy)", ("history", "ect"))
        w.yesno("Ketamine treatment before", ("history", "ketamine_before"))
    with c2:
        w.yesno("TMS (transcranial magnetic stimulation)", ("history", "tms"))
        w.yesno("Esketamine (Spravato) before", ("history", "esketamine_before"))
    w.text(
        "Details of earlier ketamine or esketamine treatment",
        ("history", "ketamine_details"),
        area=True,
        max_chars=2000,
    )
    w.rows(
        "Pain treatments and procedures",
        "pain treatment",
        ("history", "pain_treatments"),
        PainTreatment,
        (("treatment", "name"), ("result", "result")),
        extra=_pain_kind,
    )


def _instrument(inst: Instrument) -> None:
    st.subheader(inst.title, anchor=False)
    st.markdown(f"{inst.measures}; about {inst.recall}.  \n**{inst.stem}**")
    for i, item in enumerate(inst.items):
        label = f"{inst.short} question {i + 1}: {item.text}"
        if item.anchors:
            label += f"  \n({item.anchors[0]}; {item.anchors[1]})"
        options = {o.value: o.label for o in inst.options}
        w.choice(label, ("instruments", inst.key, i), options)
        if inst.key == "phq9" and i == PHQ9_ITEM9_INDEX and crisis(binding.answers()):
            frame.crisis_panel()
    if inst.key == "phq9":
        w.choice(PHQ9_DIFFICULTY_TEXT, ("instruments", "phq9_difficulty"), dict(enumerate(PHQ9_DIFFICULTY_OPTIONS)))
    score = score_all(binding.answers())[inst.key]
    if score.answered:
        st.info(f"{inst.short}: {score.meaning}")
    st.markdown(f"<small>{frame.md_escape(inst.notice)}</small>", unsafe_allow_html=True)


def section_questionnaires() -> None:
    shown = shown_for(set(binding.answers().reason.conditions))
    # declared as held (see questionnaire.binding.bound): a late-drawn box must not send its first default back
    show_all = st.checkbox(
        "Show all questionnaires", key="intake_show_all", value=st.session_state.get("intake_show_all", not shown)
    )
    if not shown and not show_all:
        st.markdown("Choose reasons for the visit to see the matching questionnaires.")
    listed = list(INSTRUMENTS.values()) if show_all else shown
    if crisis(binding.answers()) and all(i.key != "phq9" for i in listed):
        frame.crisis_panel()  # item 9 is answered but not on screen: keep the panel in view anyway
    for inst in listed:
        _instrument(inst)
        st.divider()
    if show_all or any(i.key in ("peg", "nrs") for i in shown):
        st.subheader("Neuropathic-pain questionnaire result (if a clinician gave you one)", anchor=False)
        st.markdown(NEUROPATHIC_NOTE)
        w.choice(
            "Which neuropathic-pain questionnaire",
            ("history", "neuropathic_screener", "name"),
            {None: "None / don't know", **{n: n for n in NEUROPATHIC_SCREENERS}},
        )
        w.text("Neuropathic-pain questionnaire result, if you know it", ("history", "neuropathic_screener", "result"))


UNITS = {"us": "US (inches, pounds)", "metric": "Metric (cm, kg)"}
UNITS_PATH: binding.Path = ("screening", "units")


def _keep_units() -> None:
    """Height or weight typed: remember the units shown, so the summary prints them as entered."""
    if binding.answers().screening.units is None:
        binding.answers().screening.units = st.session_state.get(binding.wkey(UNITS_PATH)) or "us"


def section_screening() -> None:
    st.markdown("Each answer only helps your clinician prepare. Nothing here decides whether a treatment is possible.")
    for q in SCREENING_QUESTIONS:
        w.yesno(q.question, ("screening", q.field))
    w.text(
        "Allergies (medicines, foods, latex…) and what happened", ("screening", "allergies"), area=True, max_chars=2000
    )
    w.blood_pressure()
    st.subheader("Height and weight", anchor=False)
    units = w.choice("Units for height and weight", UNITS_PATH, UNITS, default="us") or "us"
    c1, c2 = st.columns(2)
    if units == "us":
        with c1:
            w.number("Height (inches)", ("screening", "height_cm"), 11.0, 103.0, step=0.5, scale=summary.CM_PER_INCH,
                     suffix="@in", then=_keep_units)  # fmt: skip
        with c2:
            w.number("Weight (pounds)", ("screening", "weight_kg"), 4.0, 1103.0, step=0.5, scale=summary.KG_PER_LB,
                     suffix="@lb", then=_keep_units)  # fmt: skip
    else:
        with c1:
            w.number("Height (cm)", ("screening", "height_cm"), 30.0, 260.0, step=0.5, suffix="@cm", then=_keep_units)
        with c2:
            w.number("Weight (kg)", ("screening", "weight_kg"), 2.0, 500.0, step=0.5, suffix="@kg", then=_keep_units)
    st.markdown("List everything you take, with the dose. **Do not stop or change any medicine because of this form.**")
    w.rows(
        "Current medicines",
        "medicine",
        ("medicines", "current"),
        Medicine,
        (("name", "name"), ("dose", "dose"), ("how_often", "how often")),
    )
    st.subheader("Do you take any of these?", anchor=False)
    for q in MEDICINE_QUESTIONS:
        w.yesno(q.question, ("medicines", q.field))


def section_logistics() -> None:
    w.multi(
        "Preferred ways of receiving treatment (if any)",
        ("logistics", "preferred_routes"),
        [t.code for t in vocab.ROUTES],
        vocab.label,
    )
    w.multi(
        "How you plan to pay",
        ("logistics", "payment"),
        list(summary.PAYMENT_LABELS),
        lambda c: summary.PAYMENT_LABELS[c],
    )
    w.text("Insurance plan (if any)", ("logistics", "insurance_name"))
    df, _ = dataset.clinics()
    clinic.clinic_select(df)
    w.text("Anything else the clinic should know", ("logistics", "notes"), area=True, max_chars=2000)


def section_summary() -> None:
    a = binding.answers()
    st.markdown(safety.MEDICAL_DISCLAIMER)
    value = item9_value(a)
    if value:
        st.warning(item9_message(value))
    content = summary.build(a)
    who, where = frame.md_escape(content.completed_by), frame.md_escape(content.clinic)
    st.markdown(f"**Completed by:** {who}  \n**Clinic:** {where}")
    st.subheader("Your scores", anchor=False)
    table = content.score_table
    if table.rows:
        shown = pd.DataFrame(table.rows, columns=list(table.columns)).drop(columns="Notes")  # notes: for the PDF
        st.table(shown.set_index("Instrument"))
        st.markdown("Scores are for your clinician to interpret; they are not a diagnosis.")
    else:
        st.markdown("No questionnaire answered yet.")
    st.subheader("To discuss with your clinician", anchor=False)
    found = flags(a)
    for f in found:
        st.markdown(f"- {frame.md_escape(f.patient)}  \n  *Why it is asked:* {frame.md_escape(f.reason)}")
    if not found:
        st.markdown("No answer raised a topic to discuss.")
    st.subheader("Download", anchor=False)
    html = summary_html.render(content)
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "Download PDF summary",
        # Made when the button is pressed, not on every run of this section: ~300 ms of the server's CPU
        # each time, during which every other visitor waits.
        data=lambda: summary_pdf.render(content),
        file_name="intake-summary.pdf",
        mime="application/pdf",
        key="intake_pdf_download",
        type="primary",
    )
    c2.download_button(
        "Download print view (HTML)",
        data=html.encode("utf-8"),
        file_name="intake-summary.html",
        mime="text/html",
        key="intake_html_download",
    )
    try:
        fhir_json = fhir.to_json(a)
    except ValidationError:
        fhir_json = None
    if fhir_json:
        c3.download_button(
            "Download FHIR export (Bundle)",
            data=fhir_json.encode("utf-8"),
            file_name="intake-fhir-bundle.json",
            mime="application/fhir+json",
            key="intake_fhir_download",
        )
    c3.download_button(
        "Download FHIR Questionnaire",
        data=questionnaire.published_bytes(),
        file_name="pre-visit-intake-questionnaire.json",
        mime="application/fhir+json",
        key="intake_questionnaire_download",
    )
    with st.expander("Preview the print view"):
        st.html(summary_html.fragment(content))


class Section(NamedTuple):
    title: str
    draw: Callable[[], None]


SECTIONS: tuple[Section, ...] = (
    Section("About you", section_about),
    Section("Reason for the visit", section_reason),
    Section("Treatment history", section_history),
    Section("Questionnaires", section_questionnaires),
    Section("Health and safety", section_screening),
    Section("Logistics", section_logistics),
    Section("Your summary", section_summary),
)


def main() -> None:
    st.title("Pre-visit questionnaire")
    st.markdown(
        "Prepare for your first consultation: answer what you like, see your scores explained, and print a summary "
        "for the clinician. " + safety.MEDICAL_DISCLAIMER
    )
    binding.answers()
    tab_storage.keep_in_tab(len(SECTIONS))
    index = flow.section_index(len(SECTIONS))
    flow.resume_box()
    binding.show_message()
    if SECTIONS[index].draw is section_logistics or (
        binding.answers().logistics.clinic is None and st.session_state.get(clinic.CHOSEN_CLINIC)
    ):
        clinic.carry_over_clinic(dataset.clinics()[0])
    flow.nav_bar("top", len(SECTIONS))
    st.progress((index + 1) / len(SECTIONS), text=f"Section {index + 1} of {len(SECTIONS)}: {SECTIONS[index].title}")
    st.header(SECTIONS[index].title, anchor=False)
    flow.page_script(SECTIONS[index].title)
    if SECTIONS[index].draw is not section_questionnaires and crisis(binding.answers()):
        frame.crisis_panel()  # under the heading, so it is in view after every section change
    SECTIONS[index].draw()
    st.divider()
    flow.nav_bar("bottom", len(SECTIONS))


main()
