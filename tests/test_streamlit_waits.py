"""The browser tests' notion of "the server has caught up" (tests/browser/streamlit_waits.py), fed the
protocol messages a Streamlit page exchanges, so each rule is checked without a browser."""

from __future__ import annotations

import json

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.streamlit_waits import TAB_COMPONENT, TAB_REPLY_ID, _Traffic


def rerun_request(trigger_id: str | None = None, trigger: object = None) -> bytes:
    msg = BackMsg()
    msg.rerun_script.query_string = ""
    if trigger_id is not None:
        widget = msg.rerun_script.widget_states.widgets.add()
        widget.id = f"$$STREAMLIT_INTERNAL_KEY_$$ID-0123-{trigger_id}"
        widget.json_trigger_value = json.dumps(trigger)
    return msg.SerializeToString()


def run_started() -> bytes:
    msg = ForwardMsg()
    msg.new_session.SetInParent()
    return msg.SerializeToString()


def run_finished(status: int = ForwardMsg.FINISHED_SUCCESSFULLY) -> bytes:
    msg = ForwardMsg()
    msg.script_finished = status
    return msg.SerializeToString()


def a_delta(text: str) -> bytes:
    """A delta carrying ``text`` (the tab component's name and data travel as plain text in it)."""
    msg = ForwardMsg()
    msg.delta.new_element.markdown.body = text
    return msg.SerializeToString()


def tab_data(mode: str) -> bytes:
    """A run's delta drawing the tab-storage component with this mode."""
    return a_delta(TAB_COMPONENT.decode() + f' {{"mode": "{mode}"}}')


def the_tab_replies(t: _Traffic) -> None:
    """The tab answers the session's question (it holds no answers)."""
    t.on_sent(rerun_request(TAB_REPLY_ID, [{"event": "restore", "value": {"draft": "", "section": None}}]))


def new_session() -> _Traffic:
    t = _Traffic()
    t.new_socket(None)
    return t


def served_once(t: _Traffic, *deltas: bytes) -> None:
    t.on_sent(rerun_request())
    t.on_received(run_started())
    for d in deltas:
        t.on_received(d)
    t.on_received(run_finished())


def test_a_page_without_the_tab_component_has_caught_up_when_its_run_finished():
    t = new_session()
    served_once(t, a_delta("Find a clinic"))
    assert t.caught_up


def test_a_run_cut_short_for_a_newer_request_is_not_the_end():
    t = new_session()
    t.on_sent(rerun_request())
    t.on_received(run_started())
    t.on_received(run_finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN))
    assert not t.caught_up


def test_a_session_that_asked_the_tab_has_not_caught_up_until_the_tab_replied_and_was_served():
    """Acting between the first run and the tab's reply raced the reply's run."""
    t = new_session()
    served_once(t, tab_data("ask"))
    assert not t.caught_up  # the page is still starting up: the tab's reply is on its way
    the_tab_replies(t)
    assert not t.caught_up  # sent, not yet served
    t.on_received(run_started())
    t.on_received(tab_data("clear"))
    t.on_received(run_finished())
    assert t.caught_up


def test_a_later_run_that_still_asks_does_not_wait_for_a_second_reply():
    """The tab answers a session once; a run that started before the reply arrived asks again in its data."""
    t = new_session()
    served_once(t, tab_data("ask"))
    the_tab_replies(t)
    served_once(t, tab_data("ask"))
    assert t.caught_up


def test_a_new_socket_is_a_new_session_that_asks_again():
    """A reload, or a replica that went away: the new session asks the tab again and must be answered."""
    t = new_session()
    served_once(t, tab_data("ask"))
    the_tab_replies(t)
    served_once(t)
    assert t.caught_up
    t.new_socket(None)
    assert not t.caught_up
    served_once(t, tab_data("ask"))
    assert not t.caught_up
