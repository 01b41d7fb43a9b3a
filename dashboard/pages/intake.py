"""Pre-visit questionnaire page: widgets ↔ the Answers model, section by section.

The Answers model lives in its own session-state key, so answers survive Back/Next even though
Streamlit forgets the keys of widgets it did not draw; each widget is re-seeded from the model and
writes back through an on_change callback. Nothing here writes to disk or logs answers: downloads are
built in memory. Logic lives in dashboard/intake; this file only draws it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from pydantic import ValidationError

from dashboard import safety, ui, vocab
from dashboard.intake import draft, fhir, summary_html, summary_pdf
from dashboard.intake.answers import (
    EARLIEST_BIRTH,
    MEDICINE_CLASSES,
    Answers,
    AntidepressantTrial,
    BloodPressure,
    ChosenClinic,
    Medicine,
    PainTreatment,
)
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
from dashboard.intake.scoring import crisis, score_all
from dashboard.intake.screening import flags
from dashboard.intake.summary import PAYMENT_LABELS, SEX

MODEL = "intake_answers"
SECTION = "intake_section"
MESSAGE = "intake_message"
UPLOAD = "intake_upload"
CARRIED = "intake_clinic_carried"
PREFIX = "ik:"
SECTIONS = (
    "About you",
    "Reason for the visit",
    "Treatment history",
    "Questionnaires",
    "Health and safety",
    "Logistics",
    "Summary",
)
YESNO = {None: "Not answered", "yes": "Yes", "no": "No", "unsure": "Not sure"}
Path = tuple[str | int, ...]


# ----------------------------------------------------------------------------- model binding


def answers() -> Answers:
    """The one Answers model of this browser session."""
    if MODEL not in st.session_state:
        st.session_state[MODEL] = Answers()
    return st.session_state[MODEL]


def _get(path: Path) -> Any:
    obj: Any = answers()
    for p in path:
        obj = obj[p] if isinstance(p, int) else getattr(obj, p)
    return obj


def _set(path: Path, value: Any) -> None:
    """Write one value through the model's validation; a rejected value leaves the model as it was."""
    parent = _get(path[:-1])
    last = path[-1]
    if isinstance(last, int):
        items = list(parent)
        items[last] = value
        _set(path[:-1], items)
    else:
        setattr(parent, last, value)


def _wkey(path: Path, suffix: str = "") -> str:
    return PREFIX + ".".join(str(p) for p in path) + suffix


def _clear_widgets(prefix: str = PREFIX) -> None:
    """Forget widget values so the next run seeds them from the model again."""
    for k in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[k]


def _sync(path: Path, key: str, from_widget: Callable[[Any], Any]) -> None:
    try:
        _set(path, from_widget(st.session_state[key]))
    except ValidationError:
        st.session_state[MESSAGE] = ("error", "That value could not be kept; please check it.")
        st.session_state.pop(key, None)  # re-seeded from the unchanged model on the next run


def _bind(path: Path, to_widget: Callable[[Any], Any] = lambda v: v, suffix: str = "") -> dict[str, Any]:
    """Seed the widget's key from the model and return the kwargs that keep them in step."""
    key = _wkey(path, suffix)
    if key not in st.session_state:
        st.session_state[key] = to_widget(_get(path))
    return {"key": key}


def _on_change(path: Path, key: str, from_widget: Callable[[Any], Any] = lambda v: v) -> dict[str, Any]:
    return {"on_change": _sync, "args": (path, key, from_widget)}


def text(label: str, path: Path, *, area: bool = False, max_chars: int = 200, help: str | None = None) -> None:
    kw = _bind(path)
    kw |= _on_change(path, kw["key"], lambda v: (v or "")[:max_chars])
    if area:
        st.text_area(label, max_chars=max_chars, help=help, **kw)
    else:
        st.text_input(label, max_chars=max_chars, help=help, **kw)


def choice(label: str, path: Path, options: dict[Any, str], *, horizontal: bool = True, help: str | None = None):
    kw = _bind(path)
    kw |= _on_change(path, kw["key"])
    return st.radio(
        label, list(options), format_func=lambda v: options[v], horizontal=horizontal, help=help, index=None, **kw
    )


