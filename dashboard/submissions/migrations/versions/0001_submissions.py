"""Submissions, accepted directory changes, rate-limit events and reviewer login state.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("listing_id", sa.String(200), nullable=True),
        sa.Column("problem", sa.String(40), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("contact_email", sa.String(254), nullable=True),
        sa.Column("submitter_role", sa.String(40), nullable=True),
        sa.Column("source_url", sa.String(2000), nullable=True),
        sa.Column("listing_fields", sa.JSON(), nullable=True),
        sa.Column("reviewer", sa.String(100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
    )
    op.create_index("ix_submissions_status", "submissions", ["status"])
    op.create_table(
        "directory_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("listing_id", sa.String(200), nullable=False),
        sa.Column("row", sa.JSON(), nullable=False),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_directory_changes_listing_id", "directory_changes", ["listing_id"])
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("bucket", sa.String(80), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_rate_events_bucket_at", "rate_events", ["bucket", "at"])
    op.create_table(
        "reviewer_logins",
        sa.Column("reviewer", sa.String(100), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=True),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("reviewer_logins")
    op.drop_index("ix_rate_events_bucket_at", table_name="rate_events")
    op.drop_table("rate_events")
    op.drop_index("ix_directory_changes_listing_id", table_name="directory_changes")
    op.drop_table("directory_changes")
    op.drop_index("ix_submissions_status", table_name="submissions")
    op.drop_table("submissions")
