"""Finder page: every clinic on a map and in a list (search and filters arrive with the finder issue)."""

import streamlit as st
from streamlit_folium import st_folium

from dashboard import safety, ui, vocab
from dashboard.clinics import is_http_url
from dashboard.mapview import build_map

st.title("Find a ketamine or esketamine clinic")
st.caption(safety.MEDICAL_DISCLAIMER)
df, report = ui.clinics()
ui.data_notice(report)

st_folium(build_map(df), key="map", height=480, use_container_width=True, returned_objects=[])

st.subheader(f"{len(df)} listings")
for rec in df.to_dict("records"):
    with st.container(border=True):
        st.markdown(f"**{ui.md_escape(rec['name'])}** — {ui.md_escape(rec['city'])}, {rec['state']}")
        routes = ", ".join(vocab.label(c) for c in rec["routes"]) or "not listed"
        st.markdown(f"Routes: {routes}")
        phone = ui.md_escape(rec["phone"]) if rec["phone"] else "not listed"
        st.markdown(f"Phone: {phone}")
        if rec["website"] and is_http_url(rec["website"]):
            st.markdown(f"[Website]({rec['website']})")
        st.markdown(" ".join(f"[source]({u})" for u in rec["source_urls"] if is_http_url(u)))
