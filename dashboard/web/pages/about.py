"""About page: the routes explained neutrally, with sources (reference §6)."""

import streamlit as st

from dashboard.content import routes, safety, va

st.title("About ketamine and esketamine routes", anchor=False)
st.caption(safety.MEDICAL_DISCLAIMER)
st.markdown(routes.INTRO)
for route in routes.ROUTE_FACTS:
    with st.container(border=True):
        st.header(route.title, anchor=False)
        for fact in route.facts:
            cited = routes.sources_md(fact)
            st.markdown(f"- {fact.text}" + (f"  \n  *{cited}*" if cited else ""))
with st.container(border=True):
    st.header(va.TITLE, anchor=False)
    st.markdown(va.markdown())
st.markdown(routes.DATA_NOTE)
