"""The copy of the answers kept in the browser tab: what the page tells the tab, and how a reply is read.

The reply comes from the browser, so it is untrusted input: it goes through the draft parser, any odd
shape restores nothing, and nothing in it can raise (property test)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from dashboard.intake import draft, tab_copy
from dashboard.intake.answers import Answers


def _filled() -> Answers:
    a = Answers()
    a.about.name = "Alex Example"
    a.screening.allergies = "Penicillin: a rash"
    return a


def test_a_new_session_asks_the_tab_before_writing_anything() -> None:
    assert tab_copy.instruction(_filled(), 3, asked=False) == {"mode": "ask"}


def test_after_the_reply_the_tab_mirrors_the_answers_as_the_draft_file_json() -> None:
    got = tab_copy.instruction(_filled(), 3, asked=True)
    assert got["mode"] == "save"
    assert got["draft"] == draft.to_json(_filled())  # the same text "Save draft" downloads
    assert got["section"] == 3


def test_an_empty_form_clears_the_tabs_copy() -> None:
    assert tab_copy.instruction(Answers(), 0, asked=True) == {"mode": "clear"}


def test_a_stored_copy_is_restored_with_its_section() -> None:
    reply = tab_copy.read_reply({"draft": draft.to_json(_filled()), "section": "4"}, sections=7)
    assert reply.problem is None
    assert reply.answers == _filled()
    assert reply.section == 4


def test_nothing_stored_restores_nothing_and_says_nothing() -> None:
    for value in (None, {}, {"draft": ""}, {"draft": "  "}, {"draft": None}, "text", [1], 5):
        assert tab_copy.read_reply(value, sections=7) == tab_copy.Reply()


def test_a_damaged_copy_gives_the_draft_parsers_plain_message_and_no_answers() -> None:
    hostile = json.dumps({"schema_version": 2, "about": {"name": "<script>x</script>", "shoe_size": 44}})
    reply = tab_copy.read_reply({"draft": hostile, "section": "2"}, sections=7)
    assert reply.answers is None
    assert reply.problem and reply.problem.startswith("The answers kept in this browser tab could not be restored:")
    assert "<script>" not in reply.problem  # the message never echoes a stored value
    broken = tab_copy.read_reply({"draft": '{"schema_version": 2,'}, sections=7)
    assert broken.answers is None and "not valid JSON" in (broken.problem or "")


def test_a_section_is_used_only_when_it_exists() -> None:
    text = draft.to_json(_filled())
    for raw, expected in (("6", 6), (0, 0), ("7", None), ("-1", None), ("1e3", None), (True, None), (None, None),
                          ("99999999999", None), ("２", None)):  # fmt: skip
        assert tab_copy.read_reply({"draft": text, "section": raw}, sections=7).section == expected, raw


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


@given(draft_text=st.one_of(st.text(max_size=200), json_values.map(json.dumps)), section=json_values)
def test_any_reply_is_read_without_raising(draft_text: str, section: object) -> None:
    reply = tab_copy.read_reply({"draft": draft_text, "section": section}, sections=7)
    assert reply.answers is None or isinstance(reply.answers, Answers)
    assert reply.section is None or 0 <= reply.section < 7
    assert reply.answers is not None or reply.section is None
