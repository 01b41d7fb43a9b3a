"""Finder page: where, what and how to pay → ranked results, map, list, share link and downloads.

Thin wiring: places (dashboard.places), the search, its filters, words, link and outputs
(dashboard.finder) and the map (dashboard.mapview) are plain modules; the caches are
dashboard.web.finder_cache. Each part of the page is a function that gets what it shows as arguments.

Phones: CSS media queries in the browser (never a guess on the server) fold the filters behind one
switch ("Filters · 2 active") below 640 px, where Streamlit stacks columns, so the results heading is in
the first screen; a desktop keeps the filters beside the results. The cards come before the map and the
downloads in the page (a phone scrolls, and a keyboard tabs, to them first); a wide screen shows the map above
them. "Skip to results" takes a keyboard past the filters to the first card.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import vocab
from dashboard.content import safety
from dashboard.content import va as va_content
from dashboard.finder import cards, downloads, filters, form, html, share, va, wording
from dashboard.finder.cards import Section
from dashboard.finder.criteria import SearchResult
from dashboard.mapview import Focus, clicked_result
from dashboard.places.gazetteer import Place
from dashboard.web import dataset, finder_cache, frame, map_widget, va_panel
from dashboard.web.questionnaire.clinic import CHOSEN_CLINIC
from dashboard.web.result_card import result_card

PAGE_SIZE = 25
ROUTE_GROUPS = vocab.grouped(vocab.ROUTES)
CONDITION_GROUPS = vocab.grouped(vocab.CONDITIONS)
NONE_STATED = "no listing states this yet"
LAST_SEARCH = "finder_params"  # this session's last search, for coming back from another page
RESULT_LIST, MAP_BLOCK = "kcf_result_list", "kcf_map_block"  # containers that finder.css orders by screen width
SKIP_TARGET = "kcf-first-result"
PLACE_ROW = "kcf_place"


def seed_widgets() -> dict[str, Any]:
    """The value of every search widget for this run, to pass to the widget as its own default.

    A widget still alive from the last run keeps its value. Otherwise the value comes from a shared link
    on arrival, or from this session's last search when coming back from another page (Streamlit
    forgets the widgets of a page that was not shown).

    Why the widget's default and not ``st.session_state``: a value written there reaches the browser
    in that run's message only. A browser that first draws the widget from a later rerun's message
    (the rerun started before the page finished loading: a slow phone, a busy machine) shows the
    widget's declared default and sends it back as the user's choice: a 50-mile search became a
    5-mile one. So every run declares, as the default, the value the server holds.
    """
    values = {k: st.session_state[k] for k in form.KEYS if k in st.session_state}
    if len(values) == len(form.KEYS):
        return values
    return {**form.values_of(share.params_to_criteria(last_params())), **values}


def last_params() -> Mapping[str, Any]:
    """The search to start from: this session's last one (coming back from another page), else the link."""
    params = st.session_state.get(LAST_SEARCH)
    if params is None:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
    return params


def card_key(listing_id: str) -> str:
    """The key of a card's container (Streamlit turns it into the CSS class ``st-key-<key>``)."""
    return "kcf_card_" + re.sub(r"[^a-zA-Z0-9_-]", "-", listing_id)


def show_all(kind: str) -> None:
    """Page on within one tier: its button shows the rest of that tier only."""
    st.session_state[f"show_all_{kind}"] = True


def close_filters() -> None:
    """ "Show N results" on a phone: fold the filters and bring the results heading into view."""
    st.session_state["filters_open"] = False
    st.session_state["focus"] = next_focus("results", selector=".st-key-kcf_results h2")


def pick_place(choice: str) -> None:
    st.session_state[form.NEAR] = choice


def next_focus(target: str, listing_id: str = "", selector: str = "") -> Focus:
    seq = st.session_state.get("focus_seq", 0) + 1
    st.session_state["focus_seq"] = seq
    return Focus(target, seq, f".st-key-{card_key(listing_id)}" if listing_id else selector)


def select(listing_id: str) -> None:
    """ "Show on map": highlight the listing and bring the map into view."""
    st.session_state["selected_id"] = listing_id
    st.session_state["focus"] = next_focus("map")


