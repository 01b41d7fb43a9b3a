"""The finder's caches — places, searches, result cards, map payloads — shared by every session.

Why a module of its own: a page script runs from the top on every rerun, and so would every
``@st.cache_data`` definition in it; Streamlit identifies a cached function by reading its source
(``inspect.getsource``), ~3 ms of every finder run. Defined here, they are made once per process.

Searches and cards are ``cache_resource`` (one shared object, read-only: tests/web/test_served_frame_shared.py);
their key is ``Criteria.cache_key()``, since hashing the dataclass itself costs more than a small search.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from dashboard.directory.clinics import row_dicts
from dashboard.finder import cards, va
from dashboard.finder.columns import Columns
from dashboard.finder.criteria import Criteria, SearchResult
from dashboard.finder.filters import directory_counts
from dashboard.finder.html import card_html
from dashboard.finder.search import search
from dashboard.mapview import results_payload
from dashboard.places.gazetteer import LocationError, Place
from dashboard.web import dataset


@st.cache_data(show_spinner=False, max_entries=256, ttl=3600)
def resolve_place(text: str):
    """Cached per text: an offline lookup is instant; an online one is never repeated for the same text.
    Returns (place, message, choices): choices are the places an ambiguous name could mean."""
    from dashboard.places.lookup import AmbiguousPlaceError, resolve

    try:
        return resolve(text), None, ()
    except AmbiguousPlaceError as exc:
        return None, str(exc), exc.choices
    except LocationError as exc:
        return None, str(exc), ()


@st.cache_data(show_spinner=False, max_entries=4)
def cached_directory_counts(data_key: tuple) -> dict[str, int]:
    return directory_counts(dataset.clinics()[0])


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_columns(data_key: tuple) -> Columns:
    """The served table's columns as numpy arrays, made once per dataset version for every search."""
    return Columns(dataset.clinics()[0])


@st.cache_resource(show_spinner=False, max_entries=256, ttl=3600)
def cached_search(data_key: tuple, key: str, _criteria: Criteria) -> SearchResult:
    """One search per dataset version and criteria, shared by every session that asks the same (~12 % of a
    finder run was ``take`` on the full frame). Shared, so read-only: the page only reads it
    (tests/web/test_served_frame_shared.py). ``key`` is ``_criteria.cache_key()``."""
    columns = cached_columns(data_key)
    return search(columns.df, _criteria, columns)


class Card(NamedTuple):
    fields: Mapping[str, Any]  # cards.result_card_fields, with report_url (read-only: may be shared)
    html: str  # its list item


def build_cards(rows: pd.DataFrame, origin: Place | None, badges: Sequence[str] = ()) -> tuple[Card, ...]:
    """The cards of some result rows, each with its "Report a problem" link and its badge, if any."""
    out = []
    for i, row in enumerate(row_dicts(rows)):
        fields = cards.result_card_fields(row, origin)
        fields["report_url"] = cards.report_url(fields["id"])
        out.append(Card(MappingProxyType(fields), card_html(fields, badges[i] if badges else "")))
    return tuple(out)


@st.cache_resource(show_spinner=False, max_entries=256, ttl=3600)
def cached_sections(data_key: tuple, key: str, _criteria: Criteria) -> tuple[cards.Section, ...]:
    """One search's tiers (``cards.result_sections``), made once and shared (read-only)."""
    return tuple(cards.result_sections(cached_search(data_key, key, _criteria)))


@st.cache_resource(show_spinner=False, max_entries=256, ttl=3600)
def cached_cards(data_key: tuple, key: str, _criteria: Criteria, kind: str, limit: int) -> tuple[Card, ...]:
    """The first ``limit`` cards of one tier of one search, built once and shared (``to_dict`` on
    Arrow-backed strings and the card HTML were ~15 % of a finder run, the same on every rerun)."""
    section = next((s for s in cached_sections(data_key, key, _criteria) if s.kind == kind), None)
    if section is None:
        return ()
    return build_cards(section.rows.head(limit), _criteria.place, section.badges[:limit])


@st.cache_data(show_spinner=False, max_entries=64)
def cached_map_payload(data_key: tuple, key: str, selected, focus, _criteria, _shown, _notes, _extra=None):
    """The results the map shows, cached by dataset, filter settings (``key``, which fully determine the
    tiers in ``_shown`` and the VA facilities in ``_extra``), selection and focus: reruns that change none of
    them send the same map, so the browser keeps the one it has. ``_extra``: VA facilities, drawn after the
    clinics with their badge in the popup (joined here, inside the cache: a join copies the whole result table)."""
    if _extra is not None and len(_extra):
        _shown = pd.concat([_shown, _extra], ignore_index=True)
        _notes = [*_notes, *va.popup_notes(_extra)]
    return results_payload(
        _shown, _criteria.place, _criteria.radius_miles, selected=selected, notes=_notes, focus=focus
    )
