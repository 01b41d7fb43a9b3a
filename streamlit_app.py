"""Entry point: ``streamlit run streamlit_app.py`` (or ``make run``). Wiring only; logic lives in dashboard/."""

from pathlib import Path

import streamlit as st

from dashboard.web import frame

st.set_page_config(
    page_title="Ketamine Clinic Finder",
    page_icon=str(Path(__file__).parent / "dashboard" / "favicon.png"),
    layout="wide",
)

PAGES = Path("dashboard/web/pages")
pages = [
    st.Page(PAGES / "finder.py", title="Find a clinic", icon=":material/map:", default=True, url_path="finder"),
    st.Page(PAGES / "intake.py", title="Pre-visit questionnaire", icon=":material/assignment:", url_path="intake"),
    st.Page(PAGES / "checkins.py", title="Treatment check-ins", icon=":material/timeline:", url_path="checkins"),
    st.Page(PAGES / "about.py", title="About ketamine routes", icon=":material/info:", url_path="about"),
    st.Page(PAGES / "report.py", title="Report a problem", icon=":material/flag:", url_path="report"),
    st.Page(PAGES / "submit.py", title="Add or update your clinic", icon=":material/add_business:", url_path="submit"),
    st.Page(PAGES / "review.py", title="Review (staff)", icon=":material/fact_check:", url_path="review"),
    st.Page(PAGES / "data.py", title="What the directory covers", icon=":material/public:", url_path="data"),
]
navigation = st.navigation(pages)
frame.page_style()
frame.crisis_sidebar()
navigation.run()
