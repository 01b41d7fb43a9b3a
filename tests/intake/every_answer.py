"""Answers to every question the FHIR export carries, with the answer values varied so that every option
of every instrument, every difficulty answer and yes / no / not sure all occur somewhere."""

from __future__ import annotations

from dashboard.intake.answers import Answers
from dashboard.intake.instruments import INSTRUMENTS
from dashboard.intake.screening import MEDICINE_QUESTIONS, SCREENING_QUESTIONS

YES_NO = ("yes", "no", "unsure")


def every_answer(record_number: str = "MRN-000123") -> Answers:
    instruments: dict[str, object] = {"phq9_difficulty": 2}
    for key, inst in INSTRUMENTS.items():
        values = [o.value for o in inst.options]
        instruments[key] = [values[(i * 7 + 3) % len(values)] for i in range(inst.n_items)]
    return Answers.model_validate(
        {
            "about": {
                "completed_by": "clinician",
                "completed_by_name": "Dr. Ada Ruiz",
                "clinic_record_number": record_number,
                "name": "Łucja Nguyễn",
                "sex": "female",
            },
            "instruments": instruments,
            "screening": {q.field: YES_NO[i % 3] for i, q in enumerate(SCREENING_QUESTIONS)},
            "medicines": {q.field: YES_NO[(i + 1) % 3] for i, q in enumerate(MEDICINE_QUESTIONS)},
            "logistics": {"clinic": {"id": "demo-clinic", "name": "Clínica Señora Ketamine Care"}},
        }
    )
