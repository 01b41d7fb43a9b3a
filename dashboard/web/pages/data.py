"""Data page: where the directory has listings and where it is thin (a map and a table per state), its date,
and the public locators that cover what it may miss. Thin wiring over dashboard.directory.coverage and
dashboard.mapview.
"""

from __future__ import annotations

import copy

import streamlit as st
from streamlit_folium import st_folium

from dashboard.directory import coverage
from dashboard.web import dataset, frame

TABLE_COLUMNS = {
    "name": "State",
    "listings": "Clinics",
    "iv": "IV ketamine",
    "esketamine": "Esketamine",
    "studies": "Studies",
}


st.title("What the directory covers", anchor=False)
df, report = dataset.clinics()
dataset.data_notice(report)
counts = coverage.state_counts(df)
summary = coverage.summary(df)
studies = f", plus {summary.studies} recruiting research studies" if summary.studies else ""
dated = (
    f" Listings were compiled between {summary.oldest_compiled_on} and {summary.compiled_on}."
    if summary.oldest_compiled_on and summary.oldest_compiled_on != summary.compiled_on
    else ""
)
st.markdown(
    f"**Directory date: {summary.compiled_on or 'not recorded'}.** {summary.listings} clinic listings{studies}, "
    f"{coverage.where_listed(summary)}.{dated} Listings come from public pages and can be "
    "out of date: always call to confirm."
)
va_facilities, _ = dataset.va_facilities()
st.markdown(f"{coverage.va_sentence(va_facilities)} {coverage.va_places(va_facilities)}")

st.header("Listings per state", anchor=False)
left, right = st.columns([1, 1], gap="medium")
with left:
    st_folium(
        copy.deepcopy(dataset.coverage_map(dataset.data_key(), counts)),  # st_folium alters the map it gets
        key="coverage_map",
        height=420,
        use_container_width=True,
        returned_objects=[],
    )
    st.caption("Darker means more listings. Hover or tap a state for its count; the table has every state.")
    if summary.states_empty:
        st.markdown(f"**{coverage.not_listed(summary)}**")
with right:
    # The 50 states and DC always; a territory only when something is listed there.
    shown = counts[counts["state"].isin(coverage.FIFTY_AND_DC) | (counts[["listings", "studies"]].sum(axis=1) > 0)]
    st.table(shown[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS).set_index("State"))
    st.caption("Esketamine: the SPRAVATO nasal spray. Studies: recruiting research studies (not clinics).")

st.header("Where to look beyond this directory", anchor=False)
st.markdown(
    "Where this directory is thin, these public locators may list places it does not have. They are linked "
    "only; nothing is fetched from them.\n\n" + frame.locators_md()
)
