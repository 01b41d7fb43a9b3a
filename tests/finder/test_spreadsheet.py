"""The spreadsheet download: the CSV's rows as an .xlsx that keeps ZIP codes, prices and links intact."""

from __future__ import annotations

import csv
import io
import math
import zipfile

import openpyxl
import pandas as pd
import pytest

from dashboard.cli import main as cli_main
from dashboard.config import DEFAULT_DATA
from dashboard.directory.clinics import load_clinics
from dashboard.finder.cards import NOT_LISTED, result_sections
from dashboard.finder.criteria import Criteria
from dashboard.finder.downloads import (
    XLSX_URL_PREFIX,
    XLSX_URLS_COLUMN,
    results_csv,
    results_xlsx,
    spreadsheet_from_csv,
)
from dashboard.finder.search import search
from dashboard.places.gazetteer import resolve_offline
from dashboard.text import neutralise_formula

PROVIDENCE = resolve_offline("02906")
PRICE = "self-pay price (USD)"
DISTANCE = "distance (miles, straight line)"


def sheet(data: bytes) -> list[list]:
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def everything():
    """Every listing of the bundled dataset, nearest to Providence first (prices, several URLs, no ZIP...)."""
    df, report = load_clinics(DEFAULT_DATA)
    assert report.ok
    return result_sections(search(df, Criteria("02906", PROVIDENCE, None)))


def test_the_spreadsheet_has_the_csvs_rows_and_columns_cell_for_cell(everything):
    table = csv_rows(results_csv(everything, PROVIDENCE))
    got = sheet(results_xlsx(everything, PROVIDENCE))
    header, urls_at = table[0], table[0].index(XLSX_URLS_COLUMN)
    width = max(len(r[urls_at].split()) for r in table[1:])
    assert width >= 2  # the data has listings citing several pages
    assert got[0] == [
        *header[:urls_at],
        *(f"{XLSX_URL_PREFIX}{n}" for n in range(1, width + 1)),
        *header[urls_at + 1 :],
    ]
    assert len(got) == len(table)
    for want, have in zip(table[1:], got[1:], strict=True):
        urls = have[urls_at : urls_at + width]
        have = [*have[:urls_at], " ".join(u for u in urls if u), *have[urls_at + width :]]
        for name, cell, value in zip(header, want, have, strict=True):
            if name in (PRICE, DISTANCE):
                assert value == (None if cell in ("", NOT_LISTED) else float(cell)), name
            else:  # the CSV's apostrophe before formula-like text is not needed in a text cell
                unneutralised = cell[1:] if cell.startswith("'") and neutralise_formula(cell[1:]) == cell else cell
                assert (value or "") == unneutralised, name


def test_zip_codes_stay_text_and_prices_are_numbers_for_spreadsheet_readers(everything):
    data = results_xlsx(everything, PROVIDENCE)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[1]]
    zips = [row[header.index("zip")] for row in ws.iter_rows(min_row=2)]
    leading_zero = [c for c in zips if c.value and c.value.startswith("0")]
    assert leading_zero, "the bundled data has New England ZIP codes"
    assert all(c.data_type == "s" and c.number_format == "@" for c in leading_zero)
    prices = [row[header.index(PRICE)].value for row in ws.iter_rows(min_row=2)]
    assert any(isinstance(p, (int, float)) for p in prices) and None in prices
    assert all(p is None or isinstance(p, (int, float)) for p in prices)
    # pandas "as stored" (dtype=object) keeps "02906" as text and reads prices as numbers, blanks as missing.
    frame = pd.read_excel(io.BytesIO(data), dtype=object)
    assert {z for z in frame["zip"].dropna() if str(z).startswith("0")} == {c.value for c in leading_zero}
    assert all(isinstance(z, str) for z in frame["zip"].dropna())
    assert all(isinstance(p, (int, float)) for p in frame[PRICE].dropna())
    # Read with type inference, the price column is numeric (no "not listed" text mixed in).
    assert pd.api.types.is_numeric_dtype(pd.read_excel(io.BytesIO(data))[PRICE])


def test_source_urls_are_one_clickable_column_each(everything):
    ws = openpyxl.load_workbook(io.BytesIO(results_xlsx(everything, PROVIDENCE))).active
    header = [c.value for c in ws[1]]
    url_columns = [i for i, h in enumerate(header) if h.startswith(XLSX_URL_PREFIX)]
    assert header[url_columns[0]] == f"{XLSX_URL_PREFIX}1"
    for row in ws.iter_rows(min_row=2):
        assert row[url_columns[0]].value, "every listing cites a source"
        for i in url_columns:
            cell = row[i]
            assert (cell.hyperlink.target if cell.hyperlink else None) == cell.value
        website = row[header.index("website")]
        if website.value:
            assert website.hyperlink.target == website.value


def test_formula_like_text_is_a_text_cell_never_a_formula():
    rows = [
        {"name": '=HYPERLINK("https://evil.example","click")', "city": "@SUM(1+1)", "state": "RI", "zip": "02906",
         "phone": "+1 401 555 0100", "source_urls": ("https://a.example/page",)}
    ]  # fmt: skip
    data = results_xlsx(rows)
    (_, row) = sheet(data)
    assert row[0] == '=HYPERLINK("https://evil.example","click")' and row[4] == "@SUM(1+1)"
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_an_empty_search_has_the_same_explanation_row_as_the_csv():
    explanation = "No listing anywhere matches these filters."
    assert sheet(results_xlsx([], explanation=explanation))[1][-1] == explanation
    assert csv_rows(results_csv([], explanation=explanation))[1][-1] == explanation


def test_a_not_listed_price_is_a_blank_cell():
    row = {"name": "A", "city": "Providence", "state": "RI", "self_pay_price_usd": math.nan, "source_urls": ()}
    priced = {**row, "name": "B", "self_pay_price_usd": 450.0}
    table = csv_rows(results_csv([row, priced]))
    at = table[0].index(PRICE)
    assert [r[at] for r in table[1:]] == [NOT_LISTED, "450"]
    assert [r[at] for r in sheet(spreadsheet_from_csv(results_csv([row, priced])))[1:]] == [None, 450]


def test_the_command_line_writes_the_same_rows_as_its_csv(tmp_path, capsys):
    args = ["search", "--near", "02906", "--radius", "100"]
    assert cli_main([*args, "--format", "csv", "--output", str(tmp_path / "r.csv")]) == 0
    assert cli_main([*args, "--format", "xlsx", "--output", str(tmp_path / "r.xlsx")]) == 0
    csv_bytes = (tmp_path / "r.csv").read_bytes()
    assert sheet((tmp_path / "r.xlsx").read_bytes()) == sheet(spreadsheet_from_csv(csv_bytes))
    assert len(sheet((tmp_path / "r.xlsx").read_bytes())) == len(csv_rows(csv_bytes)) > 1
    capsys.readouterr()


def test_the_command_line_asks_for_a_file_for_a_spreadsheet(capsys):
    assert cli_main(["search", "--near", "02906", "--format", "xlsx"]) == 2
    assert "--format xlsx needs --output FILE" in capsys.readouterr().err