def place_box(values: Mapping[str, Any]) -> tuple[str, Any, Place | None]:
    """The location and distance widgets; returns what they hold and the place found (None: none, or
    not found, which says why and offers the places an ambiguous name could mean)."""
    with st.container(key=PLACE_ROW):  # finder.css keeps the two side by side on a phone
        where, radius_col = st.columns([3, 1])
    near = where.text_input(
        "Search near",
        value=values[form.NEAR],
        key=form.NEAR,
        placeholder="ZIP code, city and state, or a street address",
        help="Searching for someone else? Enter their ZIP code or town. ZIP codes, cities (Phoenix AZ, "
        "Kansas City, Missouri, NYC) and coordinates are looked up on this server; only a street address is "
        "sent to an address lookup service.",
    )
    radius = radius_col.selectbox(
        "Distance",
        form.RADII,
        index=form.RADII.index(values[form.RADIUS]),
        key=form.RADIUS,
        format_func=lambda r: "Any distance" if r == form.ANY else f"{r} miles",
    )
    text = near.strip()
    place, error, choices = finder_cache.resolve_place(text) if text else (None, None, ())
    if error:
        st.warning(frame.md_escape(f"{error} Your filters are kept; showing all listings until the place is found."))
        if choices:
            picks = st.columns(len(choices))
            for i, choice in enumerate(choices):
                picks[i].button(frame.md_escape(choice), key=f"pick_place_{i}", on_click=pick_place, args=(choice,))
    return near, radius, place


def filter_box(
    label: str, count: int, key: str, code: str, values: Mapping[str, Any], stated: Mapping[str, int], help_text=None
) -> None:
    """A filter checkbox with its count; a filter no listing in the directory can satisfy says so, and is
    offered only to be unticked (a shared link may have ticked it)."""
    if stated.get(code, 0) == 0:
        st.checkbox(f"{label} — {NONE_STATED}", value=values[key], key=key, help=help_text, disabled=not values[key])
    else:
        st.checkbox(f"{label} ({count})", value=values[key], key=key, help=help_text)


def filter_panel(values: Mapping[str, Any], result: SearchResult, stated: Mapping[str, int]) -> None:
    """The filters with their counts (one search serves both the counts and the results: widget values are
    in session state before the script runs, and a changing count in a label never resets a keyed widget)."""
    facets = result.facets
    active = filters.in_use(result.criteria)
    is_open = st.toggle(
        f"Filters · {active} active", value=st.session_state.get("filters_open", False), key="filters_open"
    )
    with st.container(key="kcf_filters_open" if is_open else "kcf_filters_closed"):
        st.header("Filters", anchor=False)
        st.subheader("Treatment route", anchor=False)
        for group, terms in ROUTE_GROUPS.items():
            st.caption(group)
            for t in terms:
                count = facets.routes.get(t.code, 0)
                filter_box(t.label, count, form.ROUTE_KEYS[t.code], t.code, values, stated, t.help or None)
        st.subheader("Condition", anchor=False)
        for group, terms in CONDITION_GROUPS.items():
            st.caption(group)
            for t in terms:
                count = facets.conditions.get(t.code, 0)
                filter_box(t.label, count, form.CONDITION_KEYS[t.code], t.code, values, stated, t.help or None)
        st.subheader("Payment", anchor=False)
        pay = facets.payment
        filter_box("Accepts insurance", pay.get("accepts_insurance", 0), form.INSURANCE, "accepts_insurance", values,
                   stated)  # fmt: skip
        filter_box("VA community care", pay.get("va_community_care", 0), form.VA, "va_community_care", values, stated)
        st.number_input(
            "Maximum self-pay price per session (USD)",
            min_value=0.0,
            value=values[form.MAX_PRICE],
            step=50.0,
            key=form.MAX_PRICE,
            placeholder="no maximum",
            help="Only listings that state a price at or below this. Most listings do not state a price.",
        )
        if facets.listing_kinds.get("research_study"):
            st.checkbox("Include recruiting research studies", value=values[form.STUDIES], key=form.STUDIES)
        st.caption("Within a group, any chosen option matches; across groups, all must match.")
        st.button(
            results_button_label(result),
            key="filters_done",
            on_click=close_filters,
            type="primary",
        )


