"""Every FHIR resource the app writes passes the official R4 JSON Schema (an independent validator, see
tests/intake/fhir_schema.py): the Questionnaire, and the Bundle with each of its entries for every kind of
author, every answer, a partial form and an empty one; and the check does catch what it should."""

from __future__ import annotations

import pytest

from dashboard.intake import draft, fhir
from dashboard.intake import questionnaire as q
from dashboard.intake.answers import Answers, Instruments
from tests.intake import fhir_schema
from tests.intake.every_answer import every_answer
from tests.paths import INTAKE_FIXTURES as FIXTURES

CASES = {
    "every answer (clinician, record number)": lambda: every_answer(),
    "full draft (patient)": lambda: draft.parse((FIXTURES / "full_draft.json").read_bytes()),
    "caregiver draft": lambda: draft.parse((FIXTURES / "caregiver_draft.json").read_bytes()),
    "partial PHQ-9": lambda: Answers(instruments=Instruments(phq9=[1, None, 2, 0, 0, 0, 0, 0, 0])),
    "nothing answered": lambda: Answers(),
}


def test_it_is_the_official_r4_schema():
    assert fhir_schema.schema_id() == "http://hl7.org/fhir/json-schema/4.0"


def test_the_published_questionnaire_passes():
    assert fhir_schema.errors(q.build()) == []


@pytest.mark.parametrize("case", list(CASES))
def test_every_resource_of_the_export_passes(case):
    bundle = fhir.bundle(CASES[case]())
    assert fhir_schema.errors(bundle) == []
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "QuestionnaireResponse"} <= kinds


def test_the_schema_check_catches_wrong_values_and_unknown_fields():
    bundle = fhir.bundle(every_answer())
    [response] = fhir.resources(bundle, "QuestionnaireResponse")
    response["item"][0]["item"][0]["answer"][0] = {"valueInteger": "three"}
    response["status"] = "done"
    [patient] = fhir.resources(bundle, "Patient")
    patient["shoeSize"] = 44
    found = "\n".join(fhir_schema.errors(bundle))
    assert "'done' is not one of" in found
    assert "valueInteger: 'three'" in found
    assert "'shoeSize' was unexpected" in found
