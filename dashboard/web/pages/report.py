"""Report a problem with a listing (``/report?listing=ID``): thin wiring of dashboard.submissions.

Reached from every result card and from the printable list. No account, no health information; the
report waits for a reviewer and changes nothing on its own.
"""

from __future__ import annotations

import streamlit as st

from dashboard import vocab
from dashboard.submissions import forms
from dashboard.web import dataset
from dashboard.web import submissions as sui

LABELS = {
    "listing_id": "Listing",
    "problem": "What is wrong",
    "description": "Description",
    "email": "Email",
}

st.title("Report a problem with a listing")
st.markdown(
    "Tell us what is wrong with this listing and a reviewer will check it against the clinic's public "
    "information. **No account is needed. Please do not include any health information** — about you or "
    "anyone else. We only need to know what is wrong with the listing."
)
df, _report = dataset.clinics()
names = {
    row["id"]: f"{row['name']} — {row['city']}, {row['state']}"
    for row in df[["id", "name", "city", "state"]].to_dict("records")
}
wanted = st.query_params.get("listing", "")
if "report_listing" not in st.session_state and wanted in names:
    st.session_state["report_listing"] = wanted

done = st.session_state.get("report_done")
if done:
    st.success(
        f"Thank you. Your report (number {done}) is waiting for a reviewer. The listing changes only after "
        "someone has checked it."
    )
    if st.button("Report another problem"):
        for key in ("report_done", "report_problem", "report_description", "report_email"):
            st.session_state.pop(key, None)
        st.rerun()
    st.stop()

with st.form("report_form", enter_to_submit=False):
    listing_id = st.selectbox(
        "Listing",
        options=list(names),
        key="report_listing",
        index=None,
        format_func=lambda i: names.get(i, i),
        placeholder="Choose the listing",
    )
    problem = st.radio(
        "What is wrong?",
        options=list(vocab.REPORT_PROBLEMS),
        key="report_problem",
        index=None,
        format_func=lambda code: vocab.REPORT_PROBLEMS[code],
    )
    description = st.text_area(
        f"What should it say instead? (at most {forms.LIMITS['description']:,} characters)",
        key="report_description",
        max_chars=forms.LIMITS["description"],
        placeholder="For example: the phone number is now 520-555-0199 (from the clinic's contact page).",
    )
    email = st.text_input(
        "Your email (optional, only so a reviewer can ask you about this report)",
        key="report_email",
        max_chars=forms.LIMITS["email"],
    )
    sui.honeypot()
    sent = st.form_submit_button("Send report", type="primary")

if sent:
    raw = {
        "listing_id": listing_id or "",
        "problem": problem or "",
        "description": description,
        "email": email,
        "website_confirm": st.session_state.get(sui.HONEYPOT_KEY, ""),
    }
    checked = forms.check_report(raw, set(names))
    sui.file(checked, LABELS, "report_done")