def yesno(label: str, path: Path, help: str | None = None) -> None:
    choice(label, path, YESNO, help=help)


def multi(label: str, path: Path, codes: Sequence[str], fmt: Callable[[str], str]) -> None:
    kw = _bind(path, list)
    kw |= _on_change(path, kw["key"], list)
    st.multiselect(label, list(codes), format_func=fmt, **kw)


def number(
    label: str, path: Path, lo: float, hi: float, *, step: float = 1, scale: float = 1.0, suffix: str = ""
) -> None:
    """A number input; ``scale`` converts model units to shown units (e.g. cm → inches); int bounds mean ints."""
    if isinstance(step, int):
        kw = _bind(path, suffix=suffix)
        kw |= _on_change(path, kw["key"], lambda v: None if v is None else int(v))
    else:
        kw = _bind(path, lambda v: None if v is None else round(v / scale, 1), suffix)
        kw |= _on_change(path, kw["key"], lambda v: None if v is None else round(float(v) * scale, 1))
    st.number_input(label, min_value=lo, max_value=hi, step=step, value=None, **kw)


# ----------------------------------------------------------------------------- draft save / resume


def _load_draft() -> None:
    """Replace the answers with an uploaded draft, or keep them untouched and say why not."""
    upload = st.session_state.get(UPLOAD)
    if upload is None:
        return
    try:
        loaded = draft.parse(upload.getvalue())
    except draft.DraftError as err:
        st.session_state[MESSAGE] = ("error", f"{err} Your current answers were kept.")
        return
    st.session_state[MODEL] = loaded
    _clear_widgets()
    st.session_state[MESSAGE] = ("success", "Draft loaded. You can continue where you left off.")


def _start_over() -> None:
    st.session_state[MODEL] = Answers()
    _clear_widgets()
    st.session_state[SECTION] = 0


def save_and_resume() -> None:
    with st.expander("Save or resume your answers", expanded=False):
        st.caption(
            "Your answers stay in this browser session only; this server keeps no copy. To continue later, download "
            "a draft file and upload it next time."
        )
        st.download_button(
            "Download draft (JSON)",
            data=draft.to_bytes(answers()),
            file_name="intake-draft.json",
            mime="application/json",
            key="intake_draft_download",
        )
        st.file_uploader("Upload a saved draft", type=["json"], key=UPLOAD, on_change=_load_draft)
        st.button("Start over (clear all answers)", on_click=_start_over, key="intake_start_over")


# ----------------------------------------------------------------------------- sections


def section_about() -> None:
    st.subheader("About you")
    st.caption("Everything is optional. Give what you are comfortable sharing with the clinic.")
    text("Name (optional)", ("about", "name"))
    c1, c2 = st.columns(2)
    with c1:
        kw = _bind(("about", "date_of_birth"))
        kw |= _on_change(("about", "date_of_birth"), kw["key"])
        st.date_input(
            "Date of birth",
            value=None,
            min_value=EARLIEST_BIRTH,
            max_value=dt.date.today(),
            format="YYYY-MM-DD",
            **kw,
        )
    with c2:
        number("…or your age", ("about", "age"), 0, 130)
    choice("Sex", ("about", "sex"), {None: "Not answered", **SEX})
    text("Preferred language", ("about", "preferred_language"))
    st.markdown("**Emergency contact**")
    _contact(("about", "emergency_contact"), "Relationship")
    yesno("Will someone take you home after a treatment session?", ("about", "ride_home"))
    st.markdown("**Who will drive you home**")
    _contact(("about", "driver"), "Relationship")
    st.markdown("**Referring clinician**")
    _contact(("about", "referring_clinician"), "Role or practice")


def _contact(path: Path, second: str) -> None:
    c1, c2, c3 = st.columns(3)
    with c1:
        text("Name", (*path, "name"))
    with c2:
        text(second, (*path, "relationship"))
    with c3:
        text("Phone", (*path, "phone"))


def section_reason() -> None:
    st.subheader("Reason for the visit")
    multi("What would you like help with?", ("reason", "conditions"), [t.code for t in vocab.CONDITIONS], vocab.label)
    text("In your own words", ("reason", "own_words"), area=True, max_chars=2000)
    text("How long has this been going on?", ("reason", "how_long"))


