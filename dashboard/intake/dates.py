"""Typed dates of birth: "1984-03-09" or the US "03/09/1984", read strictly, refused with one plain sentence.

The questionnaire asks for the date of birth as text rather than with a calendar popup (which stayed open
over the next question). Text from a person is untrusted input, so this parser accepts only the two
written forms, never guesses between day and month, and checks the plausible range of the model.
"""

from __future__ import annotations

import datetime as dt
import re

from dashboard.intake.answers import EARLIEST_BIRTH

FORMAT_MESSAGE = (
    "That date of birth could not be read. Type it as year-month-day (1984-03-09) or month/day/year (03/09/1984)."
)
RANGE_MESSAGE = f"A date of birth must be between {EARLIEST_BIRTH.isoformat()} and today."

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class DateError(ValueError):
    """A date that cannot be used; ``str(err)`` is a sentence to show next to the field."""


def parse_birth_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """The date typed, or None for an empty box; DateError for anything else that is not a real, plausible date."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if len(cleaned) > 20:
        raise DateError(FORMAT_MESSAGE)
    if m := _ISO.fullmatch(cleaned):
        year, month, day = (int(g) for g in m.groups())
    elif m := _US.fullmatch(cleaned):
        month, day, year = (int(g) for g in m.groups())
    else:
        raise DateError(FORMAT_MESSAGE)
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise DateError(FORMAT_MESSAGE) from None
    if not EARLIEST_BIRTH <= value <= (today or dt.date.today()):
        raise DateError(RANGE_MESSAGE)
    return value
