"""One result card as the finder draws it, for clinics and VA facilities alike: the card's HTML in a bordered,
keyed container (the map and the keyboard find it by key) and its "Show … on map" button."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st

from dashboard.web import frame


@contextmanager
def result_card(
    fields: dict, card_html: str, selected_id: str | None, key: str, on_show: Callable[[str], None]
) -> Iterator[str]:
    """Draws the card and its map button; yields the listing's name as Markdown-safe text, for more buttons."""
    highlight = " selected" if fields["id"] == selected_id else ""
    with st.container(border=True, key=key):
        st.markdown(f'<ul class="kcf-results{highlight}">{card_html}</ul>', unsafe_allow_html=True)
        # Named by the listing, so a screen reader's list of buttons says which card each acts on.
        name = frame.md_escape(fields["name"])  # a button label is Markdown: dataset text stays text
        st.button(
            f"Show {name} on map",
            key=f"show_{fields['id']}",
            on_click=on_show,
            args=(fields["id"],),
            type="tertiary",
            icon=":material/location_on:",
        )
        yield name
