"""FHIR: each check-in is its own QuestionnaireResponse, authored on its date, in the one Bundle, with its dated
score Observations derived from it; the whole Bundle passes the R4B models and the official R4 JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from dashboard.intake import draft, fhir
from dashboard.intake import questionnaire as q
from dashboard.intake.answers import Answers, CheckIn
from tests.intake import fhir_schema

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "three-checkins.json"


def _answers(resource: dict, link: str) -> list:
    """Every answer under ``link`` anywhere in a response's items."""
    found = []
    for item in resource.get("item", []):
        if item["linkId"] == link:
            found.extend(item.get("answer", []))
        found.extend(_answers(item, link))
    return found


def test_one_questionnaire_response_per_checkin_authored_on_its_date() -> None:
    a = draft.parse(EXAMPLE.read_bytes())
    bundle = json.loads(fhir.to_json(a, dt.datetime(2026, 10, 20, 9, 0, tzinfo=dt.timezone.utc)))
    responses = fhir.resources(bundle, "QuestionnaireResponse")
    assert [r["authored"] for r in responses] == ["2026-10-20T09:00:00+00:00", "2026-10-05", "2026-10-12", "2026-10-19"]
    patient_url = bundle["entry"][0]["fullUrl"]
    for r in responses[1:]:
        assert r["questionnaire"] == q.REFERENCE and r["subject"] == {"reference": patient_url}
        assert r["status"] == "completed"  # every item of the PHQ-9, PEG and ratings it asked is answered
    totals = [next(iter(_answers(r, "/44261-6")[0].values())) for r in responses[1:]]
    assert totals == [14, 10, 6]
    assert fhir_schema.errors(bundle) == []


def test_each_checkins_scores_are_observations_on_its_date_derived_from_its_response() -> None:
    a = draft.parse(EXAMPLE.read_bytes())
    bundle = fhir.bundle(a)
    url_of = {id(e["resource"]): e["fullUrl"] for e in bundle["entry"]}
    responses = {url_of[id(r)]: r for r in fhir.resources(bundle, "QuestionnaireResponse")}
    phq9 = [o for o in fhir.resources(bundle, "Observation") if o["code"]["coding"][0]["code"] == "44261-6"]
    assert [(o["effectiveDateTime"], o["valueQuantity"]["value"]) for o in phq9] == [
        ("2026-10-05", 14),
        ("2026-10-12", 10),
        ("2026-10-19", 6),
    ]
    for o in phq9:
        source = responses[o["derivedFrom"][0]["reference"]]
        assert source["authored"] == o["effectiveDateTime"]


def test_a_partly_answered_checkin_is_in_progress_and_still_valid() -> None:
    a = Answers(checkins=[CheckIn(date=dt.date(2026, 10, 5), phq9=[1, None, 0, 0, 0, 0, 0, 0, 0], nrs=[3, None, None])])
    bundle = fhir.bundle(a)
    fhir.validate(bundle)
    assert fhir_schema.errors(bundle) == []
    checkin = fhir.resources(bundle, "QuestionnaireResponse")[1]
    assert checkin["status"] == "in-progress" and checkin["authored"] == "2026-10-05"
    assert _answers(checkin, "/44261-6") == []  # no total for an incomplete PHQ-9
