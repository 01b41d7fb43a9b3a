"""The questionnaire's widgets, each bound to one field of the answers (``binding``): text, choices, numbers,
a typed date, contacts, editable lists and the blood-pressure form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from pydantic import ValidationError

from dashboard.intake import dates
from dashboard.intake.answers import BloodPressure
from dashboard.intake.screening import ANSWER_LABELS
from dashboard.web.pick import pick_many
from dashboard.web.questionnaire.binding import Path, answers, bound, clear_widgets, get, held_index, put, say, wkey

YESNO: dict[str | None, str] = {None: "Not answered", **{k: v for k, v in ANSWER_LABELS.items() if k}}


def text(label: str, path: Path, *, area: bool = False, max_chars: int = 200, help: str | None = None) -> None:
    value, kw = bound(path, from_widget=lambda v: (v or "")[:max_chars])
    if area:
        st.text_area(label, value=value, max_chars=max_chars, help=help, **kw)
    else:
        st.text_input(label, value=value, max_chars=max_chars, help=help, **kw)


def choice(
    label: str,
    path: Path,
    options: dict[Any, str],
    *,
    horizontal: bool = True,
    help: str | None = None,
    default: Any = None,
    then: Callable[[], None] | None = None,
) -> Any:
    """A radio group; ``None`` in ``options`` is shown as nothing chosen (or as ``default``), never as a choice."""
    shown = {k: v for k, v in options.items() if k is not None}
    value, kw = bound(path, to_widget=lambda v: default if v is None else v, then=then)
    codes = list(shown)
    return st.radio(
        label,
        codes,
        format_func=lambda v: shown[v],
        horizontal=horizontal,
        help=help,
        index=held_index(codes, value),
        **kw,
    )


def yesno(label: str, path: Path, help: str | None = None) -> None:
    choice(label, path, YESNO, help=help)


def multi(label: str, path: Path, codes: Sequence[str], fmt: Callable[[str], str]) -> None:
    value, kw = bound(path, list, list)
    pick_many(label, codes, default=value, format_func=fmt, **kw)


def number(
    label: str,
    path: Path,
    lo: float,
    hi: float,
    *,
    step: float = 1,
    scale: float = 1.0,
    suffix: str = "",
    then: Callable[[], None] | None = None,
) -> None:
    """A number input; ``scale`` converts shown units to model units (inches → cm); int bounds mean ints."""
    if isinstance(step, int):
        value, kw = bound(path, from_widget=lambda v: None if v is None else int(v), suffix=suffix, then=then)
    else:
        value, kw = bound(
            path,
            lambda v: None if v is None else round(v / scale, 1),
            # four decimals in the model: a value typed in inches or pounds reads back exactly as typed
            lambda v: None if v is None else round(float(v) * scale, 4),
            suffix,
            then,
        )
    st.number_input(label, min_value=lo, max_value=hi, step=step, value=value, **kw)


def _sync_date(path: Path, key: str) -> None:
    typed = st.session_state.get(key) or ""
    try:
        put(path, dates.parse_birth_date(typed))
    except dates.DateError as err:
        st.session_state[key + "#error"] = str(err)  # the typed text stays in the box, nothing is lost
        return
    except ValidationError:
        st.session_state[key + "#error"] = dates.RANGE_MESSAGE
        return
    st.session_state.pop(key + "#error", None)


def date_text(label: str, path: Path, help: str | None = None) -> None:
    """A typed date (no calendar popup to cover the next question); a date that cannot be read is explained.

    Seeded and declared like every bound widget (see ``_bound``): the typed text is what the server holds."""
    key = wkey(path)
    if key not in st.session_state:
        value = get(path)
        st.session_state[key] = value.isoformat() if isinstance(value, dt.date) else ""
    st.text_input(
        label,
        value=st.session_state[key],
        max_chars=20,
        help=help,
        key=key,
        on_change=_sync_date,
        args=(path, key),
        placeholder="YYYY-MM-DD",
    )
    error = st.session_state.get(key + "#error")
    if error:
        st.error(error)


def contact(title: str, path: Path, second: str) -> None:
    """Name / second field / phone of one person, each labelled with whose it is ("Emergency contact phone")."""
    st.subheader(title, anchor=False)
    c1, c2, c3 = st.columns(3)
    with c1:
        text(f"{title} name", (*path, "name"))
    with c2:
        text(f"{title} {second}", (*path, "relationship"))
    with c3:
        text(f"{title} phone", (*path, "phone"))


def _remove_label(noun: str, name: str, index: int, names: list[str]) -> str:
    """ "Remove oxycodone"; the row number is added when the name is empty or repeated."""
    if name and names.count(name) == 1:
        return f"Remove {name}"
    return f"Remove {noun} {index + 1}" + (f" ({name})" if name else "")


def rows(
    title: str,
    noun: str,
    path: Path,
    factory: Callable[[], Any],
    fields: Sequence[tuple[str, str]],
    extra: Callable[[Path, str], None] | None = None,
) -> None:
    """An editable list of small records; every field and button names its row ("Medicine 2 dose")."""
    st.subheader(title, anchor=False)
    items = get(path)
    names = [str(getattr(item, fields[0][0]) or "") for item in items]
    for i in range(len(items)):
        cols = st.columns([*(3 for _ in fields), 2], vertical_alignment="bottom")
        for col, (name, label) in zip(cols, fields, strict=False):
            with col:
                text(f"{noun.capitalize()} {i + 1} {label}", (*path, i, name))
        if extra:
            extra((*path, i), f"{noun} {i + 1}")
        with cols[-1]:
            st.button(
                _remove_label(noun, names[i], i, names),
                key=wkey(path, f"#remove{i}"),
                on_click=_remove_row,
                args=(path, i),
            )
    st.button(f"Add {noun}", key=wkey(path, "#add"), on_click=_add_row, args=(path, factory))


def _add_row(path: Path, factory: Callable[[], Any]) -> None:
    try:
        put(path, [*get(path), factory()])
    except ValidationError:
        say("warning", "That list is full.")


def _remove_row(path: Path, index: int) -> None:
    items = list(get(path))
    del items[index]
    put(path, items)
    clear_widgets(wkey(path))


BP_FORM = "intake_bp_form"


def _add_reading() -> None:
    """Form submit: keep a complete reading; the form then clears its fields, so a second click adds nothing."""
    sys_v = st.session_state.get("intake_bp_sys")
    dia_v = st.session_state.get("intake_bp_dia")
    if sys_v is None or dia_v is None:
        say("warning", "Enter both numbers of the blood-pressure reading.")
        return
    try:
        reading = BloodPressure(
            systolic=int(sys_v), diastolic=int(dia_v), when=str(st.session_state.get("intake_bp_when") or "")[:200]
        )
        put(("screening", "blood_pressure_readings"), [*answers().screening.blood_pressure_readings, reading])
    except ValidationError:
        say("error", "That blood-pressure reading could not be kept; please check it.")


def blood_pressure() -> None:
    """Readings so far (each removable by name) and a form that adds one and clears itself."""
    st.subheader("Recent blood-pressure readings", anchor=False)
    path: Path = ("screening", "blood_pressure_readings")
    readings = answers().screening.blood_pressure_readings
    for i, r in enumerate(readings):
        c1, c2 = st.columns([4, 2], vertical_alignment="center")
        shown = f"{r.systolic}/{r.diastolic}"
        c1.write(f"{shown} mmHg" + (f" — {r.when}" if r.when else ""))
        c2.button(f"Remove reading {i + 1} ({shown})", key=f"intake_bp_remove{i}", on_click=_remove_row, args=(path, i))
    with st.form(BP_FORM, clear_on_submit=True, border=True):
        c1, c2, c3 = st.columns([2, 2, 3])
        c1.number_input("Top number (systolic)", min_value=40, max_value=300, value=None, step=1, key="intake_bp_sys")
        c2.number_input(
            "Bottom number (diastolic)", min_value=20, max_value=200, value=None, step=1, key="intake_bp_dia"
        )
        c3.text_input("When was it taken (e.g. last week)", max_chars=200, key="intake_bp_when")
        st.form_submit_button("Add reading", on_click=_add_reading)
