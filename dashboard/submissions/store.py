"""Reading and writing submissions, accepted directory changes, rate-limit events and reviewer logins.

Every method opens its own short transaction and turns any database failure into
``DatabaseUnavailableError`` with a one-line description, so pages can say "try again later" and keep what
the person typed. Engines are made once per process and URL.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, delete, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from dashboard.submissions import db
from dashboard.submissions.forms import ClinicSubmission, Report
from dashboard.submissions.limits import DEFAULT_POLICY, Limit, Policy, RateLimitedError
from dashboard.submissions.models import DirectoryChange, RateEvent, ReviewerLogin, Submission


def utcnow() -> datetime:
    """Naive UTC, as stored (both engines keep it the same way)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class SubmissionRecord:
    """One submission as plain data (what review list/show print and the review page shows)."""

    id: int
    kind: str
    status: str
    created_at: str
    listing_id: str | None
    problem: str | None
    description: str | None
    contact_email: str | None
    submitter_role: str | None
    source_url: str | None
    listing_fields: dict[str, str] | None
    reviewer: str | None
    reviewed_at: str | None
    review_note: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


def _record(row: Submission) -> SubmissionRecord:
    return SubmissionRecord(
        id=row.id,
        kind=row.kind,
        status=row.status,
        created_at=_iso(row.created_at) or "",
        listing_id=row.listing_id,
        problem=row.problem,
        description=row.description,
        contact_email=row.contact_email,
        submitter_role=row.submitter_role,
        source_url=row.source_url,
        listing_fields=dict(row.listing_fields) if row.listing_fields is not None else None,
        reviewer=row.reviewer,
        reviewed_at=_iso(row.reviewed_at),
        review_note=row.review_note,
    )


@dataclass(frozen=True)
class Change:
    """An accepted change: the full dataset row (text cells) served for ``listing_id``."""

    id: int
    listing_id: str
    row: dict[str, str]
    submission_id: int
    reviewer: str
    accepted_at: str


@dataclass(frozen=True)
class LoginState:
    failures: int
    locked_until: datetime | None


class NotPendingError(Exception):
    """The submission does not exist or was already reviewed."""


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def engine_for(url: str) -> Engine:
    with _engines_lock:
        if url not in _engines:
            _engines[url] = db.make_engine(url)
        return _engines[url]


