"""Streamlit UI helper for the questionnaire page: widgets bound to the one Answers model, and the page's flow.

Like dashboard/ui.py this module imports Streamlit (it is a UI helper, not logic). The Answers model
lives in one session-state key and is the single source of truth: each widget is seeded from the model
and writes back through an on_change callback, so answers survive Back/Next even though Streamlit forgets
the keys of widgets it did not draw, and anything that stores the answers elsewhere (a draft file, the
tab's own storage) only ever has to read or replace that one model.

Flow: navigation (Back / Next / Save draft, at the top and the bottom), and one small script per run,
added with ``st.html(..., unsafe_allow_javascript=True)``, that after a section change scrolls the page
to the top and moves keyboard focus to the new section's h2, and that warns before the tab is closed or
reloaded while answers are unsaved. Nothing here writes to disk or logs answers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from pydantic import ValidationError

from dashboard.intake import dates, draft
from dashboard.intake.answers import Answers, ChosenClinic
from dashboard.intake.screening import ANSWER_LABELS
from dashboard.text import cell_text

MODEL = "intake_answers"
SECTION = "intake_section"
MESSAGE = "intake_message"
UPLOAD = "intake_upload"
SAVED = "intake_saved"  # the draft JSON as last saved or loaded: anything else is unsaved
NAV = "intake_nav"  # counts section changes, so the page script acts once per change
CARRIED = "intake_clinic_carried"
PREFIX = "ik:"
YESNO: dict[str | None, str] = {None: "Not answered", **{k: v for k, v in ANSWER_LABELS.items() if k}}
Path = tuple[str | int, ...]


# ----------------------------------------------------------------------------- the model


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
    such a run was gone before anyone could read it ("Draft loaded" never appeared, issue 13).
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


def _bound(
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


def _index(options: Sequence[Any], value: Any) -> int | None:
    """The position of the held value among a choice's options (``None``: nothing chosen)."""
    return options.index(value) if value is not None and value in options else None


# ----------------------------------------------------------------------------- bound widgets


def text(label: str, path: Path, *, area: bool = False, max_chars: int = 200, help: str | None = None) -> None:
    value, kw = _bound(path, from_widget=lambda v: (v or "")[:max_chars])
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
    value, kw = _bound(path, to_widget=lambda v: default if v is None else v, then=then)
    codes = list(shown)
    return st.radio(
        label, codes, format_func=lambda v: shown[v], horizontal=horizontal, help=help, index=_index(codes, value), **kw
    )


def yesno(label: str, path: Path, help: str | None = None) -> None:
    choice(label, path, YESNO, help=help)


