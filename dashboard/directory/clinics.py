"""Clinic dataset: schema, loading and validation.

A malformed row must never take the good rows down with it, so the loader reads the CSV itself
(row by row, as text) and returns the valid rows plus a ``LoadReport`` of every rejected row with the
column and reason. Nothing here fills in a missing fact: an empty cell stays empty ("not listed").
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from dashboard import vocab
from dashboard.states import US_STATES, in_us
from dashboard.text import is_http_url, is_missing

# Column order of data/clinics.csv. Required columns must be present in the header.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "street",
    "city",
    "state",
    "zip",
    "lat",
    "lon",
    "location_precision",
    "phone",
    "website",
    "routes",
    "conditions",
    "ketamine_assisted_psychotherapy",
    "accepts_insurance",
    "self_pay_price_usd",
    "price_note",
    "va_community_care",
    "source_urls",
    "source_kind",
    "source_date",
    "compiled_on",
)
# Optional columns: a deployment's own dataset may leave them out; defaults are stated, never guessed facts.
OPTIONAL_COLUMNS: dict[str, str] = {
    "state_from_city": "",  # "true" when the source named the city but not its state (taken from the city)
    "listing_kind": "clinic",  # clinic | research_study
    "study_id": "",  # NCT number for research-study sites
    "status": "",  # "" (current) | not_in_latest_source
    "last_seen": "",  # date a refresh last saw the listing in its source
    "provenance": "",  # JSON: field -> {"source": url, "retrieved": date}
}
COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + tuple(OPTIONAL_COLUMNS)

BOOL_COLUMNS: tuple[str, ...] = ("ketamine_assisted_psychotherapy", "accepts_insurance", "va_community_care")
LIST_SEPARATOR = ";"
MAX_FILE_BYTES = 50 * 1024 * 1024

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")
_ZIP_RE = re.compile(r"^\d{5}$")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class RowProblem:
    """Why one row was rejected: ``row`` counts the header as row 1, as a spreadsheet does."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"


@dataclass
class LoadReport:
    """What happened when a dataset was loaded; ``file_error`` means nothing could be read at all."""

    source: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    file_error: str | None = None
    warnings: list[RowProblem] = field(default_factory=list)  # kept rows with something a reviewer should see

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.problems

    def summary(self) -> str:
        """One plain sentence for a page notice or the command line."""
        if self.file_error:
            return f"Could not read {self.source or 'the dataset'}: {self.file_error}"
        n = len(self.rejected_rows)
        if not n:
            return f"{self.rows_loaded} listings loaded; every row is valid."
        return (
            f"{self.rows_loaded} listings loaded; {n} row{'s' if n != 1 else ''} "
            f"rejected because of problems in the data."
        )