def dispose_all() -> None:
    """Close every pooled connection (tests that stop a database server call this)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
    db._ready.clear()


class Store:
    """The submissions database at ``url`` (default: ``CLINIC_FINDER_DATABASE_URL`` or var/ SQLite)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = db.normalise_url(url) if url else db.database_url()

    @property
    def exists(self) -> bool:
        """False when the default SQLite file was never created (readers then have nothing to read)."""
        return db.exists(self.url)

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        try:
            engine = engine_for(self.url)
            db.ensure_schema(engine)
            with Session(engine, expire_on_commit=False) as session, session.begin():
                yield session
        except (SQLAlchemyError, OSError) as exc:
            raise db.DatabaseUnavailableError(db.describe(exc)) from exc

    # --- writing ----------------------------------------------------------------------------------------

    def add(
        self,
        item: Report | ClinicSubmission,
        buckets: Sequence[tuple[str, Limit]] = (),
        *,
        now: datetime | None = None,
    ) -> int:
        """Store a validated submission after counting it against each (bucket, limit); returns its id.

        Raises ``RateLimitedError`` (nothing stored) when any bucket is full.
        """
        now = now or utcnow()
        with self._tx() as s:
            for bucket, limit in sorted(buckets):
                self._lock(s, bucket)
                since = now - timedelta(seconds=limit.seconds)
                s.execute(delete(RateEvent).where(RateEvent.bucket == bucket, RateEvent.at < since))
                times = s.scalars(select(RateEvent.at).where(RateEvent.bucket == bucket).order_by(RateEvent.at)).all()
                if len(times) >= limit.count:
                    oldest = times[len(times) - limit.count]
                    raise RateLimitedError(max(1, int((oldest - since).total_seconds()) + 1))
            for bucket, _limit in buckets:
                s.add(RateEvent(bucket=bucket, at=now))
            row = _to_row(item, now)
            s.add(row)
            s.flush()
            return row.id

    @staticmethod
    def _lock(s: Session, key: str) -> None:
        """Serialise writers of one key on PostgreSQL (SQLite's IMMEDIATE transactions already do)."""
        if s.get_bind().dialect.name == "postgresql":
            number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": number})

    def review(
        self,
        submission_id: int,
        *,
        status: str,
        reviewer: str,
        note: str | None,
        change: tuple[str, dict[str, str]] | None = None,
        now: datetime | None = None,
    ) -> SubmissionRecord:
        """Close a pending submission; with ``change`` (listing id, row) also add it to the directory."""
        now = now or utcnow()
        with self._tx() as s:
            row = s.execute(
                select(Submission).where(Submission.id == submission_id).with_for_update()
            ).scalar_one_or_none()
            if row is None or row.status != "pending":
                raise NotPendingError(
                    f"submission {submission_id} does not exist"
                    if row is None
                    else f"submission {submission_id} was already {row.status}"
                )
            row.status, row.reviewer, row.reviewed_at, row.review_note = status, reviewer, now, note
            if change is not None:
                listing_id, cells = change
                if row.kind == "clinic" and row.listing_id is None:
                    row.listing_id = listing_id
                s.add(
                    DirectoryChange(
                        listing_id=listing_id, row=cells, submission_id=row.id, reviewer=reviewer, accepted_at=now
                    )
                )
            s.flush()
            return _record(row)

    # --- reading ----------------------------------------------------------------------------------------

    def list(self, status: str | None = "pending") -> list[SubmissionRecord]:
        """Submissions oldest first; ``status=None`` for all."""
        with self._tx() as s:
            query = select(Submission).order_by(Submission.id)
            if status is not None:
                query = query.where(Submission.status == status)
            return [_record(r) for r in s.scalars(query)]

    def get(self, submission_id: int) -> SubmissionRecord | None:
        with self._tx() as s:
            row = s.get(Submission, submission_id)
            return None if row is None else _record(row)

    def version(self) -> int:
        """The directory's version: the id of the newest accepted change (0 when there is none)."""
        with self._tx() as s:
            return int(s.scalar(select(func.coalesce(func.max(DirectoryChange.id), 0))) or 0)

    def changes(self) -> list[Change]:
        """The newest accepted change of every listing, in the order they were accepted."""
        with self._tx() as s:
            newest = select(func.max(DirectoryChange.id)).group_by(DirectoryChange.listing_id)
            rows = s.scalars(select(DirectoryChange).where(DirectoryChange.id.in_(newest)).order_by(DirectoryChange.id))
            return [
                Change(
                    id=r.id,
                    listing_id=r.listing_id,
                    row={str(k): str(v) for k, v in dict(r.row).items()},
                    submission_id=r.submission_id,
                    reviewer=r.reviewer,
                    accepted_at=_iso(r.accepted_at) or "",
                )
                for r in rows
            ]

    # --- reviewer logins --------------------------------------------------------------------------------

    def login_state(self, reviewer: str) -> LoginState:
        with self._tx() as s:
            row = s.get(ReviewerLogin, reviewer)
            return LoginState(0, None) if row is None else LoginState(row.failures, row.locked_until)

    def login_failed(
        self, reviewer: str, *, max_failures: int, lock_seconds: int, now: datetime | None = None
    ) -> LoginState:
        """Count a failed login; the ``max_failures``-th failure locks the name for ``lock_seconds``."""
        now = now or utcnow()
        with self._tx() as s:
            self._lock(s, "login:" + reviewer)
            row = s.get(ReviewerLogin, reviewer, with_for_update=True)
            if row is None:
                row = ReviewerLogin(reviewer=reviewer, failures=0)
                s.add(row)
            if row.locked_until is not None and row.locked_until <= now:
                row.failures, row.locked_until = 0, None  # an expired lock starts a fresh count
            row.failures += 1
            row.last_failure_at = now
            if row.failures >= max_failures and row.locked_until is None:
                row.locked_until = now + timedelta(seconds=lock_seconds)
            s.flush()
            return LoginState(row.failures, row.locked_until)

    def login_succeeded(self, reviewer: str) -> None:
        with self._tx() as s:
            s.execute(delete(ReviewerLogin).where(ReviewerLogin.reviewer == reviewer))


def _to_row(item: Report | ClinicSubmission, now: datetime) -> Submission:
    if isinstance(item, Report):
        return Submission(
            kind="report",
            status="pending",
            created_at=now,
            listing_id=item.listing_id,
            problem=item.problem,
            description=item.description,
            contact_email=item.email,
        )
    return Submission(
        kind="clinic",
        status="pending",
        created_at=now,
        listing_id=item.listing_id,
        contact_email=item.email,
        submitter_role=item.role,
        source_url=item.source_url,
        listing_fields=dict(item.fields),
    )


def default_buckets(session_id: str | None, client: str | None, policy: Policy = DEFAULT_POLICY):
    """The (bucket, limit) pairs a page counts a submission against."""
    from dashboard.submissions.limits import bucket_for_client, bucket_for_session

    out: list[tuple[str, Limit]] = []
    if session_id:
        out.append((bucket_for_session(session_id), policy.per_session))
    if client:
        out.append((bucket_for_client(client), policy.per_client))
    return out
