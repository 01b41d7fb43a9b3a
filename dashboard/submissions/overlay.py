"""The served directory: the curated data file plus the accepted changes from the database.

Why an overlay and not rewriting the data file: the file in git is the curated, reviewable source that
``make run`` users must never see mutated, every replica may have its own copy of it, and a refresh
(``refresh-all``) may replace it at any time. Accepted changes live in the one shared database instead;
every replica applies them on top of whatever file it serves, validated row by row with
``clinics.validate_row`` (the rules of ``check-data``) — a change that no longer passes (say, after a
vocabulary change) is left out and logged, never served half-valid.

Freshness: ``Poller`` asks the database for its version (``max(id)`` of the changes: one index
look-up) at most every ``interval`` seconds (``CLINIC_FINDER_DIRECTORY_REFRESH_SECONDS``, default 15)
and re-reads the changes only when that number moved. Pages key their dataset cache on the version, so
an accepted change is served by every replica within ``interval`` seconds plus one page update — well
under a minute — without a restart. A database that is down keeps the last good overlay (or none) and
the finder goes on working.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard import config
from dashboard.directory.clinics import (
    LoadReport,
    load_clinics,
    parse_clinics,
    table_records,
    validate_row,
    write_clinics,
)
from dashboard.submissions import db
from dashboard.submissions.store import Change, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Overlay:
    """Accepted changes at one directory version (version 0: none)."""

    version: int = 0
    changes: tuple[Change, ...] = ()
    error: str | None = None  # why the database could not be read, when it could not


EMPTY = Overlay()


def read(store: Store) -> Overlay:
    """The current overlay, straight from the database (the command line uses this)."""
    if not store.exists:
        return EMPTY
    try:
        return Overlay(store.version(), tuple(store.changes()))
    except db.DatabaseUnavailableError as exc:
        return Overlay(error=str(exc))


@dataclass
class Applied:
    """What applying an overlay did: rows replaced or added, and changes left out with the reason."""

    replaced: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def apply(df: pd.DataFrame, report: LoadReport, changes: Iterable[Change]) -> tuple[pd.DataFrame, LoadReport, Applied]:
    """The curated table with each change's row in place of (or added to) its listing."""
    applied = Applied()
    changes = list(changes)
    if not changes or report.file_error:
        return df, report, applied
    records = {rec["id"]: rec for rec in table_records(df)}
    for change in changes:
        rec, problems = validate_row(change.row)
        if problems or rec["id"] != change.listing_id:
            reason = "; ".join(f"{c}: {r}" for c, r in problems) or "id does not match"
            applied.skipped.append((change.id, reason))
            log.warning("accepted change %s for %s left out: %s", change.id, change.listing_id, reason)
            continue
        (applied.replaced if change.listing_id in records else applied.added).append(change.listing_id)
        records[change.listing_id] = rec
    buf = io.StringIO()
    write_clinics(records.values(), buf)
    merged, merged_report = parse_clinics(buf.getvalue(), source=report.source)
    out = LoadReport(
        source=report.source,
        rows_read=report.rows_read + len(applied.added),
        rows_loaded=merged_report.rows_loaded,
        problems=list(report.problems),
    )
    return merged, out, applied


def load_served(path: str | Path, overlay: Overlay) -> tuple[pd.DataFrame, LoadReport]:
    """Load the curated file and apply ``overlay``: the directory as patients see it."""
    df, report = load_clinics(path)
    merged, merged_report, _ = apply(df, report, overlay.changes)
    return merged, merged_report


class Poller:
    """The overlay of one database, re-checked at most every ``interval`` seconds (thread-safe)."""

    def __init__(
        self, store: Store, interval: float | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.store = store
        self.interval = config.directory_refresh_seconds() if interval is None else interval
        self.clock = clock
        self.queries = 0  # version queries made (tests and benchmarks read it)
        self._overlay = EMPTY
        self._checked_at: float | None = None
        self._lock = threading.Lock()

    def current(self) -> Overlay:
        with self._lock:
            now = self.clock()
            if self._checked_at is not None and now - self._checked_at < self.interval:
                return self._overlay
            self._checked_at = now
            if not self.store.exists:
                self._overlay = EMPTY
                return self._overlay
            try:
                self.queries += 1
                version = self.store.version()
                if version != self._overlay.version or self._overlay.error:
                    self._overlay = Overlay(version, tuple(self.store.changes()))
            except db.DatabaseUnavailableError as exc:
                log.warning("directory changes not refreshed (database unavailable): %s", exc)
                self._overlay = Overlay(self._overlay.version, self._overlay.changes, error=str(exc))
            return self._overlay


_pollers: dict[str, Poller] = {}
_pollers_lock = threading.Lock()


def poller() -> Poller:
    """The process-wide poller for the configured database."""
    url = db.database_url()
    with _pollers_lock:
        if url not in _pollers:
            _pollers[url] = Poller(Store(url))
        return _pollers[url]
