"""FHIR R4 export of the questionnaire answers: a Bundle with the Patient, the QuestionnaireResponse and the scores.

The response answers the app's published Questionnaire (dashboard/intake/questionnaire.py, which defines every
linkId and coding used here): LOINC item codes, LOINC answer codes for PHQ-9/GAD-7 options and the PHQ-9
difficulty item, totals only when every item is answered; then the safety-screen and medicine-class answers.
Each scored total with a LOINC code (PHQ-9 44261-6, GAD-7 70274-6, PEG mean 91147-9, pain now 72514-3) is
also an Observation ``derivedFrom`` the response, since that is how a receiving system files a score
(US Core's screening-assessment pattern, reference §5); the PCL-5 total stays in the response only, as no
LOINC code for it was found.

Each check-in of a treatment series (``Answers.checkins``) is a QuestionnaireResponse of its own, answering
the same Questionnaire with the instruments it holds, ``authored`` on the check-in's date, with its own score
Observations (``effectiveDateTime`` the same date): a receiving system files each as the dated measurement
it is. The session it follows and the side effects are free text with no item in the Questionnaire, so they
stay in the draft file and the printed summary.

The Bundle is of type ``collection``: a set of resources handed over as a file, with no server action
(``transaction``) and no attested narrative (``document``, which would need a Composition). Entries refer to
each other by their ``urn:uuid`` fullUrls. Who it is about: the Patient (name, birth date, gender, and the
clinic's record number when one was typed in); who answered: that Patient, or a RelatedPerson when a caregiver
filled the form in, or a Practitioner when a clinician did. The file is a download the patient makes;
nothing is sent anywhere.
Validation uses ``fhir.resources.R4B``: its resources used here have the same elements as R4's, and the
package's R4-only 6.x line would need pydantic 1, which clashes with the pydantic 2 used here.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from dashboard.intake import checkins
from dashboard.intake import questionnaire as q
from dashboard.intake.answers import Answers, CheckIn, Instruments
from dashboard.intake.instruments import INSTRUMENTS, PHQ9, PHQ9_DIFFICULTY_LOINC, PHQ9_DIFFICULTY_TEXT, Instrument
from dashboard.intake.scoring import score_instrument
from dashboard.intake.screening import MEDICINE_QUESTIONS, SCREENING_QUESTIONS, Question

GENDER = {"female": "female", "male": "male", "intersex": "other", "other": "other", "prefer_not_to_say": "unknown"}
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"


def _group(inst: Instrument, values: list[int | None], difficulty: int | None) -> dict[str, Any] | None:
    items: list[dict[str, Any]] = []
    for i, v in enumerate(values):
        if v is not None:
            items.append({"linkId": q.item_link(inst, i), "text": inst.items[i].text, "answer": [q.answer(inst, v)]})
    score = score_instrument(inst, values)
    if score.total is not None and inst.scoring != "each":
        text = inst.loinc_total_display or f"{inst.short} total score"
        items.append({"linkId": q.total_link(inst), "text": text, "answer": [q.total_answer(inst, score.total)]})
    if difficulty is not None:
        link, coding = f"/{PHQ9_DIFFICULTY_LOINC}", q.difficulty_coding(difficulty)
        items.append({"linkId": link, "text": PHQ9_DIFFICULTY_TEXT, "answer": [{"valueCoding": coding}]})
    if not items:
        return None
    return {"linkId": q.group_link(inst), "text": inst.loinc_panel_display or inst.title, "item": items}


def _yes_no_group(group: tuple[str, str], questions: tuple[Question, ...], model: Any) -> dict[str, Any] | None:
    """Every answered yes / no / not sure question of one group ("No" kept: it is not the same as skipped)."""
    link, text = group
    items = []
    for question in questions:
        value = getattr(model, question.field)
        if value is not None:
            answer = [{"valueCoding": q.yes_no_coding(value)}]
            items.append({"linkId": q.question_link(link, question), "text": question.question, "answer": answer})
    return {"linkId": link, "text": text, "item": items} if items else None


def _patient(answers: Answers) -> dict[str, Any]:
    a = answers.about
    patient: dict[str, Any] = {"resourceType": "Patient"}
    if a.clinic_record_number.strip():
        identifier: dict[str, Any] = {
            "type": {"coding": [{"system": IDENTIFIER_TYPE, "code": "MR", "display": "Medical record number"}]},
            "value": a.clinic_record_number.strip(),
        }
        clinic = answers.logistics.clinic
        if clinic and clinic.name:
            identifier["assigner"] = {"display": clinic.name}
        patient["identifier"] = [identifier]
    if a.name:
        patient["name"] = [{"text": a.name}]
    if a.date_of_birth:
        patient["birthDate"] = a.date_of_birth.isoformat()
    if a.sex:
        patient["gender"] = GENDER[a.sex]
    return patient


def _author(answers: Answers, patient_ref: dict[str, str]) -> dict[str, Any] | None:
    """The resource for whoever filled the form in on the patient's behalf (None when the patient did)."""
    a = answers.about
    if a.completed_by == "caregiver":
        person: dict[str, Any] = {
            "resourceType": "RelatedPerson",
            "patient": patient_ref,
            "relationship": [{"text": "caregiver"}],
        }
        if a.completed_by_name:
            person["name"] = [{"text": a.completed_by_name}]
        return person
    if a.completed_by == "clinician":
        practitioner: dict[str, Any] = {"resourceType": "Practitioner"}
        if a.completed_by_name:
            practitioner["name"] = [{"text": a.completed_by_name}]
        return practitioner
    return None


