"""Any CSV a community or health department maintains, read through a column mapping file.

The mapping file is JSON or TOML (by extension). Every key is optional; without a mapping file the CSV
must already use the project's column names::

    source_kind = "directory"                       # our source_kind for these rows
    source_url = "https://example.org/list.csv"     # cited when a row has no source URL of its own
    list_separator = ";"                            # separator inside their routes/conditions cells
    coordinate_precision = "street"                 # trust their lat/lon columns at this precision
                                                    # (street | zip | city); omit to ignore their lat/lon

    [columns]                                       # our column = their column
    name = "Facility Name"
    street = "Address"

    [values.routes]                                 # their value = our code ("" = ignore the value)
    "IV Ketamine" = "iv_ketamine"

    [values.conditions]
    "Depression" = "depression"

Values are matched case-insensitively; a value that is already a vocabulary code needs no entry. A row
with a route or condition value that maps to nothing is rejected with the value named, so the mapping
can be fixed instead of a fact being dropped quietly.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dashboard import vocab
from dashboard.directory.clinics import BOOL_COLUMNS, COLUMNS
from dashboard.ingest import http
from dashboard.ingest.base import (
    SOURCE_POINT,
    ParseResult,
    RawPages,
    Rejected,
    float_of,
    listing_id,
    state_code,
    text_of,
    website_of,
    zip5,
)
from dashboard.text import is_http_url

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "x"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})
UNKNOWN_WORDS = frozenset({"", "unknown", "?", "n/a", "na", "not listed"})
_PRICE_RE = re.compile(r"^\$?\s*(\d{1,6}(?:,\d{3})*(?:\.\d{1,2})?)\s*(usd)?$", re.IGNORECASE)


class MappingError(ValueError):
    """The mapping file cannot be used; the message names the problem."""


def load_mapping(path: str | Path | None) -> dict[str, Any]:
    """Read and check a JSON/TOML mapping file (None gives the identity mapping)."""
    if path is None:
        return {}
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise MappingError(f"cannot read mapping file {path}: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(text) if p.suffix.lower() == ".toml" else json.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(
            f"mapping file {path} is not valid {p.suffix.lstrip('.').upper() or 'JSON'}: {exc}"
        ) from None
    if not isinstance(data, dict):
        raise MappingError(f"mapping file {path} must hold an object/table at the top")
    columns = data.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise MappingError("[columns] must map our column names to their column names (text)")
    unknown = sorted(set(columns) - set(COLUMNS))
    if unknown:
        raise MappingError(f"[columns] names unknown column(s) of ours: {', '.join(unknown)}")
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise MappingError("[values] must be a table")
    for col, known in (("routes", vocab.ROUTE_CODES), ("conditions", vocab.CONDITION_CODES)):
        vmap = values.get(col, {})
        if not isinstance(vmap, dict):
            raise MappingError(f"[values.{col}] must be a table")
        bad = sorted({v for v in vmap.values() if v and v not in known})
        if bad:
            raise MappingError(f"[values.{col}] maps to unknown code(s): {', '.join(map(str, bad))}")
    precision = data.get("coordinate_precision", "")
    if precision and precision not in vocab.PRECISIONS:
        raise MappingError(f"coordinate_precision must be one of {', '.join(vocab.PRECISIONS)}")
    if data.get("source_url") and not is_http_url(str(data["source_url"])):
        raise MappingError("source_url must be an http(s) address")
    return data


def map_codes(cell: str, vmap: Mapping[str, str], known: frozenset[str], sep: str) -> tuple[list[str], list[str]]:
    """(codes, unmapped values) for one cell of their list column."""
    lowered = {str(k).strip().casefold(): v for k, v in vmap.items()}
    codes: list[str] = []
    unmapped: list[str] = []
    for part in (p.strip() for p in cell.split(sep)):
        if not part:
            continue
        key = part.casefold()
        if key in lowered:
            if lowered[key]:
                codes.append(lowered[key])
        elif part in known:
            codes.append(part)
        else:
            unmapped.append(part)
    return list(dict.fromkeys(codes)), unmapped


def row_to_record(
    row: Mapping[str, Any], mapping: Mapping[str, Any], fallback_url: str
) -> tuple[dict[str, Any] | None, str]:
    """One of their rows as our record, or (None, reason)."""
    columns: Mapping[str, str] = mapping.get("columns") or {c: c for c in COLUMNS}
    values = mapping.get("values", {})
    sep = str(mapping.get("list_separator", ";")) or ";"

    def cell(col: str) -> str:
        theirs = columns.get(col)
        return text_of(row.get(theirs)) if theirs else ""

    name, city, state = cell("name"), cell("city"), state_code(cell("state"))
    missing = [c for c, v in (("name", name), ("city", city), ("state", state)) if not v]
    if missing:
        return None, f"missing or invalid {', '.join(missing)}"
    rec: dict[str, Any] = {"name": name, "city": city, "state": state}
    rec["street"] = cell("street")
    raw_zip = cell("zip")
    rec["zip"] = zip5(raw_zip)
    if raw_zip and not rec["zip"]:
        return None, f"zip is not a US ZIP code: {raw_zip!r}"
    rec["phone"] = cell("phone")
    raw_site = cell("website")
    rec["website"] = website_of(raw_site)
    if raw_site and not rec["website"]:
        return None, f"website is not a web address: {raw_site!r}"
    for col, known in (("routes", vocab.ROUTE_CODES), ("conditions", vocab.CONDITION_CODES)):
        codes, unmapped = map_codes(cell(col), values.get(col, {}), known, sep)
        if unmapped:
            return None, f"{col} value(s) with no mapping: {', '.join(unmapped)} (add them to [values.{col}])"
        rec[col] = tuple(codes)
    for col in BOOL_COLUMNS:
        word = cell(col).casefold()
        if word in TRUE_WORDS:
            rec[col] = True
        elif word in FALSE_WORDS:
            rec[col] = False
        elif word in UNKNOWN_WORDS:
            rec[col] = None
        else:
            return None, f"{col} is not yes/no: {cell(col)!r}"
    price = cell("self_pay_price_usd")
    if price:
        m = _PRICE_RE.match(price)
        if not m:
            return None, f"self_pay_price_usd is not an amount in dollars: {price!r}"
        rec["self_pay_price_usd"] = float(m.group(1).replace(",", ""))
    rec["price_note"] = cell("price_note")
    urls = [u.strip() for u in cell("source_urls").split(";") if u.strip()] or ([fallback_url] if fallback_url else [])
    bad_urls = [u for u in urls if not is_http_url(u)]
    if bad_urls or not urls:
        return None, "no http(s) source URL (map a source column or set source_url in the mapping file)"
    rec["source_urls"] = tuple(urls)
    rec["source_kind"] = cell("source_kind") or str(mapping.get("source_kind") or "directory")
    rec["source_date"] = cell("source_date")
    rec["state_from_city"] = True if cell("state_from_city").casefold() in TRUE_WORDS else None
    kind = cell("listing_kind") or "clinic"
    rec["listing_kind"] = kind
    rec["study_id"] = cell("study_id")
    own_id = cell("id").lower()
    rec["id"] = own_id if re.match(r"^[a-z0-9][a-z0-9-]{0,199}$", own_id) else listing_id(name, city, state)
    precision = str(mapping.get("coordinate_precision") or "")
    lat, lon = float_of(cell("lat")), float_of(cell("lon"))
    if precision and lat is not None and lon is not None:
        rec[SOURCE_POINT] = (lat, lon, precision)
    return rec, ""


class CsvSource:
    name = "csv"
    source_kind = "directory"
    default_url = ""

    def __init__(self, mapping: Mapping[str, Any] | None = None) -> None:
        self.mapping: Mapping[str, Any] = mapping or {}

    def fetch(self, from_: str, *, source_url: str | None = None, **options: Any) -> RawPages:
        options.pop("max_pages", None)
        options.pop("sleep", None)
        text = http.read_text(from_, **options)
        cite = source_url or str(self.mapping.get("source_url") or "") or (from_ if http.is_url(from_) else "")
        return RawPages(source_url=cite, origin=from_, pages=[text])

    def parse(self, raw: RawPages, *, retrieved: str) -> ParseResult:
        result = ParseResult()
        columns = self.mapping.get("columns") or {}
        for p, text in enumerate(raw.pages, start=1):
            if not isinstance(text, str):
                result.rejected.append(Rejected(f"file {p}", "not CSV text"))
                result.complete = False
                continue
            if text.lstrip()[:1] == "<":
                result.rejected.append(Rejected(f"file {p}", "an HTML page, not CSV"))
                result.complete = False
                continue
            try:
                reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
                header = [h.strip() for h in (reader.fieldnames or [])]
                reader.fieldnames = header
                needed = [columns.get(c, c) for c in ("name", "city", "state")]
                absent = [c for c in needed if c not in header]
                if absent:
                    result.rejected.append(Rejected(f"file {p}", f"no column(s) {', '.join(absent)} in the header"))
                    result.complete = False
                    continue
                for r, row in enumerate(reader, start=2):
                    if not any(text_of(v) for v in row.values() if isinstance(v, str)):
                        continue
                    if None in row:
                        result.rejected.append(Rejected(f"row {r}", "more cells than header columns"))
                        continue
                    rec, reason = row_to_record(row, self.mapping, raw.source_url)
                    if rec is None:
                        result.rejected.append(Rejected(f"row {r}", reason))
                    else:
                        result.records.append(rec)
            except csv.Error as exc:
                result.rejected.append(Rejected(f"file {p}", f"malformed CSV: {exc}"))
                result.complete = False
        return result
