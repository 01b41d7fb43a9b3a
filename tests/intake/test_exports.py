"""Exports: PDF and HTML carry the same content, with the patient on every page and text selectable in reading
order; escaping. (FHIR: tests/intake/.)"""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest

from dashboard.intake import draft, summary, summary_html, summary_pdf
from dashboard.intake.answers import Answers
from tests.paths import INTAKE_FIXTURES as FIXTURES

FIXTURE = FIXTURES / "full_draft.json"
CAREGIVER = FIXTURES / "caregiver_draft.json"
NAME = "Nguyễn Thị Ánh Łucja Müller-Peña"
DAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def full() -> Answers:
    return draft.parse(FIXTURE.read_bytes())


@pytest.fixture(scope="module")
def caregiver() -> Answers:
    return draft.parse(CAREGIVER.read_bytes())


def pages_text(data: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    return "\n".join(pages_text(data))


def flat(text: str) -> str:
    """Extracted text with line breaks folded, for phrases that may wrap."""
    return re.sub(r"\s+", " ", text)


# ----------------------------------------------------------------------------- PDF


def test_pdf_contains_key_facts(full):
    data = summary_pdf.render_answers(full, DAY)
    assert data.startswith(b"%PDF")
    text = flat(pdf_text(data))
    for fact in (
        NAME,
        "Clínica Señora Ketamine Care",
        "Tucson, AZ",
        "2026-11-25",
        "14 / 27",
        "moderate (10–14)",
        "6.0 / 10 (mean)",
        "10 / 21",
        "31 / 80",
        "Provisional rule met",
        "To discuss with the clinician",
        "Patient is not sure about high blood pressure",
        "Patient reports taking benzodiazepines or sleep medicines",
        "penicillin",
        "bupropion",
        "sertraline",
        "No permission required to reproduce",
        "PHQ-9 item 9",
        "988",
        "Completed by: not stated",
    ):
        assert fact in text, fact


@pytest.mark.parametrize("which", ["caregiver", "full"])
def test_pdf_typical_intake_is_two_pages_with_the_patient_on_each(which, request):
    data = summary_pdf.render_answers(request.getfixturevalue(which), DAY)
    pages = pages_text(data)
    assert len(pages) == 2
    for page in pages:
        assert page.startswith("Patient: ")  # the running header is read first
        assert "Date of birth: " in page and "Prepared: 2026-11-25" in page


@pytest.mark.parametrize(
    ("which", "why", "own_words", "flag", "medicine"),
    [
        ("full", "Treatment-resistant depression", "Low mood for years", "high blood pressure", "bupropion"),
        ("caregiver", "Conditions:", "", "Caregiver reports high blood pressure.", "oxycodone"),
    ],
)
def test_pdf_page_one_holds_who_why_scores_flags_and_medicines(which, why, own_words, flag, medicine, request):
    answers = request.getfixturevalue(which)
    first, second = (flat(p) for p in pages_text(summary_pdf.render_answers(answers, DAY)))
    for part in (
        "Completed by",
        "Patient and contacts",
        "Reasons for the visit",
        why,
        own_words or why,
        "Questionnaire scores",
        "To discuss with the clinician",
        flag,
        "Medicines and allergies",
        medicine,
    ):
        assert part in first, part
    for part in ("Health and safety screen", "Treatment history", "Logistics", "Sources"):
        assert part in second and part not in first, part


def test_pdf_text_is_in_reading_order(caregiver):
    """Selectable text comes out top to bottom: who, why, scores, topics, medicines, then the full screens …"""
    text = flat(pdf_text(summary_pdf.render_answers(caregiver, DAY)))
    order = [
        "Pre-visit intake summary",
        "Completed by: caregiver (Daniel Haddad)",
        "Patient and contacts",
        "Reasons for the visit",
        "Questionnaire scores",
        "Instrument Score Band Missing Notes",
        "PHQ-9 (last 2 weeks) 14 / 27 moderate (10–14) 0 Item 9 (thoughts of death or self-harm): Not at all (0).",
        "Pain right now (0–10) 6 / 10 moderate",
        "To discuss with the clinician",
        "Caregiver reports high blood pressure.",
        "Medicines and allergies",
        "Current medicine Dose How often",
        "oxycodone 5 mg up to twice a day",
        "Measurements as entered",
        "Height 64 in (5 ft 4 in) = 162.6 cm",
        "Weight 150 lb = 68 kg",
        "Health and safety screen",
        "Aneurysm or other disease of a blood vessel",
        "High blood pressure Yes",
        "Pregnant, or could be pregnant No",
        "Planning a pregnancy No",
        "Allergy or bad reaction to ketamine, esketamine or anaesthesia No",
        "Medicine classes asked about",
        "Opioid pain medicines Yes",
        "Treatment history",
        "Logistics",
        "In crisis? Call or text 988",
        "Sources (numbered as cited)",
    ]
    positions = [text.find(s) for s in order]
    assert all(p >= 0 for p in positions), [s for s, p in zip(order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)


def test_pdf_flags_carry_numbered_endnotes_naming_the_document(caregiver):
    content = summary.build(caregiver, DAY)
    text = flat(pdf_text(summary_pdf.render(content)))
    topics = next(b for b in content.blocks if b.title == "To discuss with the clinician")
    assert topics.items
    for item, notes in topics.items:
        assert notes
        assert flat(f"{item} [{', '.join(map(str, notes))}]") in text
    for n, note in enumerate(content.endnotes, start=1):
        assert flat(f"{n}. {note}") in text
    assert any("SPRAVATO (esketamine) nasal spray, Prescribing Information" in n for n in content.endnotes)


def test_pdf_embeds_shipped_unicode_font(full):
    data = summary_pdf.render_answers(full)
    assert b"DejaVu" in data
    assert summary_pdf.FONT_REGULAR.is_file() and (summary_pdf.FONT_REGULAR.parent / "LICENSE-DejaVu.txt").is_file()


def test_pdf_latin1_baseline_builds_same_document(full):
    text = flat(pdf_text(summary_pdf.render_answers(full, font="latin1")))
    assert "Nguyen Thi Ánh Lucja Müller-Peña" in text
    assert "14 / 27" in text


def test_latin1_transliteration():
    assert summary_pdf.to_latin1("Nguyễn Łucja — é") == "Nguyen Lucja - é"
    assert summary_pdf.to_latin1("日本") == "??"


def test_pdf_of_empty_answers():
    text = flat(pdf_text(summary_pdf.render_answers(Answers())))
    assert "No clinic chosen yet" in text and "No questionnaire was answered" in text
    assert "Patient: name not given" in text and "Date of birth: not given" in text
    assert text.count("Not answered") == 15 + 6  # every screening and medicine-class question, unanswered


# ----------------------------------------------------------------------------- HTML


def test_html_escapes_every_patient_string():
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    a = Answers.model_validate(
        {
            "about": {"name": hostile, "emergency_contact": {"name": hostile}, "completed_by_name": hostile},
            "reason": {"own_words": hostile},
            "logistics": {"clinic": {"id": "c1", "name": hostile}, "notes": hostile},
            "medicines": {"current": [{"name": hostile}]},
        }
    )
    for html in (summary_html.render_answers(a), summary_html.fragment(summary.build(a))):
        assert "<script>" not in html and "<img" not in html
        assert "&lt;script&gt;" in html


def test_html_print_view(full):
    html = summary_html.render_answers(full, DAY)
    assert "@media print" in html
    assert NAME in html and "Clínica Señora Ketamine Care" in html
    assert "moderate (10–14)" in html
    assert "http://" not in html.split("<body>")[0] and "<link" not in html and "<script" not in html


def test_html_and_pdf_say_the_same_things(caregiver):
    """One content model: every table cell, label, topic and endnote of the PDF is in the HTML too."""
    content = summary.build(caregiver, DAY)
    html = summary_html.render(content)
    from html import escape

    pieces = [content.header.patient, content.header.date_of_birth, content.completed_by, content.clinic]
    for b in content.blocks:
        pieces.append(b.title)
        pieces += [c for t in b.tables for row in t.rows for c in row if c]
        pieces += [x for row in b.rows for x in row]
        pieces += [text for text, _ in b.items]
    pieces += content.endnotes
    missing = [p for p in pieces if escape(p) not in html]
    assert missing == []
    assert '<thead><tr><td>\n<div class="runhead"><strong>Patient: Marisol Ortega-Haddad</strong>' in html


def test_html_fragment_styles_stay_inside_the_summary(full):
    frag = summary_html.fragment(summary.build(full, DAY))
    css = frag.split("<style>")[1].split("</style>")[0]
    screen, printing = css.split("@media print")
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{", screen) for s in rule.split(",")]
    assert selectors and all(s.startswith(".intake-summary") for s in selectors)
    inside_print = [s.strip() for rule in re.findall(r"([^{}]+)\{", printing) for s in rule.split(",")]
    assert {s for s in inside_print if not s.startswith(".intake-summary")} == {"", "body", "@page"}
    assert "<h1" not in frag and "<h2" not in frag and '<h3 class="title">' in frag


def test_unsupported_characters_never_reach_the_logs(caplog):
    caplog.set_level("DEBUG")
    a = Answers.model_validate({"about": {"name": "Ana 😀 日本 \x00\x07 \u202e end"}})
    for font in ("unicode", "latin1"):
        text = pdf_text(summary_pdf.render_answers(a, font=font))
        assert "Ana ? ?? " in text
    assert "Ana" not in caplog.text and "😀" not in caplog.text


def test_to_font_keeps_supported_text():
    name = "Nguyễn Thị Ánh Łucja Müller-Peña Ελένη Дмитрий"
    assert summary_pdf.to_font(name) == name
    assert summary_pdf.to_font("a\x00b\nc") == "ab\nc"
