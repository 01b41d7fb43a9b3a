"""The clinician's summary: who it is about and who filled it in, the scores table first, every safety-screen
answer (so "No" is not mistaken for "skipped"), medicines as a table, measurements as entered, clinician voice.

The first test is the issue's "must show", run exactly as the lead will: ``python -m dashboard intake DRAFT
--pdf out.pdf`` on a draft a caregiver completed with every screening question answered."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

import pypdf
import pytest

from dashboard.content import citations
from dashboard.intake import draft, summary
from dashboard.intake.answers import Answers
from dashboard.intake.screening import ANSWER_LABELS, MEDICINE_QUESTIONS, SCREENING_QUESTIONS
from tests.bounds import SUBPROCESS_TIMEOUT_S
from tests.paths import FIXTURES, ROOT

CAREGIVER = FIXTURES / "intake" / "caregiver_draft.json"
DAY = dt.date(2026, 11, 25)
URL = re.compile(r"https?://[^\s)\]]+")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_cli_pdf_for_a_caregiver_draft_shows_who_every_no_and_only_authoritative_hosts(tmp_path):
    doc = json.loads(CAREGIVER.read_text(encoding="utf-8"))
    assert doc["about"]["completed_by"] == "caregiver"
    assert all(doc["screening"][q.field] in ("yes", "no", "unsure") for q in SCREENING_QUESTIONS)
    out = tmp_path / "out.pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "intake", str(CAREGIVER), "--pdf", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT_S,
    )
    assert proc.returncode == 0, proc.stderr
    pages = [p.extract_text() for p in pypdf.PdfReader(out).pages]
    assert len(pages) == 2
    for page in pages:
        assert "Marisol Ortega-Haddad" in page.splitlines()[0]  # the patient's name heads every page
    text = flat("\n".join(pages))
    assert "Completed by: caregiver (Daniel Haddad)" in text
    for q in SCREENING_QUESTIONS:
        answer = ANSWER_LABELS[doc["screening"][q.field]]
        assert flat(f"{q.question} {answer}") in text, q.field
    nos = [q for q in SCREENING_QUESTIONS if doc["screening"][q.field] == "no"]
    assert len(nos) == 13  # every "No" is printed, not dropped
    hosts = {citations.host(u) for u in URL.findall(text)}
    assert hosts, "the summary cites its sources with links"
    assert hosts <= set(citations.ALLOWED_HOSTS), hosts - set(citations.ALLOWED_HOSTS)


@pytest.fixture(scope="module")
def content() -> summary.Summary:
    return summary.build(draft.parse(CAREGIVER.read_bytes()), DAY)


def block(content: summary.Summary, title: str) -> summary.Block:
    return next(b for b in content.blocks if b.title.startswith(title))


def test_header_names_patient_birth_date_and_day(content):
    assert content.header == summary.Header("Marisol Ortega-Haddad", "1971-06-14 (age 55)", "2026-11-25")
    assert content.completed_by == "caregiver (Daniel Haddad)"


@pytest.mark.parametrize(
    ("about", "shown"),
    [
        ({}, "not stated"),
        ({"completed_by": "patient", "completed_by_name": "ignored"}, "patient"),
        ({"completed_by": "caregiver"}, "caregiver"),
        ({"completed_by": "clinician", "completed_by_name": "Dr. Ada Ruiz"}, "clinician (Dr. Ada Ruiz)"),
    ],
)
def test_completed_by(about, shown):
    assert summary.build(Answers.model_validate({"about": about})).completed_by == shown


def test_page_one_is_who_why_scores_topics_and_medicines_in_that_order(content):
    first = [b.title for b in content.blocks if b.page == 1]
    assert first == [
        "Patient and contacts",
        "Reasons for the visit",
        "Questionnaire scores",
        "To discuss with the clinician",
        "Medicines and allergies",
        "Measurements as entered",
    ]


def test_scores_table_has_item9_and_every_pain_rating(content):
    table = block(content, "Questionnaire scores").tables[0]
    assert table.columns == ("Instrument", "Score", "Band", "Missing", "Notes")
    rows = {r[0]: r for r in table.rows}
    phq = rows["PHQ-9 (last 2 weeks)"]
    assert phq[1:4] == ("14 / 27", "moderate (10–14)", "0")
    assert phq[4].startswith("Item 9 (thoughts of death or self-harm): Not at all (0).")
    assert rows["PEG (past week)"][1] == "7.3 / 10 (mean)"
    assert rows["Pain right now (0–10)"][1:3] == ("6 / 10", "moderate")
    assert rows["Worst pain in the past week (0–10)"][1:3] == ("9 / 10", "severe")
    assert rows["Least pain in the past week (0–10)"][1:3] == ("4 / 10", "moderate")
    assert "GAD-7 (last 2 weeks)" not in rows  # not asked: no row


def test_incomplete_instrument_shows_missing_items():
    a = Answers.model_validate({"instruments": {"phq9": [1, 1, None, 1, 1, 1, 1, 1, None]}})
    [row] = summary.build(a).score_table.rows
    assert row[1:4] == ("no total", "", "2 of 9")
    assert "Item 9 (thoughts of death or self-harm): not answered." in row[4]


def test_safety_screen_lists_every_question_with_its_answer(content):
    screen = block(content, "Health and safety screen")
    rows = [r for t in screen.tables for r in t.rows]
    assert [r[0] for r in rows] == [q.question for q in SCREENING_QUESTIONS]
    assert {r[1] for r in rows} == {"Yes", "No", "Not sure"}
    empty = block(summary.build(Answers()), "Health and safety screen")
    assert {r[1] for t in empty.tables for r in t.rows} == {"Not answered"}


def test_not_sure_is_kept_apart_from_yes(content):
    classes = block(content, "Medicine classes asked about").tables
    answers = dict(r for t in classes for r in t.rows)
    assert answers[MEDICINE_QUESTIONS[1].question] == "Yes"  # opioids
    assert answers[MEDICINE_QUESTIONS[5].question] == "Not sure"  # other sedatives
    assert [q.question for q in MEDICINE_QUESTIONS] == [r[0] for t in classes for r in t.rows]
    assert classes[0].columns == ("Medicine class", "Answer")


def test_medicines_are_a_table(content):
    current = block(content, "Medicines and allergies").tables[0]
    assert current.columns == ("Current medicine", "Dose", "How often")
    assert current.rows[0] == ("oxycodone", "5 mg", "up to twice a day")
    assert len(current.rows) == 4


@pytest.mark.parametrize(
    ("screening", "height", "weight"),
    [
        ({"units": "us", "height_cm": 162.56, "weight_kg": 68.0389}, "64 in (5 ft 4 in) = 162.6 cm", "150 lb = 68 kg"),
        ({"units": "metric", "height_cm": 170.0, "weight_kg": 70.5}, "170 cm", "70.5 kg"),
        ({"height_cm": 165.0, "weight_kg": 62.5}, "165 cm", "62.5 kg"),  # a version-1 draft: units unknown
    ],
)
def test_measurements_as_entered_plus_metric(screening, height, weight):
    rows = dict(block(summary.build(Answers.model_validate({"screening": screening})), "Measurements").rows)
    assert rows["Height"] == height and rows["Weight"] == weight


def test_flags_speak_to_the_clinician_with_endnotes(content):
    topics = block(content, "To discuss with the clinician")
    texts = [t for t, _ in topics.items]
    assert texts[0].startswith("Caregiver reports high blood pressure.")
    assert not any(t.startswith("You ") for t in texts)
    for _, notes in topics.items:
        assert notes and all(1 <= n <= len(content.endnotes) for n in notes)
    assert len(set(content.endnotes)) == len(content.endnotes)


def test_item9_note_in_clinician_voice():
    a = Answers.model_validate({"instruments": {"phq9": [0] * 8 + [2]}})
    content = summary.build(a)
    assert content.crisis and "does not rate risk" in content.crisis_note
    [(text, _)] = block(content, "To discuss with the clinician").items
    assert text.startswith('PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered "More than half')


def test_topics_with_the_same_reason_are_one_item_with_both_sentences():
    a = Answers.model_validate(
        {
            "screening": {
                "high_blood_pressure": "unsure",
                "blood_pressure_readings": [{"systolic": 150, "diastolic": 95}],
            }
        }
    )
    items = block(summary.build(a), "To discuss with the clinician").items
    bp = [text for text, _ in items if "blood pressure is checked" in text]
    assert len(bp) == 1, items
    assert "not sure about high blood pressure" in bp[0] and "150/95" in bp[0]
    assert bp[0].count("Why:") == 1


def test_item9_reason_fits_the_answer_it_is_shown_for():
    for value in (1, 2, 3):
        a = Answers.model_validate({"instruments": {"phq9": [0] * 8 + [value]}})
        [text] = [t for t, _ in block(summary.build(a), "To discuss with the clinician").items if "item 9" in t]
        assert "negative answer" not in text and "reassurance" not in text
        assert "does not measure risk" in text
