"""UI helper (imports Streamlit): the finder's VA parts, drawn from plain modules.

The "I am a veteran" choice, the VA pathway (dashboard.content.va) and the section of VA facilities near
the searched place (dashboard.finder.va). Kept out of the finder page so the page only calls them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.content import va as pathway
from dashboard.finder import va
from dashboard.places.gazetteer import Place
from dashboard.web.result_card import result_card

VETERAN = "veteran"  # the widget's key


def veteran_default(params: Mapping[str, Any] | None) -> bool:
    """The choice as the server holds it: the live widget, else the link or this session's last search."""
    if VETERAN in st.session_state:
        return bool(st.session_state[VETERAN])
    return va.veteran_of(params)


def veteran_box(default: bool) -> bool:
    return st.checkbox(
        "I am a veteran",
        value=default,
        key=VETERAN,
        help="Opens the section on VA care: what VA offers, VA Community Care and how to ask.",
    )


def pathway_panel(open_: bool) -> None:
    """The VA pathway, open for a veteran or a VA community care search, folded (never hidden) otherwise.
    Its key follows ``open_``, so the panel opens when the choice is made and then keeps what the user does."""
    with st.expander(pathway.TITLE, expanded=open_, key=f"kcf_va_pathway_{'open' if open_ else 'closed'}"):
        st.markdown(pathway.markdown())


def facilities_notice(report) -> None:
    if report.file_error or report.problems:
        st.warning("Some VA facility records could not be read and are not shown: run `python -m dashboard "
                   "check-data` for details.")  # fmt: skip


def facilities_section(
    rows: pd.DataFrame,
    origin: Place | None,
    radius_miles: float | None,
    selected_id: str | None,
    card_key: Callable[[str], str],
    on_show: Callable[[str], None],
) -> None:
    """ "VA facilities near you": their own cards, nearest first, each with "Show on map"."""
    if origin is None:
        return
    st.subheader(va.heading(rows, radius_miles), anchor=False)
    if rows.empty:
        st.caption("No VA facility documented as offering esketamine or ketamine is within this distance.")
        return
    for fields, item in va.cards_of(rows, origin):
        with result_card(fields, item, selected_id, card_key(fields["id"]), on_show):
            pass
