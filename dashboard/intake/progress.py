"""Progress across check-ins: the score series, the table of check-ins, and the change since the first one.

A clinician following a series wants each score's path and how far it moved. The change is reported as
numbers; where a published definition of a meaningful change is held, the sentence says whether the change
meets it and cites the definition's source through the register, worded "meets the published definition of
… — to discuss with your clinician". It never judges the treatment.

Definitions held: a change of 2 points or more in a 0–10 pain rating is considered clinically meaningful
(intake_content.md [S18]). PHQ-9 response (a total at least 50% below the first) and remission (a total
below 5) as defined in a Psychiatric Services comparison of depression metrics, whose study population had
a first PHQ-9 of 10 or more: below that the definitions were not made for the person, so the sentence says
they do not apply rather than reporting a verdict. No published definition of a meaningful change in the
GAD-7 or the PEG is held, so for those the sentence says so and gives only the numbers (unknown stays
unknown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from dashboard.content.citations import Cite, cite
from dashboard.intake import checkins
from dashboard.intake.answers import Answers, CheckIn
from dashboard.intake.instruments import GAD7, NRS, PHQ9, Band
from dashboard.intake.tables import Table

TO_DISCUSS = "to discuss with your clinician"


def _always(first: float) -> bool:
    """A definition stated for any first value (the pain rating's 2 points)."""
    return True


@dataclass(frozen=True)
class Definition:
    """A published definition of a meaningful change, with its source and the people it was made for."""

    key: str
    name: str  # "a clinically meaningful change in a 0–10 pain rating"
    rule: str  # "a change of 2 points or more"
    source: Cite
    met: Callable[[float, float], bool]  # (first, latest) → does the change meet it
    applies: Callable[[float], bool] = _always  # first → is it in the population the definition was made for
    population: str = ""  # that population in words, said when the first value is outside it
    relative: bool = False  # the rule is a share of the first value: the numbers give the change in percent


PAIN_CHANGE = Definition(
    "pain_change",
    "a clinically meaningful change in a 0–10 pain rating",
    "a change of 2 points or more",
    cite("cpa_nrs"),
    lambda first, latest: abs(latest - first) >= 2,
)
_PHQ9_POPULATION = "a first PHQ-9 total of 10 or more"
PHQ9_RESPONSE = Definition(
    "phq9_response",
    "response",
    "a PHQ-9 total at least 50% below the first",
    cite("ps_mbc_metrics"),
    lambda first, latest: first - latest >= first / 2,
    lambda first: first >= 10,
    _PHQ9_POPULATION,
    relative=True,
)
PHQ9_REMISSION = Definition(
    "phq9_remission",
    "remission",
    "a PHQ-9 total below 5",
    cite("ps_mbc_metrics"),
    lambda first, latest: latest < 5,
    lambda first: first >= 10,
    _PHQ9_POPULATION,
)


@dataclass(frozen=True)
class Measure:
    """One score followed over time; ``panel`` groups measures drawn on one scale."""

    key: str
    label: str
    panel: str
    high: int
    bands: tuple[Band, ...]
    value: Callable[[CheckIn], float | None]
    definitions: tuple[Definition, ...] = ()
    none_held: str = ""  # said when no published definition is held for this measure


def _total(key: str) -> Callable[[CheckIn], float | None]:
    return lambda c: checkins.scores(c)[key].total


def _rating(index: int) -> Callable[[CheckIn], float | None]:
    return lambda c: c.nrs[index]


MEASURES: tuple[Measure, ...] = (
    Measure(
        "phq9",
        "PHQ-9 total",
        "PHQ-9 (0–27)",
        27,
        PHQ9.bands,
        _total("phq9"),
        (PHQ9_RESPONSE, PHQ9_REMISSION),
    ),
    Measure(
        "gad7",
        "GAD-7 total",
        "GAD-7 (0–21)",
        21,
        GAD7.bands,
        _total("gad7"),
        none_held="No published definition of a meaningful GAD-7 change is held in this app's sources",
    ),
    Measure(
        "peg",
        "PEG mean",
        "Pain (0–10)",
        10,
        NRS.item_bands,
        _total("peg"),
        none_held="No published definition of a meaningful PEG change is held in this app's sources",
    ),
    Measure("pain_now", "Pain now", "Pain (0–10)", 10, NRS.item_bands, _rating(0), (PAIN_CHANGE,)),
    Measure("pain_worst", "Worst pain, past week", "Pain (0–10)", 10, NRS.item_bands, _rating(1), (PAIN_CHANGE,)),
    Measure("pain_least", "Least pain, past week", "Pain (0–10)", 10, NRS.item_bands, _rating(2), (PAIN_CHANGE,)),
)
BY_KEY = {m.key: m for m in MEASURES}


@dataclass(frozen=True)
class Point:
    date: dt.date
    measure: Measure
    value: float


def points(answers: Answers) -> list[Point]:
    """Every score of every check-in, oldest first; a check-in without a score for a measure adds no point."""
    out = []
    for c in checkins.in_order(answers.checkins):
        for m in MEASURES:
            v = m.value(c)
            if v is not None:
                out.append(Point(c.date, m, v))
    return out


def _number(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:g}" if isinstance(v, int) or float(v).is_integer() else f"{v:.1f}"


def _phq9_cell(c: CheckIn) -> str:
    """The total, and item 9's answer whenever it is above "Not at all" (the clinician must see it)."""
    s = checkins.scores(c)["phq9"]
    if s.answered == 0:
        return "—"
    text = _number(s.total) if s.total is not None else f"no total ({s.missing} missing)"
    if checkins.crisis(c):
        text += f"; item 9: {checkins.item9(c)}"
    return text


def _total_cell(c: CheckIn, key: str) -> str:
    s = checkins.scores(c)[key]
    if s.answered == 0:
        return "—"
    return _number(s.total) if s.total is not None else f"no total ({s.missing} missing)"


COLUMNS = ("Date", "Session", "PHQ-9", "GAD-7", "PEG", "Pain now", "Worst", "Least", "Side effects")


WIDTHS = (1.7, 3.4, 1.3, 1.1, 0.9, 1.0, 0.9, 0.9, 2.8)


def _without_empty_columns(t: Table) -> Table:
    """A score no check-in answered is a column of dashes: left out, so the rest stay readable."""
    keep = [i for i, _ in enumerate(t.columns) if i == 0 or any(row[i] != "—" for row in t.rows)]
    return Table(
        tuple(t.columns[i] for i in keep),
        [tuple(row[i] for i in keep) for row in t.rows],
        tuple(t.widths[i] for i in keep),
        t.strong,
    )


def table(answers: Answers) -> Table:
    """One row per check-in, oldest first; rows with PHQ-9 item 9 above "Not at all" are set in bold."""
    t = Table(COLUMNS, widths=WIDTHS)
    for i, c in enumerate(checkins.in_order(answers.checkins)):
        t.rows.append(
            (
                c.date.isoformat(),
                checkins.session_text(c) or "—",
                _phq9_cell(c),
                _total_cell(c, "gad7"),
                _total_cell(c, "peg"),
                *(_number(v) for v in c.nrs),
                c.side_effects or "—",
            )
        )
        if checkins.crisis(c):
            t.strong.add(i)
    return _without_empty_columns(t)


@dataclass(frozen=True)
class Verdict:
    """What one published definition says of a change; ``met`` is None when the first value is outside the
    population the definition was made for (then it says nothing about this person's change)."""

    definition: Definition
    met: bool | None

    def clause(self) -> str:
        d = self.definition
        return f"{'meets' if self.met else 'does not meet'} the published definition of {d.name} ({d.rule})"


def _outside(measure: Measure, first: float, verdicts: list[Verdict]) -> str:
    """ "The published definitions of response and remission were made for …, so they do not apply to …"."""
    names = " and ".join(v.definition.name for v in verdicts)
    many = len(verdicts) > 1
    population = " and ".join(dict.fromkeys(v.definition.population for v in verdicts))
    return (
        f"The published definition{'s' * many} of {names} {'were' if many else 'was'} made for {population}, "
        f"so {'they do' if many else 'it does'} not apply to a first {measure.label} of {_number(first)}"
    )


@dataclass(frozen=True)
class Change:
    """A measure's first and latest value across the check-ins, and what each published definition says."""

    measure: Measure
    first: Point
    latest: Point
    verdicts: tuple[Verdict, ...]  # empty: no published definition is held

    @property
    def difference(self) -> float:
        return self.latest.value - self.first.value

    @property
    def met(self) -> dict[str, bool | None]:
        """Per definition key: met, not met, or None (the definition does not apply to this first value)."""
        return {v.definition.key: v.met for v in self.verdicts}

    @property
    def cites(self) -> tuple[Cite, ...]:
        """Each definition's source once, in the order the sentence names them."""
        return tuple(dict.fromkeys(v.definition.source for v in self.verdicts))

    def numbers(self) -> str:
        """ "PHQ-9 total: 14 on 2026-10-05, 6 on 2026-10-19 (down 8 points, or 57%)"."""
        diff = self.difference
        size = _number(abs(diff))
        moved = "no change" if diff == 0 else f"{'down' if diff < 0 else 'up'} {size} point{'s' * (size != '1')}"
        if diff and self.first.value and any(d.relative for d in self.measure.definitions):
            # truncated, never rounded up: a 49.6% fall must not read as the 50% of a definition
            moved += f", or {int(abs(diff) * 100 / self.first.value)}%"
        return (
            f"{self.measure.label}: {_number(self.first.value)} on {self.first.date.isoformat()}, "
            f"{_number(self.latest.value)} on {self.latest.date.isoformat()} ({moved})"
        )

    def sentence(self) -> str:
        """The numbers, then whether they meet each published definition — always for the clinician to discuss."""
        if not self.verdicts:
            return f"{self.numbers()}. {self.measure.none_held} — {TO_DISCUSS}."
        applied = [v for v in self.verdicts if v.met is not None]
        parts = []
        if applied:
            parts.append("This " + " and ".join(v.clause() for v in applied))
        outside = [v for v in self.verdicts if v.met is None]
        if outside:
            parts.append(_outside(self.measure, self.first.value, outside))
        return f"{self.numbers()}. {'. '.join(parts)} — {TO_DISCUSS}."


def changes(answers: Answers) -> list[Change]:
    """Per measure with scores on two dates or more: the change from the first to the latest check-in."""
    by_measure: dict[str, list[Point]] = {}
    for p in points(answers):
        by_measure.setdefault(p.measure.key, []).append(p)
    out = []
    for m in MEASURES:
        series = by_measure.get(m.key, [])
        if len(series) < 2:
            continue
        first, latest = series[0], series[-1]
        verdicts = tuple(
            Verdict(d, d.met(first.value, latest.value) if d.applies(first.value) else None) for d in m.definitions
        )
        out.append(Change(m, first, latest, verdicts))
    return out


def as_json(answers: Answers) -> dict[str, object]:
    """The progress in the command line's JSON shape."""
    rows = []
    for c in checkins.in_order(answers.checkins):
        s = checkins.scores(c)
        rows.append(
            {
                "date": c.date.isoformat(),
                "session": c.session.model_dump(mode="json"),
                "phq9": s["phq9"].total,
                "phq9_item9": checkins.item9(c),
                "gad7": s["gad7"].total,
                "peg": s["peg"].total,
                "pain_now": c.nrs[0],
                "pain_worst": c.nrs[1],
                "pain_least": c.nrs[2],
                "side_effects": c.side_effects,
            }
        )
    return {
        "checkins": rows,
        "changes": [
            {
                "measure": ch.measure.key,
                "first": {"date": ch.first.date.isoformat(), "value": ch.first.value},
                "latest": {"date": ch.latest.date.isoformat(), "value": ch.latest.value},
                "difference": ch.difference,
                "definitions": [
                    {
                        "key": v.definition.key,
                        "name": v.definition.name,
                        "rule": v.definition.rule,
                        "applies": v.met is not None,
                        "meets": v.met,
                        "source": v.definition.source.text(),
                    }
                    for v in ch.verdicts
                ],
                "statement": ch.sentence(),
                "sources": [c.text() for c in ch.cites],
            }
            for ch in changes(answers)
        ],
        "crisis": checkins.any_crisis(answers),
    }


PAGE_TITLE = "Progress across check-ins"
PAGE_NOTE = (
    "Check-ins as the patient entered them, oldest first. Shaded bands in the chart are the published severity "
    "ranges; scores are screening measures, not diagnoses, and the app does not judge a treatment. A change is "
    "counted from the first check-in in this file, which may come after treatment began."
)


@dataclass(frozen=True)
class Page:
    """The summary's progress page: the table, the chart's spec, and the change sentences with endnotes."""

    title: str
    note: str
    table: Table
    chart: str | None  # Vega-Lite JSON, rendered by each medium
    changes: list[tuple[str, tuple[int, ...]]]
    single: str  # said when there is only one check-in, so no change yet


def page(answers: Answers, number: Callable[[str], int], chart: Callable[[Answers], str | None]) -> Page | None:
    """The progress page of the summary, or None when the file holds no check-in.

    ``number`` gives a citation's endnote number, so the definitions are numbered with the summary's
    other sources; ``chart`` makes the chart's spec (progress_chart.spec, which itself reads this module).
    """
    if not answers.checkins:
        return None
    found = [(c.sentence(), tuple(number(x.text()) for x in c.cites)) for c in changes(answers)]
    single = "" if found else "One check-in so far: the change since the first check-in needs a second one."
    return Page(PAGE_TITLE, PAGE_NOTE, table(answers), chart(answers), found, single)
