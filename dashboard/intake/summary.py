"""The intake summary's content, built once from the answers and rendered by both the HTML and the PDF.

The summary is for the clinician at the first consultation, so it is written in the clinician's voice
("Patient reports …") and ordered for a glance. Page 1 is what the first minute needs: who it is about
and who filled it in, why they come (conditions and their own words), the scores table, the topics to
discuss (each with numbered endnotes naming the source document; topics with the same reason merged into
one) and the medicines. Page 2 holds every safety-screen question with its answer (so "No" is told apart
from "Not answered"), measurements as entered plus metric, treatment history, logistics and the sources.
Text here is plain (unescaped); each renderer escapes for its medium.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dashboard import vocab
from dashboard.content import safety
from dashboard.content.citations import Cite
from dashboard.intake import checkins, progress, progress_chart
from dashboard.intake.answers import Answers, Contact
from dashboard.intake.instruments import (
    FREQUENCY,
    INSTRUMENTS,
    PCL5_CUTOFF_TEXT,
    PHQ9_DIFFICULTY_OPTIONS,
    PHQ9_ITEM9_INDEX,
)
from dashboard.intake.scoring import Score, crisis, score_all
from dashboard.intake.screening import ANSWER_LABELS, MEDICINE_QUESTIONS, SCREENING_QUESTIONS, Flag, flags
from dashboard.intake.tables import Table

TITLE = "Pre-visit intake summary"
FOR_CLINICIAN = (
    "Prepared with a questionnaire app for the clinician; not medical advice. Answers are as reported and not "
    "verified. Scores are screening measures, not diagnoses. The app does not rate risk, decide eligibility or "
    "advise on medicines."
)
ITEM9_NOTE = (
    'PHQ-9 item 9 was answered above "Not at all". Crisis contacts were shown on screen. This is noted for '
    "discussion; the app does not rate risk."
)
SEX = {
    "female": "Female",
    "male": "Male",
    "intersex": "Intersex",
    "other": "Another description",
    "prefer_not_to_say": "Prefers not to say",
}
COMPLETED_BY = {"patient": "patient", "caregiver": "caregiver", "clinician": "clinician"}
PAYMENT_LABELS = {
    "accepts_insurance": "Insurance",
    "self_pay_price_usd": "Self-pay",
    "va_community_care": "VA community care",
}
HELPED = {"yes": "Yes", "partly": "Partly", "no": "No", "unsure": "Not sure"}
NOT_GIVEN = "not given"
CM_PER_INCH = 2.54
KG_PER_LB = 0.45359237


@dataclass(frozen=True)
class Header:
    """What every page repeats, so a loose page still says whose it is."""

    patient: str
    date_of_birth: str
    date: str

    def line(self) -> str:
        return f"Patient: {self.patient} · Date of birth: {self.date_of_birth} · Prepared: {self.date}"


@dataclass
class Block:
    """One titled part of the summary: label/value rows, tables, and numbered or plain items."""

    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    items: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)  # (text, endnote numbers)
    empty: str = ""  # said when the block has nothing else
    side_by_side: bool = False  # two tables next to each other where the page is wide enough
    grid: bool = False  # label/value rows two to a line
    page: int = 1  # the printed page it belongs on: 1 = who, why, scores, flags, medicines; 2 = the rest

    @property
    def is_empty(self) -> bool:
        return not (self.rows or self.tables or self.items)


@dataclass
class Summary:
    title: str
    header: Header
    completed_by: str
    clinic: str
    about_note: str
    disclaimer: str
    crisis: bool
    crisis_note: str
    crisis_lines: list[str]
    crisis_short: str
    blocks: list[Block]
    endnotes: list[str]
    notices: list[str]
    scores: dict[str, Score]
    flags: list[Flag]
    score_table: Table
    progress: progress.Page | None = None  # the check-ins of a treatment series, on a page of their own


def _contact(c: Contact) -> str:
    return ", ".join(p for p in (c.name, c.relationship, c.phone) if p)


def _row(rows: list[tuple[str, str]], label: str, value: str | None) -> None:
    if value:
        rows.append((label, value))


def clinic_text(answers: Answers) -> str:
    c = answers.logistics.clinic
    if c is None:
        return "No clinic chosen yet"
    place = ", ".join(p for p in (c.city, c.state) if p)
    return " — ".join(p for p in (c.name or c.id, place, c.phone) if p)


def completed_by_text(answers: Answers) -> str:
    """ "patient", "caregiver (name)", "clinician (name)" or "not stated"."""
    a = answers.about
    if a.completed_by is None:
        return "not stated"
    who = COMPLETED_BY[a.completed_by]
    if a.completed_by != "patient" and a.completed_by_name:
        who += f" ({a.completed_by_name})"
    return who


def header(answers: Answers, today: dt.date) -> Header:
    a = answers.about
    if a.date_of_birth:
        born = a.date_of_birth
        years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        dob = f"{born.isoformat()} (age {years})"
    else:
        dob = NOT_GIVEN + (f" (age {a.age})" if a.age is not None else "")
    return Header(a.name or "name not given", dob, today.isoformat())


def _items(values: list[int | None]) -> str:
    return " ".join("–" if v is None else str(v) for v in values)


def score_table(scores: dict[str, Score], answers: Answers) -> Table:
    """Instrument, score, band, missing items and notes (PHQ-9 item 9 answer first), one row per result."""
    table = Table(("Instrument", "Score", "Band", "Missing", "Notes"), widths=(2.5, 1.5, 1.9, 0.9, 4.2))
    for key, score in scores.items():
        inst = INSTRUMENTS[key]
        if score.answered == 0:
            continue
        values = list(getattr(answers.instruments, key))
        missing = "0" if score.missing == 0 else f"{score.missing} of {inst.n_items}"
        if inst.scoring == "each":
            for item, v in zip(inst.items, values, strict=True):
                label = f"{item.text.replace('Your ', '').capitalize()} (0–10)"
                if v is None:
                    table.rows.append((label, "—", "", "not answered", ""))
                else:
                    band = score.details["items"][item.code or item.text]["band"]  # type: ignore[index]
                    table.rows.append((label, f"{v} / 10", str(band), "0", ""))
            continue
        name = f"{inst.short} ({inst.recall.removeprefix('the ')})"
        notes: list[str] = []
        if key == "phq9":
            item9 = values[PHQ9_ITEM9_INDEX]
            answer = "not answered" if item9 is None else f"{FREQUENCY[item9].label} ({item9})"
            notes.append(f"Item 9 (thoughts of death or self-harm): {answer}.")
            if answers.instruments.phq9_difficulty is not None:
                notes.append(f"Difficulty: {PHQ9_DIFFICULTY_OPTIONS[answers.instruments.phq9_difficulty]}.")
        if score.total is None:
            shown, band = "no total", ""
        elif inst.scoring == "mean":
            shown, band = f"{score.total:.1f} / 10 (mean)", "no published bands"
        else:
            shown = f"{score.total} / {inst.n_items * inst.max_value}"
            band = f"{score.band} ({score.band_range})" if score.band else "no published bands"
        if key == "pcl5" and score.total is not None:
            rule = "met" if score.details.get("provisional_rule_met") else "not met"
            notes.append(f"Provisional rule {rule}; published cut-off {PCL5_CUTOFF_TEXT}.")
        notes.append(f"Items: {_items(values)}.")
        row = (name, shown, band, missing, " ".join(notes))
        if key == "phq9":
            table.rows.insert(0, row)
        else:
            table.rows.append(row)
    return table


class _Endnotes:
    """Numbers each distinct citation once, in order of first use."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def number(self, text: str) -> int:
        if text not in self.texts:
            self.texts.append(text)
        return self.texts.index(text) + 1


