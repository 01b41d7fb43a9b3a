"""Finder page: where, what and how to pay → ranked results, map, list, share link and downloads.

Thin wiring only: resolving places (dashboard.geocode), searching (dashboard.search), links and
exports (dashboard.share, dashboard.export) and the map (dashboard.mapview) are plain modules.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit_folium import st_folium

from dashboard import export, safety, share, ui, vocab
from dashboard.geo import LocationError
from dashboard.mapview import build_map, clicked_result
from dashboard.search import Criteria, search

CARD_CSS = """
ul.kcf-results { list-style: none; padding: 0; margin: 0; }
ul.kcf-results.selected { outline: 3px solid #000; outline-offset: 6px; }
ul.kcf-results .name { font-weight: 600; font-size: 1.05rem; }
ul.kcf-results .badge { display: inline-block; border: 1px solid #888; border-radius: .6rem; padding: 0 .4rem;
  margin: 0 .2rem .1rem 0; font-size: .8rem; }
ul.kcf-results .study { border-color: #6a1b9a; color: #6a1b9a; }
ul.kcf-results .small { color: #555; font-size: .85rem; }
"""
RADII = (5, 10, 25, 50, 100, 250, 500, "any")
PAGE_SIZE = 25
ROUTE_GROUPS = vocab.grouped(vocab.ROUTES)
CONDITION_GROUPS = vocab.grouped(vocab.CONDITIONS)
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


@st.cache_data(show_spinner=False, max_entries=256, ttl=3600)
def resolve_place(text: str):
    """Cached per text: an offline lookup is instant; an online one is never repeated for the same text."""
    from dashboard.geocode import resolve

    try:
        return resolve(text), None
    except LocationError as exc:
        return None, str(exc)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_map(data_key: tuple, criteria: Criteria, selected: int | None, _shown):
    """Maps are cached by dataset, filter settings and selection (which fully determine ``_shown``):
    reruns that change none of them rebuild nothing.

    ``cache_data`` (a copy for every caller), not ``cache_resource`` (one shared object): st_folium
    renames the elements of the map it draws, so a shared map drew differently the second time, with
    a new component key: the browser replaced the map on reruns that changed nothing, and sessions
    with the same search rewrote one object from several threads (issue 13)."""
    return build_map(_shown, criteria.place, criteria.radius_miles, selected=selected)


def show_all() -> None:
    st.session_state["show_all"] = True


st.title("Find a ketamine or esketamine clinic")
st.caption(safety.MEDICAL_DISCLAIMER)
df, report = ui.clinics()
ui.data_notice(report)
values = seed_widgets()

where, radius_col = st.columns([3, 1])
near = where.text_input(
    "Search near",
    value=values["near"],
    key="near",
    placeholder="ZIP code, City, ST, or a street address",
    help="Searching for someone else? Enter their ZIP code or town. ZIP codes, cities and coordinates are "
    "looked up on this server; only a street address is sent to an address lookup service.",
)
radius = radius_col.selectbox(
    "Distance",
    RADII,
    index=RADII.index(values["radius"]),
    key="radius",
    format_func=lambda r: "Any distance" if r == "any" else f"{r} miles",
)

place, place_error = resolve_place(near.strip()) if near.strip() else (None, None)
if place_error:
    st.warning(f"{place_error} Your filters are kept; showing all listings until the place is found.")


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
result = search(df, criteria)
facets = result.facets

filters, main = st.columns([1.35, 2.4], gap="medium")
with filters:
    st.markdown("**Treatment route**")
    for group, terms in ROUTE_GROUPS.items():
        st.caption(group)
        for t in terms:
            st.checkbox(
                f"{t.label} ({facets.routes.get(t.code, 0)})",
                value=values[f"route_{t.code}"],
                key=f"route_{t.code}",
                help=t.help or None,
            )
    st.markdown("**Condition**")
    for group, terms in CONDITION_GROUPS.items():
        st.caption(group)
        for t in terms:
            st.checkbox(
                f"{t.label} ({facets.conditions.get(t.code, 0)})",
                value=values[f"condition_{t.code}"],
                key=f"condition_{t.code}",
                help=t.help or None,
            )
    st.markdown("**Payment**")
    st.checkbox(
        f"Accepts insurance ({facets.payment.get('accepts_insurance', 0)})", value=values["insurance"], key="insurance"
    )
    st.checkbox(f"VA community care ({facets.payment.get('va_community_care', 0)})", value=values["va"], key="va")
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

params = share.criteria_to_params(criteria)
st.query_params.from_dict(params)
st.session_state["finder_params"] = params

with main:
    st.subheader(result.description)
    for note in result.notes:
        st.caption(note)
    shown = result.results
    if result.empty_reason:
        st.info(result.empty_reason)
        shown = result.nearest_beyond

    # Selection: from the list ("Show on map") or from a marker click on the map.
    ids = list(shown["id"]) if len(shown) else []
    selected_id = st.session_state.get("selected_id")
    selected = ids.index(selected_id) if selected_id in ids else None
    data_key = ui.data_key()
    fmap = cached_map(data_key, criteria, selected, shown)
    clicked = st_folium(
        fmap,
        key="map",
        height=460,
        use_container_width=True,
        returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
    )
    hit = clicked_result(clicked, shown)
    if hit is not None and hit != selected_id:
        st.session_state["selected_id"] = hit
        st.rerun()

    downloads = st.columns(3)
    downloads[0].download_button(
        "Download results (CSV)",
        data=export.results_csv(shown),
        file_name="ketamine-clinics.csv",
        mime="text/csv",
        on_click="ignore",
    )
    downloads[1].download_button(
        "Printable list (HTML)",
        data=export.results_html(shown, result.description, place, notes=result.notes, report_base_url=ui.app_url()),
        file_name="ketamine-clinics.html",
        mime="text/html",
        on_click="ignore",
    )
    downloads[2].markdown(f"[Link to this search](?{urlencode(share.criteria_to_params(criteria), doseq=True)})")

    st.markdown(f"<style>{CARD_CSS}</style>", unsafe_allow_html=True)
    limit = len(shown) if st.session_state.get("show_all") else PAGE_SIZE
    for row in shown.head(limit).to_dict("records"):
        fields = export.result_card_fields(row, place)
        fields["report_url"] = export.report_url(fields["id"])
        highlight = " selected" if fields["id"] == selected_id else ""
        with st.container(border=True):
            st.markdown(f'<ul class="kcf-results{highlight}">{export.card_html(fields)}</ul>', unsafe_allow_html=True)
            buttons = st.columns([1, 1.5, 2])
            if buttons[0].button("Show on map", key=f"show_{fields['id']}"):
                st.session_state["selected_id"] = fields["id"]
                st.rerun()
            if buttons[1].button("Use in my questionnaire", key=f"choose_{fields['id']}"):
                st.session_state["chosen_clinic_id"] = fields["id"]
                st.toast(f"{fields['name']} will be carried into your pre-visit questionnaire.")
    if len(shown) > limit:
        st.button(f"Show all {len(shown)} results", key="show_all_button", on_click=show_all)
    st.caption(export.CONFIRM_NOTE)
