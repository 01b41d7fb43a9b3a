"""Pre-visit questionnaire page (placeholder until the intake lands)."""

import streamlit as st

st.title("Pre-visit questionnaire")
st.info("The questionnaire is being built.")
