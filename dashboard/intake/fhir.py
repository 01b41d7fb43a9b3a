"""FHIR R4 QuestionnaireResponse export of the questionnaire answers (reference §5).

One response with one group per instrument, linkIds following the LOINC pattern (``/44250-9``),
LOINC answer codes for PHQ-9/GAD-7 options, and totals only when every item is answered; then the
safety-screen and medicine-class answers (Yes / No / Not sure, in a local code system, since the
reference gives no standard codes for them).
Who it is about and who answered: a contained Patient (name, birth date, gender) is the ``subject``;
the ``author`` and ``source`` are that Patient, or a contained RelatedPerson when a caregiver filled the
form in, or a contained Practitioner when a clinician did. The file is a download the patient makes;
nothing is sent anywhere.
Validation uses ``fhir.resources.R4B``: its QuestionnaireResponse has the same elements as R4's, and
the package's R4-only 6.x line would need pydantic 1, which clashes with the pydantic 2 used here.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from dashboard.intake.answers import Answers
from dashboard.intake.instruments import (
    INSTRUMENTS,
    PHQ9,
    PHQ9_DIFFICULTY_LOINC,
    PHQ9_DIFFICULTY_OPTIONS,
    PHQ9_DIFFICULTY_TEXT,
    Instrument,
)
from dashboard.intake.scoring import score_instrument
from dashboard.intake.screening import ANSWER_LABELS, MEDICINE_QUESTIONS, SCREENING_QUESTIONS, Question

LOINC = "http://loinc.org"
QUESTIONNAIRE = "urn:ketamine-clinic-finder:questionnaire:pre-visit-intake|2"
ANSWER_SYSTEM = "urn:ketamine-clinic-finder:codesystem:yes-no-unsure"
GENDER = {"female": "female", "male": "male", "intersex": "other", "other": "other", "prefer_not_to_say": "unknown"}
PATIENT_REF = {"reference": "#patient"}


def _link(inst: Instrument, index: int) -> str:
    item = inst.items[index]
    return f"/{item.loinc}" if item.loinc else f"/{inst.key}/{index + 1}"


def _answer(inst: Instrument, value: int) -> dict[str, Any]:
    option = inst.option(value)
    if option.loinc:
        return {"valueCoding": {"system": LOINC, "code": option.loinc, "display": option.label}}
    return {"valueInteger": value}


def _group(inst: Instrument, values: list[int | None]) -> dict[str, Any] | None:
    items: list[dict[str, Any]] = []
    for i, v in enumerate(values):
        if v is None:
            continue
        items.append({"linkId": _link(inst, i), "text": inst.items[i].text, "answer": [_answer(inst, v)]})
    if not items:
        return None
    score = score_instrument(inst, values)
    if score.total is not None and inst.scoring != "each":
        value = {"valueDecimal": score.total} if inst.scoring == "mean" else {"valueInteger": score.total}
        link = f"/{inst.loinc_total}" if inst.loinc_total else f"/{inst.key}/total"
        text = inst.loinc_total_display or f"{inst.short} total score"
        items.append({"linkId": link, "text": text, "answer": [value]})
    group: dict[str, Any] = {
        "linkId": f"/{inst.loinc_panel}" if inst.loinc_panel else f"/{inst.key}",
        "text": inst.loinc_panel_display or inst.title,
        "item": items,
    }
    return group


def _yesno_group(link: str, text: str, questions: tuple[Question, ...], model: Any) -> dict[str, Any] | None:
    """Every answered yes / no / not sure question of one group ("No" kept: it is not the same as skipped)."""
    items = []
    for q in questions:
        value = getattr(model, q.field)
        if value is None:
            continue
        coding = {"system": ANSWER_SYSTEM, "code": value, "display": ANSWER_LABELS[value]}
        items.append({"linkId": f"/{link}/{q.field}", "text": q.question, "answer": [{"valueCoding": coding}]})
    return {"linkId": f"/{link}", "text": text, "item": items} if items else None


def _patient(answers: Answers) -> dict[str, Any]:
    a = answers.about
    patient: dict[str, Any] = {"resourceType": "Patient", "id": "patient"}
    if a.name:
        patient["name"] = [{"text": a.name}]
    if a.date_of_birth:
        patient["birthDate"] = a.date_of_birth.isoformat()
    if a.sex:
        patient["gender"] = GENDER[a.sex]
    return patient


def _author(answers: Answers) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The contained resource for whoever filled the form in (None for the patient) and a reference to them."""
    a = answers.about
    if a.completed_by == "caregiver":
        person: dict[str, Any] = {
            "resourceType": "RelatedPerson",
            "id": "caregiver",
            "patient": PATIENT_REF,
            "relationship": [{"text": "caregiver"}],
        }
        if a.completed_by_name:
            person["name"] = [{"text": a.completed_by_name}]
        return person, {"reference": "#caregiver"}
    if a.completed_by == "clinician":
        practitioner: dict[str, Any] = {"resourceType": "Practitioner", "id": "clinician"}
        if a.completed_by_name:
            practitioner["name"] = [{"text": a.completed_by_name}]
        return practitioner, {"reference": "#clinician"}
    return None, PATIENT_REF


def questionnaire_response(answers: Answers, authored: dt.datetime | None = None) -> dict[str, Any]:
    """The QuestionnaireResponse as a JSON-ready dict (status ``completed`` only when every shown item is answered)."""
    authored = authored or dt.datetime.now(dt.timezone.utc)
    groups: list[dict[str, Any]] = []
    complete = True
    for key, inst in INSTRUMENTS.items():
        values = list(getattr(answers.instruments, key))
        group = _group(inst, values)
        if group is None:
            continue
        if any(v is None for v in values):
            complete = False
        if inst is PHQ9 and answers.instruments.phq9_difficulty is not None:
            label = PHQ9_DIFFICULTY_OPTIONS[answers.instruments.phq9_difficulty]
            group["item"].append(
                {
                    "linkId": f"/{PHQ9_DIFFICULTY_LOINC}",
                    "text": PHQ9_DIFFICULTY_TEXT,
                    "answer": [{"valueString": label}],
                }
            )
        groups.append(group)
    scored = bool(groups)
    for group in (
        _yesno_group("screening", "Health and safety screen", SCREENING_QUESTIONS, answers.screening),
        _yesno_group("medicine-classes", "Medicine classes", MEDICINE_QUESTIONS, answers.medicines),
    ):
        if group:
            groups.append(group)
    author, author_ref = _author(answers)
    contained = [_patient(answers)] + ([author] if author else [])
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "contained": contained,
        "questionnaire": QUESTIONNAIRE,
        "status": "completed" if complete and scored else "in-progress",
        "subject": PATIENT_REF,
        "authored": authored.isoformat(timespec="seconds"),
        "author": author_ref,
        "source": author_ref,
    }
    if groups:
        resource["item"] = groups
    return resource


def validate(resource: dict[str, Any]) -> None:
    """Raise if the resource is not a valid FHIR QuestionnaireResponse (R4 elements, checked with R4B models)."""
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    QuestionnaireResponse.model_validate(resource)


def to_json(answers: Answers, authored: dt.datetime | None = None) -> str:
    """Validated QuestionnaireResponse JSON text."""
    resource = questionnaire_response(answers, authored)
    validate(resource)
    return json.dumps(resource, indent=2, ensure_ascii=False)
