"""About page: the routes explained neutrally, with sources (reference §6)."""

import streamlit as st

from dashboard import about, safety

st.title("About ketamine and esketamine routes", anchor=False)
st.caption(safety.MEDICAL_DISCLAIMER)
st.markdown(about.INTRO)
for route in about.ROUTE_FACTS:
    with st.container(border=True):
        st.header(route.title, anchor=False)
        for fact in route.facts:
            st.markdown(f"- {fact.text} " + " ".join(f"[[{i}]]({url})" for i, url in fact.sources))
st.markdown(about.DATA_NOTE)
