"""Progress across check-ins: which parts a check-in asks, the crisis rule on any check-in, the table of
check-ins, the change since the first one worded against the published definitions (cited through the
register, never a judgement), and the chart: one labelled point per score and check-in, behind the
published severity bands, the same spec on screen and on the server."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from dashboard.content import citations
from dashboard.intake import checkins, draft, progress, progress_chart
from dashboard.intake.answers import Answers, CheckIn

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "three-checkins.json"


def example() -> Answers:
    return draft.parse(EXAMPLE.read_bytes())


def with_checkins(*entries: CheckIn) -> Answers:
    return Answers(checkins=list(entries))


def test_a_checkin_asks_what_the_reasons_call_for_and_everything_when_none_matches() -> None:
    keys = lambda found: [i.key for i in found]  # noqa: E731
    assert keys(checkins.instruments_for({"depression"})) == ["phq9", "gad7"]  # mood and anxiety together
    assert keys(checkins.instruments_for({"anxiety"})) == ["phq9", "gad7"]
    assert keys(checkins.instruments_for({"crps"})) == ["peg", "nrs"]
    assert keys(checkins.instruments_for({"anxiety", "crps"})) == ["phq9", "gad7", "peg", "nrs"]
    assert keys(checkins.instruments_for({"ptsd"})) == ["phq9", "gad7", "peg", "nrs"]  # PCL-5 is not a check-in
    assert keys(checkins.instruments_for(set())) == ["phq9", "gad7", "peg", "nrs"]
    assert keys(checkins.instruments_for({"depression"}, show_all=True)) == ["phq9", "gad7", "peg", "nrs"]


@pytest.mark.parametrize(("item9", "shown"), [(None, False), (0, False), (1, True), (2, True), (3, True)])
def test_item_9_above_not_at_all_on_any_checkin_brings_the_crisis_contacts(item9, shown) -> None:
    calm = CheckIn(date=dt.date(2026, 10, 5), phq9=[0] * 9)
    other = CheckIn(date=dt.date(2026, 10, 12), phq9=[1] * 8 + [item9])
    assert checkins.any_crisis(with_checkins(calm, other)) is shown
    assert checkins.any_crisis(with_checkins(other, calm)) is shown
    assert progress.as_json(with_checkins(calm, other))["crisis"] is shown


def test_the_table_lists_every_checkin_oldest_first_with_scores_session_and_side_effects() -> None:
    t = progress.table(example())
    assert t.columns[0] == "Date" and len(t.rows) == 3
    assert [r[0] for r in t.rows] == ["2026-10-05", "2026-10-12", "2026-10-19"]
    first = dict(zip(t.columns, t.rows[0], strict=True))
    assert first["Session"] == "Session 1 · 2026-10-02 · IV ketamine infusion"
    assert first["PHQ-9"] == "14" and "GAD-7" not in first  # no check-in answered it: no column
    assert first["PEG"] == "6.7" and (first["Pain now"], first["Worst"], first["Least"]) == ("7", "8", "5")
    assert first["Side effects"] == "Dizzy for an hour after the infusion."
    assert t.strong == set()


def test_an_item_9_answer_is_shown_in_its_row_in_bold_and_an_incomplete_total_says_so() -> None:
    a = with_checkins(
        CheckIn(date=dt.date(2026, 10, 12), phq9=[1] * 8 + [2]),
        CheckIn(date=dt.date(2026, 10, 5), phq9=[1] * 7 + [None, 0]),
    )
    t = progress.table(a)
    assert t.columns == ("Date", "PHQ-9")
    assert [r[1] for r in t.rows] == ["no total (1 missing)", "10; item 9: 2"]
    assert t.strong == {1}


def test_change_since_the_first_checkin_meets_or_not_the_published_pain_definition() -> None:
    found = {c.measure.key: c for c in progress.changes(example())}
    assert set(found) == {"phq9", "peg", "pain_now", "pain_worst", "pain_least"}  # GAD-7 was never answered
    now = found["pain_now"]
    assert (now.first.value, now.latest.value, now.difference, now.met) == (7, 4, -3, {"pain_change": True})
    assert now.sentence() == (
        "Pain now: 7 on 2026-10-05, 4 on 2026-10-19 (down 3 points). This meets the published definition of a "
        "clinically meaningful change in a 0–10 pain rating (a change of 2 points or more) — to discuss with your "
        "clinician."
    )
    a = with_checkins(
        CheckIn(date=dt.date(2026, 10, 5), nrs=[5, 5, 5]), CheckIn(date=dt.date(2026, 10, 9), nrs=[4, 5, 7])
    )
    by_key = {c.measure.key: c for c in progress.changes(a)}
    assert by_key["pain_now"].met == {"pain_change": False}
    assert "does not meet the published definition" in by_key["pain_now"].sentence()
    assert "(no change)" in by_key["pain_worst"].sentence()
    assert by_key["pain_least"].met == {"pain_change": True} and "(up 2 points)" in by_key["pain_least"].sentence()


def phq9_change(first: list[int | None], latest: list[int | None]) -> progress.Change:
    a = with_checkins(CheckIn(date=dt.date(2026, 10, 5), phq9=first), CheckIn(date=dt.date(2026, 10, 26), phq9=latest))
    return {c.measure.key: c for c in progress.changes(a)}["phq9"]


def items(total: int) -> list[int | None]:
    """Nine PHQ-9 answers adding up to ``total``, item 9 "Not at all" (no crisis contacts in these tests)."""
    out = [min(3, max(0, total - 3 * i)) for i in range(8)]
    assert sum(out) == total
    return [*out, 0]


def test_phq9_change_is_set_against_the_published_response_and_remission_definitions() -> None:
    phq9 = {c.measure.key: c for c in progress.changes(example())}["phq9"]
    assert phq9.met == {"phq9_response": True, "phq9_remission": False}  # 14 → 6: 57% lower, not below 5
    assert phq9.sentence() == (
        "PHQ-9 total: 14 on 2026-10-05, 6 on 2026-10-19 (down 8 points, or 57%). This meets the published "
        "definition of response (a PHQ-9 total at least 50% below the first) and does not meet the published "
        "definition of remission (a PHQ-9 total below 5) — to discuss with your clinician."
    )
    assert [c.source.key for c in phq9.cites] == ["ps_mbc_metrics"]  # one source, cited once


@pytest.mark.parametrize(
    ("first", "latest", "response", "remission"),
    [
        (10, 5, True, False),  # exactly half: a reduction of 50% meets it; 5 is not below 5
        (10, 6, False, False),
        (10, 4, True, True),
        (24, 13, False, False),  # 45% lower
        (24, 12, True, False),
        (12, 12, False, False),
        (12, 15, False, False),  # a rise
        (20, 0, True, True),
    ],
)
def test_response_is_a_fall_of_half_or_more_and_remission_a_total_below_5(first, latest, response, remission):
    change = phq9_change(items(first), items(latest))
    assert change.met == {"phq9_response": response, "phq9_remission": remission}
    text = change.sentence()
    assert ("This meets the published definition of response" in text) is response
    assert ("does not meet the published definition of response" in text) is not response
    assert (" meets the published definition of remission" in text and "not meet the published definition of "
            "remission" not in text) is remission  # fmt: skip


def test_the_percentage_is_truncated_never_rounded_up_towards_the_definitions_half() -> None:
    assert "(down 13 points, or 61%)" in phq9_change(items(21), items(8)).sentence()  # 61.9%
    assert "(up 3 points, or 25%)" in phq9_change(items(12), items(15)).sentence()


@pytest.mark.parametrize("first", [0, 4, 9])
def test_below_a_first_phq9_of_10_the_definitions_do_not_apply_and_no_verdict_is_given(first) -> None:
    change = phq9_change(items(first), items(0))
    assert change.met == {"phq9_response": None, "phq9_remission": None}
    text = change.sentence()
    assert text.endswith(
        "The published definitions of response and remission were made for a first PHQ-9 total of 10 or more, so "
        f"they do not apply to a first PHQ-9 total of {first} — to discuss with your clinician."
    )
    assert " meets " not in text and "does not meet" not in text
    assert [c.source.key for c in change.cites] == ["ps_mbc_metrics"]  # the definition is still named: cited


def test_the_first_complete_phq9_is_the_one_compared_and_an_incomplete_one_is_skipped() -> None:
    a = with_checkins(
        CheckIn(date=dt.date(2026, 10, 1), phq9=[3] * 8 + [None]),  # no total: no point
        CheckIn(date=dt.date(2026, 10, 5), phq9=items(8)),
        CheckIn(date=dt.date(2026, 10, 12), phq9=items(2)),
    )
    change = {c.measure.key: c for c in progress.changes(a)}["phq9"]
    assert change.first.value == 8 and change.met["phq9_response"] is None


def test_where_no_published_definition_is_held_only_the_numbers_are_given() -> None:
    a = with_checkins(
        CheckIn(date=dt.date(2026, 10, 5), gad7=[2] * 7), CheckIn(date=dt.date(2026, 10, 19), gad7=[1] * 7)
    )
    gad7 = {c.measure.key: c for c in progress.changes(a)}["gad7"]
    assert gad7.met == {} and gad7.cites == ()
    text = gad7.sentence()
    assert text.startswith("GAD-7 total: 14 on 2026-10-05, 7 on 2026-10-19 (down 7 points).")  # no percentage
    assert "No published definition of a meaningful GAD-7 change" in text and "to discuss with your clinician" in text
    assert " meets " not in text


def test_every_definition_cites_a_register_source_and_no_sentence_judges() -> None:
    for m in progress.MEASURES:
        for d in m.definitions:
            assert d.source.source is citations.get(d.source.source.key)
            assert d.source.source.link, "a definition's source is a publisher's page a reader can open"
        assert bool(m.definitions) is not bool(m.none_held)
    judging = re.compile(r"\b(improv|better|worse|success|fail|working|effective|respond)", re.I)
    for c in progress.changes(example()):
        assert c.sentence().endswith("— to discuss with your clinician.")
        assert not judging.search(c.sentence()), c.sentence()


def test_a_single_checkin_has_no_change_and_none_has_no_chart() -> None:
    one = with_checkins(CheckIn(date=dt.date(2026, 10, 5), phq9=[1] * 9))
    assert progress.changes(one) == []
    assert progress_chart.chart(Answers()) is None
    assert progress_chart.chart(with_checkins(CheckIn(date=dt.date(2026, 10, 5)))) is None


def test_the_chart_has_one_point_per_score_and_checkin_behind_the_published_bands() -> None:
    spec = progress_chart.spec(example())
    svg = progress_chart.svg(spec)
    for label in ("PHQ-9 total", "PEG mean", "Pain now", "Worst pain, past week", "Least pain, past week"):
        assert len(re.findall(rf'aria-label="{re.escape(label)}, 2026-10-\d\d: [0-9.]+"', svg)) == 3, label
    assert "GAD-7" not in svg  # not answered: no panel
    for band in ("minimal 0–4", "mild 5–9", "moderate 10–14", "moderately severe 15–19", "severe 20–27"):
        assert band in svg  # PHQ-9's published bands
    for band in ("none 0", "mild 1–3", "moderate 4–6", "severe 7–10"):
        assert band in svg  # the 0–10 rating bands
    data = json.dumps(json.loads(spec)["datasets"])
    assert data.count('"PHQ-9 total, 2026-10-') == 3


def test_the_server_renders_the_same_spec_to_a_png() -> None:
    png = progress_chart.png(progress_chart.spec(example()))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def test_the_spec_the_app_keeps_is_valid_vega_lite_and_follows_the_checkins() -> None:
    a = example()
    progress_chart.chart(a).to_dict()  # validates against Altair's Vega-Lite schema (the app skips it per build)
    first = progress_chart.spec(a)
    assert progress_chart.spec(a) is first  # kept per set of check-ins
    a.checkins = a.checkins[:2]
    assert progress_chart.spec(a) != first
    assert json.dumps(json.loads(progress_chart.spec(a))["datasets"]).count('"PHQ-9 total, 2026-10-') == 2