def multi(label: str, path: Path, codes: Sequence[str], fmt: Callable[[str], str]) -> None:
    value, kw = _bound(path, list, list)
    st.multiselect(label, list(codes), default=value, format_func=fmt, **kw)


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
        value, kw = _bound(path, from_widget=lambda v: None if v is None else int(v), suffix=suffix, then=then)
    else:
        value, kw = _bound(
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


# ----------------------------------------------------------------------------- blood-pressure readings


BP_FORM = "intake_bp_form"


def _add_reading() -> None:
    """Form submit: keep a complete reading; the form then clears its fields, so a second click adds nothing."""
    sys_v = st.session_state.get("intake_bp_sys")
    dia_v = st.session_state.get("intake_bp_dia")
    if sys_v is None or dia_v is None:
        say("warning", "Enter both numbers of the blood-pressure reading.")
        return
    from dashboard.intake.answers import BloodPressure

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


# ----------------------------------------------------------------------------- navigation and saving


def section_index(count: int) -> int:
    return max(0, min(count - 1, int(st.session_state.get(SECTION, 0))))


def _go(step: int, count: int) -> None:
    st.session_state[SECTION] = max(0, min(count - 1, section_index(count) + step))
    st.session_state[NAV] = st.session_state.get(NAV, 0) + 1


def _jump(index: int) -> None:
    st.session_state[SECTION] = index
    st.session_state[NAV] = st.session_state.get(NAV, 0) + 1


def _mark_saved() -> None:
    st.session_state[SAVED] = draft.to_json(answers())


def unsaved() -> bool:
    """True when the answers differ from the last saved or loaded draft (a fresh, empty form is not unsaved)."""
    return draft.to_json(answers()) != st.session_state.get(SAVED, draft.template())


def save_draft(where: str) -> None:
    st.download_button(
        "Save draft",
        data=draft.to_bytes(answers()),
        file_name="intake-draft.json",
        mime="application/json",
        key=f"intake_save_{where}",
        on_click=_mark_saved,
        help="Downloads your answers as a file on this device. Upload it next time to continue.",
    )


def nav_bar(where: str, count: int) -> None:
    """Back / Next / Save draft in one row; the bottom bar also offers a jump to the summary."""
    index = section_index(count)
    suffix = "" if where == "top" else f"_{where}"
    with st.container(horizontal=True, key=f"intake-nav-{where}", vertical_alignment="center"):
        st.button("Back", on_click=_go, args=(-1, count), disabled=index == 0, key=f"intake_back{suffix}")
        st.button(
            "Next",
            on_click=_go,
            args=(1, count),
            disabled=index == count - 1,
            key=f"intake_next{suffix}",
            type="primary",
        )
        save_draft(where)
        if where != "top" and index < count - 1:
            st.button("Go to summary", on_click=_jump, args=(count - 1,), key="intake_to_summary")


def load_draft() -> None:
    """Replace the answers with an uploaded draft, or keep them untouched and say why not."""
    upload = st.session_state.get(UPLOAD)
    if upload is None:
        return
    try:
        loaded = draft.parse(upload.getvalue())
    except draft.DraftError as err:
        say("error", f"{err} Your current answers were kept.")
        return
    replace_answers(loaded)
    say("success", "Draft loaded. You can continue where you left off.")


def start_over() -> None:
    replace_answers(Answers())
    st.session_state[SECTION] = 0
    st.session_state[NAV] = st.session_state.get(NAV, 0) + 1


def resume_box() -> None:
    with st.expander("Resume a saved draft, or start over", expanded=False):
        st.markdown(
            "Your answers stay in this browser tab only; this server keeps no copy. **Save draft** downloads them "
            "as a file; upload that file here next time to continue."
        )
        st.file_uploader("Upload a saved draft", type=["json"], key=UPLOAD, on_change=load_draft)
        st.button("Start over (clear all answers)", on_click=start_over, key="intake_start_over")


def page_script(heading: str) -> None:
    """After a section change, scroll the top of the section (navigation, progress, h2) into view and focus the
    h2; warn before the tab is closed or reloaded with unsaved answers.

    The script is small and idempotent: it acts on a section change only once (the change counter is part
    of the script), and only toggles a flag that one beforeunload listener reads.
    """
    state = {"nav": int(st.session_state.get(NAV, 0)), "heading": heading, "dirty": unsaved()}
    script = f"""<script>
(function () {{
  const s = {json.dumps(state)};
  const w = window;
  w.__intakeDirty = s.dirty;
  if (!w.__intakeGuard) {{
    w.__intakeGuard = true;
    w.addEventListener("beforeunload", function (e) {{
      if (w.__intakeDirty) {{ e.preventDefault(); e.returnValue = ""; }}
    }});
  }}
  if (s.nav === 0 || w.__intakeNav === s.nav) return;
  w.__intakeNav = s.nav;
  let tries = 0;
  (function focusHeading() {{
    const h = Array.from(document.querySelectorAll("h2")).find(function (el) {{
      return el.textContent.trim() === s.heading;
    }});
    if (!h) {{ if (tries++ < 100) requestAnimationFrame(focusHeading); return; }}
    h.setAttribute("tabindex", "-1");
    // the top of the section: the Back / Next / Save bar, the progress bar, then the heading
    // (below the app's own fixed header bar, which would otherwise cover it)
    const bar = document.querySelector('[data-testid="stHeader"]');
    const margin = (bar ? bar.getBoundingClientRect().height : 0) + 8 + "px";
    const top = document.querySelector(".st-key-intake-nav-top") || h;
    top.style.scrollMarginTop = margin;
    h.style.scrollMarginTop = margin;
    top.scrollIntoView({{block: "start"}});
    const r = h.getBoundingClientRect();
    if (r.top < 0 || r.bottom > w.innerHeight) h.scrollIntoView({{block: "start"}});
    h.focus({{preventScroll: true}});
  }})();
}})();
</script>"""
    st.html(script, unsafe_allow_javascript=True)


def show_message() -> None:
    message = st.session_state.get(MESSAGE)
    if not message:
        return
    kind, text, where = message
    if where != _where_they_are():
        del st.session_state[MESSAGE]  # they have moved on: the message is about something past
        return
    getattr(st, kind)(text)


# ----------------------------------------------------------------------------- the clinic for this visit


def clinic_names(df: Any, current: ChosenClinic | None) -> dict[str | None, str]:
    """Selectbox labels "name — city, state" for every clinic, plus one kept from a draft."""
    names: dict[str | None, str] = {None: "No clinic chosen"}
    if {"id", "name", "city", "state"} <= set(df.columns):
        labels = df["name"].astype(str) + " — " + df["city"].astype(str) + ", " + df["state"].astype(str)
        names.update(zip(df["id"].astype(str), labels, strict=True))
    if current is not None and current.id not in names:
        names[current.id] = f"{current.name or current.id} (from your draft)"
    return names


def clinic_from_row(df: Any, clinic_id: str) -> ChosenClinic | None:
    row = df[df["id"] == clinic_id]
    if row.empty:
        return None
    r = row.iloc[0]

    def s(col: str) -> str:
        v = r.get(col, "")
        return cell_text(v)[:200]

    return ChosenClinic(id=str(clinic_id)[:200], name=s("name"), phone=s("phone"), city=s("city"), state=s("state"))


def carry_over_clinic(df: Any) -> None:
    """Take the clinic chosen in the finder, once per choice, so a later change here sticks."""
    chosen = st.session_state.get("chosen_clinic_id")
    if not chosen or st.session_state.get(CARRIED) == chosen:
        return
    clinic = clinic_from_row(df, str(chosen))
    if clinic is not None:
        answers().logistics.clinic = clinic
        st.session_state.pop(wkey(("logistics", "clinic")), None)
    st.session_state[CARRIED] = chosen


def _on_clinic(df: Any) -> None:
    chosen = st.session_state.get(wkey(("logistics", "clinic")))
    answers().logistics.clinic = None if chosen is None else (clinic_from_row(df, chosen) or answers().logistics.clinic)


def clinic_select(df: Any) -> None:
    ids: list[str | None] = [None, *[str(x) for x in df["id"].tolist()]] if "id" in df else [None]
    current = answers().logistics.clinic
    if current is not None and current.id not in ids:
        ids.append(current.id)
    names = clinic_names(df, current)  # computed now: format_func may be called after the run
    key = wkey(("logistics", "clinic"))
    if key not in st.session_state:
        st.session_state[key] = current.id if current else None
    st.selectbox(
        "Clinic for this visit",
        ids,
        format_func=lambda i: names.get(i, str(i)),
        key=key,
        on_change=_on_clinic,
        args=(df,),
        index=_index(ids, st.session_state[key]),  # declared as held: see _bound
        help="Carried over from the finder when you chose a clinic there; you can change it.",
    )
