"""The check-in form: a short dated form whose widgets hold the check-in being written until it is added.

Not a ``st.form``: a form sends nothing until it is submitted, and a PHQ-9 item 9 answer other than
"Not at all" must bring the crisis contacts forward at once, as in the questionnaire. The widgets are
keyed under ``ck:`` and, as every questionnaire widget, declare the value the server holds as their
default. "Add this check-in" validates them into one ``CheckIn`` and puts it into the one Answers model
(so the draft file, the tab's copy and the summary all have it) and clears the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st
from pydantic import ValidationError

from dashboard import vocab
from dashboard.intake import checkins
from dashboard.intake.answers import CheckIn
from dashboard.intake.instruments import PHQ9_ITEM9_INDEX, Instrument
from dashboard.web import frame
from dashboard.web.questionnaire import binding

PREFIX = "ck:"
SHOW_ALL = "ck_show_all"  # not under PREFIX: adding a check-in keeps the choice
# "" rather than None for "not given": a select box shows a None option as nothing chosen at all
ROUTES: dict[str, str] = {"": "Not given", **{t.code: t.label for t in vocab.ROUTES}}


def _key(*parts: object) -> str:
    return PREFIX + ".".join(str(p) for p in parts)


def _held(key: str, default: Any = None) -> Any:
    return st.session_state.get(key, default)


def _item(inst: Instrument, index: int) -> None:
    item = inst.items[index]
    label = f"{inst.short} question {index + 1}: {item.text}"
    if item.anchors:
        label += f"  \n({item.anchors[0]}; {item.anchors[1]})"
    codes = [o.value for o in inst.options]
    names = {o.value: o.label for o in inst.options}
    key = _key(inst.key, index)
    held = _held(key)
    st.radio(
        label,
        codes,
        format_func=lambda v: names[v],
        horizontal=True,
        index=codes.index(held) if held in codes else None,
        key=key,
    )


def pending_crisis() -> bool:
    """Item 9 of the check-in being written is answered above "Not at all"."""
    v = _held(_key("phq9", PHQ9_ITEM9_INDEX))
    return isinstance(v, int) and v > 0


def _instrument(inst: Instrument) -> None:
    st.subheader(inst.title, anchor=False)
    st.markdown(f"About {inst.recall}.  \n**{inst.stem}**")
    for i in range(inst.n_items):
        _item(inst, i)
        if inst.key == "phq9" and i == PHQ9_ITEM9_INDEX and pending_crisis():
            frame.crisis_panel()
    st.markdown(f"<small>{frame.md_escape(inst.notice)}</small>", unsafe_allow_html=True)


def _session() -> None:
    st.subheader("The treatment session it follows (if any)", anchor=False)
    c1, c2, c3 = st.columns(3)
    c1.number_input(
        "Session number", min_value=1, max_value=999, step=1, value=_held(_key("session", "number")),
        key=_key("session", "number"),
    )  # fmt: skip
    c2.date_input(
        "Session date", value=_held(_key("session", "date")), min_value=dt.date(2000, 1, 1),
        max_value=dt.date.today() + dt.timedelta(days=1), key=_key("session", "date"), format="YYYY-MM-DD",
    )  # fmt: skip
    codes = list(ROUTES)
    held = _held(_key("session", "route"))
    c3.selectbox(
        "Route", codes, format_func=lambda c: ROUTES[c], index=codes.index(held) if held in codes else 0,
        key=_key("session", "route"),
    )  # fmt: skip


def _collect(shown: list[Instrument]) -> CheckIn:
    """The check-in the widgets hold (ValidationError when a value does not fit the draft's rules)."""
    parts: dict[str, Any] = {}
    for inst in shown:
        parts[inst.key] = [_held(_key(inst.key, i)) for i in range(inst.n_items)]
    number = _held(_key("session", "number"))
    session = {
        "number": None if number is None else int(number),
        "date": _held(_key("session", "date")),
        "route": _held(_key("session", "route")) or None,
    }
    return CheckIn.model_validate(
        {
            "date": _held(_key("date")) or dt.date.today(),
            **parts,
            "session": session,
            "side_effects": str(_held(_key("side_effects"), "") or "")[:2000],
        }
    )


def _clear() -> None:
    for k in [k for k in st.session_state if isinstance(k, str) and k.startswith(PREFIX)]:
        del st.session_state[k]


def _add(shown: list[Instrument]) -> None:
    try:
        checkin = _collect(shown)
    except ValidationError:
        binding.say("error", "That check-in could not be kept; please check the date and the answers.")
        return
    if checkins.is_empty(checkin):
        binding.say("warning", "This check-in holds only a date: answer at least one part to add it.")
        return
    a = binding.answers()
    try:
        a.checkins = checkins.added(a, checkin)
    except ValidationError:
        binding.say("warning", "The file holds as many check-ins as it can; this one was not added.")
        return
    _clear()
    binding.say(
        "success",
        f"Check-in of {checkin.date.isoformat()} added ({len(a.checkins)} in all). Save draft to keep it in your file.",
    )


def form() -> None:
    """The check-in form, asking what the reasons for the visit call for; every part optional."""
    conditions = binding.answers().reason.conditions
    show_all = st.checkbox(
        "Show every check-in questionnaire", key=SHOW_ALL, value=bool(st.session_state.get(SHOW_ALL, False))
    )
    shown = checkins.instruments_for(conditions, show_all)
    if not conditions:
        st.markdown("No reason for the visit was chosen in the questionnaire, so every part is shown.")
    today = dt.date.today()
    st.date_input(
        "Date of this check-in", value=_held(_key("date"), today), min_value=dt.date(2000, 1, 1),
        max_value=today + dt.timedelta(days=1), key=_key("date"), format="YYYY-MM-DD",
    )  # fmt: skip
    for inst in shown:
        _instrument(inst)
        st.divider()
    _session()
    st.text_area(
        "Side effects you noticed since the session (optional)", max_chars=2000,
        value=_held(_key("side_effects"), ""), key=_key("side_effects"),
    )  # fmt: skip
    st.button("Add this check-in", on_click=_add, args=(shown,), key="ck_add", type="primary")
