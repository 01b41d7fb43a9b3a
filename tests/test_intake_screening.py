"""Screening answers become neutral flags with a reason and a source; never an eligibility verdict."""

from __future__ import annotations

import pytest

from dashboard.intake.answers import Answers, BloodPressure, Instruments, Medicines, Screening
from dashboard.intake.screening import _SCREENING, flags

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


def codes(a: Answers) -> list[str]:
    return [f.code for f in flags(a)]


def test_empty_answers_raise_no_flags():
    assert flags(Answers()) == []


@pytest.mark.parametrize("field", [f[0] for f in _SCREENING])
@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_each_screening_item_flags_on_yes_or_unsure(field, answer):
    found = flags(Answers(screening=Screening(**{field: answer})))
    assert [f.code for f in found] == [field]
    f = found[0]
    assert "discuss with your clinician" in f.text
    assert f.reason and f.source.startswith(tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    assert "http" in f.source and "[S" in f.source


@pytest.mark.parametrize("field", [f[0] for f in _SCREENING])
def test_no_answer_no_flag(field):
    assert flags(Answers(screening=Screening(**{field: "no"}))) == []


def test_item9_flag_is_neutral_and_first():
    a = Answers(instruments=Instruments(phq9=[0] * 8 + [1]), screening=Screening(brain_bleed="yes"))
    found = flags(a)
    assert found[0].code == "phq9_item9"
    assert "Several days" in found[0].text


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


@pytest.mark.parametrize("cls", ["benzodiazepines_or_sleep", "opioids", "stimulants", "maoi", "lamotrigine"])
def test_medicine_classes_flag(cls):
    found = flags(Answers(medicines=Medicines(**{cls: "yes"})))
    assert [f.code for f in found] == [f"medicine_{cls}"]


def test_lamotrigine_flag_never_advises_stopping():
    f = flags(Answers(medicines=Medicines(lamotrigine="yes")))[0]
    assert "Do not stop or change any medicine on your own" in f.reason


def test_ride_home_flag():
    a = Answers.model_validate({"about": {"ride_home": "no"}})
    assert codes(a) == ["ride_home"]
    assert flags(Answers.model_validate({"about": {"ride_home": "yes"}})) == []


def test_no_flag_ever_judges_eligibility_or_risk():
    every = Answers(
        instruments=Instruments(phq9=[3] * 9, pcl5=[4] * 20),
        screening=Screening(
            **{f[0]: "yes" for f in _SCREENING},
            blood_pressure_readings=[BloodPressure(systolic=180, diastolic=110)],
        ),
        medicines=Medicines(
            benzodiazepines_or_sleep="yes",
            opioids="yes",
            stimulants="yes",
            maoi="yes",
            lamotrigine="yes",
            other_sedatives="yes",
        ),
    )
    found = flags(every)
    assert len(found) >= 20
    for f in found:
        blob = f"{f.text} {f.reason}".lower()
        for bad in FORBIDDEN:
            assert bad not in blob, (f.code, bad)
        assert set(f.as_json()) == {"code", "text", "source"}
