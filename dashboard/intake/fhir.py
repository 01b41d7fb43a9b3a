"""FHIR R4 QuestionnaireResponse export of the questionnaire answers (reference §5).

One response with one group per instrument, linkIds following the LOINC pattern (``/44250-9``),
LOINC answer codes for PHQ-9/GAD-7 options, and totals only when every item is answered.
Validation uses ``fhir.resources.R4B``: its QuestionnaireResponse has the same elements as R4's, and
the package's R4-only 6.x line would need pydantic 1, which clashes with the pydantic 2 used here.
Personal details (name, birth date, contacts) are not exported; the response carries answers only.
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

LOINC = "http://loinc.org"
QUESTIONNAIRE = "urn:ketamine-clinic-finder:questionnaire:pre-visit-intake|1"


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
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": QUESTIONNAIRE,
        "status": "completed" if complete and groups else "in-progress",
        "authored": authored.isoformat(timespec="seconds"),
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
