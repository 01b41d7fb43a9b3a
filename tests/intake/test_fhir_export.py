"""The FHIR export: a collection Bundle with the Patient (and an optional record-number identifier), whoever
answered, the QuestionnaireResponse answering the app's Questionnaire with its codings, and one Observation per
LOINC-coded score, each derived from the response; every resource validates (fhir.resources R4B models)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard.intake import draft, fhir
from dashboard.intake import questionnaire as q
from dashboard.intake.answers import Answers, Instruments
from dashboard.intake.screening import SCREENING_QUESTIONS
from tests.intake.every_answer import every_answer
from tests.paths import INTAKE_FIXTURES as FIXTURES

NAME = "Nguyễn Thị Ánh Łucja Müller-Peña"
WHEN = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def full() -> Answers:
    return draft.parse((FIXTURES / "full_draft.json").read_bytes())


@pytest.fixture(scope="module")
def caregiver() -> Answers:
    return draft.parse((FIXTURES / "caregiver_draft.json").read_bytes())


def one(bundle: dict, kind: str) -> dict:
    [resource] = fhir.resources(bundle, kind)
    return resource


def group(response: dict, link: str) -> dict[str, dict]:
    for g in response["item"]:
        if g["linkId"] == link:
            return {i["linkId"]: i for i in g["item"]}
    raise KeyError(link)


def url_of(bundle: dict, resource: dict) -> str:
    return next(e["fullUrl"] for e in bundle["entry"] if e["resource"] is resource)


def test_a_collection_bundle_whose_references_all_resolve_inside_it(full):
    bundle = fhir.bundle(full, WHEN)
    fhir.validate(bundle)
    assert bundle["type"] == "collection" and bundle["timestamp"] == "2026-01-02T03:04:00+00:00"
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls) and all(u.startswith("urn:uuid:") for u in urls)
    text = json.dumps(bundle)
    refs = set(_references(bundle))
    assert refs and refs <= set(urls), refs - set(urls)
    assert "contained" not in text  # every resource is an entry, so Observations can point at the Patient
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == [
        "Patient", "QuestionnaireResponse", "Observation", "Observation", "Observation", "Observation"
    ]  # fmt: skip


def _references(value) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [r for v in value.values() for r in _references(v)]
    if isinstance(value, list):
        return [r for v in value for r in _references(v)]
    return []


def test_the_response_answers_the_published_questionnaire_with_its_codings(full):
    bundle = fhir.bundle(full, WHEN)
    response = one(bundle, "QuestionnaireResponse")
    assert response["questionnaire"] == q.REFERENCE == "urn:ketamine-clinic-finder:questionnaire:pre-visit-intake|3"
    assert response["status"] == "completed"
    phq = group(response, "/44249-1")
    assert phq["/44250-9"]["answer"] == [
        {"valueCoding": {"system": "http://loinc.org", "code": "LA6570-1", "display": "More than half the days"}}
    ]
    assert phq["/44260-8"]["answer"][0]["valueCoding"]["code"] == "LA6569-3"
    assert phq["/44261-6"]["answer"] == [{"valueDecimal": 14.0}]  # decimal, as LOINC's PHQ-9 form declares it
    assert phq["/69722-7"]["answer"] == [
        {"valueCoding": {"system": "http://loinc.org", "code": "LA6575-0", "display": "Very difficult"}}
    ]
    assert list(phq)[-2:] == ["/44261-6", "/69722-7"]
    gad = group(response, "/69737-5")
    assert len([k for k in gad if k != "/70274-6"]) == 7 and gad["/70274-6"]["answer"] == [{"valueDecimal": 10.0}]
    assert group(response, "/91148-7")["/91147-9"]["answer"] == [{"valueDecimal": 6.0}]
    pcl = group(response, "/pcl5")
    assert pcl["/pcl5/total"]["answer"] == [{"valueInteger": 31}]
    assert pcl["/pcl5/1"]["answer"][0]["valueCoding"]["system"] == "urn:ketamine-clinic-finder:codesystem:pcl5-response"
    nrs = group(response, "/nrs")
    assert set(nrs) == {"/72514-3", "/nrs/worst_past_week", "/nrs/least_past_week"}


def test_observations_for_each_loinc_coded_score_derived_from_the_response(full):
    bundle = fhir.bundle(full, WHEN)
    response_url = url_of(bundle, one(bundle, "QuestionnaireResponse"))
    patient_url = url_of(bundle, one(bundle, "Patient"))
    observations = fhir.resources(bundle, "Observation")
    values = {o["code"]["coding"][0]["code"]: o["valueQuantity"]["value"] for o in observations}
    assert values == {"44261-6": 14, "70274-6": 10, "91147-9": 6.0, "72514-3": 5}
    for obs in observations:
        assert obs["derivedFrom"] == [{"reference": response_url}]
        assert obs["subject"] == {"reference": patient_url} and obs["performer"] == [{"reference": patient_url}]
        assert obs["status"] == "final" and obs["category"][0]["coding"][0]["code"] == "survey"
        assert obs["code"]["coding"][0]["system"] == "http://loinc.org" and obs["code"]["coding"][0]["display"]
        assert obs["valueQuantity"]["code"] == "{score}" and obs["effectiveDateTime"] == "2026-01-02T03:04:00+00:00"


def test_an_incomplete_instrument_has_no_total_and_no_observation():
    a = Answers(instruments=Instruments(phq9=[1, 1, None, 1, 1, 1, 1, 1, 0]))
    bundle = fhir.bundle(a)
    fhir.validate(bundle)
    response = one(bundle, "QuestionnaireResponse")
    assert response["status"] == "in-progress"
    phq = group(response, "/44249-1")
    assert "/44261-6" not in phq and "/44259-0" not in phq and len(phq) == 8
    assert fhir.resources(bundle, "Observation") == []


def test_the_difficulty_answer_alone_is_still_exported():
    bundle = fhir.bundle(Answers(instruments=Instruments(phq9_difficulty=3)))
    assert group(one(bundle, "QuestionnaireResponse"), "/44249-1")["/69722-7"]["answer"][0]["valueCoding"] == {
        "system": "http://loinc.org", "code": "LA6574-3", "display": "Extremely difficult"
    }  # fmt: skip


def test_the_patient_is_named_and_is_the_author(full):
    bundle = fhir.bundle(full)
    patient = one(bundle, "Patient")
    assert patient == {
        "resourceType": "Patient", "name": [{"text": NAME}], "birthDate": "1984-03-09", "gender": "female"
    }  # fmt: skip
    response = one(bundle, "QuestionnaireResponse")
    assert response["subject"] == response["author"] == response["source"] == {"reference": url_of(bundle, patient)}


def test_the_clinic_record_number_is_the_patients_identifier():
    bundle = fhir.bundle(every_answer(" MRN-000123 "))
    fhir.validate(bundle)
    assert one(bundle, "Patient")["identifier"] == [
        {
            "type": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                        "code": "MR",
                        "display": "Medical record number",
                    }
                ]
            },
            "value": "MRN-000123",
            "assigner": {"display": "Clínica Señora Ketamine Care"},
        }
    ]
    assert "identifier" not in one(fhir.bundle(every_answer("  ")), "Patient")


def test_the_record_number_is_optional_and_kept_in_the_draft(full):
    assert full.about.clinic_record_number == ""  # a draft written before the field existed still opens
    a = every_answer()
    assert draft.parse(draft.to_bytes(a)).about.clinic_record_number == "MRN-000123"


def test_a_caregiver_is_a_related_person_entry(caregiver):
    bundle = fhir.bundle(caregiver)
    fhir.validate(bundle)
    person = one(bundle, "RelatedPerson")
    patient_ref = {"reference": url_of(bundle, one(bundle, "Patient"))}
    assert person["name"] == [{"text": "Daniel Haddad"}] and person["patient"] == patient_ref
    response = one(bundle, "QuestionnaireResponse")
    assert response["author"] == response["source"] == {"reference": url_of(bundle, person)}
    assert response["subject"] == patient_ref
    assert all(o["performer"] == [response["author"]] for o in fhir.resources(bundle, "Observation"))


def test_a_clinician_is_a_practitioner_entry():
    a = Answers.model_validate({"about": {"completed_by": "clinician", "completed_by_name": "Dr. Ada Ruiz"}})
    bundle = fhir.bundle(a)
    fhir.validate(bundle)
    practitioner = one(bundle, "Practitioner")
    assert one(bundle, "QuestionnaireResponse")["author"] == {"reference": url_of(bundle, practitioner)}


def test_every_answered_screening_question_is_kept_including_no(caregiver):
    response = one(fhir.bundle(caregiver), "QuestionnaireResponse")
    screen = group(response, "/screening")
    assert len(screen) == len(SCREENING_QUESTIONS) == 15
    assert screen["/screening/aneurysm_or_avm"]["answer"][0]["valueCoding"]["display"] == "No"
    assert screen["/screening/high_blood_pressure"]["answer"][0]["valueCoding"]["code"] == "yes"
    assert screen["/screening/alcohol_use"]["answer"][0]["valueCoding"]["display"] == "Not sure"
    meds = group(response, "/medicine-classes")
    assert meds["/medicine-classes/opioids"]["answer"][0]["valueCoding"]["display"] == "Yes"


def test_empty_answers_still_make_a_valid_bundle():
    bundle = fhir.bundle(Answers())
    fhir.validate(bundle)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient", "QuestionnaireResponse"]
    assert "item" not in one(bundle, "QuestionnaireResponse") and one(bundle, "Patient") == {"resourceType": "Patient"}


def test_validation_rejects_a_broken_resource_also_inside_a_bundle():
    item = {"answer": [{"valueInteger": "x"}]}  # no linkId, and not an integer
    broken = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": [item]}
    with pytest.raises(ValueError, match="linkId|valueInteger"):
        fhir.validate(broken)
    bundle = fhir.bundle(Answers())
    bundle["entry"][1]["resource"] = broken
    with pytest.raises(ValueError, match="linkId|valueInteger"):
        fhir.validate(bundle)


def test_json_text_is_the_validated_bundle(caregiver):
    doc = json.loads(fhir.to_json(caregiver))
    assert doc["resourceType"] == "Bundle" and len(fhir.resources(doc, "QuestionnaireResponse")) == 1
