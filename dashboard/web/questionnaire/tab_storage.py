"""The questionnaire answers mirrored in the browser tab's sessionStorage.

A patient twenty minutes into the questionnaire must not lose it when the server process holding the
session goes away (a deploy, a crash, a replica restarted by ``dashboard serve``) or when the tab is
reloaded. The answers stay in the tab, never on the server: sessionStorage belongs to this one tab and the
browser deletes it when the tab closes; "Start over" clears it. The decisions (what to write, how to
read a restored copy safely) are in dashboard/intake/tab_copy.py; this module only mounts the component.

The component is Streamlit's own ``st.components.v2`` (in Streamlit since 1.50): a few lines of
JavaScript from tab_storage.js beside it, mounted in the page itself (no iframe, no build step, nothing
fetched from elsewhere), that reports back through a trigger value. A new session renders it in "ask"
mode; the tab answers once with what it holds; from then on every run hands it the answers to keep.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import streamlit as st

from dashboard.intake import tab_copy
from dashboard.web.questionnaire import binding, flow

KEY = "intake_tab_storage"
ASKED = "intake_tab_asked"  # the tab has answered this session's one question

_storage = st.components.v2.component(
    "kcf_tab_storage", js=(Path(__file__).with_name("tab_storage.js")).read_text(encoding="utf-8")
)


def _reply() -> Any:
    state = st.session_state.get(KEY)
    try:
        return state["restore"]  # type: ignore[index]
    except (KeyError, TypeError):
        return getattr(state, "restore", None)


def _on_restore(sections: int) -> None:
    """The tab answered: restore its copy into a new session, or say plainly why not (answers untouched)."""
    if st.session_state.get(ASKED):
        return  # a repeated reply: this session already has its answers
    st.session_state[ASKED] = True
    reply = tab_copy.read_reply(_reply(), sections)
    if reply.problem:
        binding.say("error", f"{reply.problem} Your current answers were kept.")
        return
    if reply.answers is None:
        return
    flow.restore(reply.answers, reply.section)
    restored = "Your answers were restored from this browser tab. You can continue where you left off."
    if reply.dropped:
        binding.say("warning", f"{restored} {reply.dropped}")
        return
    binding.say("success", restored)


def keep_in_tab(sections: int) -> None:
    """Mirror this run's answers into the tab (or, in a new session, ask the tab for its copy first)."""
    data = tab_copy.instruction(binding.answers(), flow.section_index(sections), bool(st.session_state.get(ASKED)))
    _storage(key=KEY, data=data, on_restore_change=partial(_on_restore, sections), height=0)