def _rows(
    title: str,
    path: Path,
    factory: Callable[[], Any],
    fields: Sequence[tuple[str, str]],
    extra: Callable[[Path], None] | None = None,
) -> None:
    """Editable list of small records with Add / Remove buttons."""
    st.markdown(f"**{title}**")
    items = _get(path)
    for i in range(len(items)):
        cols = st.columns([*(3 for _ in fields), 1])
        for col, (name, label) in zip(cols, fields, strict=False):
            with col:
                text(label, (*path, i, name))
        if extra:
            extra((*path, i))
        with cols[-1]:
            st.button("Remove", key=_wkey(path, f"#remove{i}"), on_click=_remove_row, args=(path, i))
    st.button(f"Add {title.lower().rstrip('s')}", key=_wkey(path, "#add"), on_click=_add_row, args=(path, factory))


def _add_row(path: Path, factory: Callable[[], Any]) -> None:
    try:
        _set(path, [*_get(path), factory()])
    except ValidationError:
        st.session_state[MESSAGE] = ("warning", "That list is full.")


def _remove_row(path: Path, index: int) -> None:
    items = list(_get(path))
    del items[index]
    _set(path, items)
    _clear_widgets(_wkey(path))


def section_history() -> None:
    st.subheader("Treatment history")
    _rows(
        "Antidepressant trials",
        ("history", "antidepressants"),
        AntidepressantTrial,
        (("name", "Medicine"), ("how_long", "How long"), ("side_effects", "Side effects")),
        extra=lambda p: choice(
            "Did it help?",
            (*p, "helped"),
            {None: "Not answered", "yes": "Yes", "partly": "Partly", "no": "No", "unsure": "Not sure"},
        ),
    )
    text("Psychotherapy (what kind, how long)", ("history", "psychotherapy"), area=True, max_chars=2000)
    c1, c2 = st.columns(2)
    with c1:
        yesno("ECT (electroconvulsive therapy)", ("history", "ect"))
        yesno("Ketamine treatment before", ("history", "ketamine_before"))
    with c2:
        yesno("TMS (transcranial magnetic stimulation)", ("history", "tms"))
        yesno("Esketamine (Spravato) before", ("history", "esketamine_before"))
    text(
        "Details of earlier ketamine or esketamine treatment",
        ("history", "ketamine_details"),
        area=True,
        max_chars=2000,
    )
    _rows(
        "Pain treatments",
        ("history", "pain_treatments"),
        PainTreatment,
        (("treatment", "Treatment or procedure"), ("result", "Result")),
        extra=lambda p: choice(
            "Kind",
            (*p, "kind"),
            {None: "Not answered", "medicine": "Medicine", "procedure": "Procedure", "other": "Other"},
        ),
    )


def _instrument(inst: Instrument) -> None:
    st.markdown(f"#### {inst.title}")
    st.caption(f"{inst.measures}; about {inst.recall}.")
    st.markdown(f"**{inst.stem}**")
    for i, item in enumerate(inst.items):
        options = {None: "—", **{o.value: o.label for o in inst.options}} if inst.max_value < 10 else None
        label = f"{i + 1}. {item.text}"
        if item.anchors:
            label += f"  \n({item.anchors[0]}; {item.anchors[1]})"
        path: Path = ("instruments", inst.key, i)
        if options:
            opts = {k: v for k, v in options.items() if k is not None}
            kw = _bind(path)
            kw |= _on_change(path, kw["key"])
            st.radio(label, list(opts), format_func=lambda v, o=opts: o[v], horizontal=True, index=None, **kw)
        else:
            kw = _bind(path)
            kw |= _on_change(path, kw["key"])
            st.radio(label, list(range(11)), horizontal=True, index=None, **kw)
        if inst.key == "phq9" and i == PHQ9_ITEM9_INDEX and crisis(answers()):
            ui.crisis_panel()
    if inst.key == "phq9":
        choice(PHQ9_DIFFICULTY_TEXT, ("instruments", "phq9_difficulty"), dict(enumerate(PHQ9_DIFFICULTY_OPTIONS)))
    score = score_all(answers())[inst.key]
    if score.answered:
        st.info(f"{inst.short}: {score.meaning}")
    st.caption(inst.notice)


