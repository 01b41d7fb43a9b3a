"""The questionnaire's flow: one section at a time, Back / Next / Save draft at the top and the bottom, a saved
draft loaded or a fresh start, and one small script per run (``page_script.js``) that brings a new section
into view and warns before unsaved answers are lost."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from dashboard.intake import draft, resume
from dashboard.intake.answers import Answers
from dashboard.web.questionnaire.binding import CARRIED, NAV, SAVED, SECTION, UPLOAD, answers, replace_answers, say

SECTION_COUNT = 7  # the questionnaire's sections (pages/intake.py SECTIONS; a test holds them equal)


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
        loaded = draft.parse_loaded(upload.getvalue())
    except draft.DraftError as err:
        say("error", f"{err} Your current answers were kept.")
        return
    replace_answers(loaded.answers)
    index = resume.resume_section(loaded.answers)
    _jump(index)
    text = f"Draft loaded. It opens at section {index + 1}, the last one you had answered: continue there."
    if loaded.dropped:
        say("warning", f"{text} {loaded.note}")
        return
    say("success", text)


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


_PAGE_SCRIPT = Path(__file__).with_name("page_script.js").read_text(encoding="utf-8")


def page_script(heading: str) -> None:
    """After a section change, scroll the top of the section (navigation, progress, h2) into view and focus the
    h2; warn before the tab is closed or reloaded with unsaved answers (``page_script.js``, given this run's
    state as one JSON value).

    The script is small and idempotent: it acts on a section change only once (the change counter is part
    of its state), and only toggles a flag that one beforeunload listener reads.
    """
    state = {"nav": int(st.session_state.get(NAV, 0)), "heading": heading, "dirty": unsaved()}
    script = _PAGE_SCRIPT.replace("__STATE__", json.dumps(state).replace("<", "\\u003c"))
    st.html(f"<script>\n{script}</script>", unsafe_allow_javascript=True)


def restore(restored: Answers, section: int | None) -> None:
    """Answers handed back by the tab's own copy: in place of the empty ones, still unsaved, and at the
    section the person was on (no scroll to it: the page opens at the top, the message in view)."""
    replace_answers(restored)
    st.session_state.pop(SAVED, None)  # restored from the tab, not from a saved file
    st.session_state.pop(CARRIED, None)  # a clinic chosen in the finder of this new session still carries over
    if section is not None:
        st.session_state[SECTION] = section
