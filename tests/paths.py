"""Where the tests find the project and their fixture files, named once so a test file can move between
folders without its paths changing meaning."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard"
FIXTURES = ROOT / "tests" / "fixtures"
INTAKE_FIXTURES = FIXTURES / "intake"
INGEST_FIXTURES = FIXTURES / "ingest"
UPSTREAM_FIXTURES = FIXTURES / "upstream"
