"""VA facilities: the VA medical centres a public page documents as giving esketamine or ketamine.

Why a loader of their own: a VA facility is not a clinic. It serves veterans enrolled in VA health care,
its evidence is a dated programme rather than a clinic's own listing, and it has no phone, price or
insurance facts. So it never enters the clinic table or the clinic search; it is read from its own file
(``data/sources/va_facilities.jsonl``, one JSON object per line) and checked the way the clinics are: a bad
record is reported by row (the line number), field and reason, and never takes the good ones down with it.
Nothing is filled in: a route the source does not state stays unstated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard import vocab
from dashboard.directory.clinics import LoadReport, RowProblem
from dashboard.places.gazetteer import city_place
from dashboard.states import US_STATES
from dashboard.text import is_http_url

FIELDS: tuple[str, ...] = (
    "id",
    "kind",
    "name",
    "street",
    "city",
    "state",
    "zip",
    "place",
    "routes",
    "conditions",
    "source_urls",
    "source_type",
    "source_date",
    "evidence_date",
    "announced_only",
    "va_md_facts",
    "evidence_note",
    "compiled_on",
)
REQUIRED: tuple[str, ...] = ("id", "kind", "name", "city", "state", "source_urls", "evidence_note", "compiled_on")
# The frame the finder reads: the facility's facts plus where it is and what kind of listing it is.
COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "street",
    "city",
    "state",
    "zip",
    "lat",
    "lon",
    "location_precision",
    "routes",
    "conditions",
    "source_urls",
    "source_type",
    "source_date",
    "evidence_date",
    "announced_only",
    "evidence_note",
    "compiled_on",
    "listing_kind",
)
MAX_FILE_BYTES = 5 * 1024 * 1024

_ID_RE = re.compile(r"^va-[a-z0-9][a-z0-9-]{0,195}$")
_ZIP_RE = re.compile(r"^\d{5}$")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_FACT_RE = re.compile(r"^F\d{1,3}$")


def _text(rec: Mapping[str, Any], key: str) -> str | None:
    """A text field trimmed, or None when absent or null; raises TypeError for a non-text value."""
    value = rec.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"must be text, not {type(value).__name__}")
    return value.strip()


def _codes(rec: Mapping[str, Any], key: str, known: frozenset[str]) -> tuple[list[str], str | None]:
    """A list of vocabulary codes (exact codes only), or the reason it is not one."""
    value = rec.get(key)
    if value is None:
        return [], None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return [], "must be a list of codes"
    unknown = [v for v in value if v not in known]
    if unknown:
        return [], "unknown code(s): " + ", ".join(unknown)
    return list(dict.fromkeys(value)), None


def validate_record(rec: Any, seen_ids: set[str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """One parsed line → (the facility's row, problems as (field, reason)). Any problem rejects the record."""
    if not isinstance(rec, dict):
        return {}, [("record", "each line must be a JSON object")]
    problems: list[tuple[str, str]] = []
    for key in REQUIRED:
        if rec.get(key) in (None, "", []):
            problems.append((key, f"missing {key}"))
    if problems:
        return {}, problems
    out: dict[str, Any] = {}
    for key in ("id", "kind", "name", "street", "city", "state", "zip", "source_type", "evidence_note"):
        try:
            out[key] = _text(rec, key)
        except TypeError as exc:
            problems.append((key, str(exc)))
    for key in ("source_date", "evidence_date", "compiled_on"):
        value = rec.get(key)
        if value is not None and not (isinstance(value, str) and _DATE_RE.match(value)):
            problems.append((key, "must be a date YYYY, YYYY-MM or YYYY-MM-DD, or null"))
        out[key] = value
    if problems:
        return {}, problems
    if not _ID_RE.match(out["id"]):
        problems.append(("id", "must be a slug starting 'va-' (lowercase letters, digits, hyphens)"))
    elif out["id"] in seen_ids:
        problems.append(("id", f"duplicate id {out['id']!r}"))
    if out["kind"] != vocab.VA_FACILITY:
        problems.append(("kind", f"must be {vocab.VA_FACILITY!r}"))
    state = (out["state"] or "").upper()
    if state not in US_STATES:
        problems.append(("state", f"unknown US state or territory code {out['state']!r}"))
    if out["zip"] and not _ZIP_RE.match(out["zip"]):
        problems.append(("zip", "must be 5 digits"))
    if out["source_type"] not in vocab.VA_SOURCE_TYPES:
        problems.append(("source_type", "must be one of: " + ", ".join(vocab.VA_SOURCE_TYPES)))
    routes, why = _codes(rec, "routes", vocab.ROUTE_CODES)
    if why:
        problems.append(("routes", why))
    conditions, why = _codes(rec, "conditions", vocab.CONDITION_CODES)
    if why:
        problems.append(("conditions", why))
    urls = rec.get("source_urls")
    if not isinstance(urls, list) or not urls or not all(isinstance(u, str) and is_http_url(u) for u in urls):
        problems.append(("source_urls", "must be a list of at least one http(s) address"))
    if not isinstance(rec.get("announced_only", False), bool):
        problems.append(("announced_only", "must be true or false"))
    facts = rec.get("va_md_facts", [])
    if not isinstance(facts, list) or not all(isinstance(f, str) and _FACT_RE.match(f) for f in facts):
        problems.append(("va_md_facts", "must be a list of fact ids such as 'F17'"))
    place = city_place(out["city"] or "", state) if state in US_STATES else None
    if state in US_STATES and place is None:
        problems.append(("city", f"{out['city']}, {state} is not a place the offline gazetteer knows"))
    if problems:
        return {}, problems
    assert place is not None
    return {
        **{k: out[k] for k in ("id", "name", "street", "city", "zip", "source_type", "evidence_note")},
        "state": state,
        "lat": place.lat,
        "lon": place.lon,
        "location_precision": "city",
        "routes": tuple(routes),
        "conditions": tuple(conditions),
        "source_urls": tuple(urls),
        "source_date": out["source_date"],
        "evidence_date": out["evidence_date"],
        "announced_only": bool(rec.get("announced_only", False)),
        "compiled_on": out["compiled_on"],
        "listing_kind": vocab.VA_FACILITY,
    }, []


def empty_table() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})


