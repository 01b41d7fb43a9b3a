"""Where a loaded draft continues: the last questionnaire section that holds an answer.

The upload message promises "continue where you left off"; a draft carries the answers, not the screen the
person was on, so the place is read from the answers: the furthest section with anything in it is the one
they were working on (it may be unfinished, so it is opened rather than skipped past)."""

from __future__ import annotations

from dashboard.intake.answers import Answers

# The answer parts each questionnaire section edits, in the order the sections are shown.
SECTION_PARTS: tuple[tuple[str, ...], ...] = (
    ("about",),
    ("reason",),
    ("history",),
    ("instruments",),
    ("screening", "medicines"),
    ("logistics",),
)
ELSEWHERE = ("checkins",)  # parts edited on a page of their own (the check-ins page), not in a section


def answered(answers: Answers, part: str) -> bool:
    """True when the person changed anything in this part of the answers."""
    return getattr(answers, part) != getattr(Answers(), part)


def resume_section(answers: Answers) -> int:
    """Index of the last section holding an answer; 0 (the first section) for an empty draft."""
    last = 0
    for index, parts in enumerate(SECTION_PARTS):
        if any(answered(answers, part) for part in parts):
            last = index
    return last
