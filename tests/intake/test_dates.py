"""Typed dates of birth: the two written forms are read exactly; anything else is refused with a plain sentence."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.intake import dates

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1984-03-09", dt.date(1984, 3, 9)),
        (" 1984-3-9 ", dt.date(1984, 3, 9)),
        ("1984/03/09", dt.date(1984, 3, 9)),
        ("03/09/1984", dt.date(1984, 3, 9)),  # US month/day/year
        ("3/9/1984", dt.date(1984, 3, 9)),
        ("1900-01-01", dt.date(1900, 1, 1)),
        ("2026-11-25", TODAY),
        ("", None),
        ("   ", None),
    ],
)
def test_readable_dates(typed, expected):
    assert dates.parse_birth_date(typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("09.03.1984", dates.FORMAT_MESSAGE),
        ("14/31/1984", dates.FORMAT_MESSAGE),
        ("1984-02-30", dates.FORMAT_MESSAGE),
        ("March 9 1984", dates.FORMAT_MESSAGE),
        ("84-03-09", dates.FORMAT_MESSAGE),
        ("1984-03-09T00:00", dates.FORMAT_MESSAGE),
        ("1" * 50, dates.FORMAT_MESSAGE),
        ("1899-12-31", dates.RANGE_MESSAGE),
        ("2026-11-26", dates.RANGE_MESSAGE),
    ],
)
def test_unreadable_or_implausible_dates_are_explained(typed, message):
    with pytest.raises(dates.DateError) as err:
        dates.parse_birth_date(typed, TODAY)
    assert str(err.value) == message


@given(st.text(max_size=40))
def test_any_text_gives_a_date_none_or_a_plain_error(text):
    try:
        value = dates.parse_birth_date(text, TODAY)
    except dates.DateError as err:
        message = str(err)
        value = None
    else:
        message = None
    assert message in (None, dates.FORMAT_MESSAGE, dates.RANGE_MESSAGE)
    assert value is None or dt.date(1900, 1, 1) <= value <= TODAY


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
def test_every_plausible_date_reads_back_in_both_forms(day):
    assert dates.parse_birth_date(day.isoformat(), TODAY) == day
    assert dates.parse_birth_date(day.strftime("%m/%d/%Y"), TODAY) == day