def parse_facilities(lines: Iterable[str], source: str = "") -> tuple[pd.DataFrame, LoadReport]:
    """Every valid record as a row, and a report of the rest (``row`` is the line number)."""
    report = LoadReport(source=source)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        report.rows_read += 1
        try:
            rec = json.loads(line)
        except ValueError as exc:
            report.problems.append(RowProblem(number, "record", f"not valid JSON ({exc.msg})"))
            continue
        row, problems = validate_record(rec, seen)
        if problems:
            report.problems.extend(RowProblem(number, field, reason) for field, reason in problems)
            continue
        unknown = sorted(set(rec) - set(FIELDS))
        if unknown:
            report.warnings.append(RowProblem(number, ", ".join(unknown), "unknown field(s), ignored"))
        seen.add(row["id"])
        rows.append(row)
    report.rows_loaded = len(rows)
    table = pd.DataFrame(rows, columns=list(COLUMNS)) if rows else empty_table()
    return table, report


def load_facilities(path: str | Path) -> tuple[pd.DataFrame, LoadReport]:
    """The facilities in a JSONL file; an unreadable file gives an empty table and ``file_error``."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return empty_table(), LoadReport(source=str(path), file_error="the file is larger than 5 MB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "it is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else (exc.strerror or str(exc))
        return empty_table(), LoadReport(source=str(path), file_error=reason)
    return parse_facilities(text.splitlines(), str(path))


def summary(report: LoadReport) -> str:
    """One sentence for check-data: VA facilities are counted apart from clinics."""
    if report.file_error:
        return f"VA facilities: could not read {report.source}: {report.file_error}"
    n = len(report.rejected_rows)
    kept = f"VA facilities (counted apart from clinics): {report.rows_loaded} loaded"
    return kept + ("; every record is valid." if not n else f"; {n} record{'s' if n != 1 else ''} rejected.")