def _instrument_groups(instruments: Instruments) -> tuple[list[dict[str, Any]], bool]:
    """One group per instrument with any answer, and whether every started instrument is complete."""
    groups: list[dict[str, Any]] = []
    complete = True
    for key, inst in INSTRUMENTS.items():
        values = list(getattr(instruments, key))
        difficulty = instruments.phq9_difficulty if inst is PHQ9 else None
        group = _group(inst, values, difficulty)
        if group is None:
            continue
        if any(v is None for v in values):
            complete = False
        groups.append(group)
    return groups, complete


def questionnaire_response(
    answers: Answers, authored: dt.datetime, subject: dict[str, str], author: dict[str, str]
) -> dict[str, Any]:
    """The QuestionnaireResponse (status ``completed`` only when every shown instrument item is answered)."""
    groups, complete = _instrument_groups(answers.instruments)
    scored = bool(groups)
    for group in (
        _yes_no_group(q.SCREENING_GROUP, SCREENING_QUESTIONS, answers.screening),
        _yes_no_group(q.MEDICINE_GROUP, MEDICINE_QUESTIONS, answers.medicines),
    ):
        if group:
            groups.append(group)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": q.REFERENCE,
        "status": "completed" if complete and scored else "in-progress",
        "subject": subject,
        "authored": authored.isoformat(timespec="seconds"),
        "author": author,
        "source": author,
    }
    if groups:
        resource["item"] = groups
    return resource


def checkin_response(checkin: CheckIn, subject: dict[str, str], author: dict[str, str]) -> dict[str, Any]:
    """One check-in as its own QuestionnaireResponse, authored on the check-in's date."""
    groups, complete = _instrument_groups(checkins.as_instruments(checkin))
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": q.REFERENCE,
        "status": "completed" if complete and groups else "in-progress",
        "subject": subject,
        "authored": checkin.date.isoformat(),
        "author": author,
        "source": author,
    }
    if groups:
        resource["item"] = groups
    return resource


def _score(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "{score}", "system": UCUM, "code": "{score}"}


def observations(
    instruments: Instruments, effective: str, subject: dict[str, str], performer: dict[str, str], response: str
) -> list[dict[str, Any]]:
    """One Observation per scored result that has a LOINC code, each derived from the response."""
    found: list[tuple[str, str | None, float]] = []
    for key, inst in INSTRUMENTS.items():
        values = list(getattr(instruments, key))
        if inst.scoring == "each":
            for i, item in enumerate(inst.items):
                if item.loinc and values[i] is not None:
                    found.append((item.loinc, item.loinc_display, values[i]))
            continue
        total = score_instrument(inst, values).total
        if inst.loinc_total and total is not None:
            found.append((inst.loinc_total, inst.loinc_total_display, total))
    return [
        {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [{"system": CATEGORY, "code": "survey", "display": "Survey"}]}],
            "code": {"coding": [q.coding(q.LOINC, code, display)]},
            "subject": subject,
            "effectiveDateTime": effective,
            "performer": [performer],
            "valueQuantity": _score(value),
            "derivedFrom": [{"reference": response}],
        }
        for code, display, value in found
    ]


def bundle(answers: Answers, authored: dt.datetime | None = None) -> dict[str, Any]:
    """The Bundle (collection) as a JSON-ready dict: Patient, [author], QuestionnaireResponse, Observations, then
    per check-in (oldest first) its QuestionnaireResponse and Observations."""
    authored = authored or dt.datetime.now(dt.timezone.utc)
    patient_url = f"urn:uuid:{uuid.uuid4()}"
    response_url = f"urn:uuid:{uuid.uuid4()}"
    subject = {"reference": patient_url}
    entries = [(patient_url, _patient(answers))]
    author = _author(answers, subject)
    author_ref = subject
    if author:
        author_url = f"urn:uuid:{uuid.uuid4()}"
        entries.append((author_url, author))
        author_ref = {"reference": author_url}
    entries.append((response_url, questionnaire_response(answers, authored, subject, author_ref)))
    stamp = authored.isoformat(timespec="seconds")
    for obs in observations(answers.instruments, stamp, subject, author_ref, response_url):
        entries.append((f"urn:uuid:{uuid.uuid4()}", obs))
    for checkin in checkins.in_order(answers.checkins):
        url = f"urn:uuid:{uuid.uuid4()}"
        entries.append((url, checkin_response(checkin, subject, author_ref)))
        scores = observations(checkins.as_instruments(checkin), checkin.date.isoformat(), subject, author_ref, url)
        entries.extend((f"urn:uuid:{uuid.uuid4()}", o) for o in scores)
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": authored.isoformat(timespec="seconds"),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }


def validate(resource: dict[str, Any]) -> None:
    """Raise if the resource is not valid FHIR (R4 elements, R4B models); a Bundle's model checks every entry's
    resource against that resource's own model too."""
    from fhir.resources.R4B import get_fhir_model_class

    get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def to_json(answers: Answers, authored: dt.datetime | None = None) -> str:
    """Validated Bundle JSON text."""
    resource = bundle(answers, authored)
    validate(resource)
    return json.dumps(resource, indent=2, ensure_ascii=False)


def resources(resource: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The Bundle's entries of one resource type, in order."""
    return [e["resource"] for e in resource["entry"] if e["resource"]["resourceType"] == kind]