def split_list(cell: str) -> list[str]:
    """Split a ``;``-separated cell into trimmed, non-empty parts."""
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def join_list(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def _parse_bool(value: str) -> bool | None:
    v = value.strip().lower()
    if v in ("true", "yes", "1"):
        return True
    if v in ("false", "no", "0"):
        return False
    if v == "":
        return None
    raise ValueError(f"expected true, false or empty, got {value!r}")


def _parse_float(value: str, what: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{what} is not a number: {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{what} is not a finite number: {value!r}")
    return number


def validate_row(raw: Mapping[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Check one row of text cells; return the typed record and a list of (column, reason) problems."""
    problems: list[tuple[str, str]] = []
    rec: dict[str, Any] = {c: (raw.get(c) or "").strip() for c in COLUMNS}
    for col, default in OPTIONAL_COLUMNS.items():
        if not rec[col]:
            rec[col] = default

    if not _ID_RE.match(rec["id"]):
        problems.append(("id", "missing or not a lowercase slug (letters, digits, hyphens)"))
    if not rec["name"]:
        problems.append(("name", "missing name"))
    if not rec["city"]:
        problems.append(("city", "missing city"))
    if rec["state"].upper() not in US_STATES:
        problems.append(("state", f"not a US state or territory code: {rec['state']!r}"))
    rec["state"] = rec["state"].upper()
    if rec["zip"] and not _ZIP_RE.match(rec["zip"]):
        problems.append(("zip", f"not a 5-digit ZIP code: {rec['zip']!r}"))

    lat = lon = float("nan")
    for col in ("lat", "lon"):
        try:
            rec[col] = _parse_float(rec[col], col) if rec[col] else None
            if rec[col] is None:
                problems.append((col, f"missing {col}"))
        except ValueError as exc:
            rec[col] = None
            problems.append((col, str(exc)))
    if rec["lat"] is not None and rec["lon"] is not None:
        lat, lon = rec["lat"], rec["lon"]
        if not in_us(lat, lon):
            problems.append(("lat", f"coordinates {lat}, {lon} are outside the United States"))

    if rec["location_precision"] not in vocab.PRECISIONS:
        problems.append(
            ("location_precision", f"must be one of {', '.join(vocab.PRECISIONS)}, got {rec['location_precision']!r}")
        )
    if rec["listing_kind"] not in vocab.LISTING_KINDS:
        problems.append(("listing_kind", f"unknown listing kind {rec['listing_kind']!r}"))

    for col, known in (("routes", vocab.ROUTE_CODES), ("conditions", vocab.CONDITION_CODES)):
        codes = split_list(rec[col])
        unknown = [c for c in codes if c not in known]
        if unknown:
            problems.append((col, f"unknown code(s): {', '.join(unknown)}"))
        rec[col] = tuple(dict.fromkeys(codes))

    for col in (*BOOL_COLUMNS, "state_from_city"):
        try:
            rec[col] = _parse_bool(rec[col])
        except ValueError as exc:
            problems.append((col, str(exc)))
            rec[col] = None

    if rec["self_pay_price_usd"]:
        try:
            price = _parse_float(rec["self_pay_price_usd"], "price")
            if price < 0:
                raise ValueError("price is negative")
            rec["self_pay_price_usd"] = price
        except ValueError as exc:
            problems.append(("self_pay_price_usd", str(exc)))
            rec["self_pay_price_usd"] = None
    else:
        rec["self_pay_price_usd"] = None

    if rec["website"] and not is_http_url(rec["website"]):
        problems.append(("website", "website must be an http(s) address"))
    urls = list(dict.fromkeys(split_list(rec["source_urls"])))  # a repeat adds nothing (row_warnings says so)
    if not urls:
        problems.append(("source_urls", "missing source URL: every listing must trace to a public source"))
    elif not all(is_http_url(u) for u in urls):
        problems.append(("source_urls", "every source URL must be an http(s) address"))
    rec["source_urls"] = tuple(urls)

    for col in ("source_date", "compiled_on", "last_seen"):
        if rec[col] and not _DATE_RE.match(rec[col]):
            problems.append((col, f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {rec[col]!r}"))
    if rec["provenance"]:
        try:
            if not isinstance(json.loads(rec["provenance"]), dict):
                raise ValueError
        except ValueError:
            problems.append(("provenance", "not a JSON object"))
    return rec, problems


# A price note that speaks of the VA or its community care while the VA field is empty.
_VA_NOTE = re.compile(r"\bVA\b|\bveterans?'?\s+affairs\b|\bcommunity\s+care\b", re.IGNORECASE)


def _same_page(url: str) -> str:
    """A URL as a page: scheme, host case and a trailing slash do not make another source."""
    parts = urlsplit(url.strip())
    return f"{parts.hostname or ''}{parts.port or ''}{parts.path.rstrip('/')}?{parts.query}"


def row_warnings(raw_source_urls: str, rec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Slips in a valid row that a reviewer should look at; never a reason to drop a real listing.

    The same source cited twice, an encoded space in a source URL (usually a copy-paste slip; a page
    really stored at such an address keeps it), a price note about the VA beside an empty VA field."""
    out: list[tuple[str, str]] = []
    urls = split_list(raw_source_urls)
    pages = [_same_page(u) for u in urls]
    repeated = [u for i, u in enumerate(urls) if pages[i] in pages[:i]]
    if repeated:
        out.append(("source_urls", f"the same source is cited more than once: {', '.join(repeated)}"))
    spaced = [u for u in dict.fromkeys(urls) if "%20" in u]
    if spaced:
        out.append(("source_urls", f"encoded space (%20) in a source URL: {', '.join(spaced)}"))
    note = str(rec.get("price_note") or "")
    if rec.get("va_community_care") is None and _VA_NOTE.search(note):
        out.append(("va_community_care", "empty, but the price note mentions the VA or community care"))
    return out


def empty_table() -> pd.DataFrame:
    """A zero-row table with every column, so pages and searches work on an empty or broken dataset."""
    return _to_frame([])


def _to_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    df["lat"] = df["lat"].astype(float)
    df["lon"] = df["lon"].astype(float)
    df["self_pay_price_usd"] = df["self_pay_price_usd"].astype(float)
    for col in (*BOOL_COLUMNS, "state_from_city"):
        df[col] = df[col].astype("boolean")
    # One boolean column per code so that filtering is a vectorised mask, never a substring match.
    for t in vocab.ROUTES:
        df[f"route_{t.code}"] = [t.code in codes for codes in df["routes"]]
    for t in vocab.CONDITIONS:
        df[f"condition_{t.code}"] = [t.code in codes for codes in df["conditions"]]
    df["route_count"] = df["routes"].map(len).astype(int)
    df["condition_count"] = df["conditions"].map(len).astype(int)
    # Text as plain Python strings, columns consolidated into a few blocks: every search takes its rows
    # out of this table, and a take over 50 separately stored (Arrow) columns cost ~3 ms, 0.3 ms like
    # this. Missing text stays missing (NaN), so "not listed" stays distinguishable from an empty string.
    text = [c for c in df.columns if pd.api.types.is_string_dtype(df[c].dtype) and df[c].dtype != object]
    df = df.astype({c: object for c in text})
    return df.reset_index(drop=True).copy()


def parse_clinics(data: bytes | str, source: str = "") -> tuple[pd.DataFrame, LoadReport]:
    """Parse CSV content; bad rows go to the report, good rows to the table. Never raises on bad input."""
    report = LoadReport(source=source)
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            report.file_error = f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
            return empty_table(), report
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            report.file_error = f"the file is not UTF-8 text (byte {exc.start})"
            return empty_table(), report
    else:
        text = data.removeprefix("\ufeff")
    if "\x00" in text:
        report.file_error = "the file contains binary data (NUL bytes), not CSV text"
        return empty_table(), report
    if not text.strip():
        report.file_error = "the file is empty"
        return empty_table(), report

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except (csv.Error, StopIteration) as exc:
        report.file_error = f"the header line is not valid CSV ({exc})"
        return empty_table(), report
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        report.file_error = f"missing required column(s): {', '.join(missing)}"
        return empty_table(), report
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        report.file_error = f"repeated column name(s) in the header: {', '.join(dupes)}"
        return empty_table(), report

    records: list[dict[str, Any]] = []
    seen_ids: dict[str, int] = {}
    row_no = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            report.problems.append(RowProblem(row_no + 1, "(row)", f"malformed CSV: {exc}"))
            break
        row_no += 1
        if not any(c.strip() for c in cells):
            continue  # blank line
        report.rows_read += 1
        if len(cells) != len(header):
            report.problems.append(
                RowProblem(row_no, "(row)", f"has {len(cells)} fields, the header has {len(header)}")
            )
            continue
        rec, problems = validate_row(dict(zip(header, cells, strict=True)))
        if rec["id"] in seen_ids and _ID_RE.match(rec["id"]):
            problems.append(("id", f"duplicate id, first used on row {seen_ids[rec['id']]}"))
        if problems:
            report.problems.extend(RowProblem(row_no, col, reason) for col, reason in problems)
            continue
        seen_ids[rec["id"]] = row_no
        raw_urls = cells[header.index("source_urls")] if "source_urls" in header else ""
        report.warnings.extend(RowProblem(row_no, col, why) for col, why in row_warnings(raw_urls, rec))
        records.append(rec)
    report.rows_loaded = len(records)
    return _to_frame(records), report


def load_clinics(path: str | Path) -> tuple[pd.DataFrame, LoadReport]:
    """Load a clinics CSV file: the valid rows and a report of everything rejected."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report = LoadReport(source=str(path), file_error="the file is larger than 50 MB")
            return empty_table(), report
        data = path.read_bytes()
    except IsADirectoryError:
        return empty_table(), LoadReport(source=str(path), file_error="that path is a folder, not a file")
    except FileNotFoundError:
        return empty_table(), LoadReport(source=str(path), file_error="no such file")
    except OSError as exc:
        return empty_table(), LoadReport(source=str(path), file_error=exc.strerror or "cannot be opened")
    return parse_clinics(data, source=str(path))


def _cell(value: Any) -> str:
    if is_missing(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return join_list(value)
    if isinstance(value, float):
        return f"{value:g}" if value == int(value) and abs(value) < 1e15 else repr(value)
    return str(value)


def record_to_row(rec: Mapping[str, Any], columns: Iterable[str] = COLUMNS) -> dict[str, str]:
    """The text cells of one record, as they are written to the CSV."""
    return {c: _cell(rec.get(c)) for c in columns}


def write_clinics(records: Iterable[Mapping[str, Any]], out: io.TextIOBase | Path | str) -> None:
    """Write records in schema column order; used by every command that produces a dataset."""
    if isinstance(out, (str, Path)):
        with open(out, "w", newline="", encoding="utf-8") as fh:
            write_clinics(records, fh)
        return
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow(record_to_row(rec))


def row_dicts(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts, as ``to_dict("records")`` gives them (missing booleans as None), in one
    conversion per block: pandas boxes each cell on its own there (~10 ms for a page of 25 results,
    0.6 ms like this)."""
    columns = list(df.columns)
    return [
        dict(zip(columns, [None if v is pd.NA else v for v in values], strict=True))
        for values in df.to_numpy(dtype=object).tolist()
    ]


def table_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Schema columns of a loaded table as plain records (booleans/NaN turned back into None)."""
    return row_dicts(df[list(COLUMNS)])


def rows_by_id(df: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Each listing's text cells by id: what a submission form starts from and a reviewer compares with."""
    return {rec["id"]: record_to_row(rec) for rec in table_records(df)}
