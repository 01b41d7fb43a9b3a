"""The submission tables. Times are UTC without a zone (both engines store them the same way).

Nothing from the pre-visit questionnaire has a column here, on purpose: a test compares these columns
with every field of the questionnaire draft. The only free text a stranger can store is a report's
description (at most 1,000 characters) and the listing facts of a clinic submission.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

MAX_DESCRIPTION = 1000
MAX_EMAIL = 254
MAX_URL = 2000


class Base(DeclarativeBase):
    pass


class Submission(Base):
    """A report about a listing (kind ``report``) or a new/updated listing from a clinic (kind ``clinic``)."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime())
    # The listing a report is about, or the listing a clinic update replaces (None: a new listing).
    listing_id: Mapped[str | None] = mapped_column(String(200))
    problem: Mapped[str | None] = mapped_column(String(40))  # vocab.REPORT_PROBLEMS
    description: Mapped[str | None] = mapped_column(Text)
    contact_email: Mapped[str | None] = mapped_column(String(MAX_EMAIL))
    submitter_role: Mapped[str | None] = mapped_column(String(40))  # vocab.SUBMITTER_ROLES
    source_url: Mapped[str | None] = mapped_column(String(MAX_URL))
    # Listing facts as the dataset's text cells (clinics.record_to_row), for clinic submissions.
    listing_fields: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reviewer: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime())
    review_note: Mapped[str | None] = mapped_column(Text)


class DirectoryChange(Base):
    """One accepted clinic submission as a full dataset row. The newest change per listing is served;
    ``id`` only grows, so ``max(id)`` is the directory's version (cheap for every replica to poll)."""

    __tablename__ = "directory_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    listing_id: Mapped[str] = mapped_column(String(200), index=True)
    row: Mapped[dict[str, Any]] = mapped_column(JSON)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    reviewer: Mapped[str] = mapped_column(String(100))
    accepted_at: Mapped[datetime] = mapped_column(DateTime())


class RateEvent(Base):
    """One submission counted against a bucket (``session:…`` or ``client:<hash>``); purged after the window."""

    __tablename__ = "rate_events"
    __table_args__ = (Index("ix_rate_events_bucket_at", "bucket", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bucket: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime())


class ReviewerLogin(Base):
    """Failed reviewer logins, shared by every replica: 5 failures lock the name for 15 minutes."""

    __tablename__ = "reviewer_logins"

    reviewer: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime())
    locked_until: Mapped[datetime | None] = mapped_column(DateTime())
