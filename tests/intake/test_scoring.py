"""Scoring tables for every instrument: totals, every band boundary, missing items, PEG mean, PCL-5 rule."""

from __future__ import annotations

import pytest

from dashboard.content import citations
from dashboard.intake.answers import Answers, Instruments
from dashboard.intake.instruments import GAD7, INSTRUMENTS, NRS, PCL5, PEG, PHQ9
from dashboard.intake.scoring import cli_scores, crisis, score_instrument


def spread(total: int, n: int, top: int) -> list[int]:
    """n item values in 0..top summing to total."""
    values = []
    for _ in range(n):
        v = min(top, total)
        values.append(v)
        total -= v
    assert total == 0
    return values


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
        (15, "moderately severe"), (19, "moderately severe"), (20, "severe"), (27, "severe"),
    ],
)  # fmt: skip
def test_phq9_bands_at_every_boundary(total, band):
    s = score_instrument(PHQ9, spread(total, 9, 3))
    assert (s.total, s.band, s.missing) == (total, band, 0)
    assert "Only a clinician can interpret it." in s.meaning


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
     (15, "severe"), (21, "severe")],
)  # fmt: skip
def test_gad7_bands_at_every_boundary(total, band):
    s = score_instrument(GAD7, spread(total, 7, 3))
    assert (s.total, s.band, s.missing) == (total, band, 0)


@pytest.mark.parametrize("inst", [PHQ9, GAD7, PEG, PCL5], ids=lambda i: i.key)
@pytest.mark.parametrize("n_missing", [1, 2])
def test_missing_items_give_no_total_and_say_how_many(inst, n_missing):
    values: list[int | None] = [1] * inst.n_items
    for i in range(n_missing):
        values[i] = None
    s = score_instrument(inst, values)
    assert s.total is None
    assert s.band is None
    assert s.missing == n_missing
    assert f"{n_missing} of {inst.n_items}" in s.meaning


def test_all_missing():
    s = score_instrument(PHQ9, [None] * 9)
    assert (s.total, s.missing, s.answered) == (None, 9, 0)


@pytest.mark.parametrize(
    ("items", "mean", "rounded"),
    [([0, 0, 0], 0.0, 0), ([10, 10, 10], 10.0, 10), ([5, 6, 7], 6.0, 6), ([5, 6, 6], 5.67, 6), ([1, 0, 0], 0.33, 0),
     ([2, 2, 3], 2.33, 2), ([4, 5, 5], 4.67, 5)],
)  # fmt: skip
def test_peg_is_mean_of_three_without_bands(items, mean, rounded):
    s = score_instrument(PEG, items)
    assert s.total == pytest.approx(mean)
    assert s.details["rounded"] == rounded
    assert s.band is None


def test_pcl5_total_range_and_provisional_rule():
    assert score_instrument(PCL5, [0] * 20).total == 0
    assert score_instrument(PCL5, [4] * 20).total == 80
    # exactly the minimum: 1 B, 1 C, 2 D, 2 E items at 2
    values = [0] * 20
    for n in (1, 6, 8, 9, 15, 16):
        values[n - 1] = 2
    s = score_instrument(PCL5, values)
    assert s.total == 12
    assert s.details["provisional_rule_met"] is True
    assert s.band is None
    assert "for your clinician" in s.meaning.lower()
    assert "not a diagnosis" in s.meaning
    values[15] = 1  # only one E item endorsed now
    assert score_instrument(PCL5, values).details["provisional_rule_met"] is False
    values[15] = 2
    values[5] = 1  # no C item endorsed
    assert score_instrument(PCL5, values).details["provisional_rule_met"] is False


def test_nrs_items_banded_individually():
    s = score_instrument(NRS, [0, 3, 7])
    items = s.details["items"]
    assert [items[k]["band"] for k in ("now", "worst_past_week", "least_past_week")] == ["none", "mild", "severe"]
    assert score_instrument(NRS, [4, 6, 10]).details["items"]["now"]["band"] == "moderate"


def test_wrong_length_is_refused():
    with pytest.raises(ValueError, match="needs 9"):
        score_instrument(PHQ9, [0] * 8)


@pytest.mark.parametrize(("item9", "expected"), [(None, False), (0, False), (1, True), (2, True), (3, True)])
def test_crisis_whenever_item9_above_not_at_all(item9, expected):
    values = [0] * 8 + [item9]
    a = Answers(instruments=Instruments(phq9=values))
    assert crisis(a) is expected
    # also when the rest of the PHQ-9 is unanswered
    a = Answers(instruments=Instruments(phq9=[None] * 8 + [item9]))
    assert crisis(a) is expected


def test_cli_shape():
    out = cli_scores(Answers())
    assert set(out) >= {"phq9", "gad7", "peg", "pcl5"}
    assert out["phq9"] == {"total": None, "band": None, "missing": 9}
    assert out["gad7"] == {"total": None, "band": None, "missing": 7}
    assert out["peg"]["mean"] is None and out["peg"]["missing"] == 3
    assert out["pcl5"]["total"] is None and out["pcl5"]["missing"] == 20


def test_instruments_are_data_with_notices_and_codes():
    assert PHQ9.notice.endswith("No permission required to reproduce, translate, display or distribute.")
    assert "Pfizer" not in GAD7.notice  # the "no permission required" notice was confirmed for PHQ-9 only
    assert PHQ9.loinc_panel == "44249-1" and PHQ9.loinc_total == "44261-6"
    assert GAD7.loinc_panel == "69737-5" and GAD7.loinc_total == "70274-6"
    assert [o.loinc for o in PHQ9.options] == ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
    assert PHQ9.items[8].text == "Thoughts that you would be better off dead or of hurting yourself in some way"
    assert PHQ9.items[8].loinc == "44260-8"
    assert len(PCL5.items) == 20 and len(GAD7.items) == 7 and len(PEG.items) == 3
    for inst in INSTRUMENTS.values():
        assert inst.notice and inst.sources
        for key in inst.sources:
            assert key in citations.REGISTER, key
    text = " ".join(i.text for inst in INSTRUMENTS.values() for i in inst.items).lower()
    assert "dn4" not in text and "lanss" not in text and "paindetect" not in text