def section_questionnaires() -> None:
    st.subheader("Questionnaires")
    conditions = set(answers().reason.conditions)
    shown = shown_for(conditions)
    show_all = st.checkbox("Show all questionnaires", key="intake_show_all", value=not shown)
    if not shown and not show_all:
        st.caption("Choose reasons for the visit to see the matching questionnaires.")
    listed = list(INSTRUMENTS.values()) if show_all else shown
    if crisis(answers()) and all(i.key != "phq9" for i in listed):
        ui.crisis_panel()  # item 9 is answered but not on screen: keep the panel in view anyway
    for inst in listed:
        _instrument(inst)
        st.divider()
    if show_all or any(i.key in ("peg", "nrs") for i in shown):
        st.markdown("#### Neuropathic-pain questionnaire result (if a clinician gave you one)")
        st.caption(NEUROPATHIC_NOTE)
        choice(
            "Questionnaire",
            ("history", "neuropathic_screener", "name"),
            {None: "None / don't know", **{n: n for n in NEUROPATHIC_SCREENERS}},
        )
        text("Result, if you know it", ("history", "neuropathic_screener", "result"))


SCREENING_QUESTIONS: tuple[tuple[str, str], ...] = (
    (
        "aneurysm_or_avm",
        "Aneurysm or other disease of a blood vessel (aorta, brain, limbs), or an arteriovenous malformation",
    ),
    ("brain_bleed", "Bleeding in the brain (intracerebral hemorrhage), ever"),
    ("high_blood_pressure", "High blood pressure"),
    ("heart_or_stroke", "Heart disease, stroke or TIA, or a heart attack or heart procedure in the past 12 months"),
    ("psychosis_or_mania", "Psychosis (for example hearing voices) or mania, now or in the past"),
    ("substance_use", "Use of drugs or other substances (including ketamine or PCP), now or in the past"),
    ("alcohol_use", "Regular alcohol use"),
    ("pregnant", "Pregnant, or could be pregnant"),
    ("planning_pregnancy", "Planning a pregnancy"),
    ("breastfeeding", "Breastfeeding"),
    ("liver_disease", "Liver disease"),
    ("raised_eye_or_brain_pressure", "Raised eye or brain pressure (glaucoma, head or brain injury, a shunt)"),
    ("cognitive_or_brain_injury", "Dementia, memory problems, or a brain injury that still causes symptoms"),
    ("overactive_thyroid", "Overactive thyroid that is not treated"),
    ("ketamine_allergy", "Allergy or bad reaction to ketamine, esketamine or anaesthesia"),
)


def _add_bp() -> None:
    sys_v = st.session_state.get("intake_bp_sys")
    dia_v = st.session_state.get("intake_bp_dia")
    if sys_v is None or dia_v is None:
        st.session_state[MESSAGE] = ("warning", "Enter both numbers of the blood-pressure reading.")
        return
    try:
        reading = BloodPressure(
            systolic=int(sys_v), diastolic=int(dia_v), when=str(st.session_state.get("intake_bp_when", ""))[:200]
        )
        _set(("screening", "blood_pressure_readings"), [*answers().screening.blood_pressure_readings, reading])
    except ValidationError:
        st.session_state[MESSAGE] = ("error", "That blood-pressure reading could not be kept; please check it.")
        return
    for k in ("intake_bp_sys", "intake_bp_dia", "intake_bp_when"):
        st.session_state.pop(k, None)


