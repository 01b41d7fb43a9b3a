"""The served directory = curated file + accepted changes: validated like check-data, polled cheaply,
and still served when the database is down."""

from __future__ import annotations

import logging

from dashboard import config
from dashboard.directory.clinics import load_clinics, record_to_row, table_records
from dashboard.submissions import forms, overlay
from dashboard.submissions import review as rv
from dashboard.submissions.store import Change, Store
from tests.paths import ROOT
from tests.submissions.data import TUCSON_FORM

CURATED = ROOT / "data" / "clinics.csv"


def rows() -> dict[str, dict[str, str]]:
    df, _ = load_clinics(CURATED)
    return {rec["id"]: record_to_row(rec) for rec in table_records(df)}


def test_changes_replace_or_add_rows_and_invalid_ones_are_left_out(caplog):
    df, report = load_clinics(CURATED)
    current = rows()
    first_id = next(iter(current))
    changed = {**current[first_id], "phone": "(212) 555-0123"}
    new = {**current[first_id], "id": "brand-new-listing", "name": "Brand New"}
    broken = {**current[first_id], "id": "broken-listing", "source_urls": ""}
    changes = [
        Change(1, first_id, changed, 1, "r", ""),
        Change(2, "brand-new-listing", new, 2, "r", ""),
        Change(3, "broken-listing", broken, 3, "r", ""),
    ]
    with caplog.at_level(logging.WARNING):
        merged, merged_report, applied = overlay.apply(df, report, changes)
    assert applied.replaced == [first_id] and applied.added == ["brand-new-listing"]
    assert applied.skipped and applied.skipped[0][0] == 3 and "source_urls" in applied.skipped[0][1]
    assert "left out" in caplog.text
    assert len(merged) == len(df) + 1
    assert merged.set_index("id").loc[first_id, "phone"] == "(212) 555-0123"
    assert "broken-listing" not in set(merged["id"])
    assert merged_report.rows_loaded == len(df) + 1 and merged_report.ok
    # the merged table has every derived column the finder filters on
    assert list(merged.columns) == list(df.columns)


def test_no_changes_means_the_curated_table_untouched():
    df, report = load_clinics(CURATED)
    merged, merged_report, _ = overlay.apply(df, report, [])
    assert merged is df and merged_report is report


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_the_poller_asks_at_most_once_per_interval_and_sees_a_change_after_it(db_url):
    store = Store(db_url)
    clock = FakeClock()
    poller = overlay.Poller(store, interval=15, clock=clock)
    store.list()  # the database exists
    assert poller.current().version == 0 and poller.queries == 1
    number = store.add(forms.check_clinic(TUCSON_FORM, set()).value)
    rv.accept(store, number, "r", directory=rows())
    clock.t += 14.9
    assert poller.current().version == 0 and poller.queries == 1  # cached: no query within the interval
    clock.t += 0.2
    fresh = poller.current()
    assert fresh.version >= 1 and poller.queries == 2
    assert [c.listing_id for c in fresh.changes] == ["test-only-saguaro-ketamine-clinic-tucson-az"]


def test_a_database_that_goes_down_keeps_the_last_good_overlay(db_url, monkeypatch):
    from dashboard.submissions import db

    store = Store(db_url)
    number = store.add(forms.check_clinic(TUCSON_FORM, set()).value)
    rv.accept(store, number, "r", directory=rows())
    clock = FakeClock()
    poller = overlay.Poller(store, interval=15, clock=clock)
    good = poller.current()
    assert good.version >= 1 and good.changes

    def down(*_a, **_k):
        raise db.DatabaseUnavailableError("OperationalError: connection refused")

    monkeypatch.setattr(Store, "version", down)
    clock.t += 60
    kept = poller.current()
    assert kept.changes == good.changes and kept.version == good.version and kept.error


def test_a_missing_default_database_is_an_empty_overlay_and_is_not_created(tmp_path):
    path = tmp_path / "var" / "never.sqlite3"
    poller = overlay.Poller(Store(f"sqlite:///{path}"), interval=0)
    assert poller.current() == overlay.EMPTY
    assert not path.exists() and poller.queries == 0


def test_refresh_interval_setting(monkeypatch):
    monkeypatch.setenv(config.DIRECTORY_REFRESH_ENV, "2.5")
    assert config.directory_refresh_seconds() == 2.5
    assert overlay.Poller(None, interval=None).interval == 2.5  # the poller takes the setting
    monkeypatch.setenv(config.DIRECTORY_REFRESH_ENV, "soon")
    assert config.directory_refresh_seconds() == config.DEFAULT_DIRECTORY_REFRESH_SECONDS
    assert config.DEFAULT_DIRECTORY_REFRESH_SECONDS <= 30  # plus one page update, well within a minute
