"""Check-ins of a treatment series: what a check-in asks, its scores, and the crisis rule across all of them.

Ketamine and esketamine are given as a series of sessions, and clinics follow the PHQ-9, GAD-7 and pain
scores from one session to the next. A check-in is a short dated form kept in the same file as the
questionnaire (``Answers.checkins``), so the patient owns the record and nothing is kept on the server.
The scoring is the questionnaire's own (``scoring.score_instrument``); nothing here interprets a score.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dashboard import vocab
from dashboard.intake.answers import Answers, CheckIn, Instruments
from dashboard.intake.instruments import (
    ANXIETY_CONDITIONS,
    GAD7,
    MOOD_CONDITIONS,
    NRS,
    PAIN_CONDITIONS,
    PEG,
    PHQ9,
    PHQ9_ITEM9_INDEX,
    Instrument,
)
from dashboard.intake.scoring import Score, score_instrument

CHECKIN_INSTRUMENTS: tuple[Instrument, ...] = (PHQ9, GAD7, PEG, NRS)


def instruments_for(conditions: Iterable[str], show_all: bool = False) -> list[Instrument]:
    """The parts a check-in asks: PHQ-9 and GAD-7 together when a mood or anxiety reason was chosen, the PEG
    and the 0–10 ratings when a pain reason was, and all four when no reason matches (or ``show_all``).

    Mood and anxiety travel together because clinics follow both from session to session whichever brought
    the person in; the questionnaire's own rule (``shown_for``) still decides which reasons are which.
    """
    chosen = set(conditions)
    if show_all:
        return list(CHECKIN_INSTRUMENTS)
    wanted: set[str] = set()
    if chosen & (MOOD_CONDITIONS | ANXIETY_CONDITIONS):
        wanted |= {"phq9", "gad7"}
    if chosen & PAIN_CONDITIONS:
        wanted |= {"peg", "nrs"}
    matched = [i for i in CHECKIN_INSTRUMENTS if i.key in wanted]
    return matched or list(CHECKIN_INSTRUMENTS)


def values(checkin: CheckIn, inst: Instrument) -> list[int | None]:
    """The item answers a check-in holds for one of its instruments."""
    return list(getattr(checkin, inst.key))


def scores(checkin: CheckIn) -> dict[str, Score]:
    """The check-in's score per instrument, exactly as the questionnaire scores it."""
    return {inst.key: score_instrument(inst, values(checkin, inst)) for inst in CHECKIN_INSTRUMENTS}


def as_instruments(checkin: CheckIn) -> Instruments:
    """The check-in's answers in the questionnaire's shape (PCL-5 and the difficulty item unasked), so the
    FHIR export writes a check-in with the same code as the first visit."""
    return Instruments(phq9=checkin.phq9, gad7=checkin.gad7, peg=checkin.peg, nrs=checkin.nrs)


def instruments_used(answers: Answers) -> set[str]:
    """The instruments any check-in answered at least one item of (their notices go on the summary)."""
    return {i.key for c in answers.checkins for i in CHECKIN_INSTRUMENTS if any(v is not None for v in values(c, i))}


def is_empty(checkin: CheckIn) -> bool:
    """Nothing but a date: not worth adding to the file."""
    blank = CheckIn(date=checkin.date)
    return checkin.model_copy(update={"date": blank.date}) == blank


def item9(checkin: CheckIn) -> int | None:
    return checkin.phq9[PHQ9_ITEM9_INDEX]


def crisis(checkin: CheckIn) -> bool:
    """PHQ-9 item 9 answered above "Not at all" on this check-in: the crisis contacts come forward at once."""
    v = item9(checkin)
    return v is not None and v > 0


def any_crisis(answers: Answers) -> bool:
    """The crisis rule across every check-in in the file."""
    return any(crisis(c) for c in answers.checkins)


def in_order(checkins: Sequence[CheckIn]) -> list[CheckIn]:
    """Check-ins by date, oldest first (two on one day keep the order they were added in)."""
    return sorted(checkins, key=lambda c: c.date)


def added(answers: Answers, checkin: CheckIn) -> list[CheckIn]:
    """The file's check-ins with one more, in date order."""
    return in_order([*answers.checkins, checkin])


def session_text(checkin: CheckIn) -> str:
    """ "Session 3 · 2026-10-04 · IV ketamine infusion", or "" when no session was given."""
    s = checkin.session
    parts = []
    if s.number is not None:
        parts.append(f"Session {s.number}")
    if s.date is not None:
        parts.append(s.date.isoformat())
    if s.route:
        parts.append(vocab.label(s.route))
    return " · ".join(parts)


def title(checkin: CheckIn) -> str:
    """How a check-in is named on screen: its date, and the session it follows when given."""
    text = checkin.date.isoformat()
    session = session_text(checkin)
    return f"{text} (after {session[0].lower()}{session[1:]})" if session else text