def section_screening() -> None:
    st.subheader("Health and safety")
    st.caption("Each answer only helps your clinician prepare. Nothing here decides whether a treatment is possible.")
    for field, question in SCREENING_QUESTIONS:
        yesno(question, ("screening", field))
    text(
        "Allergies (medicines, foods, latex…) and what happened", ("screening", "allergies"), area=True, max_chars=2000
    )
    st.markdown("**Recent blood-pressure readings**")
    readings = answers().screening.blood_pressure_readings
    for i, r in enumerate(readings):
        c1, c2 = st.columns([4, 1])
        c1.write(f"{r.systolic}/{r.diastolic} {('— ' + r.when) if r.when else ''}")
        c2.button(
            "Remove",
            key=f"intake_bp_remove{i}",
            on_click=_remove_row,
            args=(("screening", "blood_pressure_readings"), i),
        )
    c1, c2, c3, c4 = st.columns([2, 2, 3, 2])
    c1.number_input("Top number", min_value=40, max_value=300, value=None, step=1, key="intake_bp_sys")
    c2.number_input("Bottom number", min_value=20, max_value=200, value=None, step=1, key="intake_bp_dia")
    c3.text_input("When (e.g. last week)", max_chars=200, key="intake_bp_when")
    c4.button("Add reading", on_click=_add_bp, key="intake_bp_add")
    units = st.radio("Units", ["US (in, lb)", "Metric (cm, kg)"], horizontal=True, key="intake_units")
    c1, c2 = st.columns(2)
    with c1:
        if units.startswith("US"):
            number("Height (inches)", ("screening", "height_cm"), 11.0, 103.0, step=0.5, scale=2.54, suffix="@in")
        else:
            number("Height (cm)", ("screening", "height_cm"), 30.0, 260.0, step=0.5, suffix="@cm")
    with c2:
        if units.startswith("US"):
            number("Weight (lb)", ("screening", "weight_kg"), 4.0, 1103.0, step=0.5, scale=0.45359237, suffix="@lb")
        else:
            number("Weight (kg)", ("screening", "weight_kg"), 2.0, 500.0, step=0.5, suffix="@kg")
    st.markdown("**Current medicines**")
    st.caption("List everything you take, with the dose. Do not stop or change any medicine because of this form.")
    _rows(
        "Medicines",
        ("medicines", "current"),
        Medicine,
        (("name", "Medicine"), ("dose", "Dose"), ("how_often", "How often")),
    )
    st.markdown("**Do you take any of these?**")
    for field, label in MEDICINE_CLASSES.items():
        yesno(label, ("medicines", field))


def _clinic_names(df: Any, current: ChosenClinic | None) -> dict[str | None, str]:
    """Selectbox labels "name — city, state" for every clinic, plus one kept from a draft."""
    names: dict[str | None, str] = {None: "No clinic chosen"}
    if {"id", "name", "city", "state"} <= set(df.columns):
        labels = df["name"].astype(str) + " — " + df["city"].astype(str) + ", " + df["state"].astype(str)
        names.update(zip(df["id"].astype(str), labels, strict=True))
    if current is not None and current.id not in names:
        names[current.id] = f"{current.name or current.id} (from your draft)"
    return names


def _clinic_from_row(df: Any, clinic_id: str) -> ChosenClinic | None:
    row = df[df["id"] == clinic_id]
    if row.empty:
        return None
    r = row.iloc[0]

    def s(col: str) -> str:
        v = r.get(col, "")
        return "" if v is None or v != v else str(v)[:200]

    return ChosenClinic(id=str(clinic_id)[:200], name=s("name"), phone=s("phone"), city=s("city"), state=s("state"))


def _carry_over_clinic(df: Any) -> None:
    """Take the clinic chosen in the finder, once per choice, so a later change here sticks."""
    chosen = st.session_state.get("chosen_clinic_id")
    if not chosen or st.session_state.get(CARRIED) == chosen:
        return
    clinic = _clinic_from_row(df, str(chosen))
    if clinic is not None:
        answers().logistics.clinic = clinic
        st.session_state.pop(_wkey(("logistics", "clinic")), None)
    st.session_state[CARRIED] = chosen


def _on_clinic(df: Any) -> None:
    chosen = st.session_state.get(_wkey(("logistics", "clinic")))
    answers().logistics.clinic = (
        None if chosen is None else (_clinic_from_row(df, chosen) or answers().logistics.clinic)
    )


