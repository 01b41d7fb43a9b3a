"""The app's one multi-select: a list the user ticks option by option, never in bulk.

Streamlit's multiselect offers "Select all" / "Select N matches" and Enter after typing picks it, so
typing "depression" and Enter ticked four conditions on a clinical summary. Every multi-select in the app
goes through :func:`pick_many`, which turns that bulk action off: Enter picks the highlighted option or
nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st


def pick_many(label: str, options: Sequence[Any], *, format_func: Callable[[Any], str] = str, **kw: Any) -> list[Any]:
    """``st.multiselect`` without the bulk "select all matches" entry (``select_all=False``)."""
    if "select_all" in kw:
        raise TypeError("pick_many never offers select-all")
    return st.multiselect(label, list(options), format_func=format_func, select_all=False, **kw)
