"""AppTest: the report, submit and review pages; the finder with the database down or changed; and a
full questionnaire that writes nothing to the database."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import inspect, select, text
from streamlit.testing.v1 import AppTest

from dashboard.directory.clinics import load_clinics
from dashboard.submissions import auth, db, forms
from dashboard.submissions import review as rv
from dashboard.submissions.store import Store, engine_for
from tests.apptest import heading
from tests.apptest import open_app as app
from tests.paths import ROOT
from tests.submissions.data import HOSTILE_TEXTS, TUCSON_FORM

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")

DOWN_URL = "postgresql://nobody@127.0.0.1:9/none"  # nothing listens on port 9: connection refused at once
PASSWORD = "correct horse battery staple"


def first_listing() -> tuple[str, str]:
    df, _ = load_clinics(ROOT / "data" / "clinics.csv")
    return str(df["id"].iloc[0]), str(df["name"].iloc[0])


def all_text(at: AppTest) -> str:
    """Every value the page drew (markdown, text, captions, alerts, widget labels and values)."""
    parts = []
    for node in at.main:
        parts += _walk(node)
    for node in at.sidebar:
        parts += _walk(node)
    return "\n".join(parts)


def _walk(node) -> list[str]:
    out = []
    for attr in ("value", "label", "body", "placeholder"):
        v = getattr(node, attr, None)
        if isinstance(v, str):
            out.append(v)
    proto = getattr(node, "proto", None)
    if proto is not None:
        out.append(str(proto))
    for child in getattr(node, "children", {}).values() if isinstance(getattr(node, "children", None), dict) else []:
        out += _walk(child)
    return out


# --- report a problem ---------------------------------------------------------------------------------


def file_report(at: AppTest, description: str) -> AppTest:
    at.radio(key="report_problem").set_value("wrong_phone")
    at.text_area(key="report_description").input(description)
    at.text_input(key="report_email").input("reader@example.org")
    at.button[-1].click().run()  # the form's "Send report"
    return at


def test_a_report_from_a_result_card_link_is_stored_verbatim(db_url):
    listing_id, name = first_listing()
    at = app("dashboard/web/pages/report.py", {"listing": listing_id})
    assert at.selectbox(key="report_listing").value == listing_id
    assert any("do not include any health information" in m.value for m in at.markdown)
    text_ = HOSTILE_TEXTS[0] + "\n" + HOSTILE_TEXTS[1]
    file_report(at, text_)
    assert not at.exception
    assert any("waiting for a reviewer" in s.value for s in at.success)
    [stored] = Store(db_url).list()
    assert (stored.listing_id, stored.problem, stored.description) == (listing_id, "wrong_phone", text_)
    assert stored.contact_email == "reader@example.org"


def test_a_report_over_the_limit_or_incomplete_gets_messages_and_keeps_the_text(sqlite_url):
    at = app("dashboard/web/pages/report.py")
    at.text_area(key="report_description").input("no listing chosen")
    at.button[-1].click().run()
    errors = " ".join(e.value for e in at.error)
    assert "Choose the listing" in errors and "Choose what is wrong" in errors
    assert at.text_area(key="report_description").value == "no listing chosen"
    assert not Store(sqlite_url).exists or Store(sqlite_url).list() == []


def test_the_honeypot_stores_nothing(sqlite_url):
    listing_id, _ = first_listing()
    at = app("dashboard/web/pages/report.py", {"listing": listing_id})
    at.text_input(key="website_confirm").input("http://spam.example")
    file_report(at, "buy pills")
    assert any("waiting for a reviewer" in s.value for s in at.success)  # a robot learns nothing
    assert not Store(sqlite_url).exists or Store(sqlite_url).list() == []


def test_a_database_that_is_down_gives_a_plain_message_and_keeps_what_was_typed(monkeypatch):
    monkeypatch.setenv("CLINIC_FINDER_DATABASE_URL", DOWN_URL)
    listing_id, _ = first_listing()
    at = app("dashboard/web/pages/report.py", {"listing": listing_id})
    file_report(at, "Please keep this text")
    assert not at.exception
    assert any("Nothing you typed has been lost" in e.value for e in at.error)
    assert at.text_area(key="report_description").value == "Please keep this text"
    assert at.radio(key="report_problem").value == "wrong_phone"
    assert at.selectbox(key="report_listing").value == listing_id


def test_the_session_rate_limit_stops_a_flood(sqlite_url):
    listing_id, _ = first_listing()
    at = app("dashboard/web/pages/report.py", {"listing": listing_id})
    for i in range(6):
        if i:
            at.button[0].click().run()  # "Report another problem"
        file_report(at, f"report {i}")
    assert any("wait about" in w.value for w in at.warning)
    assert at.text_area(key="report_description").value == "report 5"
    assert [r.description for r in Store(sqlite_url).list()] == [f"report {i}" for i in range(5)]


# --- add or update your clinic ------------------------------------------------------------------------


def test_an_update_starts_from_the_current_listing(sqlite_url):
    listing_id, name = first_listing()
    at = app("dashboard/web/pages/submit.py", {"listing": listing_id})
    assert at.selectbox(key="sub_listing").value == listing_id
    assert at.text_input(key="sub_name").value == name


def test_a_new_tucson_clinic_is_submitted_for_review(db_url):
    at = app("dashboard/web/pages/submit.py")
    for field in (
        "name",
        "street",
        "city",
        "zip",
        "phone",
        "website",
        "self_pay_price_usd",
        "price_note",
        "source_url",
        "email",
    ):
        at.text_input(key=f"sub_{field}").input(TUCSON_FORM[field])
    at.selectbox(key="sub_state").set_value("AZ")
    at.multiselect(key="sub_routes").set_value(TUCSON_FORM["routes"])
    at.multiselect(key="sub_conditions").set_value(TUCSON_FORM["conditions"])
    at.selectbox(key="sub_va_community_care").set_value("true")
    at.selectbox(key="sub_role").set_value("owner")
    at.button[-1].click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    [stored] = Store(db_url).list()
    assert stored.kind == "clinic" and stored.listing_id is None
    assert stored.source_url == TUCSON_FORM["source_url"]
    assert stored.listing_fields["city"] == "Tucson" and stored.listing_fields["va_community_care"] == "true"


def test_a_clinic_submission_without_a_public_source_is_refused_and_kept(sqlite_url):
    at = app("dashboard/web/pages/submit.py")
    at.text_input(key="sub_name").input("Somewhere Clinic")
    at.button[-1].click().run()
    errors = " ".join(e.value for e in at.error)
    assert "Public page of your clinic" in errors
    assert at.text_input(key="sub_name").value == "Somewhere Clinic"


# --- review -------------------------------------------------------------------------------------------


def reviewer_secrets() -> dict:
    return {"review": {"reviewers": {"rae": auth.hash_password(PASSWORD)}}}


def test_without_login_the_review_page_shows_nothing_but_the_login_form(db_url):
    marker = f"SECRET{uuid.uuid4().hex[:10]}"
    store = Store(db_url)
    checked = forms.check_report({"listing_id": "x", "problem": "other", "description": marker}, {"x"})
    store.add(checked.value)
    at = app("dashboard/web/pages/review.py", secrets=reviewer_secrets())
    drawn = all_text(at)
    assert marker not in drawn
    assert [t.label for t in at.text_input] == ["Reviewer name", "Password"]
    assert not at.get("download_button") and not at.dataframe and not at.text
    assert not [b for b in at.button if b.label in ("Accept", "Reject", "Mark resolved")]


def login(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[-1].click().run()
    return at


def test_five_wrong_passwords_lock_the_reviewer(sqlite_url):
    at = app("dashboard/web/pages/review.py", secrets=reviewer_secrets())
    for _ in range(4):
        login(at, "rae", "wrong")
        assert any(e.value == auth.WRONG for e in at.error)
    login(at, "rae", "wrong")
    assert any("locked for 15 more minutes" in e.value for e in at.error)
    login(at, "rae", PASSWORD)
    assert any("locked" in e.value for e in at.error)
    assert "reviewer" not in at.session_state


def test_a_logged_in_reviewer_sees_hostile_text_as_text_and_accepts(db_url):
    store = Store(db_url)
    payload = HOSTILE_TEXTS[0]
    report_id = store.add(
        forms.check_report({"listing_id": "x", "problem": "other", "description": payload}, {"x"}).value
    )
    clinic_id = store.add(
        forms.check_clinic({**TUCSON_FORM, "name": "Clinic <img src=x onerror=alert(1)>"}, set()).value
    )
    at = app("dashboard/web/pages/review.py", secrets=reviewer_secrets())
    login(at, "rae", PASSWORD)
    assert not at.exception and at.session_state["reviewer"] == "rae"
    assert payload in [t.value for t in at.text]  # st.text: shown as typed, never interpreted
    headers = [m.value for m in at.markdown if f"#{clinic_id}" in m.value]
    assert headers and "\\<img" in headers[0] and not re.search(r"(?<!\\)<", headers[0])  # every < escaped
    assert len(at.dataframe) == 1
    accept = [b for b in at.button if b.label == "Accept"][0]
    accept.click().run()
    assert not at.exception
    assert store.get(clinic_id).status == "accepted" and store.get(clinic_id).reviewer == "rae"
    resolve = [b for b in at.button if b.label == "Mark resolved"][0]
    resolve.click().run()
    assert store.get(report_id).status == "resolved"


# --- the finder and the database ----------------------------------------------------------------------


def test_the_finder_keeps_working_when_the_database_is_down(monkeypatch):
    monkeypatch.setenv("CLINIC_FINDER_DATABASE_URL", DOWN_URL)
    at = app()
    assert heading(at).startswith("Clinics anywhere in the directory — ")
    assert not at.error


def test_an_accepted_clinic_reaches_a_running_finder_without_a_restart(db_url, monkeypatch):
    monkeypatch.setenv("CLINIC_FINDER_DIRECTORY_REFRESH_SECONDS", "0")
    store = Store(db_url)
    number = store.add(forms.check_clinic(TUCSON_FORM, set()).value)
    at = app()
    at.text_input(key="near").input("85712").run()
    at.selectbox(key="radius").set_value(25).run()
    assert TUCSON_FORM["name"] not in " ".join(m.value for m in at.markdown)
    df, _ = load_clinics(ROOT / "data" / "clinics.csv")
    from dashboard.directory.clinics import record_to_row, table_records

    rv.accept(store, number, "r", directory={r["id"]: record_to_row(r) for r in table_records(df)})
    at.run()  # the same session, the next page update
    assert TUCSON_FORM["name"] in " ".join(m.value for m in at.markdown)
    assert "25 miles of Tucson, AZ 85712 — " in heading(at)


def test_a_full_questionnaire_writes_nothing_to_the_database(db_url):
    from tests.apptest import next_, open_intake

    marker = f"MARKER{uuid.uuid4().hex[:12]}"
    at = open_intake()
    at.text_input(key="ik:about.name").input(f"{marker}name").run()
    next_(at)
    at.multiselect(key="ik:reason.conditions").set_value(["depression", "chronic_pain"]).run()
    at.text_area(key="ik:reason.own_words").input(f"{marker}words").run()
    for _ in range(5):
        next_(at)
    assert len(at.get("download_button")) >= 3
    if db.sqlite_path(db.normalise_url(db_url)) is not None and not Store(db_url).exists:
        return  # the file was never even created
    engine = engine_for(db.normalise_url(db_url))
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.connect() as conn:
        for table in tables:
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
    assert select  # (imported for readers: nothing to select)