def section_logistics() -> None:
    st.subheader("Logistics")
    multi(
        "Preferred ways of receiving treatment (if any)",
        ("logistics", "preferred_routes"),
        [t.code for t in vocab.ROUTES],
        vocab.label,
    )
    multi("How you plan to pay", ("logistics", "payment"), list(PAYMENT_LABELS), lambda c: PAYMENT_LABELS[c])
    text("Insurance plan (if any)", ("logistics", "insurance_name"))
    df, _ = ui.clinics()
    ids: list[str | None] = [None, *[str(x) for x in df["id"].tolist()]] if "id" in df else [None]
    current = answers().logistics.clinic
    if current is not None and current.id not in ids:
        ids.append(current.id)
    names = _clinic_names(df, current)  # computed now: format_func may be called after the run
    key = _wkey(("logistics", "clinic"))
    if key not in st.session_state:
        st.session_state[key] = current.id if current else None
    st.selectbox(
        "Clinic for this visit",
        ids,
        format_func=lambda i: names.get(i, str(i)),
        key=key,
        on_change=_on_clinic,
        args=(df,),
        index=None,
        help="Carried over from the finder when you chose a clinic there; you can change it.",
    )
    text("Anything else the clinic should know", ("logistics", "notes"), area=True, max_chars=2000)


def section_summary() -> None:
    st.subheader("Your summary")
    st.caption(safety.MEDICAL_DISCLAIMER)
    a = answers()
    if crisis(a):
        st.warning(
            'You answered PHQ-9 question 9 above "Not at all". Your summary notes this for your clinician. '
            "If you need help now, the crisis lines are on this page."
        )
    scores = score_all(a)
    any_score = False
    for key, score in scores.items():
        if score.answered:
            any_score = True
            inst = INSTRUMENTS[key]
            head = ""
            if score.total is not None:
                head = f"mean {score.total:g} of 10. " if inst.scoring == "mean" else f"total {score.total}. "
            st.markdown(f"**{inst.short}** — {head}{ui.md_escape(score.meaning)}")
    if not any_score:
        st.caption("No questionnaire answered yet.")
    st.markdown("**To discuss with your clinician**")
    found = flags(a)
    for f in found:
        st.markdown(f"- {ui.md_escape(f.text)}  \n  *Why it is asked:* {ui.md_escape(f.reason)}")
    if not found:
        st.caption("No screening answer raised a topic to discuss.")
    html = summary_html.render_answers(a)
    pdf = summary_pdf.render_answers(a)
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "Download PDF summary",
        data=pdf,
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
            "Download FHIR QuestionnaireResponse",
            data=fhir_json.encode("utf-8"),
            file_name="intake-questionnaire-response.json",
            mime="application/fhir+json",
            key="intake_fhir_download",
        )
    with st.expander("Preview the print view"):
        st.html(html)


RENDER: tuple[Callable[[], None], ...] = (
    section_about,
    section_reason,
    section_history,
    section_questionnaires,
    section_screening,
    section_logistics,
    section_summary,
)


def _go(step: int) -> None:
    st.session_state[SECTION] = max(0, min(len(SECTIONS) - 1, st.session_state.get(SECTION, 0) + step))


def _jump(index: int) -> None:
    st.session_state[SECTION] = index


def main() -> None:
    st.title("Pre-visit questionnaire")
    st.caption(
        "Prepare for your first consultation: answer what you like, see your scores explained, and print a summary "
        "for the clinician. " + safety.MEDICAL_DISCLAIMER
    )
    answers()
    index = int(st.session_state.get(SECTION, 0))
    save_and_resume()
    message = st.session_state.pop(MESSAGE, None)
    if message:
        getattr(st, message[0])(message[1])
    if index != SECTIONS.index("Questionnaires") and crisis(answers()):
        ui.crisis_panel()
    if index == SECTIONS.index("Logistics") or (
        answers().logistics.clinic is None and st.session_state.get("chosen_clinic_id")
    ):
        df, _ = ui.clinics()
        _carry_over_clinic(df)
    st.progress((index + 1) / len(SECTIONS), text=f"Section {index + 1} of {len(SECTIONS)}: {SECTIONS[index]}")
    RENDER[index]()
    st.divider()
    c1, c2, c3 = st.columns([1, 1, 3])
    c1.button("Back", on_click=_go, args=(-1,), disabled=index == 0, key="intake_back")
    c2.button("Next", on_click=_go, args=(1,), disabled=index == len(SECTIONS) - 1, key="intake_next", type="primary")
    if index < len(SECTIONS) - 1:
        c3.button("Go to summary", on_click=_jump, args=(len(SECTIONS) - 1,), key="intake_to_summary")


main()