def _yesno_table(questions, model, first: str) -> Table:
    table = Table((first, "Answer"), widths=(5.8, 2.0))
    for i, q in enumerate(questions):
        answer = getattr(model, q.field)
        table.rows.append((q.question, ANSWER_LABELS[answer]))
        if answer in ("yes", "unsure"):
            table.strong.add(i)
    return table


def _halves(t: Table) -> list[Table]:
    """A long two-column table as two tables printed side by side (first half, then second: reading order)."""
    cut = (len(t.rows) + 1) // 2
    left = Table(t.columns, t.rows[:cut], t.widths, {i for i in t.strong if i < cut})
    right = Table(t.columns, t.rows[cut:], t.widths, {i - cut for i in t.strong if i >= cut})
    return [left, right]


def _inches(cm: float) -> str:
    inches = round(cm / CM_PER_INCH, 1)
    feet, rest = divmod(inches, 12)
    return f"{inches:g} in ({int(feet)} ft {rest:g} in) = {round(cm, 1):g} cm"


def _pounds(kg: float) -> str:
    return f"{round(kg / KG_PER_LB, 1):g} lb = {round(kg, 1):g} kg"


def topic_items(found: list[Flag], completed_by: str | None) -> list[tuple[str, str, tuple[Cite, ...]]]:
    """(sentences, reason, sources) per topic; flags that give the same reason are one topic, so a clinician
    reads "blood pressure is checked…" once beside both the answer and the readings."""
    merged: dict[str, tuple[list[str], list[Cite]]] = {}
    for f in found:
        texts, cites = merged.setdefault(f.reason, ([], []))
        texts.append(f.for_clinician(completed_by))
        cites.extend(c for c in f.cites if c not in cites)
    return [(" ".join(texts), reason, tuple(cites)) for reason, (texts, cites) in merged.items()]


