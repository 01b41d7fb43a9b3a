"""Shared pytest configuration."""

from __future__ import annotations

import pytest

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
