"""Scoring exactly per the published rules in the reference; an incomplete instrument has no total.

Results are numbers and band names with hedged plain-language meaning for the patient. Nothing here
diagnoses, rates risk or judges eligibility.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from dashboard.intake.answers import Answers
from dashboard.intake.instruments import (
    INSTRUMENTS,
    PCL5_CLUSTERS,
    PCL5_CUTOFF_TEXT,
    PCL5_ENDORSED_AT,
    PHQ9_ITEM9_INDEX,
    Band,
    Instrument,
)

CLINICIAN = "Only a clinician can interpret it."


@dataclass(frozen=True)
class Score:
    """The result of one instrument; ``total`` is None whenever any item is unanswered."""

    key: str
    total: int | float | None
    band: str | None
    band_range: str | None
    missing: int
    answered: int
    meaning: str
    details: dict[str, object] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The shape the command line prints."""
        if self.key == "peg":
            out: dict[str, object] = {"mean": self.total, "rounded": self.details.get("rounded")}
        else:
            out = {"total": self.total}
        out |= {"band": self.band, "missing": self.missing}
        if self.key == "pcl5":
            out["provisional_rule_met"] = self.details.get("provisional_rule_met")
        if self.key == "nrs":
            out = {"items": self.details["items"], "missing": self.missing}
        return out


def band_for(bands: Sequence[Band], value: float) -> Band | None:
    """The band containing ``value``, or None when the instrument has no bands."""
    return next((b for b in bands if b.contains(value)), None)


def _range(b: Band) -> str:
    return f"{b.low}–{b.high}"


def _pcl5_details(values: Sequence[int]) -> dict[str, object]:
    """Endorsed items per cluster and whether the published provisional rule is met (for the clinician)."""
    endorsed = {
        c: sum(1 for n in items if values[n - 1] >= PCL5_ENDORSED_AT) for c, (items, _) in PCL5_CLUSTERS.items()
    }
    met = all(endorsed[c] >= need for c, (_, need) in PCL5_CLUSTERS.items())
    return {"endorsed_by_cluster": endorsed, "provisional_rule_met": met}


def score_instrument(inst: Instrument, values: Sequence[int | None]) -> Score:
    """Score one instrument from its item answers (None = unanswered)."""
    if len(values) != inst.n_items:
        raise ValueError(f"{inst.short} needs {inst.n_items} answers, got {len(values)}")
    answered = [v for v in values if v is not None]
    missing = inst.n_items - len(answered)
    if inst.scoring == "each":
        items = {}
        for item, v in zip(inst.items, values, strict=True):
            b = band_for(inst.item_bands, v) if v is not None else None
            items[item.code or item.text] = {"value": v, "band": b.label if b else None}
        meaning = "Each rating is shown on its own. " + CLINICIAN
        return Score(inst.key, None, None, None, missing, len(answered), meaning, {"items": items})
    if missing:
        s = "" if missing == 1 else "s"
        meaning = f"No total: {missing} of {inst.n_items} item{s} not answered."
        return Score(inst.key, None, None, None, missing, len(answered), meaning)
    complete = [int(v) for v in answered]
    if inst.scoring == "mean":
        mean = round(sum(complete) / len(complete), 2)
        rounded = math.floor(sum(complete) / len(complete) + 0.5)
        meaning = f"Average of {inst.n_items} items on a 0–10 scale. {inst.note} {CLINICIAN}"
        return Score(inst.key, mean, None, None, 0, len(complete), meaning.strip(), {"rounded": rounded})
    total = sum(complete)
    b = band_for(inst.bands, total)
    if b is not None:
        meaning = f"A score in the {b.label} range ({_range(b)}). {CLINICIAN}"
        return Score(inst.key, total, b.label, _range(b), 0, len(complete), meaning)
    details: dict[str, object] = {}
    meaning = f"Total {total} of {inst.n_items * inst.max_value}. {CLINICIAN}"
    if inst.key == "pcl5":
        details = _pcl5_details(complete)
        rule = "met" if details["provisional_rule_met"] else "not met"
        meaning = (
            f"Total {total} of 80. For your clinician: the PCL-5's published provisional rule (items rated 2 or more; "
            f"at least 1 B, 1 C, 2 D and 2 E items) is {rule}; the published cut-off range is {PCL5_CUTOFF_TEXT}. "
            f"This is not a diagnosis. {CLINICIAN}"
        )
    return Score(inst.key, total, None, None, 0, len(complete), meaning, details)


def instrument_values(answers: Answers, key: str) -> list[int | None]:
    """The item answers stored for one instrument."""
    return list(getattr(answers.instruments, key))


def score_all(answers: Answers) -> dict[str, Score]:
    """Scores for every defined instrument, in definition order."""
    return {key: score_instrument(inst, instrument_values(answers, key)) for key, inst in INSTRUMENTS.items()}


def item9_value(answers: Answers) -> int | None:
    return answers.instruments.phq9[PHQ9_ITEM9_INDEX]


def crisis(answers: Answers) -> bool:
    """True when PHQ-9 item 9 is answered above "Not at all": the crisis panel must show at once."""
    v = item9_value(answers)
    return v is not None and v > 0


def cli_scores(answers: Answers) -> dict[str, dict[str, object]]:
    """Scores in the command line's JSON shape."""
    return {key: s.as_json() for key, s in score_all(answers).items()}
