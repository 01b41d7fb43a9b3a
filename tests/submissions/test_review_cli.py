"""``python -m dashboard review``: list/show/accept/reject on both engines; the Tucson flow end to end."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest

from dashboard.cli import main
from dashboard.submissions import forms
from dashboard.submissions.store import Store
from tests.helpers import run_dashboard
from tests.submissions.data import HOSTILE_TEXTS, TUCSON_FORM


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def add_report(store: Store, text: str) -> int:
    checked = forms.check_report({"listing_id": "x", "problem": "other", "description": text}, {"x"})
    return store.add(checked.value)


def test_list_json_prints_submitted_text_verbatim(db_url, capsys):
    store = Store(db_url)
    ids = [add_report(store, t) for t in HOSTILE_TEXTS]
    code, out, _ = run(capsys, "review", "list", "--format", "json")
    assert code == 0
    items = json.loads(out)
    assert [i["id"] for i in items] == ids
    assert [i["description"] for i in items] == list(HOSTILE_TEXTS)


def test_list_table_and_show_drop_terminal_escapes(db_url, capsys):
    store = Store(db_url)
    number = add_report(store, "fine")
    # Straight into the database, as if validation had been bypassed: output must still be safe.
    from sqlalchemy import update

    from dashboard.submissions import db
    from dashboard.submissions.models import Submission
    from dashboard.submissions.store import engine_for

    with engine_for(db.normalise_url(db_url)).begin() as conn:
        conn.execute(update(Submission).values(description="red \x1b[31m alert \x1b]0;title\x07"))
    code, out, _ = run(capsys, "review", "list")
    assert code == 0 and "\x1b" not in out and "\x07" not in out and str(number) in out
    code, out, _ = run(capsys, "review", "show", str(number))
    assert code == 0 and "\x1b" not in out and "alert" in out


def test_csv_neutralises_formulas(db_url, capsys):
    add_report(Store(db_url), '=HYPERLINK("https://evil.example","x")')
    code, out, _ = run(capsys, "review", "list", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["description"].startswith("'=HYPERLINK")


def test_accept_reject_and_plain_errors(db_url, capsys):
    store = Store(db_url)
    report = add_report(store, "closed since June")
    code, out, _ = run(capsys, "review", "accept", str(report), "--reviewer", "Rae", "--note", "confirmed by phone")
    assert code == 0 and "resolved" in out
    code, _, err = run(capsys, "review", "accept", str(report), "--reviewer", "Rae")
    assert code == 1 and "already resolved" in err and err.count("\n") == 1
    code, _, err = run(capsys, "review", "reject", "999", "--reason", "x")
    assert code == 2 and "no submission 999" in err
    other = add_report(store, "spam")
    code, out, _ = run(capsys, "review", "reject", str(other), "--reason", "not about a listing")
    assert code == 0
    code, out, _ = run(capsys, "review", "show", str(other), "--format", "json")
    assert json.loads(out)["review_note"] == "not about a listing"
    code, out, _ = run(capsys, "review", "list", "--status", "all", "--format", "json")
    assert {i["status"] for i in json.loads(out)} == {"resolved", "rejected"}


def test_a_database_that_is_down_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("CLINIC_FINDER_DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    code, _, err = run(capsys, "review", "list")
    assert code == 2 and "database is not available" in err and err.count("\n") == 1


def test_hash_password_reads_stdin(monkeypatch, capsys):
    from argon2 import PasswordHasher

    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
    code, out, _ = run(capsys, "review", "hash-password")
    assert code == 0 and PasswordHasher().verify(out.strip(), "a long enough password")
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert run(capsys, "review", "hash-password")[0] == 2


def _cli(*args: str, url: str):
    return run_dashboard(*args, env={"CLINIC_FINDER_DATABASE_URL": url})


def test_a_tucson_clinic_accepted_with_the_cli_is_found_by_search_near_85712(db_url):
    """The issue's flow: submit, `review accept`, `search --near 85712` (separate processes)."""
    store = Store(db_url)
    checked = forms.check_clinic(TUCSON_FORM, set())
    number = store.add(checked.value)
    before = _cli("search", "--near", "85712", "--format", "json", url=db_url)
    assert before.returncode == 0, before.stderr
    assert TUCSON_FORM["name"] not in before.stdout
    accepted = _cli("review", "accept", str(number), "--reviewer", "Test Reviewer", url=db_url)
    assert accepted.returncode == 0, accepted.stderr
    after = _cli("search", "--near", "85712", "--format", "json", url=db_url)
    assert after.returncode == 0, after.stderr
    found = {r["name"]: r for r in json.loads(after.stdout)}
    hit = found[TUCSON_FORM["name"]]
    assert hit["source_urls"] == [TUCSON_FORM["source_url"]]
    assert hit["distance_miles"] < 5 and hit["routes"] == ["iv_ketamine", "esketamine_nasal"]


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_search_keeps_working_when_the_database_is_down(fmt):
    result = _cli("search", "--near", "10017", "--format", fmt, url="postgresql://nobody@127.0.0.1:9/none")
    assert result.returncode == 0
    assert "searching the file only" in result.stderr
    assert "Ainsworth" in result.stdout or len(result.stdout) > 100