def build(answers: Answers, today: dt.date | None = None) -> Summary:
    """All content of the summary, in print order."""
    today = today or dt.date.today()
    scores = score_all(answers)
    found = flags(answers)
    a = answers.about
    notes = _Endnotes()
    blocks: list[Block] = []

    about = Block("Patient and contacts", grid=True)  # name and date of birth head every page
    _row(about.rows, "Sex", SEX.get(a.sex or "", ""))
    _row(about.rows, "Preferred language", a.preferred_language)
    _row(about.rows, "Emergency contact", _contact(a.emergency_contact))
    _row(about.rows, "Ride home", ANSWER_LABELS[a.ride_home] if a.ride_home else "")
    _row(about.rows, "Driver home", _contact(a.driver))
    _row(about.rows, "Referring clinician", _contact(a.referring_clinician))
    about.empty = "No personal details entered."
    blocks.append(about)

    r = answers.reason
    reason = Block("Reasons for the visit", empty="No reason entered.")  # free text: full width
    _row(reason.rows, "Conditions", ", ".join(vocab.label(c) for c in r.conditions))
    _row(reason.rows, "In their own words", r.own_words)
    _row(reason.rows, "For how long", r.how_long)
    blocks.append(reason)

    scores_block = Block("Questionnaire scores", empty="No questionnaire was answered.")
    table = score_table(scores, answers)
    if table.rows:
        scores_block.tables.append(table)
    blocks.append(scores_block)

    topics = Block("To discuss with the clinician", empty="No answer raised a topic to discuss.")
    for text, reason_text, cites in topic_items(found, a.completed_by):
        numbers = tuple(notes.number(c.text()) for c in cites)
        topics.items.append((f"{text} Why: {reason_text}", numbers))
    blocks.append(topics)

    s = answers.screening
    m = answers.medicines
    meds = Block("Medicines and allergies")
    current = Table(("Current medicine", "Dose", "How often"), widths=(3.2, 2.4, 3.4))
    for med in m.current:
        current.rows.append((med.name or "(unnamed medicine)", med.dose or NOT_GIVEN, med.how_often or NOT_GIVEN))
    if not m.current:
        current.rows.append(("none entered", "", ""))
    meds.tables.append(current)
    meds.rows.append(("Allergies", s.allergies or "none entered"))
    blocks.append(meds)

    body = Block("Measurements as entered", empty="No measurements entered.", grid=True)
    us = s.units == "us"
    if s.height_cm:
        body.rows.append(("Height", _inches(s.height_cm) if us else f"{round(s.height_cm, 1):g} cm"))
    if s.weight_kg:
        body.rows.append(("Weight", _pounds(s.weight_kg) if us else f"{round(s.weight_kg, 1):g} kg"))
    bp = "; ".join(
        f"{x.systolic}/{x.diastolic} mmHg" + (f" ({x.when})" if x.when else "") for x in s.blood_pressure_readings
    )
    _row(body.rows, "Blood-pressure readings", bp)
    blocks.append(body)

    screen = Block("Health and safety screen (every question, as answered)", side_by_side=True, page=2)
    screen.tables.extend(_halves(_yesno_table(SCREENING_QUESTIONS, s, "Question")))
    blocks.append(screen)
    classes = Block("Medicine classes asked about (every question, as answered)", side_by_side=True, page=2)
    classes.tables.extend(_halves(_yesno_table(MEDICINE_QUESTIONS, m, "Medicine class")))
    blocks.append(classes)

    h = answers.history
    hist = Block("Treatment history", empty="No treatment history entered.", grid=True, page=2)
    if h.antidepressants:
        trials = Table(("Antidepressant", "How long", "Helped", "Side effects"), widths=(3.0, 2.0, 1.4, 3.6))
        for t in h.antidepressants:
            trials.rows.append(
                (t.name or "(unnamed)", t.how_long or "", HELPED.get(t.helped or "", ""), t.side_effects or "")
            )
        hist.tables.append(trials)
    _row(hist.rows, "Psychotherapy", h.psychotherapy)
    for label, value in (
        ("ECT", h.ect),
        ("TMS", h.tms),
        ("Ketamine before", h.ketamine_before),
        ("Esketamine before", h.esketamine_before),
    ):
        _row(hist.rows, label, ANSWER_LABELS[value] if value else "")
    _row(hist.rows, "Ketamine/esketamine details", h.ketamine_details)
    if h.pain_treatments:
        pain = Table(("Pain treatment or procedure", "Kind", "Result"), widths=(4.0, 1.6, 4.4))
        for p in h.pain_treatments:
            pain.rows.append((p.treatment or "(unnamed)", (p.kind or "").capitalize(), p.result))
        hist.tables.append(pain)
    ns = h.neuropathic_screener
    if ns.name or ns.result:
        _row(hist.rows, "Neuropathic-pain questionnaire given by a clinician", f"{ns.name or ''} {ns.result}".strip())
    blocks.append(hist)

    lg = answers.logistics
    logi = Block("Logistics", empty="No logistics entered.", grid=True, page=2)
    _row(logi.rows, "Preferred routes", ", ".join(vocab.label(c) for c in lg.preferred_routes))
    _row(logi.rows, "Payment", ", ".join(PAYMENT_LABELS.get(c, c) for c in lg.payment))
    _row(logi.rows, "Insurance", lg.insurance_name)
    _row(logi.rows, "Notes", lg.notes)
    blocks.append(logi)

    used = {k for k, sc in scores.items() if sc.answered} | checkins.instruments_used(answers)
    answered = [inst for k, inst in INSTRUMENTS.items() if k in used]
    notices = [i.notice if i.notice.startswith(i.short) else f"{i.short}: {i.notice}" for i in answered]
    progress_page = progress.page(answers, notes.number, progress_chart.spec)
    is_crisis = crisis(answers) or checkins.any_crisis(answers)
    return Summary(
        title=TITLE,
        header=header(answers, today),
        completed_by=completed_by_text(answers),
        clinic=clinic_text(answers),
        about_note=FOR_CLINICIAN,
        disclaimer=safety.MEDICAL_DISCLAIMER,
        crisis=is_crisis,
        crisis_note=ITEM9_NOTE if is_crisis else "",
        crisis_lines=[f"{c.name}: {c.how}" for c in safety.CRISIS_LINES],
        crisis_short=safety.CRISIS_SHORT,
        blocks=blocks,
        endnotes=notes.texts,
        notices=notices,
        scores=scores,
        flags=found,
        score_table=table,
        progress=progress_page,
    )
