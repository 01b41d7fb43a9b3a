"""Streamlit helpers for the report, submit and review pages (a UI-helper module: it imports Streamlit).

Logic lives in dashboard.submissions; this only reads what Streamlit knows about the visitor (session,
address behind our proxy, secrets) and draws the messages those pages share.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from dashboard.submissions import db, limits
from dashboard.submissions.forms import Checked
from dashboard.submissions.store import Store, default_buckets
from dashboard.web.frame import md_escape

# The honeypot: a field people never see (and screen readers skip); robots fill it in.
HONEYPOT_KEY = "website_confirm"
HONEYPOT_CSS = f"<style>.st-key-{HONEYPOT_KEY} {{ display: none !important; }}</style>"

DB_DOWN = (
    "We could not save this right now because our database is not reachable. Nothing you typed has been "
    "lost: it is still in the form below. Please try again in a few minutes. The clinic finder keeps working."
)


def store() -> Store:
    return Store()


def honeypot() -> None:
    """The hidden field (call inside the form)."""
    st.markdown(HONEYPOT_CSS, unsafe_allow_html=True)
    st.text_input("Leave this field empty (spam check)", key=HONEYPOT_KEY)


def buckets():
    """This visitor's rate-limit buckets: their browser session and their address."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    session_id = ctx.session_id if ctx is not None else None
    try:
        headers = {str(k): v for k, v in dict(st.context.headers).items() if isinstance(v, str)}
        peer = st.context.ip_address
    except Exception:  # no request context (AppTest)
        headers, peer = {}, None
    peer = peer if isinstance(peer, str) else None
    return default_buckets(session_id, limits.client_address(peer, headers))


def secrets() -> Mapping[str, Any]:
    """The deployment's secrets, or {} when it has none (Streamlit raises instead of returning empty)."""
    try:
        return {k: st.secrets[k] for k in st.secrets}
    except Exception:
        return {}


def show_errors(errors: Mapping[str, str], labels: Mapping[str, str]) -> None:
    """One plain list of what needs fixing, each line naming its field."""
    lines = [f"- **{md_escape(labels.get(k, k))}**: {md_escape(msg)}" for k, msg in errors.items()]
    st.error("Please check the form:\n\n" + "\n".join(lines))


def file(checked: Checked, labels: Mapping[str, str], done_key: str) -> None:
    """Store a checked report or submission, or say why not (the form keeps what was typed). On success,
    or for a robot (told nothing useful, nothing stored), ``done_key`` gets what the thank-you shows."""
    if checked.errors:
        show_errors(checked.errors, labels)
        return
    if checked.is_bot:
        st.session_state[done_key] = "received"
        st.rerun()
    try:
        number = store().add(checked.value, buckets())
    except limits.RateLimitedError as exc:
        st.warning(exc.message())
    except db.DatabaseUnavailableError:
        st.error(DB_DOWN)
    else:
        st.session_state[done_key] = number
        st.rerun()
