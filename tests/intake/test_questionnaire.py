"""The app's published FHIR Questionnaire: the bundled file is what the code generates, one canonical url and
version, LOINC codes on every item that has one, answer options as codings with their systems, totals typed as
LOINC declares them; every answer the export can write fits an item of it; ``intake --questionnaire`` writes it."""

from __future__ import annotations

import json

import pytest

from dashboard.cli import main
from dashboard.intake import draft, fhir
from dashboard.intake import questionnaire as q
from dashboard.intake.instruments import GAD7, INSTRUMENTS, PCL5, PEG, PHQ9
from dashboard.intake.screening import MEDICINE_QUESTIONS, SCREENING_QUESTIONS
from tests.intake.every_answer import every_answer
from tests.paths import INTAKE_FIXTURES as FIXTURES

REGENERATE = "python -m dashboard intake --questionnaire dashboard/intake/questionnaire.fhir.json"


@pytest.fixture(scope="module")
def built() -> dict:
    return q.build()


@pytest.fixture(scope="module")
def by_link(built) -> dict[str, dict]:
    return {i["linkId"]: i for i in q.items(built)}


def test_the_bundled_file_is_what_the_code_generates():
    assert q.PUBLISHED.read_text(encoding="utf-8") == q.to_json(), f"regenerate it: {REGENERATE}"
    assert q.published_bytes() == q.PUBLISHED.read_bytes()


def test_it_is_a_valid_r4_questionnaire_with_one_canonical_url_and_version(built):
    q.validate(built)
    assert built["url"] == q.CANONICAL and built["version"] == q.VERSION and built["status"] == "active"
    assert f"{built['url']}|{built['version']}" == q.REFERENCE
    assert "loinc.org/license" in built["copyright"] and "No permission required" in built["copyright"]


def test_link_ids_are_unique(built):
    links = [i["linkId"] for i in q.items(built)]
    assert len(links) == len(set(links)) == 80


def test_every_item_with_a_loinc_code_carries_it(by_link):
    expected = {PHQ9.loinc_panel, GAD7.loinc_panel, PEG.loinc_panel, "69722-7"}
    for inst in INSTRUMENTS.values():
        expected |= {i.loinc for i in inst.items if i.loinc} | ({inst.loinc_total} if inst.loinc_total else set())
    coded = {i["code"][0]["code"]: i for i in by_link.values() if "code" in i}
    assert set(coded) == expected and len(coded) == 27
    for code, item in coded.items():
        assert item["linkId"] == f"/{code}"  # LOINC's own linkId pattern
        assert [c["system"] for c in item["code"]] == ["http://loinc.org"]


def test_local_link_ids_are_only_where_no_loinc_code_was_found(by_link):
    local = {link for link, item in by_link.items() if "code" not in item and item["type"] != "display"}
    assert local == {
        "/nrs", "/nrs/worst_past_week", "/nrs/least_past_week",
        "/pcl5", *(f"/pcl5/{n}" for n in range(1, 21)), "/pcl5/total",
        "/screening", *(f"/screening/{x.field}" for x in SCREENING_QUESTIONS),
        "/medicine-classes", *(f"/medicine-classes/{x.field}" for x in MEDICINE_QUESTIONS),
    }  # fmt: skip
    displays = [i for i in by_link.values() if i["type"] == "display"]
    assert [d["text"] for d in displays] == [i.stem for i in INSTRUMENTS.values()]


def test_totals_are_typed_as_loinc_declares_them(by_link):
    assert by_link["/44261-6"]["type"] == "decimal"  # PHQ-9 (LOINC's 44249-1 form)
    assert by_link["/70274-6"]["type"] == "decimal"  # GAD-7 (LOINC's 69737-5 form)
    assert by_link["/91147-9"]["type"] == "decimal"  # PEG mean
    assert by_link["/pcl5/total"]["type"] == "integer"  # no LOINC form: a whole-number sum
    assert all(by_link[link]["readOnly"] for link in ("/44261-6", "/70274-6", "/91147-9", "/pcl5/total"))


