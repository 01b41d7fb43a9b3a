"""Alembic environment for the submissions schema.

The app runs migrations itself (``dashboard.submissions.db.upgrade``) with a connection passed in
``config.attributes``; ``alembic`` on the command line works too and reads CLINIC_FINDER_DATABASE_URL.
"""

from __future__ import annotations

from alembic import context

from dashboard.submissions import db
from dashboard.submissions.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        db.lock_for_migration(connection)
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = db.make_engine(db.database_url())
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    context.configure(url=db.database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
