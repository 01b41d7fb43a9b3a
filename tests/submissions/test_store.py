"""Storage and review on both engines (SQLite and a real PostgreSQL): schema, verbatim text, accepting
with provenance, reports resolved, rate limits, the reviewer lockout, and concurrent writers."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import inspect

from dashboard.directory.clinics import COLUMNS, load_clinics, record_to_row, table_records
from dashboard.submissions import auth, db, forms, overlay
from dashboard.submissions import review as rv
from dashboard.submissions.limits import Limit, RateLimitedError
from dashboard.submissions.models import Base
from dashboard.submissions.store import NotPendingError, Store
from tests.bounds import SUBPROCESS_TIMEOUT_S
from tests.paths import ROOT
from tests.submissions.data import HOSTILE_TEXTS, TUCSON_FORM

CURATED = ROOT / "data" / "clinics.csv"


def directory(store: Store | None = None) -> dict[str, dict[str, str]]:
    ov = overlay.read(store) if store else overlay.EMPTY
    df, _ = overlay.load_served(CURATED, ov)
    return {rec["id"]: record_to_row(rec) for rec in table_records(df)}


def tucson(**change) -> forms.ClinicSubmission:
    checked = forms.check_clinic({**TUCSON_FORM, **change}, set(directory()))
    assert checked.ok, checked.errors
    return checked.value


def a_report(text: str = "The phone number is now 555-0100.", listing: str | None = None) -> forms.Report:
    listing = listing or next(iter(directory()))
    return forms.Report(listing_id=listing, problem="wrong_phone", description=text, email=None)


# --- schema -------------------------------------------------------------------------------------------


def test_alembic_upgrades_an_empty_database_to_exactly_the_models(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = db.make_engine(db.normalise_url(db_url))
    assert db.current_revision(engine) is None
    db.upgrade(engine)
    assert db.current_revision(engine) == "0001"
    db.upgrade(engine)  # idempotent
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    engine.dispose()


def test_downgrade_and_upgrade_again(db_url):
    from alembic import command

    engine = db.make_engine(db.normalise_url(db_url))
    db.upgrade(engine)
    with engine.connect() as conn:
        command.downgrade(db.alembic_config(conn), "base")
        conn.commit()
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(engine)
    assert {"submissions", "directory_changes", "rate_events", "reviewer_logins"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


def _draft_keys(value, out: set[str]) -> set[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            _draft_keys(v, out)
    elif isinstance(value, list):
        for v in value:
            _draft_keys(v, out)
    return out


def test_the_schema_has_no_place_for_questionnaire_answers(db_url):
    from dashboard.intake.draft import template

    engine = db.make_engine(db.normalise_url(db_url))
    db.upgrade(engine)
    columns = {
        (table, c["name"]) for table in inspect(engine).get_table_names() for c in inspect(engine).get_columns(table)
    }
    engine.dispose()
    expected = {
        ("alembic_version", "version_num"),
        *(
            ("submissions", c)
            for c in (
                "id",
                "kind",
                "status",
                "created_at",
                "listing_id",
                "problem",
                "description",
                "contact_email",
                "submitter_role",
                "source_url",
                "listing_fields",
                "reviewer",
                "reviewed_at",
                "review_note",
            )
        ),
        *(("directory_changes", c) for c in ("id", "listing_id", "row", "submission_id", "reviewer", "accepted_at")),
        *(("rate_events", c) for c in ("id", "bucket", "at")),
        *(("reviewer_logins", c) for c in ("reviewer", "failures", "last_failure_at", "locked_until")),
    }
    assert columns == expected  # a new column must be added here on purpose
    draft_fields = _draft_keys(json.loads(template()), set()) - {"schema_version", "id", "name"}
    assert draft_fields, "the questionnaire draft lists its fields"
    assert not draft_fields & {name for _, name in columns}


# --- submissions --------------------------------------------------------------------------------------


def test_reports_are_stored_verbatim_and_listed_oldest_first(db_url):
    store = Store(db_url)
    ids = [store.add(a_report(text)) for text in HOSTILE_TEXTS]
    listed = store.list()
    assert [r.id for r in listed] == ids
    assert [r.description for r in listed] == list(HOSTILE_TEXTS)
    assert all(r.kind == "report" and r.status == "pending" for r in listed)


def test_accepting_a_tucson_clinic_serves_it_with_provenance(db_url):
    store = Store(db_url)
    before = directory(store)
    number = store.add(tucson())
    assert store.version() == 0
    rec = rv.accept(store, number, "Test Reviewer", "checked the page", directory=before, today=date(2026, 11, 26))
    assert rec.status == "accepted" and rec.reviewer == "Test Reviewer"
    listing_id = rec.listing_id
    assert listing_id == "test-only-saguaro-ketamine-clinic-tucson-az" and listing_id not in before
    assert store.version() >= 1
    served = directory(store)
    row = served[listing_id]
    assert row["source_kind"] == "clinic_submission"
    assert row["source_urls"] == TUCSON_FORM["source_url"]
    assert row["compiled_on"] == "2026-11-26"
    provenance = json.loads(row["provenance"])
    assert provenance["phone"]["reviewer"] == "Test Reviewer"
    assert provenance["phone"]["source"] == TUCSON_FORM["source_url"]
    assert provenance["phone"]["submission"] == number
    assert len(served) == len(before) + 1

    from dashboard.finder.criteria import Criteria
    from dashboard.finder.search import search
    from dashboard.places.lookup import resolve

    df, _ = overlay.load_served(CURATED, overlay.read(store))
    found = search(df, Criteria(near="85712", place=resolve("85712"), radius_miles=25.0))
    assert listing_id in set(found.results["id"])


def test_the_data_file_is_never_written(db_url, tmp_path):
    data = tmp_path / "clinics.csv"
    data.write_bytes(CURATED.read_bytes())
    store = Store(db_url)
    number = store.add(tucson())
    rv.accept(store, number, "r", directory=directory(store))
    overlay.load_served(data, overlay.read(store))
    assert data.read_bytes() == CURATED.read_bytes()


def test_an_update_replaces_the_listing_and_keeps_its_id(db_url):
    store = Store(db_url)
    served = directory(store)
    listing_id, current = next(iter(served.items()))
    checked = forms.check_clinic(
        {
            **TUCSON_FORM,
            **{k: current[k] for k in ("name", "street", "city", "state", "zip")},
            "listing_id": listing_id,
            "phone": "(212) 555-0199",
        },
        set(served),
        current,
    )
    assert checked.ok, checked.errors
    number = store.add(checked.value)
    rv.accept(store, number, "r", directory=served)
    after = directory(store)
    assert len(after) == len(served)
    assert after[listing_id]["phone"] == "(212) 555-0199"
    assert after[listing_id]["lat"] == current["lat"]  # same place: the listed coordinates are kept


def test_accepting_a_report_resolves_it_and_changes_nothing_in_the_directory(db_url):
    store = Store(db_url)
    number = store.add(a_report())
    rec = rv.accept(store, number, "r", "fixed the phone in the curated file", directory=directory(store))
    assert (rec.status, rec.review_note) == ("resolved", "fixed the phone in the curated file")
    assert store.version() == 0


def test_reject_needs_a_reason_and_a_decision_is_final(db_url):
    store = Store(db_url)
    number = store.add(tucson())
    with pytest.raises(rv.ReviewError, match="reason"):
        rv.reject(store, number, "  ")
    assert rv.reject(store, number, "the page does not mention ketamine", "r").status == "rejected"
    with pytest.raises(rv.ReviewError, match="already rejected"):
        rv.accept(store, number, "r", directory=directory(store))
    with pytest.raises(NotPendingError):
        store.review(number, status="accepted", reviewer="r", note=None)
    assert store.version() == 0


# --- rate limits and the reviewer lockout -------------------------------------------------------------


def test_rate_limits_count_per_bucket_and_store_nothing_over_the_limit(db_url):
    store = Store(db_url)
    t0 = datetime(2026, 11, 26, 12, 0, 0)
    session = [("session:a", Limit(3, 600))]
    for i in range(3):
        store.add(a_report(f"r{i}"), session, now=t0 + timedelta(seconds=i))
    with pytest.raises(RateLimitedError) as caught:
        store.add(a_report("one too many"), session, now=t0 + timedelta(seconds=10))
    assert 580 <= caught.value.retry_after <= 601
    assert "wait" in caught.value.message()
    assert [r.description for r in store.list()] == ["r0", "r1", "r2"]
    store.add(a_report("other session"), [("session:b", Limit(3, 600))], now=t0 + timedelta(seconds=11))
    store.add(a_report("after the window"), session, now=t0 + timedelta(seconds=601))
    assert len(store.list()) == 5


def test_five_failed_logins_lock_a_reviewer_for_15_minutes_on_every_replica(db_url):
    reviewers = {"alice": auth.hash_password("correct horse battery")}
    replica_a, replica_b = Store(db_url), Store(db_url)
    t0 = datetime(2026, 11, 26, 12, 0, 0)
    for i in range(4):
        outcome = auth.login(replica_a if i % 2 else replica_b, reviewers, "alice", "wrong", now=t0)
        assert not outcome.ok and outcome.message == auth.WRONG
    fifth = auth.login(replica_a, reviewers, "alice", "wrong", now=t0)
    assert not fifth.ok and "locked for 15 more minutes" in fifth.message
    locked = auth.login(replica_b, reviewers, "alice", "correct horse battery", now=t0 + timedelta(minutes=14))
    assert not locked.ok and "locked" in locked.message
    later = auth.login(
        replica_b, reviewers, "alice", "correct horse battery", now=t0 + timedelta(minutes=15, seconds=1)
    )
    assert later.ok
    assert replica_a.login_state("alice").failures == 0


def test_unknown_reviewers_are_answered_like_wrong_passwords():
    from dashboard.submissions.store import Store as _Store  # noqa: F401  (no database needed for the message)

    assert auth.reviewers_from_secrets({"review": {"reviewers": {"bob": "plaintext"}}}) == {}
    assert auth.allowed_emails({"review": {"allowed_emails": ["A@Example.org "]}}) == {"a@example.org"}


def test_login_of_an_unknown_name_counts_and_never_succeeds(db_url):
    store = Store(db_url)
    outcome = auth.login(store, {}, "mallory", "anything")
    assert not outcome.ok and outcome.message == auth.WRONG
    assert store.login_state("mallory").failures == 1


# --- concurrency and failure --------------------------------------------------------------------------

WRITER = """
import sys
from dashboard.submissions import forms
from dashboard.submissions.store import Store, default_buckets
store = Store(sys.argv[1])
tag, n = sys.argv[2], int(sys.argv[3])
sys.stdout.write("ready\\n"); sys.stdout.flush(); sys.stdin.readline()
for i in range(n):
    checked = forms.check_report({"listing_id": "l", "problem": "other", "description": f"{tag}-{i}"}, {"l"})
    store.add(checked.value, default_buckets(f"{tag}-session-{i}", f"{tag}-client-{i}"))
