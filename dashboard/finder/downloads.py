"""The results as a CSV download for a person: one row per listing shown, every cell formula-neutralised.

UTF-8 with a byte-order mark, from the app and the command line alike (``search_csv``: one writer, the
same bytes for the same search): the file is for a person, who opens it in a spreadsheet, and Excel
reads UTF-8 without a BOM as a legacy code page, mangling accents and the "—" of "address not listed —
call to confirm". pandas and Python's ``utf-8-sig`` skip the mark; a program wanting data uses the
command line's JSON. Every cell goes through
``dashboard.text.neutralise_formula``: a spreadsheet shows it as text, never evaluates it.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from dashboard.finder.cards import (
    NOT_LISTED,
    Section,
    as_sections,
    fact_of,
    number_of,
    result_card_fields,
    result_sections,
    rows_of,
)
from dashboard.finder.criteria import SearchResult
from dashboard.places.gazetteer import Place
from dashboard.text import is_http_url, neutralise_formula

CSV_COLUMNS: tuple[str, ...] = (
    "name",
    "listing type",
    "distance (miles, straight line)",
    "address",
    "city",
    "state",
    "zip",
    "location precision",
    "phone",
    "website",
    "routes",
    "conditions",
    "accepts insurance",
    "VA community care",
    "self-pay price (USD)",
    "price note",
    "study id",
    "directions",
    "source URLs",
    "source date",
    "compiled on",
    "tier",  # why the row is listed: its tier, what it does not state, a note
    "does not state",
    "note",
)


def _yes_no(value: bool | None) -> str:
    return NOT_LISTED if value is None else ("yes" if value else "no")


def _csv_cells(row: Mapping[str, Any], origin: Place | None, tier: str, missing: list[str], note: str) -> list[str]:
    f = result_card_fields(row, origin)
    price = number_of(row.get("self_pay_price_usd"))
    return [
        f["name"],
        f["kind_label"],
        f"{f['distance_miles']:.1f}" if f["distance_miles"] is not None else "",
        f["address"],
        f["city"],
        f["state"],
        f["zip"],
        f["precision_label"],
        f["phone"] or f["phone_text"],
        f["website"] or "",
        "; ".join(f["routes"]),
        "; ".join(f["conditions"]),
        _yes_no(fact_of(row.get("accepts_insurance"))),
        _yes_no(fact_of(row.get("va_community_care"))),
        f"{price:g}" if price is not None else NOT_LISTED,
        f["price_note"],
        f["study_id"],
        f["directions_url"],
        " ".join(f["source_urls"]),
        f["source_date"],
        f["compiled_on"],
        tier,
        "; ".join(missing),
        note,
    ]


def results_csv(
    results: pd.DataFrame | Iterable[Mapping[str, Any]] | list[Section],
    origin: Place | None = None,
    *,
    bom: bool = True,
    explanation: str | None = None,
) -> bytes:
    """The results as a CSV for a person (columns ``CSV_COLUMNS``), every cell formula-neutralised.

    ``results``: rows, or ``result_sections(...)`` (each row then carries its tier, what it does not state,
    and a note saying why it is listed: the explanation of an empty search for the nearest matches beyond
    the radius). ``origin``: the searched place, the start of every directions link.
    ``explanation``: the empty-search explanation; with no rows at all it is the one row of the file.
    """
    sections = as_sections(results)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise_formula(c) for c in CSV_COLUMNS])
    written = 0
    for section in sections:
        for i, row in enumerate(rows_of(section.rows)):
            missing = section.missing[i] if section.missing else []
            cells = _csv_cells(row, origin, section.tier, missing, section.note)
            writer.writerow([neutralise_formula(c) for c in cells])
            written += 1
    if not written and explanation:
        writer.writerow([neutralise_formula(c) for c in [""] * (len(CSV_COLUMNS) - 1) + [explanation]])
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def search_csv(result: SearchResult) -> bytes:
    """A search's CSV, tiers and empty-search explanation included: what the app's download and
    ``python -m dashboard search --format csv`` both write."""
    return results_csv(result_sections(result), result.criteria.place, explanation=result.empty_reason)


# ----------------------------------------------------------------------------------------------- spreadsheet

# How the spreadsheet types the CSV's columns (by header); every other cell is text.
XLSX_NUMBER_COLUMNS: frozenset[str] = frozenset({"distance (miles, straight line)", "self-pay price (USD)"})
XLSX_LINK_COLUMNS: frozenset[str] = frozenset({"website", "directions"})
XLSX_URLS_COLUMN = "source URLs"  # several URLs in one CSV cell: one column each in the spreadsheet
XLSX_URL_PREFIX = "source_url_"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(cell: str) -> str:
    """A CSV cell without the apostrophe the CSV puts before formula-like text: a spreadsheet cell written
    as text is never evaluated, so it needs none."""
    return cell[1:] if cell.startswith("'") and neutralise_formula(cell[1:]) == cell else cell


def _number(cell: str) -> float | None:
    """A number cell of the CSV ("650", "12.3") as a number; "not listed" or empty as a blank cell."""
    try:
        number = float(cell.replace(",", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


Cell = tuple[str | float | None, bool]  # (value, is a link)


def _typed_cells(header: list[str], row: list[str], url_count: int) -> list[Cell]:
    """One CSV row as spreadsheet cells: numbers where the CSV has amounts, each source URL in its own cell."""
    cells: list[Cell] = []
    for name, raw in zip(header, row, strict=False):
        if name == XLSX_URLS_COLUMN:
            urls = raw.split()
            cells += [(u, is_http_url(u)) for u in urls] + [(None, False)] * (url_count - len(urls))
        elif name in XLSX_NUMBER_COLUMNS:
            cells.append((_number(raw), False))
        else:
            text = _plain(raw)
            cells.append((text or None, name in XLSX_LINK_COLUMNS and is_http_url(text)))
    return cells


def spreadsheet_from_csv(data: bytes) -> bytes:
    """The CSV download (``results_csv``'s bytes) as an .xlsx workbook with the same rows and columns.

    Built from the CSV itself so the two files can never disagree, whatever columns the CSV has. Spreadsheet
    programs read a CSV's ZIP "02906" as the number 2906 and a price column of numbers and "not listed" as
    text; here ZIPs and every other cell are text cells (never formulas), prices and distances are numbers
    (blank when not listed), and the source URLs are one clickable column each.
    """
    # Imported here: most visitors never ask for a spreadsheet, and every finder run imports this module.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = ([_plain(h) for h in rows[0]], rows[1:]) if rows else (list(CSV_COLUMNS), [])
    url_at = header.index(XLSX_URLS_COLUMN) if XLSX_URLS_COLUMN in header else None
    url_count = max((len(r[url_at].split()) for r in body if url_at is not None and url_at < len(r)), default=0)
    out_header = list(header)
    if url_at is not None:
        out_header[url_at : url_at + 1] = [f"{XLSX_URL_PREFIX}{n}" for n in range(1, max(url_count, 1) + 1)]
    wb = Workbook()
    wb.properties.creator = "Ketamine Clinic Finder"
    ws = wb.active
    ws.title = "Clinics"
    widths = [len(h) for h in out_header]
    for c, name in enumerate(out_header, start=1):
        ws.cell(row=1, column=c, value=name).font = Font(bold=True)
    for r, row in enumerate(body, start=2):
        for c, (value, link) in enumerate(_typed_cells(header, row, max(url_count, 1)), start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text even when it starts with "=": a spreadsheet never evaluates it
                cell.number_format = "@"
                widths[c - 1] = max(widths[c - 1], len(value))
            if link:
                cell.hyperlink = value
                cell.style = "Hyperlink"
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(width, 8), 50) + 2
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def results_xlsx(
    results: pd.DataFrame | Iterable[Mapping[str, Any]] | list[Section],
    origin: Place | None = None,
    *,
    explanation: str | None = None,
) -> bytes:
    """The results as an .xlsx workbook: the rows of ``results_csv`` for the same arguments, typed."""
    return spreadsheet_from_csv(results_csv(results, origin, bom=False, explanation=explanation))


def search_xlsx(result: SearchResult) -> bytes:
    """A search's spreadsheet: the rows of ``search_csv``, typed."""
    return spreadsheet_from_csv(search_csv(result))
