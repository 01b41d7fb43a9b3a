"""A loaded draft continues at the last section that holds an answer (the first section for an empty one)."""

from __future__ import annotations

from dashboard.intake import draft
from dashboard.intake.answers import Answers, Medicine
from dashboard.intake.resume import ELSEWHERE, SECTION_PARTS, resume_section
from tests.paths import INTAKE_FIXTURES as FIXTURES


def test_an_empty_draft_opens_at_the_first_section():
    assert resume_section(Answers()) == 0


def test_the_last_section_with_an_answer_is_where_the_person_left_off():
    a = Answers()
    a.about.name = "Ana"
    a.history.ect = "no"
    assert resume_section(a) == 2  # Treatment history, even though Reason was skipped
    a.medicines.current = [Medicine(name="sertraline")]
    assert resume_section(a) == 4  # medicines are asked in Health and safety


def test_a_draft_stopped_after_the_questionnaires_opens_at_them():
    a = Answers()
    a.instruments.phq9[0] = 2
    assert resume_section(a) == 3


def test_the_fixtures_open_at_their_last_answered_section():
    full = draft.parse((FIXTURES / "full_draft.json").read_bytes())
    assert resume_section(full) == len(SECTION_PARTS) - 1  # Logistics answered


def test_every_answer_part_belongs_to_one_section():
    parts = [p for section in SECTION_PARTS for p in section]
    assert sorted(parts) == sorted(set(Answers.model_fields) - {"schema_version", *ELSEWHERE})
