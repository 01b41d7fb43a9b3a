"""Which database holds the submissions, and how to talk to it safely from several processes.

``CLINIC_FINDER_DATABASE_URL`` picks it. By default an SQLite file under ``var/`` is created on first
use, so ``make run`` needs nothing else; deployments with several replicas point every replica at one
PostgreSQL (``postgresql://user:pass@host/db``, driven by psycopg 3).

Why the connection set-up looks the way it does:

* SQLite: WAL journal (readers never block the writer), a 30 s busy timeout, and every transaction
  opened with ``BEGIN IMMEDIATE`` so two processes that read-then-write (a rate-limit check followed by
  an insert) queue up instead of failing with "database is locked".
* PostgreSQL: a short connect timeout, so a database that is down gives a plain message quickly
  instead of a hanging page.
* The schema is brought to the newest Alembic revision once per process, under a lock (an advisory
  lock on PostgreSQL, the IMMEDIATE transaction on SQLite), so replicas starting together do not race.
"""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from dashboard import config
from dashboard.config import PROJECT_ROOT

DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "clinic_finder.sqlite3"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
CONNECT_TIMEOUT_SECONDS = 5
# Any constant shared by all replicas: the key of the advisory lock held while migrating PostgreSQL.
MIGRATION_LOCK_KEY = 720_412_001


class DatabaseUnavailableError(Exception):
    """The database cannot be reached or used right now; the message is safe to show to a person."""


def database_url() -> str:
    """The configured URL, with ``postgresql://`` mapped to the psycopg 3 driver."""
    raw = config.database_url_setting()
    if not raw:
        return f"sqlite:///{DEFAULT_SQLITE_PATH}"
    return normalise_url(raw)


def normalise_url(raw: str) -> str:
    """``postgres://`` and ``postgresql://`` use psycopg 3 (SQLAlchemy would otherwise pick psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for in-memory or other engines)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def exists(url: str) -> bool:
    """False only for an SQLite file that was never created (nothing has been submitted yet)."""
    path = sqlite_path(url)
    return path is None or path.exists()


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_engine(url: str) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # the driver must not open transactions itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (see the module docstring for what is set and why)."""
    if is_sqlite(url):
        return _sqlite_engine(url)
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS} if url.startswith("postgresql") else {}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def alembic_config(connection=None):
    """An Alembic configuration for the migrations shipped in this package (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent; safe when several processes do it at once)."""
    from alembic import command

    with engine.connect() as connection:
        command.upgrade(alembic_config(connection), "head")
        connection.commit()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def lock_for_migration(connection) -> None:
    """Called by the migration environment inside its transaction: one migrating process at a time."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})


_ready: set[str] = set()
_ready_lock = threading.Lock()


def ensure_schema(engine: Engine) -> None:
    """Run the migrations once per process and URL."""
    key = engine.url.render_as_string(hide_password=False)
    if key in _ready:
        return
    with _ready_lock:
        if key in _ready:
            return
        try:
            upgrade(engine)
        except (SQLAlchemyError, OSError) as exc:
            raise DatabaseUnavailableError(describe(exc)) from exc
        _ready.add(key)


def describe(exc: BaseException) -> str:
    """A one-line, password-free description of a database failure (for logs and the command line)."""
    text_ = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{exc.__class__.__name__}: {text_[0] if text_ else 'no details'}"
