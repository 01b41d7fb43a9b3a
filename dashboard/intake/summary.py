"""The intake summary's content, built once from the answers and rendered by both the HTML and the PDF.

Keeping one content model means the print view and the PDF always say the same thing. Text here is
plain (unescaped); each renderer escapes for its own medium.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dashboard import safety, vocab
from dashboard.intake.answers import MEDICINE_CLASSES, Answers, Contact
from dashboard.intake.instruments import INSTRUMENTS, PHQ9_DIFFICULTY_OPTIONS
from dashboard.intake.scoring import Score, crisis, score_all
from dashboard.intake.screening import Flag, flags

TITLE = "Pre-visit intake summary"
ITEM9_NOTE = (
    'The patient answered PHQ-9 question 9 above "Not at all". This is noted for discussion with the clinician; '
    "the app does not rate risk."
)
YESNO = {"yes": "yes", "no": "no", "unsure": "not sure"}
SEX = {
    "female": "Female",
    "male": "Male",
    "intersex": "Intersex",
    "other": "Another description",
    "prefer_not_to_say": "Prefers not to say",
}
PAYMENT_LABELS = {
    "accepts_insurance": "Insurance",
    "self_pay_price_usd": "Self-pay",
    "va_community_care": "VA community care",
}


@dataclass
class Section:
    """A heading with label/value rows and free paragraphs (bullets)."""

    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    bullets: list[tuple[str, str]] = field(default_factory=list)  # (text, fine print)


@dataclass
class Summary:
    title: str
    prepared_on: str
    disclaimer: str
    crisis: bool
    crisis_note: str
    crisis_lines: list[str]
    clinic: str
    sections: list[Section]
    notices: list[str]
    scores: dict[str, Score]
    flags: list[Flag]


def _contact(c: Contact) -> str:
    return ", ".join(p for p in (c.name, c.relationship, c.phone) if p)


def _row(rows: list[tuple[str, str]], label: str, value: str | None) -> None:
    if value:
        rows.append((label, value))


def _clinic_text(answers: Answers) -> str:
    c = answers.logistics.clinic
    if c is None:
        return "No clinic chosen yet"
    place = ", ".join(p for p in (c.city, c.state) if p)
    return " — ".join(p for p in (c.name or c.id, place, c.phone) if p)


def _score_rows(scores: dict[str, Score], answers: Answers) -> list[tuple[str, str]]:
    rows = []
    for key, score in scores.items():
        inst = INSTRUMENTS[key]
        values = list(getattr(answers.instruments, key))
        if score.answered == 0:
            continue
        label = f"{inst.short} ({inst.measures}, {inst.recall})"
        if inst.scoring == "each":
            parts = []
            for item, v in zip(inst.items, values, strict=True):
                if v is not None:
                    band = score.details["items"][item.code or item.text]["band"]  # type: ignore[index]
                    parts.append(f"{item.text}: {v}/10 ({band})")
            rows.append((label, "; ".join(parts) + ". " + score.meaning))
            continue
        if score.total is None:
            head = "No total"
        elif inst.scoring == "mean":
            head = f"Mean {score.total:g} of 10 (rounded {score.details.get('rounded')})"
        elif score.band:
            head = f"Total {score.total} of {inst.n_items * inst.max_value} — {score.band}"
        else:
            head = f"Total {score.total} of {inst.n_items * inst.max_value}"
        items = " ".join("–" if v is None else str(v) for v in values)
        text = f"{head}. {score.meaning} Item answers in order: {items}."
        if key == "phq9" and answers.instruments.phq9_difficulty is not None:
            text += f" Difficulty (not scored): {PHQ9_DIFFICULTY_OPTIONS[answers.instruments.phq9_difficulty]}."
        rows.append((label, text))
    return rows


def build(answers: Answers, today: dt.date | None = None) -> Summary:
    """All content of the summary, in print order."""
    today = today or dt.date.today()
    scores = score_all(answers)
    found = flags(answers)
    a = answers.about
    sections: list[Section] = []

    about = Section("About the patient")
    _row(about.rows, "Name", a.name)
    _row(about.rows, "Date of birth", a.date_of_birth.isoformat() if a.date_of_birth else "")
    _row(about.rows, "Age", str(a.age) if a.age is not None else "")
    _row(about.rows, "Sex", SEX.get(a.sex or "", ""))
    _row(about.rows, "Preferred language", a.preferred_language)
    _row(about.rows, "Emergency contact", _contact(a.emergency_contact))
    _row(about.rows, "Ride home arranged", YESNO.get(a.ride_home or "", ""))
    _row(about.rows, "Driver / person taking them home", _contact(a.driver))
    _row(about.rows, "Referring clinician", _contact(a.referring_clinician))
    sections.append(about)

    r = answers.reason
    reason = Section("Reasons for the visit")
    _row(reason.rows, "Conditions", ", ".join(vocab.label(c) for c in r.conditions))
    _row(reason.rows, "In their own words", r.own_words)
    _row(reason.rows, "For how long", r.how_long)
    sections.append(reason)

    score_section = Section("Questionnaire scores (for your clinician)", rows=_score_rows(scores, answers))
    if not score_section.rows:
        score_section.bullets.append(("No questionnaire was answered.", ""))
    sections.append(score_section)

    flag_section = Section("To discuss with your clinician")
    flag_section.bullets = [(f"{f.text} Why it is asked: {f.reason}", f"Source: {f.source}") for f in found]
    if not found:
        flag_section.bullets.append(("No screening answer raised a topic to discuss.", ""))
    sections.append(flag_section)

    m = answers.medicines
    meds = Section("Medicines and allergies")
    for med in m.current:
        detail = ", ".join(p for p in (med.dose, med.how_often) if p)
        _row(meds.rows, med.name or "(unnamed medicine)", detail or "dose not given")
    classes = [label for key, label in MEDICINE_CLASSES.items() if getattr(m, key) in ("yes", "unsure")]
    _row(meds.rows, "Highlighted classes reported", "; ".join(classes))
    s = answers.screening
    _row(meds.rows, "Allergies", s.allergies)
    _row(meds.rows, "Allergy or reaction to ketamine/anaesthesia", YESNO.get(s.ketamine_allergy or "", ""))
    if not meds.rows:
        meds.bullets.append(("No medicines or allergies entered.", ""))
    sections.append(meds)

    body = Section("Measurements the patient knows")
    _row(body.rows, "Height", f"{s.height_cm:g} cm" if s.height_cm else "")
    _row(body.rows, "Weight", f"{s.weight_kg:g} kg" if s.weight_kg else "")
    bp = "; ".join(
        f"{x.systolic}/{x.diastolic}" + (f" ({x.when})" if x.when else "") for x in s.blood_pressure_readings
    )
    _row(body.rows, "Recent blood-pressure readings", bp)
    if body.rows:
        sections.append(body)

    h = answers.history
    hist = Section("Treatment history")
    for t in h.antidepressants:
        parts = [p for p in (t.how_long, f"helped: {t.helped}" if t.helped else "", t.side_effects) if p]
        _row(hist.rows, f"Antidepressant: {t.name or '(unnamed)'}", "; ".join(parts) or "no details")
    _row(hist.rows, "Psychotherapy", h.psychotherapy)
    _row(hist.rows, "ECT", YESNO.get(h.ect or "", ""))
    _row(hist.rows, "TMS", YESNO.get(h.tms or "", ""))
    _row(hist.rows, "Ketamine before", YESNO.get(h.ketamine_before or "", ""))
    _row(hist.rows, "Esketamine (Spravato) before", YESNO.get(h.esketamine_before or "", ""))
    _row(hist.rows, "Ketamine/esketamine details", h.ketamine_details)
    for p in h.pain_treatments:
        parts = [x for x in (p.kind or "", p.result) if x]
        _row(hist.rows, f"Pain treatment: {p.treatment or '(unnamed)'}", "; ".join(parts) or "no details")
    ns = h.neuropathic_screener
    if ns.name or ns.result:
        _row(hist.rows, "Neuropathic-pain questionnaire given by a clinician", f"{ns.name or ''} {ns.result}".strip())
    if not hist.rows:
        hist.bullets.append(("No treatment history entered.", ""))
    sections.append(hist)

    lg = answers.logistics
    logi = Section("Logistics")
    _row(logi.rows, "Chosen clinic", _clinic_text(answers))
    _row(logi.rows, "Preferred routes", ", ".join(vocab.label(c) for c in lg.preferred_routes))
    _row(logi.rows, "Payment", ", ".join(PAYMENT_LABELS.get(c, c) for c in lg.payment))
    _row(logi.rows, "Insurance", lg.insurance_name)
    _row(logi.rows, "Notes", lg.notes)
    sections.append(logi)

    answered = [INSTRUMENTS[k] for k, sc in scores.items() if sc.answered]
    notices = [i.notice if i.notice.startswith(i.short) else f"{i.short}: {i.notice}" for i in answered]
    is_crisis = crisis(answers)
    return Summary(
        title=TITLE,
        prepared_on=today.isoformat(),
        disclaimer=safety.MEDICAL_DISCLAIMER,
        crisis=is_crisis,
        crisis_note=ITEM9_NOTE if is_crisis else "",
        crisis_lines=[f"{c.name}: {c.how}" for c in safety.CRISIS_LINES],
        clinic=_clinic_text(answers),
        sections=sections,
        notices=notices,
        scores=scores,
        flags=found,
    )
