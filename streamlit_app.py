"""Entry point: ``streamlit run streamlit_app.py`` (or ``make run``). Wiring only; logic lives in dashboard/."""

from pathlib import Path

import streamlit as st

from dashboard import ui

st.set_page_config(
    page_title="Ketamine Clinic Finder",
    page_icon=str(Path(__file__).parent / "dashboard" / "favicon.png"),
    layout="wide",
)

pages = [
    st.Page("dashboard/pages/finder.py", title="Find a clinic", icon=":material/map:", default=True, url_path="finder"),
    st.Page(
        "dashboard/pages/intake.py", title="Pre-visit questionnaire", icon=":material/assignment:", url_path="intake"
    ),
    st.Page("dashboard/pages/about.py", title="About ketamine routes", icon=":material/info:", url_path="about"),
    st.Page("dashboard/pages/report.py", title="Report a problem", icon=":material/flag:", url_path="report"),
    st.Page(
        "dashboard/pages/submit.py",
        title="Add or update your clinic",
        icon=":material/add_business:",
        url_path="submit",
    ),
    st.Page("dashboard/pages/review.py", title="Review (staff)", icon=":material/fact_check:", url_path="review"),
    st.Page("dashboard/pages/data.py", title="What the directory covers", icon=":material/public:", url_path="data"),
]
navigation = st.navigation(pages)
ui.page_style()
ui.crisis_sidebar()
navigation.run()
