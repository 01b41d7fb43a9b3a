"""Finder page: where, what and how to pay → ranked results, map, list, share link and downloads.

Thin wiring only: resolving places (dashboard.places.lookup), searching (dashboard.search), links and
exports (dashboard.share, dashboard.export), coverage notes (dashboard.directory.coverage) and the map
(dashboard.mapview) are plain modules.

Phones: CSS media queries in the browser (never a guess on the server) fold the filters behind one
switch ("Filters · 2 active") below 640 px, where Streamlit stacks columns, so the results heading is in
the first screen; a desktop keeps the filters beside the results.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import finder_cache, map_widget, ui, vocab
from dashboard.content import safety
from dashboard.directory import coverage
from dashboard.directory.clinics import row_dicts
from dashboard.finder import cards, downloads, html, share, wording
from dashboard.finder.criteria import Criteria
from dashboard.mapview import Focus, clicked_result

CARD_CSS = """
[data-testid="stMarkdownContainer"] ul.kcf-results { list-style: none; padding: 0; margin: 0; }
[data-testid="stMarkdownContainer"] ul.kcf-results li { margin: 0; padding: 0; }
ul.kcf-results.selected { outline: 3px solid #000; outline-offset: 6px; }
ul.kcf-results .name { font-weight: 600; font-size: 1.05rem; }
ul.kcf-results .badge { display: inline-block; border: 1px solid #767676; border-radius: .6rem; padding: 0 .4rem;
  margin: 0 .2rem .1rem 0; font-size: .8rem; }
ul.kcf-results .study { border-color: #6a1b9a; color: #6a1b9a; }
ul.kcf-results .unstated-badge { border-style: dashed; border-color: #7a4100; color: #7a4100; }
ul.kcf-results .unstated { color: #44464f; font-style: italic; }
ul.kcf-results .small { color: #4a4c55; font-size: .85rem; }
.st-key-kcf_filters_open h3, .st-key-kcf_filters_closed h3 { font-size: 1.05rem; padding: .6rem 0 .1rem; }
.st-key-kcf_filters_open h2, .st-key-kcf_filters_closed h2 { font-size: 1.3rem; padding: 0 0 .2rem; }
.st-key-kcf_results h2 { font-size: 1.6rem; padding-top: 0; }
.st-key-kcf_results h3 { font-size: 1.2rem; }
[class*="st-key-show_"] button, [class*="st-key-choose_"] button { min-height: 0; padding: .1rem 0; }
[class*="st-key-show_"] button p, [class*="st-key-choose_"] button p { white-space: normal; text-align: left; }
@media (min-width: 641px) { .st-key-filters_open, .st-key-filters_done { display: none !important; } }
@media (max-width: 640px) {
  .st-key-kcf_filters_closed { display: none !important; }
  .st-key-kcf_results h2 { font-size: 1.25rem; }
}
"""
RADII = (5, 10, 25, 50, 100, 250, 500, "any")
PAGE_SIZE = 25
ROUTE_GROUPS = vocab.grouped(vocab.ROUTES)
CONDITION_GROUPS = vocab.grouped(vocab.CONDITIONS)
NONE_STATED = "no listing states this yet"


SEARCH_KEYS = (
    "near",
    "radius",
    *(f"route_{t.code}" for t in vocab.ROUTES),
    *(f"condition_{t.code}" for t in vocab.CONDITIONS),
    "insurance",
    "va",
    "max_price",
    "studies",
)


def seed_widgets() -> dict:
    """The value of every search widget for this run, to pass to the widget as its own default.

    A widget still alive from the last run keeps its value. Otherwise the value comes from a shared link
    on arrival, or from this session's last search when coming back from another page (Streamlit
    forgets the widgets of a page that was not shown).

    Why the widget's default and not ``st.session_state``: a value written there reaches the browser
    in that run's message only. A browser that first draws the widget from a later rerun's message
    (the rerun started before the page finished loading: a slow phone, a busy machine) shows the
    widget's declared default and sends it back as the user's choice: a 50-mile search became a
    5-mile one (issue 13). So every run declares, as the default, the value the server holds.
    """
    keys = SEARCH_KEYS
    values = {k: st.session_state[k] for k in keys if k in st.session_state}
    if len(values) == len(keys):
        return values
    params = st.session_state.get("finder_params")
    if params is None:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
    c = share.params_to_criteria(params)
    seeded = {
        "near": c.near,
        "radius": "any" if c.radius_miles is None else _nearest_radius(c.radius_miles),
        **{f"route_{t.code}": t.code in c.routes for t in vocab.ROUTES},
        **{f"condition_{t.code}": t.code in c.conditions for t in vocab.CONDITIONS},
        "insurance": c.accepts_insurance,
        "va": c.va_community_care,
        "max_price": c.max_price,
        "studies": c.include_studies,
    }
    return {**seeded, **values}


def _nearest_radius(miles: float) -> int:
    return min((r for r in RADII if r != "any"), key=lambda r: abs(r - miles))


def card_key(listing_id: str) -> str:
    """The key of a card's container (Streamlit turns it into the CSS class ``st-key-<key>``)."""
    return "kcf_card_" + re.sub(r"[^a-zA-Z0-9_-]", "-", listing_id)


def show_all() -> None:
    st.session_state["show_all"] = True


def toggle_unstated() -> None:
    st.session_state["show_unstated"] = not st.session_state.get("show_unstated", False)


def close_filters() -> None:
    """ "Show N results" on a phone: fold the filters and bring the results heading into view."""
    st.session_state["filters_open"] = False
    st.session_state["focus"] = next_focus("results", selector=".st-key-kcf_results h2")


def pick_place(choice: str) -> None:
    st.session_state["near"] = choice


def next_focus(target: str, listing_id: str = "", selector: str = "") -> Focus:
    seq = st.session_state.get("focus_seq", 0) + 1
    st.session_state["focus_seq"] = seq
    return Focus(target, seq, f".st-key-{card_key(listing_id)}" if listing_id else selector)


def select(listing_id: str) -> None:
    """ "Show on map": highlight the listing and bring the map into view."""
    st.session_state["selected_id"] = listing_id
    st.session_state["focus"] = next_focus("map")


st.title("Find a ketamine or esketamine clinic", anchor=False)
st.caption(safety.MEDICAL_DISCLAIMER)
df, report = ui.clinics()
ui.data_notice(report)
values = seed_widgets()
data_key = ui.data_key()

where, radius_col = st.columns([3, 1])
near = where.text_input(
    "Search near",
    value=values["near"],
    key="near",
    placeholder="ZIP code, city and state, or a street address",
    help="Searching for someone else? Enter their ZIP code or town. ZIP codes, cities (Phoenix AZ, "
    "Kansas City, Missouri, NYC) and coordinates are looked up on this server; only a street address is "
    "sent to an address lookup service.",
)
radius = radius_col.selectbox(
    "Distance",
    RADII,
    index=RADII.index(values["radius"]),
    key="radius",
    format_func=lambda r: "Any distance" if r == "any" else f"{r} miles",
)

place, place_error, place_choices = finder_cache.resolve_place(near.strip()) if near.strip() else (None, None, ())
if place_error:
    st.warning(ui.md_escape(f"{place_error} Your filters are kept; showing all listings until the place is found."))
    if place_choices:
        picks = st.columns(len(place_choices))
        for i, choice in enumerate(place_choices):
            picks[i].button(ui.md_escape(choice), key=f"pick_place_{i}", on_click=pick_place, args=(choice,))


def current_criteria() -> Criteria:
    routes = {t.code for t in vocab.ROUTES if values[f"route_{t.code}"]}
    conditions = {t.code for t in vocab.CONDITIONS if values[f"condition_{t.code}"]}
    return Criteria(
        near=near.strip(),
        place=place,
        radius_miles=None if radius == "any" else float(radius),
        routes=frozenset(routes),
        conditions=frozenset(conditions),
        accepts_insurance=bool(values["insurance"]),
        va_community_care=bool(values["va"]),
        max_price=values["max_price"],
        include_studies=bool(values["studies"]),
    )


# Widget values are in session state before the script runs, so one search serves both the counts
# beside the options and the results (a changing count in a label never resets a choice: widgets have keys).
criteria = current_criteria()
criteria_key = criteria.cache_key()
result = finder_cache.cached_search(data_key, criteria_key, criteria)
facets = result.facets
stated = finder_cache.cached_directory_counts(data_key)
active = (
    len(criteria.routes)
    + len(criteria.conditions)
    + criteria.accepts_insurance
    + criteria.va_community_care
    + (criteria.max_price is not None)
    + (not criteria.include_studies)
)


def filter_box(label: str, count: int, key: str, code: str, help_text: str | None = None) -> None:
    """A filter checkbox with its count; a filter no listing in the directory can satisfy says so, and is
    offered only to be unticked (a shared link may have ticked it)."""
    if stated.get(code, 0) == 0:
        st.checkbox(f"{label} — {NONE_STATED}", value=values[key], key=key, help=help_text, disabled=not values[key])
    else:
        st.checkbox(f"{label} ({count})", value=values[key], key=key, help=help_text)


filters, main = st.columns([1.35, 2.4], gap="medium")
with filters:
    filters_open = st.toggle(
        f"Filters · {active} active", value=st.session_state.get("filters_open", False), key="filters_open"
    )
    with st.container(key="kcf_filters_open" if filters_open else "kcf_filters_closed"):
        st.header("Filters", anchor=False)
        st.subheader("Treatment route", anchor=False)
        for group, terms in ROUTE_GROUPS.items():
            st.caption(group)
            for t in terms:
                filter_box(t.label, facets.routes.get(t.code, 0), f"route_{t.code}", t.code, t.help or None)
        st.subheader("Condition", anchor=False)
        for group, terms in CONDITION_GROUPS.items():
            st.caption(group)
            for t in terms:
                filter_box(t.label, facets.conditions.get(t.code, 0), f"condition_{t.code}", t.code, t.help or None)
        st.subheader("Payment", anchor=False)
        filter_box("Accepts insurance", facets.payment.get("accepts_insurance", 0), "insurance", "accepts_insurance")
        filter_box("VA community care", facets.payment.get("va_community_care", 0), "va", "va_community_care")
        st.number_input(
            "Maximum self-pay price per session (USD)",
            min_value=0.0,
            value=values["max_price"],
            step=50.0,
            key="max_price",
            placeholder="no maximum",
            help="Only listings that state a price at or below this. Most listings do not state a price.",
        )
        if facets.listing_kinds.get("research_study"):
            st.checkbox("Include recruiting research studies", value=values["studies"], key="studies")
        st.caption("Within a group, any chosen option matches; across groups, all must match.")
        st.button(
            f"Show {result.count} result{'s' if result.count != 1 else ''}",
            key="filters_done",
            on_click=close_filters,
            type="primary",
        )

params = share.criteria_to_params(criteria)
st.query_params.from_dict(params)
st.session_state["finder_params"] = params

show_unstated = bool(st.session_state.get("show_unstated"))
sections = cards.result_sections(result, show_unstated)
if len(sections) > 1:
    shown = pd.concat([s.rows for s in sections], ignore_index=True)
else:  # most searches: the matches alone (a concat would copy the table on every run)
    shown = sections[0].rows if sections else result.results
map_notes = [note for s in sections for note in (s.badges or [""] * len(s.rows))]
thin = wording.thin_note(result)
print_notes = list(result.notes)
if thin:
    print_notes.append(thin + " " + "; ".join(f"{loc.name}: {loc.url}" for loc in coverage.PUBLIC_LOCATORS))

with main, st.container(key="kcf_results"):
    # Text that can hold what a person typed or an address service answered is shown as plain text.
    st.header(ui.md_escape(result.description), anchor=False)
    if result.empty_reason:
        st.info(ui.md_escape(result.empty_reason))
    if thin:
        links = "\n".join(
            f"- [{ui.md_escape(loc.name)}]({loc.url}): {ui.md_escape(loc.covers)}" for loc in coverage.PUBLIC_LOCATORS
        )
        st.info(f"{ui.md_escape(thin)}\n\n{links}", icon=":material/travel_explore:")

    # Selection: from the list ("Show on map") or from a marker click on the map.
    ids = list(shown["id"]) if len(shown) else []
    selected_id = st.session_state.get("selected_id")
    selected = ids.index(selected_id) if selected_id in ids else None
    focus = st.session_state.get("focus")
    payload = finder_cache.cached_map_payload(
        data_key, criteria_key, show_unstated, selected, focus, criteria, shown, map_notes
    )
    clicked = map_widget.draw_results_map(payload)
    hit = clicked_result(clicked, shown)
    if hit is not None and hit != selected_id:
        st.session_state["selected_id"] = hit
        st.session_state["focus"] = next_focus("card", hit)
        st.rerun()

    downloads = st.columns(3)
    report_base = ui.app_url()  # read in the run: the download callables run outside it
    downloads[0].download_button(
        "Download results (CSV)",
        # Built when the button is pressed, not on every run (issue 9: ~6 % of a finder run).
        data=lambda: downloads.results_csv(sections, place, explanation=result.empty_reason),
        file_name="ketamine-clinics.csv",
        mime="text/csv",
        on_click="ignore",
    )
    downloads[1].download_button(
        "Printable list (HTML)",
        data=lambda: html.results_html(
            sections,
            result.description,
            place,
            notes=print_notes,
            explanation=result.empty_reason,
            report_base_url=report_base,
        ),
        file_name="ketamine-clinics.html",
        mime="text/html",
        on_click="ignore",
    )
    downloads[2].markdown(f"[Link to this search](?{urlencode(share.criteria_to_params(criteria), doseq=True)})")

    st.markdown(f"<style>{CARD_CSS}</style>", unsafe_allow_html=True)

    def built(rows: pd.DataFrame, badges: list[str]) -> list[finder_cache.Card]:
        out = []
        for i, row in enumerate(row_dicts(rows)):
            fields = cards.result_card_fields(row, place)
            fields["report_url"] = cards.report_url(fields["id"])
            out.append(finder_cache.Card(fields, html.card_html(fields, badges[i] if badges else "")))
        return out

    def draw_cards(shown_cards: Sequence[finder_cache.Card]) -> None:
        for fields, card in shown_cards:
            highlight = " selected" if fields["id"] == selected_id else ""
            with st.container(border=True, key=card_key(fields["id"])):
                st.markdown(f'<ul class="kcf-results{highlight}">{card}</ul>', unsafe_allow_html=True)
                # Named by the listing, so a screen reader's list of buttons says which card each acts on.
                name = ui.md_escape(fields["name"])  # a button label is Markdown: dataset text stays text
                st.button(
                    f"Show {name} on map",
                    key=f"show_{fields['id']}",
                    on_click=select,
                    args=(fields["id"],),
                    type="tertiary",
                    icon=":material/location_on:",
                )
                if st.button(
                    f"Use {name} in my questionnaire",
                    key=f"choose_{fields['id']}",
                    type="tertiary",
                    icon=":material/assignment_add:",
                ):
                    st.session_state["chosen_clinic_id"] = fields["id"]
                    st.toast(f"{name} will be carried into your pre-visit questionnaire.")

    by_kind = {s.kind: s for s in sections}
    matches = result.results
    limit = len(matches) if st.session_state.get("show_all") else PAGE_SIZE
    draw_cards(finder_cache.cached_cards(data_key, criteria_key, criteria, limit))
    if len(matches) > limit:
        st.button(f"Show all {len(matches)} results", key="show_all_button", on_click=show_all)
    prompt = wording.left_out_prompt(result.left_out)
    if prompt:
        st.button(
            f"{prompt} — {'hide' if show_unstated else 'show'} {'it' if result.left_out.total == 1 else 'them'}",
            key="unstated_toggle",
            on_click=toggle_unstated,
            icon=":material/visibility_off:" if show_unstated else ":material/visibility:",
        )
        if "unstated" in by_kind:
            draw_cards(built(by_kind["unstated"].rows, by_kind["unstated"].badges))
    if "nearest" in by_kind:
        st.subheader(by_kind["nearest"].heading, anchor=False)
        draw_cards(built(by_kind["nearest"].rows, []))
    st.caption(cards.CONFIRM_NOTE)
