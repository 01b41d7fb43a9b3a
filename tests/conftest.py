"""Shared test set-up: no network, no online geocoding, fresh Streamlit caches for every app test, no
timing assertions (the suite runs on small shared machines; speed is measured in bench/), and no process
left behind when the session ends (tests/leftovers.py)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.db_fixtures import db_url, pg_database, postgres_server, sqlite_url  # noqa: F401 (fixtures)
from tests.leftovers import pytest_configure, pytest_sessionfinish  # noqa: F401 (hooks)
from tests.paths import ROOT

os.environ["CLINIC_FINDER_ONLINE_GEOCODING"] = "0"
os.environ.pop("CLINIC_FINDER_DATA", None)
# Tests never touch the project's var/ database: each test process gets its own (created only if used).
_DB_DIR = tempfile.mkdtemp(prefix="kcf-test-db-")
atexit.register(shutil.rmtree, _DB_DIR, True)
os.environ["CLINIC_FINDER_DATABASE_URL"] = f"sqlite:///{_DB_DIR}/submissions.sqlite3"


# Property tests check correctness, not speed: no per-example deadline, no "generation too slow" check
# (both measure wall-clock time, which a busy machine stretches). Tests' own @settings inherit this.
settings.register_profile("no-timing", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("no-timing")


@pytest.fixture
def clear_streamlit_caches():
    """st.cache_data survives from one AppTest to the next in a process; start each test clean."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def project_root() -> Path:
    return ROOT


# --- live-service tests (ingest) --------------------------------------------------------------------
# Tests marked ``live`` call real public services (FindTreatment.gov, ClinicalTrials.gov). They are
# skipped unless ``--live`` is given, and the report header says whether they ran. CI never passes it.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--live", action="store_true", default=False, help="also run tests that call real public services")


def _order_note(config: pytest.Config) -> str | None:
    """How this run ordered the tests (pytest-randomly), with the command that replays the order."""
    seed = getattr(config.option, "randomly_seed", None)
    if not isinstance(seed, int):
        return None
    if not getattr(config.option, "randomly_reorganize", True):
        return f"test order: as written (random seed {seed})"
    return f"test order: random, seed {seed} (replay: pytest -p randomly --randomly-seed={seed})"


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """Repeat the order seed at the end (also under -q, which hides the header): a failure that depends
    on the order is only reproducible with it."""
    note = _order_note(config)
    if note:
        terminalreporter.write_line(note)


def pytest_report_header(config: pytest.Config) -> str:
    if config.getoption("--live"):
        return "live tests: ENABLED (--live): tests marked 'live' call real public services"
    return "live tests: not run (tests marked 'live' are skipped; opt in with --live)"


SERVER_FIXTURES = {"postgres_server", "pg_database", "toy_server"}  # fixtures that start a server process


def _starts_a_server(item: pytest.Item) -> bool:
    params = getattr(getattr(item, "callspec", None), "params", {})
    return bool(SERVER_FIXTURES & set(getattr(item, "fixturenames", ()))) or params.get("db_url") == "postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:  # so `make test-fast` (-m "not browser and not servers") can leave them out
        if _starts_a_server(item):
            item.add_marker(pytest.mark.servers)
    if config.getoption("--live"):
        return
    skip = pytest.mark.skip(reason="calls real public services; opt in with --live")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


# --- end of live-service block -------------------------------------------------------------------------