print("done")
"""


def test_two_app_processes_submitting_concurrently_lose_nothing(db_url):
    Store(db_url).list()  # schema in place, as a running deployment has it
    n = 30
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, db_url, tag, str(n)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:  # release both at once
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        out, err = p.communicate(timeout=SUBPROCESS_TIMEOUT_S)
        assert p.returncode == 0, err
    texts = [r.description for r in Store(db_url).list()]
    assert sorted(texts) == sorted(f"{tag}-{i}" for tag in ("a", "b") for i in range(n))
    assert len({r.id for r in Store(db_url).list()}) == 2 * n


def test_two_processes_migrating_a_fresh_database_at_once_both_succeed(db_url):
    code = "import sys; from dashboard.submissions.store import Store; print(len(Store(sys.argv[1]).list()))"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, db_url], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    for p in procs:
        out, err = p.communicate(timeout=SUBPROCESS_TIMEOUT_S)
        assert (p.returncode, out.strip()) == (0, "0"), err


def test_a_database_that_is_down_is_one_plain_error():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    store = Store(f"postgresql://nobody@127.0.0.1:{port}/nothing")
    with pytest.raises(db.DatabaseUnavailableError) as caught:
        store.add(a_report())
    assert "\n" not in str(caught.value)
    assert overlay.read(store).error


def test_the_default_database_is_created_on_first_use_only(tmp_path, monkeypatch):
    path = tmp_path / "var" / "clinic_finder.sqlite3"
    monkeypatch.setenv("CLINIC_FINDER_DATABASE_URL", f"sqlite:///{path}")
    store = Store()
    assert overlay.read(store) == overlay.EMPTY and not path.exists()  # reading never creates it
    store.add(a_report())
    assert path.exists()


def test_default_url_is_a_file_under_var(monkeypatch):
    monkeypatch.delenv("CLINIC_FINDER_DATABASE_URL")
    assert db.database_url() == f"sqlite:///{ROOT / 'var' / 'clinic_finder.sqlite3'}"
    assert db.normalise_url("postgresql://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert "p@" not in db.redacted("postgresql+psycopg://u:secret@h/d")


def test_curated_columns_are_all_in_an_accepted_row(db_url):
    store = Store(db_url)
    number = store.add(tucson())
    rv.accept(store, number, "r", directory=directory(store))
    change = overlay.read(store).changes[0]
    assert set(change.row) == set(COLUMNS)
    df, report = load_clinics(CURATED)
    assert report.ok and change.listing_id not in set(df["id"])
