"""Check-ins in the draft file: version 3 carries a list of dated check-ins, every older draft still opens
(with none), a damaged check-in is named and left out while the others are kept, and the parser takes any
check-in list from anywhere without raising anything but its plain message (property tests)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.intake import draft
from dashboard.intake.answers import MAX_CHECKINS, SCHEMA_VERSION, Answers, CheckIn

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "three-checkins.json"
V1 = ROOT / "tests" / "fixtures" / "intake" / "full_draft.json"


def _checkin(date: str, **parts) -> dict:
    return {"date": date, **parts}


def test_the_example_file_has_three_dated_checkins_of_the_current_version() -> None:
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert raw["schema_version"] == SCHEMA_VERSION == 3
    loaded = draft.parse_loaded(EXAMPLE.read_bytes())
    assert loaded.dropped == ()
    days = [c.date.isoformat() for c in loaded.answers.checkins]
    assert days == ["2026-10-05", "2026-10-12", "2026-10-19"]
    assert draft.parse(draft.to_bytes(loaded.answers)) == loaded.answers  # saved again, read again: the same


@pytest.mark.parametrize("version", [1, 2])
def test_older_drafts_open_with_no_checkins_and_keep_every_answer(version: int) -> None:
    raw = json.loads(V1.read_bytes())
    raw["schema_version"] = version
    a = draft.parse(json.dumps(raw))
    assert a.schema_version == 3 and a.checkins == []
    assert a.about.name == raw["about"]["name"]
    assert a.instruments.phq9 == raw["instruments"]["phq9"]
    assert json.loads(draft.to_json(a))["schema_version"] == 3


def test_a_version_2_draft_cannot_carry_checkins() -> None:
    with pytest.raises(draft.DraftError, match="version 3"):
        draft.parse(json.dumps({"schema_version": 2, "checkins": []}))


def test_a_damaged_checkin_is_named_and_dropped_and_the_others_kept() -> None:
    doc = {
        "schema_version": 3,
        "about": {"name": "Alex Example"},
        "checkins": [
            _checkin("2026-10-05", phq9=[1] * 9),
            _checkin("2026-10-12", phq9=[1] * 8 + [7]),  # 7 is not a PHQ-9 answer
            _checkin("2026-10-19", nrs=[4, 6, 3]),
            "not a check-in",
            _checkin("2026-10-26", mood="fine"),
        ],
    }
    loaded = draft.parse_loaded(json.dumps(doc))
    assert [c.date.isoformat() for c in loaded.answers.checkins] == ["2026-10-05", "2026-10-19"]
    assert loaded.answers.about.name == "Alex Example"
    assert len(loaded.dropped) == 3
    assert loaded.dropped[0].startswith("Check-in 2 (dated 2026-10-12) has an invalid value at phq9.8")
    assert loaded.dropped[1].startswith("Check-in 4 has an invalid value")
    assert "Check-in 5 (dated 2026-10-26) has a field this app does not know: mood" in loaded.dropped[2]
    assert all(s.endswith("It was left out; the others were kept.") for s in loaded.dropped)
    assert "7" not in loaded.note.replace("2026-10-", "")  # never the offending value


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ({"phq9": [0] * 9}, "date"),  # a check-in is dated
        (_checkin("2026-02-30"), "date"),
        (_checkin("1999-12-31"), "date"),
        (_checkin((dt.date.today() + dt.timedelta(days=3)).isoformat()), "date"),
        (_checkin("2026-10-05", gad7=[0] * 6), "gad7"),
        (_checkin("2026-10-05", peg=[11, 0, 0]), "peg.0"),
        (_checkin("2026-10-05", nrs=[1, 2, True]), "nrs.2"),
        (_checkin("2026-10-05", session={"number": 0}), "session.number"),
        (_checkin("2026-10-05", session={"route": "by_owl"}), "session.route"),
        (_checkin("2026-10-05", side_effects="x" * 2001), "side_effects"),
    ],
)
def test_each_kind_of_damage_names_where_it_is(entry: dict, where: str) -> None:
    loaded = draft.parse_loaded(json.dumps({"schema_version": 3, "checkins": [entry]}))
    assert loaded.answers.checkins == []
    assert where in loaded.note


def test_a_checkins_field_that_is_not_a_list_refuses_the_draft_and_too_many_is_refused() -> None:
    with pytest.raises(draft.DraftError, match="checkins"):
        draft.parse(json.dumps({"schema_version": 3, "checkins": {"date": "2026-10-05"}}))
    many = [_checkin("2026-10-05")] * (MAX_CHECKINS + 1)
    with pytest.raises(draft.DraftError, match="checkins"):
        draft.parse(json.dumps({"schema_version": 3, "checkins": many}))


dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date.today())
phq = st.one_of(st.none(), st.integers(0, 3))
ten = st.one_of(st.none(), st.integers(0, 10))
good_checkins = st.builds(
    lambda d, p, g, e, n, s: {"date": d.isoformat(), "phq9": p, "gad7": g, "peg": e, "nrs": n, "side_effects": s},
    dates,
    st.lists(phq, min_size=9, max_size=9),
    st.lists(phq, min_size=7, max_size=7),
    st.lists(ten, min_size=3, max_size=3),
    st.lists(ten, min_size=3, max_size=3),
    st.text(max_size=50),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 40) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=10) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
keys = st.sampled_from(["date", "phq9", "gad7", "peg", "nrs", "session", "side_effects", "extra"])
hostile_checkins = st.one_of(json_values, st.dictionaries(keys, json_values, max_size=5))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.booleans(), good_checkins, hostile_checkins), max_size=8))
def test_any_mix_of_good_and_damaged_checkins_keeps_exactly_the_good_ones(mix) -> None:
    entries = [good if keep else bad for keep, good, bad in mix]
    try:
        loaded = draft.parse_loaded(json.dumps({"schema_version": 3, "checkins": entries}))
    except draft.DraftError:
        pytest.fail("a list of check-ins never refuses the whole draft")
    readable = []
    for e in entries:
        try:
            readable.append(CheckIn.model_validate_json(json.dumps(e)))
        except ValueError:
            continue
    assert loaded.answers.checkins == readable
    assert len(loaded.dropped) == len(entries) - len(readable)
    assert draft.parse(draft.to_bytes(loaded.answers)) == loaded.answers


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_checkins_value_gives_answers_or_one_plain_message(value) -> None:
    try:
        loaded = draft.parse_loaded(json.dumps({"schema_version": 3, "checkins": value}))
    except draft.DraftError as err:
        message = str(err)
        assert message.startswith("The draft")  # noqa: PT017 - the message is what the person reads
        return
    assert isinstance(loaded.answers, Answers)


def _depth_by_characters(text: str) -> bool:
    """The nesting pre-check as a plain loop over every character (what the regular expression replaced)."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > draft.MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='[]{}"\\ab,:', max_size=60))
def test_the_nesting_check_skips_strings_exactly_as_a_character_loop_does(text: str) -> None:
    assert draft._depth_ok(text) == _depth_by_characters(text)
