"""Exports: FHIR R4 QuestionnaireResponse validates; PDF text and HTML show the key facts; escaping."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pypdf
import pytest

from dashboard.intake import draft, fhir, summary_html, summary_pdf
from dashboard.intake.answers import Answers, Instruments

FIXTURE = Path(__file__).parent / "fixtures" / "intake" / "full_draft.json"
NAME = "Nguyễn Thị Ánh Łucja Müller-Peña"


@pytest.fixture(scope="module")
def full() -> Answers:
    return draft.parse(FIXTURE.read_bytes())


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() for p in reader.pages)


def _items(resource, link):
    for group in resource["item"]:
        if group["linkId"] == link:
            return {i["linkId"]: i for i in group["item"]}
    raise KeyError(link)


def test_fhir_validates_with_loinc_codes(full):
    resource = fhir.questionnaire_response(full, dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc))
    fhir.validate(resource)
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    parsed = QuestionnaireResponse.model_validate_json(fhir.to_json(full))
    assert parsed.status == "completed"
    phq = _items(resource, "/44249-1")
    assert phq["/44250-9"]["answer"][0]["valueCoding"] == {
        "system": "http://loinc.org", "code": "LA6570-1", "display": "More than half the days"
    }  # fmt: skip
    assert phq["/44260-8"]["answer"][0]["valueCoding"]["code"] == "LA6569-3"
    assert phq["/44261-6"]["answer"][0] == {"valueInteger": 14}
    gad = _items(resource, "/69737-5")
    assert len([k for k in gad if k != "/70274-6"]) == 7
    assert gad["/70274-6"]["answer"][0] == {"valueInteger": 10}
    peg = _items(resource, "/91148-7")
    assert peg["/91147-9"]["answer"][0] == {"valueDecimal": 6.0}
    text = json.dumps(resource, ensure_ascii=False)
    assert NAME not in text  # answers only, no identity


def test_fhir_incomplete_has_no_total_and_is_in_progress():
    a = Answers(instruments=Instruments(phq9=[1, 1, None, 1, 1, 1, 1, 1, 0]))
    resource = fhir.questionnaire_response(a)
    fhir.validate(resource)
    assert resource["status"] == "in-progress"
    phq = _items(resource, "/44249-1")
    assert "/44261-6" not in phq and "/44259-0" not in phq and len(phq) == 8


def test_fhir_empty_answers_still_valid():
    resource = fhir.questionnaire_response(Answers())
    fhir.validate(resource)
    assert "item" not in resource


def test_fhir_rejects_broken_resource():
    with pytest.raises(Exception):  # noqa: B017, PT011 - any validation error
        fhir.validate(
            {
                "resourceType": "QuestionnaireResponse",
                "status": "completed",
                "item": [{"answer": [{"valueInteger": "x"}]}],
            }
        )


def test_pdf_contains_key_facts(full):
    data = summary_pdf.render_answers(full, dt.date(2026, 11, 25))
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert 1 <= len(reader.pages) <= 2
    text = pdf_text(data)
    for fact in (
        NAME,
        "Clínica Señora Ketamine Care",
        "Tucson, AZ",
        "2026-11-25",
        "Total 14 of 27",
        "moderate",
        "Mean 6 of 10",
        "Total 10 of 21",
        "To discuss with your clinician",
        "high blood pressure",
        "benzodiazepines or sleep medicines",
        "penicillin",
        "bupropion",
        "sertraline",
        "No permission required to reproduce",
        "PHQ-9 question 9",
        "988",
    ):
        assert fact in text, fact


def test_pdf_embeds_shipped_unicode_font(full):
    data = summary_pdf.render_answers(full)
    assert b"DejaVu" in data
    assert summary_pdf.FONT_REGULAR.is_file() and (summary_pdf.FONT_REGULAR.parent / "LICENSE-DejaVu.txt").is_file()


def test_pdf_latin1_baseline_builds_same_document(full):
    text = pdf_text(summary_pdf.render_answers(full, font="latin1"))
    assert "Nguyen Thi Ánh Lucja Müller-Peña" in text
    assert "Total 14 of 27" in text


def test_latin1_transliteration():
    assert summary_pdf.to_latin1("Nguyễn Łucja — é") == "Nguyen Lucja - é"
    assert summary_pdf.to_latin1("日本") == "??"


def test_pdf_of_empty_answers():
    text = pdf_text(summary_pdf.render_answers(Answers()))
    assert "No clinic chosen yet" in text and "No questionnaire was answered" in text


def test_html_escapes_every_patient_string():
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    a = Answers.model_validate(
        {
            "about": {"name": hostile, "emergency_contact": {"name": hostile}},
            "reason": {"own_words": hostile},
            "logistics": {"clinic": {"id": "c1", "name": hostile}, "notes": hostile},
            "medicines": {"current": [{"name": hostile}]},
        }
    )
    html = summary_html.render_answers(a)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_html_print_view(full):
    html = summary_html.render_answers(full, dt.date(2026, 11, 25))
    assert "@media print" in html
    assert NAME in html and "Clínica Señora Ketamine Care" in html
    assert "moderate range (10–14)" in html
    assert "http://" not in html.split("<body>")[0] and "<link" not in html and "<script" not in html


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
