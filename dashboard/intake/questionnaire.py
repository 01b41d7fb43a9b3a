"""The app's own FHIR R4 Questionnaire, made from the instrument data, and the linkIds and codings it defines.

A QuestionnaireResponse is only usable elsewhere (rendered by LHC-Forms, extracted by an EHR) when the
Questionnaire it answers can be had, so the app publishes one: a canonical ``url`` + ``version``, every item
with its LOINC ``code`` where one exists, answer options as codings with their systems, and totals typed as
LOINC's own forms declare them (the PHQ-9 and GAD-7 totals are ``decimal`` there, and the PEG mean is one by
nature). The response (dashboard/intake/fhir.py) takes every linkId and coding from here, so the two cannot
drift apart.

Local linkIds and code systems remain only where no LOINC code was found for the content (reference §5):
the pain ratings other than "now", the PCL-5 items, answers and total, and the yes / no / not sure screening
and medicine-class questions (whose "not sure" has no standard code that means the same).

The published file is ``questionnaire.fhir.json`` beside this module (offered on the questionnaire page);
``python -m dashboard intake --questionnaire dashboard/intake/questionnaire.fhir.json`` regenerates it, and a
test keeps it equal to ``build()``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from dashboard.intake.instruments import (
    INSTRUMENTS,
    PHQ9,
    PHQ9_DIFFICULTY,
    PHQ9_DIFFICULTY_LOINC,
    PHQ9_DIFFICULTY_TEXT,
    Instrument,
    Option,
)
from dashboard.intake.screening import ANSWER_LABELS, MEDICINE_QUESTIONS, SCREENING_QUESTIONS, Question

CANONICAL = "urn:ketamine-clinic-finder:questionnaire:pre-visit-intake"
VERSION = "3"  # raised whenever a linkId, code or answer option changes
REFERENCE = f"{CANONICAL}|{VERSION}"  # what a QuestionnaireResponse.questionnaire holds
LOINC = "http://loinc.org"
YES_NO_SYSTEM = "urn:ketamine-clinic-finder:codesystem:yes-no-unsure"
YES_NO_CODES = ("yes", "no", "unsure")
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
SCREENING_GROUP = ("/screening", "Health and safety screen")
MEDICINE_GROUP = ("/medicine-classes", "Medicine classes")
LOINC_NOTICE = (
    "This form uses LOINC codes. LOINC is copyright Regenstrief Institute, Inc. and the LOINC Committee, and "
    "available at no cost under the license at http://loinc.org/license."
)
PUBLISHED = Path(__file__).with_name("questionnaire.fhir.json")


def coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def group_link(inst: Instrument) -> str:
    return f"/{inst.loinc_panel}" if inst.loinc_panel else f"/{inst.key}"


def item_link(inst: Instrument, index: int) -> str:
    """``/44250-9`` for a LOINC-coded item (LOINC's own pattern), else ``/nrs/worst_past_week`` or ``/pcl5/3``."""
    item = inst.items[index]
    if item.loinc:
        return f"/{item.loinc}"
    return f"/{inst.key}/{item.code or index + 1}"


def total_link(inst: Instrument) -> str:
    return f"/{inst.loinc_total}" if inst.loinc_total else f"/{inst.key}/total"


def total_type(inst: Instrument) -> str:
    """``decimal`` where LOINC declares the total so (PHQ-9, GAD-7) or it is a mean (PEG); else ``integer``."""
    return "decimal" if inst.loinc_total or inst.scoring == "mean" else "integer"


def is_scale(inst: Instrument) -> bool:
    """A 0–10 rating: the answer is the number itself, so an integer item rather than a list of options."""
    return all(o.label == str(o.value) for o in inst.options)


def option_system(inst: Instrument) -> str:
    """LOINC for instruments whose options carry LA codes; a local system for the others (PCL-5)."""
    if all(o.loinc for o in inst.options):
        return LOINC
    return f"urn:ketamine-clinic-finder:codesystem:{inst.key}-response"


def option_coding(inst: Instrument, option: Option) -> dict[str, str]:
    code = option.loinc if option.loinc else str(option.value)
    return coding(option_system(inst), code, option.label)


def answer(inst: Instrument, value: int) -> dict[str, Any]:
    """One QuestionnaireResponse answer for an item score, in the form the Questionnaire declares."""
    if is_scale(inst):
        return {"valueInteger": value}
    return {"valueCoding": option_coding(inst, inst.option(value))}


def total_answer(inst: Instrument, total: float) -> dict[str, Any]:
    if total_type(inst) == "decimal":
        return {"valueDecimal": float(total)}
    return {"valueInteger": int(total)}


def difficulty_coding(value: int) -> dict[str, str]:
    option = PHQ9_DIFFICULTY[value]
    assert option.loinc is not None
    return coding(LOINC, option.loinc, option.label)


def question_link(group: str, q: Question) -> str:
    return f"{group}/{q.field}"


def yes_no_coding(code: str) -> dict[str, str]:
    return coding(YES_NO_SYSTEM, code, ANSWER_LABELS[code])


def _choice(link: str, text: str, codings: list[tuple[dict[str, str], int | None]], code: str | None = None):
    item: dict[str, Any] = {"linkId": link, "text": text, "type": "choice"}
    if code:
        item["code"] = [coding(LOINC, code)]
    options = []
    for value, ordinal in codings:
        option: dict[str, Any] = {"valueCoding": value}
        if ordinal is not None:
            option["extension"] = [{"url": ORDINAL_VALUE, "valueDecimal": ordinal}]
        options.append(option)
    item["answerOption"] = options
    return item


def _question(inst: Instrument, index: int) -> dict[str, Any]:
    entry = inst.items[index]
    link, text = item_link(inst, index), entry.text
    if not is_scale(inst):
        codings = [(option_coding(inst, o), o.value) for o in inst.options]
        return _choice(link, text, codings, entry.loinc)
    item: dict[str, Any] = {
        "linkId": link,
        "text": text,
        "type": "integer",
        "extension": [
            {"url": MIN_VALUE, "valueInteger": inst.min_value},
            {"url": MAX_VALUE, "valueInteger": inst.max_value},
        ],
    }
    if entry.loinc:
        item["code"] = [coding(LOINC, entry.loinc, entry.loinc_display)]
    return item


def _instrument_group(inst: Instrument) -> dict[str, Any]:
    link = group_link(inst)
    items: list[dict[str, Any]] = [{"linkId": f"{link}/stem", "text": inst.stem, "type": "display"}]
    items += [_question(inst, i) for i in range(inst.n_items)]
    if inst.scoring != "each":
        total: dict[str, Any] = {
            "linkId": total_link(inst),
            "text": inst.loinc_total_display or f"{inst.short} total score",
            "type": total_type(inst),
            "readOnly": True,
        }
        if inst.loinc_total:
            total["code"] = [coding(LOINC, inst.loinc_total, inst.loinc_total_display)]
        items.append(total)
    if inst is PHQ9:
        codings = [(difficulty_coding(o.value), None) for o in PHQ9_DIFFICULTY]
        items.append(_choice(f"/{PHQ9_DIFFICULTY_LOINC}", PHQ9_DIFFICULTY_TEXT, codings, PHQ9_DIFFICULTY_LOINC))
    group: dict[str, Any] = {"linkId": link, "text": inst.loinc_panel_display or inst.title, "type": "group"}
    if inst.loinc_panel:
        group["code"] = [coding(LOINC, inst.loinc_panel, inst.loinc_panel_display)]
    group["item"] = items
    return group


def _yes_no_group(group: tuple[str, str], questions: tuple[Question, ...]) -> dict[str, Any]:
    link, text = group
    codings = [(yes_no_coding(c), None) for c in YES_NO_CODES]
    items = [_choice(question_link(link, q), q.question, codings) for q in questions]
    return {"linkId": link, "text": text, "type": "group", "item": items}


def build() -> dict[str, Any]:
    """The Questionnaire as a JSON-ready dict (the same every time: no dates, no random ids)."""
    notices = [LOINC_NOTICE] + [i.notice for i in INSTRUMENTS.values()]
    return {
        "resourceType": "Questionnaire",
        "id": "pre-visit-intake",
        "url": CANONICAL,
        "version": VERSION,
        "name": "PreVisitIntake",
        "title": "Ketamine Clinic Finder pre-visit questionnaire",
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "Ketamine Clinic Finder (open-source project)",
        "description": (
            "What a patient (or a caregiver or clinician on their behalf) reports before a first ketamine or "
            "esketamine consultation: PHQ-9, GAD-7, PEG, 0-10 pain ratings, PCL-5, and yes / no / not sure "
            "health, safety and medicine-class questions. Scores are for the clinician to interpret; nothing "
            "here is a diagnosis or an eligibility decision."
        ),
        "copyright": " ".join(notices),
        "item": [_instrument_group(i) for i in INSTRUMENTS.values()]
        + [_yes_no_group(SCREENING_GROUP, SCREENING_QUESTIONS), _yes_no_group(MEDICINE_GROUP, MEDICINE_QUESTIONS)],
    }


def validate(resource: dict[str, Any]) -> None:
    """Raise if not a valid FHIR Questionnaire (R4 elements, checked with R4B models like the rest)."""
    from fhir.resources.R4B.questionnaire import Questionnaire

    Questionnaire.model_validate(resource)


def to_json() -> str:
    """Validated Questionnaire JSON text, as published (two-space indent, trailing newline)."""
    resource = build()
    validate(resource)
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"


@functools.cache
def published_bytes() -> bytes:
    """The bundled file, as the page offers it for download."""
    return PUBLISHED.read_bytes()


def items(resource: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of a Questionnaire or QuestionnaireResponse, depth first (groups included)."""
    out: list[dict[str, Any]] = []
    for item in resource.get("item", []):
        out.append(item)
        out += items(item)
    return out