def test_answer_options_are_codings_with_their_systems(by_link):
    choices = [i for i in by_link.values() if i["type"] == "choice"]
    assert len(choices) == 9 + 1 + 7 + 20 + len(SCREENING_QUESTIONS) + len(MEDICINE_QUESTIONS)
    for item in choices:
        for option in item["answerOption"]:
            assert set(option["valueCoding"]) == {"system", "code", "display"}, item["linkId"]
    first = by_link["/44250-9"]["answerOption"]
    assert [(o["valueCoding"]["code"], o["extension"][0]["valueDecimal"]) for o in first] == [
        ("LA6568-5", 0), ("LA6569-3", 1), ("LA6570-1", 2), ("LA6571-9", 3)
    ]  # fmt: skip
    pcl = by_link["/pcl5/16"]["answerOption"]
    assert {o["valueCoding"]["system"] for o in pcl} == {"urn:ketamine-clinic-finder:codesystem:pcl5-response"}
    assert [o["valueCoding"]["display"] for o in pcl] == [o.label for o in PCL5.options]
    yes_no = by_link["/screening/pregnant"]["answerOption"]
    assert [o["valueCoding"]["code"] for o in yes_no] == ["yes", "no", "unsure"]


def test_phq9_difficulty_answers_are_loincs_answer_codes(by_link):
    item = by_link["/69722-7"]
    assert [(o["valueCoding"]["code"], o["valueCoding"]["display"]) for o in item["answerOption"]] == [
        ("LA6572-7", "Not difficult at all"),
        ("LA6573-5", "Somewhat difficult"),
        ("LA6575-0", "Very difficult"),
        ("LA6574-3", "Extremely difficult"),
    ]


def test_rating_items_are_integers_from_0_to_10(by_link):
    for link in ("/75893-8", "/91145-3", "/91146-1", "/72514-3", "/nrs/worst_past_week"):
        item = by_link[link]
        assert item["type"] == "integer"
        assert [e["valueInteger"] for e in item["extension"]] == [0, 10]


@pytest.mark.parametrize("name", ["every answer", "full_draft.json", "caregiver_draft.json"])
def test_every_exported_answer_fits_its_questionnaire_item(by_link, name):
    answers = every_answer() if name == "every answer" else draft.parse((FIXTURES / name).read_bytes())
    [response] = fhir.resources(fhir.bundle(answers), "QuestionnaireResponse")
    assert response["questionnaire"] == q.REFERENCE
    kinds = {"choice": "valueCoding", "integer": "valueInteger", "decimal": "valueDecimal"}
    answered = [i for i in q.items(response) if "answer" in i]
    if name == "every answer":  # every question of the Questionnaire is answered
        assert {i["linkId"] for i in answered} == {
            link for link, item in by_link.items() if item["type"] not in ("group", "display")
        }
    for item in answered:
        declared = by_link[item["linkId"]]
        assert item["text"] == declared["text"]
        [value] = item["answer"]
        [(kind, got)] = value.items()
        assert kind == kinds[declared["type"]], item["linkId"]
        if kind == "valueCoding":
            assert got in [o["valueCoding"] for o in declared["answerOption"]], item["linkId"]
    groups = [i["linkId"] for i in response["item"]]
    assert groups == [i["linkId"] for i in q.build()["item"] if i["linkId"] in groups]  # the Questionnaire's order


def test_cli_writes_the_questionnaire_without_a_draft(capsys, tmp_path):
    out = tmp_path / "q.json"
    assert main(["intake", "--questionnaire", str(out)]) == 0
    assert out.read_bytes() == q.PUBLISHED.read_bytes()
    assert json.loads(out.read_text())["url"] == q.CANONICAL


def test_cli_writes_it_beside_the_bundle(capsys, tmp_path):
    out, bundle = tmp_path / "q.json", tmp_path / "b.json"
    code = main(["intake", str(FIXTURES / "full_draft.json"), "--fhir", str(bundle), "--questionnaire", str(out)])
    assert code == 0
    assert json.loads(bundle.read_text())["resourceType"] == "Bundle" and out.read_bytes() == q.published_bytes()


def test_cli_unwritable_questionnaire_path_is_one_plain_line(capsys, tmp_path):
    code = main(["intake", "--questionnaire", str(tmp_path / "missing" / "q.json")])
    _, err = capsys.readouterr()
    assert code == 2 and err.startswith("error: cannot write") and err.count("\n") == 1
