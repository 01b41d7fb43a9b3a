"""Screening answers become neutral flags with a reason and registered sources; never an eligibility verdict.
Each flag speaks to the clinician ("Patient reports …", "Caregiver reports …") and to the patient ("You …")."""

from __future__ import annotations

import pytest

from dashboard.content import citations
from dashboard.intake.answers import About, Answers, BloodPressure, Instruments, Medicines, Screening
from dashboard.intake.screening import MEDICINE_QUESTIONS, SCREENING_QUESTIONS, flags, item9_message

FORBIDDEN = (
    "not eligible",
    "ineligible",
    "risk level",
    "high risk",
    "low risk",
    "stop taking",
    "you cannot",
    "diagnos",
)
FIELDS = [q.field for q in SCREENING_QUESTIONS]


def codes(a: Answers) -> list[str]:
    return [f.code for f in flags(a)]


def test_empty_answers_raise_no_flags():
    assert flags(Answers()) == []


def test_every_screening_question_of_the_reference_is_kept():
    assert FIELDS == [
        "aneurysm_or_avm",
        "brain_bleed",
        "high_blood_pressure",
        "heart_or_stroke",
        "psychosis_or_mania",
        "substance_use",
        "alcohol_use",
        "pregnant",
        "planning_pregnancy",
        "breastfeeding",
        "liver_disease",
        "raised_eye_or_brain_pressure",
        "cognitive_or_brain_injury",
        "overactive_thyroid",
        "ketamine_allergy",
    ]
    assert set(FIELDS) <= set(Screening.model_fields)
    assert {q.field for q in MEDICINE_QUESTIONS} <= set(Medicines.model_fields)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(("answer", "verb"), [("yes", "reports"), ("unsure", "is not sure about")])
def test_each_screening_item_flags_on_yes_or_unsure(field, answer, verb):
    found = flags(Answers(screening=Screening(**{field: answer})))
    assert [f.code for f in found] == [field]
    f = found[0]
    assert f.text.startswith(f"Patient {verb} ")
    assert "discuss with your clinician" in f.patient and f.patient.startswith("You ")
    assert f.reason and f.cites
    for c in f.cites:
        assert citations.get(c.source.key) is c.source  # every source is a register entry


@pytest.mark.parametrize("field", FIELDS)
def test_no_answer_no_flag(field):
    assert flags(Answers(screening=Screening(**{field: "no"}))) == []


@pytest.mark.parametrize(
    ("completed_by", "who"),
    [(None, "Patient"), ("patient", "Patient"), ("caregiver", "Caregiver"), ("clinician", "Clinician")],
)
def test_clinician_voice_names_who_reported(completed_by, who):
    a = Answers(about=About(completed_by=completed_by), screening=Screening(brain_bleed="yes"))
    [f] = flags(a)
    assert f.for_clinician(a.about.completed_by) == (
        f"{who} reports a history of bleeding in the brain (intracerebral hemorrhage)."
    )


def test_item9_flag_is_neutral_and_first():
    a = Answers(instruments=Instruments(phq9=[0] * 8 + [1]), screening=Screening(brain_bleed="yes"))
    found = flags(a)
    assert found[0].code == "phq9_item9"
    assert '"Several days"' in found[0].text and "does not rate risk" in found[0].text


@pytest.mark.parametrize(
    ("value", "words"), [(1, "on several days"), (2, "on more than half the days"), (3, "nearly every day")]
)
def test_item9_message_reads_naturally(value, words):
    message = item9_message(value)
    assert message.startswith(f"You answered that you have had thoughts of death or self-harm {words} over the last")
    assert "PHQ-9 question 9" not in message and '"' not in message


def test_pcl5_item16_flag_at_two_or_more():
    values = [0] * 20
    values[15] = 1
    assert "pcl5_item16" not in codes(Answers(instruments=Instruments(pcl5=values)))
    values[15] = 2
    assert "pcl5_item16" in codes(Answers(instruments=Instruments(pcl5=values)))


@pytest.mark.parametrize(
    ("sys_", "dia", "flagged"), [(140, 90, False), (141, 80, True), (120, 91, True), (118, 76, False)]
)
def test_blood_pressure_readings_above_guide(sys_, dia, flagged):
    a = Answers(screening=Screening(blood_pressure_readings=[BloodPressure(systolic=sys_, diastolic=dia)]))
    assert ("bp_reading_above_140_90" in codes(a)) is flagged


@pytest.mark.parametrize("cls", [q.field for q in MEDICINE_QUESTIONS])
def test_medicine_classes_flag(cls):
    found = flags(Answers(medicines=Medicines(**{cls: "yes"})))
    assert [f.code for f in found] == [f"medicine_{cls}"]
    assert found[0].text.startswith("Patient reports taking ")


def test_lamotrigine_flag_never_advises_stopping():
    f = flags(Answers(medicines=Medicines(lamotrigine="yes")))[0]
    assert "Do not stop or change any medicine on your own" in f.reason


def test_ride_home_flag():
    a = Answers.model_validate({"about": {"ride_home": "no"}})
    assert codes(a) == ["ride_home"]
    assert flags(Answers.model_validate({"about": {"ride_home": "yes"}})) == []


def test_pi_details_read_only_on_copies_are_cited_by_name_never_linked():
    every = [c for q in (*SCREENING_QUESTIONS, *MEDICINE_QUESTIONS) for c in q.cites]
    pi = [c for c in every if c.source.key == "spravato_pi"]
    assert pi, "the prescribing information is cited by name"
    for c in pi:
        assert c.source.url is None
        assert "re-checked" not in c.text() and "http" not in c.text()  # a plain reference, no link
        assert "SPRAVATO (esketamine) nasal spray, Prescribing Information" in c.text() and "section" in c.text()


def test_no_flag_ever_judges_eligibility_or_risk():
    every = Answers(
        instruments=Instruments(phq9=[3] * 9, pcl5=[4] * 20),
        screening=Screening(
            **dict.fromkeys(FIELDS, "yes"),
            blood_pressure_readings=[BloodPressure(systolic=180, diastolic=110)],
        ),
        medicines=Medicines(**{q.field: "yes" for q in MEDICINE_QUESTIONS}),
    )
    found = flags(every)
    assert len(found) >= 20
    for f in found:
        for who in (None, "caregiver"):
            blob = f"{f.for_clinician(who)} {f.patient} {f.reason}".lower()
            for bad in FORBIDDEN:
                assert bad not in blob, (f.code, bad)
        assert set(f.as_json()) == {"code", "text", "source"}
