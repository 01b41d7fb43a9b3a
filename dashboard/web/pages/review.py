"""Review reports and clinic submissions (``/review``): reviewers only.

Without a login this page draws nothing but the login form (and the OIDC button when the deployment
configures a provider), so no submitted text can be read through it. Everything a stranger submitted is
drawn as text (``st.text``, escaped Markdown, data grids): it can never become markup or a link other
than the http(s) source page a reviewer must open. Logic: dashboard.submissions (auth, review, store).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import vocab
from dashboard.directory.clinics import rows_by_id
from dashboard.submissions import auth, db
from dashboard.submissions import review as rv
from dashboard.submissions.store import NotPendingError
from dashboard.text import is_http_url
from dashboard.web import dataset, frame
from dashboard.web import submissions as sui

st.title("Review submissions")
secrets = sui.secrets()
store = sui.store()


def oidc_reviewer() -> str | None:
    """The signed-in OIDC user's email when the deployment lists it as a reviewer."""
    if "auth" not in secrets:
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or "").strip().lower()
    except Exception:
        return None
    return email if email and email in auth.allowed_emails(secrets) else None


def login_gate() -> str:
    """The logged-in reviewer's name; otherwise draw only the login form and stop the page (never returns)."""
    if st.session_state.get("reviewer"):
        return st.session_state["reviewer"]
    oidc = oidc_reviewer()
    if oidc:
        st.session_state["reviewer"] = oidc
        return oidc
    st.caption("This page is for the directory's reviewers.")
    if "auth" in secrets:
        st.button("Log in with your organisation account", on_click=st.login)
    with st.form("login", enter_to_submit=True):
        name = st.text_input("Reviewer name", max_chars=auth.MAX_NAME)
        password = st.text_input("Password", type="password", max_chars=auth.MAX_PASSWORD)
        sent = st.form_submit_button("Log in")
    if sent:
        reviewers = auth.reviewers_from_secrets(secrets)
        try:
            outcome = auth.login(store, reviewers, name, password)
        except db.DatabaseUnavailableError:
            st.error("The review database is not reachable right now; please try again in a few minutes.")
            st.stop()
        if outcome.ok:
            st.session_state["reviewer"] = name.strip()
            st.rerun()
        st.error(outcome.message)
    st.stop()
    raise AssertionError("st.stop() ends the script run")


reviewer = login_gate()

top = st.columns([3, 1])
top[0].markdown(f"Logged in as **{frame.md_escape(reviewer)}**.")
if top[1].button("Log out"):
    st.session_state.pop("reviewer", None)
    if "auth" in secrets:
        st.logout()
    st.rerun()

status = st.segmented_control("Show", [*vocab.SUBMISSION_STATUSES, "all"], default="pending", key="review_status")
try:
    records = store.list(None if status in (None, "all") else status) if store.exists else []
except db.DatabaseUnavailableError as exc:
    st.error(f"The review database is not reachable right now: {frame.md_escape(exc)}")
    st.stop()

df, _ = dataset.clinics()
directory = rows_by_id(df)

st.caption(f"{len(records)} submission{'s' if len(records) != 1 else ''}.")
if records:
    st.download_button(
        "Download these submissions (CSV)",
        data=rv.records_csv(records).encode("utf-8"),
        file_name="submissions.csv",
        mime="text/csv",
        on_click="ignore",
    )


def readable(field: str, value: str) -> str:
    """Codes as their labels, so a reviewer compares what patients will read."""
    if field in ("routes", "conditions"):
        return "; ".join(vocab.label(c) for c in value.split(";") if c)
    return value


def show(rec) -> None:
    current = directory.get(rec.listing_id) if rec.listing_id else None
    if rec.kind == "report":
        what = vocab.REPORT_PROBLEMS.get(rec.problem or "", rec.problem or "")
        listing = current["name"] if current else rec.listing_id
        st.markdown(f"**#{rec.id} · Report** about **{frame.md_escape(listing)}** — {frame.md_escape(what)}")
        st.text(rec.description or "")
    else:
        kind = "Update" if rec.listing_id else "New listing"
        name = (rec.listing_fields or {}).get("name", "")
        st.markdown(f"**#{rec.id} · {kind}**: {frame.md_escape(name)}")
        role = vocab.SUBMITTER_ROLES.get(rec.submitter_role or "", rec.submitter_role or "")
        st.markdown(f"Submitted by: {frame.md_escape(role)}")
        if rec.source_url and is_http_url(rec.source_url):
            st.markdown(f"Source page: [{frame.md_escape(rec.source_url)}]({rec.source_url.replace(')', '%29')})")
        rows = [
            {
                "field": field,
                "now in the directory": readable(field, now),
                "proposed": readable(field, new),
                "changed": "yes" if now != new else "",
            }
            for field, now, new in rv.diff(rec, current)
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    meta = [f"received {rec.created_at}", f"status: {rec.status}"]
    if rec.contact_email:
        meta.append(f"contact: {rec.contact_email}")
    if rec.reviewer:
        meta.append(f"reviewed by {rec.reviewer} ({rec.reviewed_at}): {rec.review_note or ''}")
    st.text(" · ".join(meta))  # plain text: an email or URL in here never becomes a link
    if rec.status != "pending":
        return
    with st.form(f"decide_{rec.id}", enter_to_submit=False):
        note = st.text_input("Note (kept with the decision; required to reject)", key=f"note_{rec.id}")
        accept_col, reject_col = st.columns(2)
        accept = accept_col.form_submit_button("Accept" if rec.kind == "clinic" else "Mark resolved", type="primary")
        reject = reject_col.form_submit_button("Reject")
    if accept or reject:
        try:
            if accept:
                rv.accept(store, rec.id, reviewer, note, directory=directory)
            else:
                rv.reject(store, rec.id, note, reviewer)
        except (rv.ReviewError, NotPendingError) as exc:
            st.error(frame.md_escape(exc))
            return
        except db.DatabaseUnavailableError:
            st.error("The review database is not reachable right now; please try again in a few minutes.")
            return
        st.rerun()


for rec in records:
    with st.container(border=True):
        show(rec)
