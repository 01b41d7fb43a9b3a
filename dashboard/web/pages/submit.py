"""Add or update your clinic (``/submit``, ``/submit?listing=ID`` for an update): thin wiring of
dashboard.submissions. An update starts from the listing as it is served now; nothing a stranger sends
reaches the directory before a reviewer accepts it.
"""

from __future__ import annotations

import streamlit as st

from dashboard import vocab
from dashboard.directory.clinics import rows_by_id
from dashboard.states import US_STATES
from dashboard.submissions import forms
from dashboard.web import dataset
from dashboard.web import submissions as sui
from dashboard.web.pick import pick_many

LABELS = {
    "listing_id": "Listing to update",
    "name": "Clinic name",
    "street": "Street address",
    "city": "City",
    "state": "State",
    "zip": "ZIP code",
    "phone": "Phone",
    "website": "Website",
    "routes": "Treatment routes offered",
    "conditions": "Conditions treated",
    "ketamine_assisted_psychotherapy": "Ketamine-assisted psychotherapy",
    "accepts_insurance": "Accepts insurance",
    "va_community_care": "VA community care",
    "self_pay_price_usd": "Self-pay price per session (USD)",
    "price_note": "Price note",
    "source_url": "Public page of your clinic that states these facts",
    "role": "Your role",
    "email": "Your email",
}
TEXT_FIELDS = ("name", "street", "city", "zip", "phone", "website", "self_pay_price_usd", "price_note")
STATES = sorted(US_STATES)  # the form lists codes alphabetically


def key(field: str) -> str:
    return f"sub_{field}"


def seed(cells: dict[str, str] | None) -> None:
    """Fill the form from a listing (an update) or empty it (a new clinic)."""
    cells = cells or {}
    for field in TEXT_FIELDS:
        st.session_state[key(field)] = cells.get(field, "")
    st.session_state[key("state")] = cells.get("state") or None
    for field in ("routes", "conditions"):
        known = vocab.ROUTE_CODES if field == "routes" else vocab.CONDITION_CODES
        st.session_state[key(field)] = [c for c in cells.get(field, "").split(";") if c in known]
    for field in forms.YES_NO_FIELDS:
        st.session_state[key(field)] = cells.get(field, "") if cells.get(field, "") in forms.YES_NO_CHOICES else ""


st.title("Add or update your clinic")
st.markdown(
    "Clinics, tell us what you offer. Every listing in this directory must trace to a public page, so "
    "please give the page of **your clinic's own website** that states these facts. A reviewer checks "
    "each submission against that page before it appears. Leave anything your page does not state empty: "
    "the directory shows it as *not listed* rather than guessing. Please include no patient information."
)

df, _ = dataset.clinics()
directory = rows_by_id(df)
names = {i: f"{c['name']} — {c['city']}, {c['state']}" for i, c in directory.items()}

done = st.session_state.get("submit_done")
if done:
    st.success(
        f"Thank you. Your submission (number {done}) is waiting for a reviewer, who may email you. "
        "The directory changes only after it has been checked."
    )
    if st.button("Send another submission"):
        st.session_state.pop("submit_done", None)
        st.session_state.pop("submit_seeded", None)
        st.rerun()
    st.stop()

wanted = st.query_params.get("listing", "")
if "submit_seeded" not in st.session_state:
    st.session_state["sub_listing"] = wanted if wanted in directory else None
    seed(directory.get(wanted))
    st.session_state["submit_seeded"] = st.session_state["sub_listing"]


def on_listing_change() -> None:
    chosen = st.session_state.get("sub_listing")
    seed(directory.get(chosen) if chosen else None)
    st.session_state["submit_seeded"] = chosen
    if chosen:
        st.query_params["listing"] = chosen
    else:
        st.query_params.pop("listing", None)


st.selectbox(
    "Is your clinic already listed? Choose it to update it; leave empty to add a new clinic.",
    options=list(directory),
    key="sub_listing",
    format_func=lambda i: names.get(i, i),
    placeholder="A new clinic",
    on_change=on_listing_change,
)
listing_id = st.session_state.get("sub_listing")

with st.form("clinic_form", enter_to_submit=False):
    st.subheader("The clinic")
    st.text_input(LABELS["name"], key=key("name"), max_chars=forms.LIMITS["name"])
    st.text_input(LABELS["street"], key=key("street"), max_chars=forms.LIMITS["street"])
    city_col, state_col, zip_col = st.columns([2, 1, 1])
    city_col.text_input(LABELS["city"], key=key("city"), max_chars=forms.LIMITS["city"])
    state_col.selectbox(LABELS["state"], STATES, key=key("state"), placeholder="Choose")
    zip_col.text_input(LABELS["zip"], key=key("zip"), max_chars=5)
    phone_col, web_col = st.columns(2)
    phone_col.text_input(LABELS["phone"], key=key("phone"), max_chars=forms.LIMITS["phone"])
    web_col.text_input(LABELS["website"], key=key("website"), max_chars=forms.LIMITS["website"])

    st.subheader("Treatment and payment")
    pick_many(
        LABELS["routes"], sorted(vocab.ROUTE_CODES), key=key("routes"), format_func=vocab.label, placeholder="None"
    )
    pick_many(
        LABELS["conditions"],
        [t.code for t in vocab.CONDITIONS],
        key=key("conditions"),
        format_func=vocab.label,
        placeholder="None",
    )
    yes_no = st.columns(3)
    for col, field in zip(yes_no, forms.YES_NO_FIELDS, strict=True):
        col.selectbox(LABELS[field], list(forms.YES_NO_CHOICES), key=key(field), format_func=forms.YES_NO_CHOICES.get)
    price_col, note_col = st.columns([1, 2])
    price_col.text_input(LABELS["self_pay_price_usd"], key=key("self_pay_price_usd"), max_chars=12)
    note_col.text_input(LABELS["price_note"], key=key("price_note"), max_chars=forms.LIMITS["price_note"])

    st.subheader("Source and contact")
    st.text_input(
        LABELS["source_url"],
        key=key("source_url"),
        max_chars=forms.LIMITS["source_url"],
        placeholder="https://your-clinic.example/services",
        help="Required. A reviewer reads this page; every fact above should be on it.",
    )
    st.selectbox(
        LABELS["role"],
        list(vocab.SUBMITTER_ROLES),
        key=key("role"),
        index=None,
        format_func=vocab.SUBMITTER_ROLES.get,
        placeholder="Choose",
    )
    st.text_input(
        LABELS["email"],
        key=key("email"),
        max_chars=forms.LIMITS["email"],
        help="Only used by a reviewer to check this submission with you; never shown in the directory.",
    )
    sui.honeypot()
    sent = st.form_submit_button("Send for review", type="primary")

if sent:
    raw = {field: st.session_state.get(key(field)) for field in forms.CLINIC_FIELDS}
    raw |= {
        "listing_id": listing_id or "",
        "source_url": st.session_state.get(key("source_url"), ""),
        "role": st.session_state.get(key("role")) or "",
        "email": st.session_state.get(key("email"), ""),
        "state": st.session_state.get(key("state")) or "",
        "website_confirm": st.session_state.get(sui.HONEYPOT_KEY, ""),
    }
    checked = forms.check_clinic(raw, set(directory), directory.get(listing_id) if listing_id else None)
    sui.file(checked, LABELS, "submit_done")