def results_button_label(result: SearchResult) -> str:
    """ "Show 7 results": every card that follows, in every tier (confirmed, to ask, beyond the distance)."""
    return f"Show {result.shown} result{'s' if result.shown != 1 else ''}"


def results_map(result: SearchResult, sections: list[Section], data_key: tuple, va_rows: pd.DataFrame) -> None:
    """The map of every row the list shows, VA facilities last; a marker click selects its card (and reruns
    to show it)."""
    shown, extra = cards.shown_rows(sections), va.map_rows(va_rows)
    ids = (list(shown["id"]) if len(shown) else []) + list(extra["id"])
    selected_id = st.session_state.get("selected_id")
    payload = finder_cache.cached_map_payload(
        data_key,
        result.criteria.cache_key(),
        ids.index(selected_id) if selected_id in ids else None,
        st.session_state.get("focus"),
        _criteria=result.criteria,
        _shown=shown,
        _notes=cards.popup_notes(sections),
        _extra=extra,
    )
    clicked = map_widget.draw_results_map(payload)
    hit = clicked_result(clicked, shown) or clicked_result(clicked, extra)
    if hit is not None and hit != selected_id:
        st.session_state["selected_id"] = hit
        st.session_state["focus"] = next_focus("card", hit)
        st.rerun()


def download_row(result: SearchResult, sections: list[Section], va_extra: list[str], veteran: bool) -> None:
    """CSV, printable list and the link to this search; the files are made only when a button is pressed
    (~6 % of a finder run otherwise, for files most visitors never ask for)."""
    place = result.criteria.place
    report_base = frame.app_url()  # read in the run: the download callables run outside it
    columns = st.columns(3)
    columns[0].download_button(
        "Download results (CSV)",
        data=lambda: downloads.search_csv(result),  # the CLI's --format csv writes these same bytes
        file_name="ketamine-clinics.csv",
        mime="text/csv",
        on_click="ignore",
    )
    columns[0].download_button(
        "Spreadsheet (.xlsx)",
        data=lambda: downloads.search_xlsx(result),
        file_name="ketamine-clinics.xlsx",
        mime=downloads.XLSX_MIME,
        on_click="ignore",
    )
    columns[1].download_button(
        "Printable list (HTML)",
        data=lambda: html.results_html(
            sections,
            result.description,
            place,
            notes=wording.printed_notes(result),
            explanation=result.empty_reason,
            report_base_url=report_base,
            extra_html=va_extra,
        ),
        file_name="ketamine-clinics.html",
        mime="text/html",
        on_click="ignore",
    )
    params = {**share.criteria_to_params(result.criteria), **va.veteran_params(veteran)}
    columns[2].markdown(f"[Link to this search](?{urlencode(params, doseq=True)})")


def draw_cards(shown: Sequence[finder_cache.Card], selected_id: str | None) -> None:
    for fields, card in shown:
        with result_card(fields, card, selected_id, card_key(fields["id"]), select) as name:
            if st.button(
                f"Use {name} in my questionnaire",
                key=f"choose_{fields['id']}",
                type="tertiary",
                icon=":material/assignment_add:",
            ):
                st.session_state[CHOSEN_CLINIC] = fields["id"]
                st.toast(f"{name} will be carried into your pre-visit questionnaire.")


def tier(result: SearchResult, section: Section, data_key: tuple, selected_id: str | None) -> None:
    """One tier under its heading, a page at a time (each tier pages on its own)."""
    c, total = result.criteria, len(section.rows)
    if section.heading:
        st.subheader(frame.md_escape(section.heading), anchor=False)
    limit = total if st.session_state.get(f"show_all_{section.kind}") else PAGE_SIZE
    draw_cards(finder_cache.cached_cards(data_key, c.cache_key(), c, section.kind, limit), selected_id)
    if total > limit:
        label = "results" if section.kind == "matches" else "listings that may offer it"
        st.button(f"Show all {total} {label}", key=f"show_all_{section.kind}_button", on_click=show_all,
                  args=(section.kind,))  # fmt: skip


