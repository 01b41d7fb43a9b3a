"""Questionnaire widgets bound to the one Answers model of a browser session.

The Answers model lives in one session-state key and is the single source of truth: each widget is
seeded from the model and writes back through an on_change callback, so answers survive Back/Next even
though Streamlit forgets the keys of widgets it did not draw, and anything that stores the answers
elsewhere (a draft file, the tab's own storage) only ever has to read or replace that one model.
Nothing here writes to disk or logs answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from pydantic import ValidationError

from dashboard.intake import draft
from dashboard.intake.answers import Answers

# Session-state keys of the questionnaire.
MODEL = "intake_answers"
SECTION = "intake_section"
MESSAGE = "intake_message"
UPLOAD = "intake_upload"
SAVED = "intake_saved"  # the draft JSON as last saved or loaded: anything else is unsaved
NAV = "intake_nav"  # counts section changes, so the page script acts once per change
CARRIED = "intake_clinic_carried"
PREFIX = "ik:"
Path = tuple[str | int, ...]


def answers() -> Answers:
    """The one Answers model of this browser session."""
    if MODEL not in st.session_state:
        st.session_state[MODEL] = Answers()
    return st.session_state[MODEL]


def replace_answers(new: Answers) -> None:
    """Swap in a whole new model (a loaded draft, or a fresh start) and re-seed every widget from it."""
    st.session_state[MODEL] = new
    clear_widgets()
    st.session_state[SAVED] = draft.to_json(new)


def get(path: Path) -> Any:
    obj: Any = answers()
    for p in path:
        obj = obj[p] if isinstance(p, int) else getattr(obj, p)
    return obj


def put(path: Path, value: Any) -> None:
    """Write one value through the model's validation; a rejected value leaves the model as it was."""
    parent = get(path[:-1])
    last = path[-1]
    if isinstance(last, int):
        items = list(parent)
        items[last] = value
        put(path[:-1], items)
    else:
        setattr(parent, last, value)


def wkey(path: Path, suffix: str = "") -> str:
    return PREFIX + ".".join(str(p) for p in path) + suffix


def clear_widgets(prefix: str = PREFIX) -> None:
    """Forget widget values so the next run seeds them from the model again."""
    for k in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[k]


def _where_they_are() -> str:
    """The section and the answers: a message is about them, and stands until either changes."""
    return f"{st.session_state.get(SECTION, 0)}|{draft.to_json(answers())}"


def say(kind: str, text: str) -> None:
    """A message about what just happened, shown from the next run until the person changes an answer or
    the section.

    Not "shown once": a run can be cut short by the next one (Streamlit stops a run when the browser
    asks for another), and a run the browser asked for on its own (the tab's copy of the answers
    replying, a map reporting its size) follows a person's action at any moment. A message consumed by
    such a run would be gone before anyone could read it.
    """
    st.session_state[MESSAGE] = (kind, text, _where_they_are())


def _sync(path: Path, key: str, from_widget: Callable[[Any], Any], then: Callable[[], None] | None) -> None:
    try:
        put(path, from_widget(st.session_state[key]))
    except ValidationError:
        say("error", "That value could not be kept; please check it.")
        st.session_state.pop(key, None)  # re-seeded from the unchanged model on the next run
        return
    if then:
        then()


def bound(
    path: Path,
    to_widget: Callable[[Any], Any] = lambda v: v,
    from_widget: Callable[[Any], Any] = lambda v: v,
    suffix: str = "",
    then: Callable[[], None] | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Seed the widget's key from the model; return the value the server now holds for the widget and the
    kwargs that keep widget and model in step.

    Every caller declares that value as the widget's default too (``value=``/``index=``/``default=``).
    A value written through ``st.session_state`` reaches the browser in one message only; a browser that
    first draws the widget from a later rerun's message (its lazily loaded code arrived late) shows the
    declared default and sends it back, and ``_sync`` would write it into the answers. A keyed widget's
    identity is its key, so a default that follows the answers never replaces the widget.
    """
    key = wkey(path, suffix)
    if key not in st.session_state:
        st.session_state[key] = to_widget(get(path))
    return st.session_state[key], {"key": key, "on_change": _sync, "args": (path, key, from_widget, then)}


def held_index(options: Sequence[Any], value: Any) -> int | None:
    """The position of the held value among a choice's options (``None``: nothing chosen)."""
    return options.index(value) if value is not None and value in options else None


def show_message() -> None:
    message = st.session_state.get(MESSAGE)
    if not message:
        return
    kind, text, where = message
    if where != _where_they_are():
        del st.session_state[MESSAGE]  # they have moved on: the message is about something past
        return
    getattr(st, kind)(text)
