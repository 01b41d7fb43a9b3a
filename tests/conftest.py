"""Shared test set-up: no network, no online geocoding, fresh Streamlit caches for every app test."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.db_fixtures import db_url, pg_database, postgres_server, sqlite_url  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent
os.environ["CLINIC_FINDER_ONLINE_GEOCODING"] = "0"
os.environ.pop("CLINIC_FINDER_DATA", None)
# Tests never touch the project's var/ database: each test process gets its own (created only if used).
_DB_DIR = tempfile.mkdtemp(prefix="kcf-test-db-")
atexit.register(shutil.rmtree, _DB_DIR, True)
os.environ["CLINIC_FINDER_DATABASE_URL"] = f"sqlite:///{_DB_DIR}/submissions.sqlite3"


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


# --- live-service tests (ingest, issue 5) -----------------------------------------------------------
# Tests marked ``live`` call real public services (FindTreatment.gov, ClinicalTrials.gov). They are
# skipped unless ``--live`` is given, and the report header says whether they ran. CI never passes it.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--live", action="store_true", default=False, help="also run tests that call real public services")


def pytest_report_header(config: pytest.Config) -> str:
    if config.getoption("--live"):
        return "live tests: ENABLED (--live): tests marked 'live' call real public services"
    return "live tests: not run (tests marked 'live' are skipped; opt in with --live)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--live"):
        return
    skip = pytest.mark.skip(reason="calls real public services; opt in with --live")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


# --- end of live-service block -------------------------------------------------------------------------