def result_list(result: SearchResult, sections: list[Section], data_key: tuple, selected_id: str | None) -> None:
    """The cards, tier by tier: confirmed, may offer it (to ask), the nearest beyond the distance."""
    for section in sections:
        if len(section.rows):
            tier(result, section, data_key, selected_id)


def va_printable(result: SearchResult, va_rows: pd.DataFrame, veteran: bool) -> list[str]:
    """The printable list's VA blocks: the facilities shown, and the pathway for a veteran or a VA search."""
    c = result.criteria
    blocks = [va.printable_section(va_rows, c.place, c.radius_miles)]
    if veteran or c.va_community_care or len(va_rows):
        blocks.append(va_content.html_section())
    return [b for b in blocks if b]


def skip_link() -> None:
    """ "Skip to results", right after the place and distance: a keyboard user reaches the first card without
    tabbing through every filter (the link shows when it has the focus; finder.css)."""
    st.markdown(f'<a class="kcf-skip" href="#{SKIP_TARGET}">Skip to results</a>', unsafe_allow_html=True)


def skip_target() -> None:
    """Where "Skip to results" lands: just before the first card, so the next Tab is inside it."""
    st.markdown(f'<span id="{SKIP_TARGET}" tabindex="-1"></span>', unsafe_allow_html=True)


def results_panel(result: SearchResult, data_key: tuple, veteran: bool) -> None:
    """The heading and notes, then the cards, then the map and downloads. The cards come before the map in
    the page, so a phone (and a keyboard) reaches them first; on a wide screen finder.css shows the map above
    them, where it fits beside the filters."""
    sections = list(finder_cache.cached_sections(data_key, result.criteria.cache_key(), result.criteria))
    c = result.criteria
    va_rows = va.nearby(dataset.va_facilities()[0], c.place, c.radius_miles, c.routes)
    # Text that can hold what a person typed or an address service answered is shown as plain text.
    st.header(frame.md_escape(result.description), anchor=False)
    va_panel.pathway_panel(veteran or c.va_community_care)
    if result.empty_reason:
        st.info(frame.md_escape(result.empty_reason))
    thin = wording.thin_note(result)
    if thin:
        st.info(f"{frame.md_escape(thin)}\n\n{frame.locators_md()}", icon=":material/travel_explore:")
    st.markdown(f"<style>\n{frame.stylesheet('finder.css')}</style>", unsafe_allow_html=True)
    selected_id = st.session_state.get("selected_id")
    with st.container(key=RESULT_LIST):
        skip_target()
        result_list(result, sections, data_key, selected_id)
        va_panel.facilities_section(va_rows, c.place, c.radius_miles, selected_id, card_key, select)
        st.caption(cards.CONFIRM_NOTE)
    with st.container(key=MAP_BLOCK):
        results_map(result, sections, data_key, va_rows)
        download_row(result, sections, va_printable(result, va_rows, veteran), veteran)


def main() -> None:
    st.title("Find a ketamine or esketamine clinic", anchor=False)
    st.caption(safety.MEDICAL_DISCLAIMER)
    _, report = dataset.clinics()
    dataset.data_notice(report)
    values = seed_widgets()
    data_key = dataset.data_key()
    near, radius, place = place_box(values)
    skip_link()
    veteran = va_panel.veteran_box(va_panel.veteran_default(last_params()))
    va_panel.facilities_notice(dataset.va_facilities()[1])
    criteria = form.criteria_of({**values, form.NEAR: near, form.RADIUS: radius}, place)
    result = finder_cache.cached_search(data_key, criteria.cache_key(), criteria)
    filters_col, results_col = st.columns([1.35, 2.4], gap="medium")
    with filters_col:
        filter_panel(values, result, finder_cache.cached_directory_counts(data_key))
    params = {**share.criteria_to_params(criteria), **va.veteran_params(veteran)}
    st.query_params.from_dict(params)
    st.session_state[LAST_SEARCH] = params
    with results_col, st.container(key="kcf_results"):
        results_panel(result, data_key, veteran)


main()
