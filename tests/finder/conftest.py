"""The small clinics fixture (tests/fixtures/clinics_small.csv) parsed once per test module, for the
finder's tests that search, describe and print it."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.directory.clinics import parse_clinics
from tests.paths import FIXTURES


@pytest.fixture(scope="module")
def small_clinics() -> pd.DataFrame:
    frame, report = parse_clinics((FIXTURES / "clinics_small.csv").read_text(encoding="utf-8"))
    assert report.ok, report.problems[:5]
    return frame
