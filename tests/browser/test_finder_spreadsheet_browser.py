"""In a real browser the finder's spreadsheet download is a workbook with the rows of its CSV download."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from dashboard.finder.downloads import spreadsheet_from_csv
from tests.browser.streamlit_waits import settled

pytestmark = pytest.mark.browser


def _download(page, name: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name=name).click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def _cells(data: bytes) -> list[list]:
    return [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows()]


def test_the_spreadsheet_download_has_the_csv_downloads_rows_with_zip_codes_as_text(page, app_url):
    page.goto(f"{app_url}/?near=02906&radius=50")
    settled(page)
    _, csv_bytes = _download(page, "Download results (CSV)")
    name, xlsx = _download(page, "Spreadsheet (.xlsx)")
    assert name == "ketamine-clinics.xlsx"
    got = _cells(xlsx)
    assert got == _cells(spreadsheet_from_csv(csv_bytes))
    assert len(got) == len(list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"), newline="")))) > 1
    zips = [row[got[0].index("zip")] for row in got[1:]]
    assert any(z and z.startswith("0") for z in zips)  # New England ZIPs keep their leading zero
