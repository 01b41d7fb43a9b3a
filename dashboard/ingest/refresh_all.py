"""Refresh a deployment in one step: curated listings + every public source -> validated served file.

``refresh-all --into PATH`` (see docs/refresh.md):

1. builds the curated directory from ``data/sources/public_listings.jsonl`` (offline, as ``build-data``);
2. fetches **every** public source first (FindTreatment.gov, ClinicalTrials.gov). If any cannot be read
   (offline, an error page, a timeout) the run stops with one plain line and touches nothing;
3. parses and places each source and merges it into the curated listings. Curated facts win where they
   conflict (the merge never overwrites a value another source gave); both sources stay on record in
   ``source_urls`` and ``provenance`` (a kept value lists what the other source ``offered``);
4. validates the result exactly as ``check-data`` does, and only if every row is valid replaces PATH
   atomically (a temporary file beside it, then a rename), so the app never reads a half-written file;
5. reports what changed against the file it replaces: added, updated (a fact changed) and gone.

A listing whose facts did not change keeps the ``compiled_on`` it had in the served file, so a weekly run
that finds nothing new changes only ``last_seen`` and the provenance dates.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.directory.build import build_records, read_listings
from dashboard.directory.clinics import (
    COLUMNS,
    load_clinics,
    parse_clinics,
    record_to_row,
    table_records,
    write_clinics,
)
from dashboard.ingest.base import CARRIED, SOURCE_POINT, RawPages
from dashboard.ingest.http import FetchError, HttpClient
from dashboard.ingest.merge import SourceRef, merge
from dashboard.ingest.placing import PLACE_HOW, StreetGeocoder, place_records
from dashboard.ingest.refresh import check_records, today, write_atomic
from dashboard.ingest.registry import get_adapter

PUBLIC_SOURCES: tuple[str, ...] = ("findtreatment", "clinicaltrials")
# Columns that change on every run without a fact changing; not compared when deciding "updated".
BOOKKEEPING: frozenset[str] = frozenset({"compiled_on", "last_seen", "provenance"})
FACT_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c not in BOOKKEEPING)


@dataclass
class Changes:
    added: list[dict[str, Any]] = field(default_factory=list)
    updated: list[tuple[dict[str, Any], list[str]]] = field(default_factory=list)  # record, changed columns
    gone: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.updated or self.gone)


@dataclass
class RefreshAllOutcome:
    ok: bool
    lines: list[str] = field(default_factory=list)
    changes: Changes | None = None
    written: bool = False

    @property
    def summary(self) -> str:
        return "\n".join(self.lines)


def _label(rec: Mapping[str, Any]) -> str:
    return f"{rec['id']}: {rec['name']} ({rec['city']}, {rec['state']})"


def compare(previous: list[dict[str, Any]], new: list[dict[str, Any]]) -> Changes:
    """What a new directory adds, changes and drops relative to the served one (facts only)."""
    before = {r["id"]: record_to_row(r) for r in previous}
    changes = Changes()
    seen = set()
    for rec in new:
        seen.add(rec["id"])
        old = before.get(rec["id"])
        if old is None:
            changes.added.append(rec)
            continue
        row = record_to_row(rec)
        differing = [c for c in FACT_COLUMNS if row[c] != old[c]]
        if differing:
            changes.updated.append((rec, differing))
        else:
            changes.unchanged += 1
    changes.gone = [r for r in previous if r["id"] not in seen]
    return changes


def keep_dates_of_unchanged(new: list[dict[str, Any]], previous: list[dict[str, Any]]) -> None:
    """A listing whose facts are as served keeps its served ``compiled_on`` (in place)."""
    before = {r["id"]: record_to_row(r) for r in previous}
    for rec in new:
        old = before.get(rec["id"])
        if old is not None and all(record_to_row(rec)[c] == old[c] for c in FACT_COLUMNS):
            rec["compiled_on"] = old["compiled_on"]


def run_refresh_all(
    into: Path,
    *,
    curated: Path,
    retrieved: str | None = None,
    urls: Mapping[str, str] | None = None,
    client: HttpClient | None = None,
    timeout: float = 30.0,
    max_pages: int = 200,
    sleep: Callable[[float], None] | None = None,
    dry_run: bool = False,
) -> RefreshAllOutcome:
    """One refresh of the served file ``into``; nothing is written unless the whole result is valid."""
    retrieved = retrieved or today()
    unchanged_note = f"nothing was changed ({into} is as it was)"
    try:
        listings = read_listings(curated)
    except (OSError, ValueError) as exc:
        return RefreshAllOutcome(False, [f"refresh-all failed: cannot read the curated listings {curated}: {exc}"])

    # Every source is read before anything is merged: offline, the run stops at the first one, in one line.
    fetched: list[tuple[str, RawPages]] = []
    for name in PUBLIC_SOURCES:
        adapter = get_adapter(name)
        url = (urls or {}).get(name) or adapter.default_url
        options: dict[str, Any] = {"client": client, "timeout": timeout, "max_pages": max_pages}
        if sleep is not None:
            options["sleep"] = sleep
        try:
            fetched.append((name, adapter.fetch(url, **options)))
        except FetchError as exc:
            reason = " ".join(str(exc).split())
            return RefreshAllOutcome(False, [f"refresh-all failed: {name}: {reason}; {unchanged_note}"])

    lines: list[str] = []
    records, report = build_records(listings)
    lines.append(f"curated: {len(records)} listings from {curated}" + (
        f" ({len(report.unresolved)} not placed: {', '.join(i for i, _ in report.unresolved)})"
        if report.unresolved else ""
    ))  # fmt: skip
    geocoder = StreetGeocoder(None)  # sources give their own points; the rest are ZIP/city centroids
    for name, raw in fetched:
        adapter = get_adapter(name)
        parsed = adapter.parse(raw, retrieved=retrieved)
        placed = place_records(parsed.records, geocoder)
        checked, invalid = check_records(placed.records)
        fresh = []
        for rec in checked:
            item = {k: v for k, v in rec.items() if k != SOURCE_POINT}
            item[PLACE_HOW] = rec.get(PLACE_HOW, "")
            item[CARRIED] = False
            fresh.append(item)
        result = merge(records, fresh, SourceRef(raw.source_url, adapter.source_kind), retrieved,
                       complete=parsed.complete)  # fmt: skip
        records = result.records
        rejected = len(parsed.rejected) + len(placed.rejected) + len(invalid)
        lines.append(
            f"{name}: {len(raw.pages)} page(s) from {raw.origin}; {len(parsed.records)} listing(s), "
            f"{len(parsed.excluded)} left out by design, {rejected} rejected; new {len(result.added)}, "
            f"matched a curated or earlier listing {len(result.merged) + len(result.updated) + len(result.unchanged)}, "
            f"conflicts {len(result.conflicts)} (the curated or earlier value kept)"
        )
        lines.extend(f"  conflict: {c}" for c in result.conflicts)
        lines.extend(f"  rejected: {r}" for r in [*parsed.rejected, *placed.rejected, *invalid])

    previous: list[dict[str, Any]] = []
    if into.exists():
        table, served = load_clinics(into)
        if served.file_error:
            lines.append(f"the served file could not be read ({served.file_error}); every listing counts as added")
        else:
            previous = table_records(table)
            if served.problems:
                lines.append(f"the served file has {len(served.rejected_rows)} invalid row(s); they will be replaced")
    keep_dates_of_unchanged(records, previous)

    buf = io.StringIO()
    write_clinics(records, buf)
    text = buf.getvalue()
    table, check = parse_clinics(text, source="refreshed directory")
    if not check.ok:
        lines.append(f"refresh-all failed: the new directory does not pass check-data: {check.summary()}")
        lines.extend(f"  {p}" for p in check.problems[:50])
        lines.append(unchanged_note)
        return RefreshAllOutcome(False, lines)
    lines.append(f"check-data: {check.summary()}")

    changes = compare(previous, table_records(table))
    lines.append(
        f"changed: added {len(changes.added)}, updated {len(changes.updated)}, gone {len(changes.gone)} "
        f"(unchanged {changes.unchanged})"
    )
    lines.extend(f"  added {_label(r)}" for r in changes.added)
    lines.extend(f"  updated {_label(r)}: {', '.join(cols)}" for r, cols in changes.updated)
    lines.extend(f"  gone {_label(r)}" for r in changes.gone)
    outcome = RefreshAllOutcome(True, lines, changes)
    if dry_run:
        lines.append(f"dry run: {unchanged_note}")
    elif into.is_file() and into.read_bytes() == text.encode("utf-8"):
        lines.append(f"{into} is already up to date; not rewritten")
    else:
        write_atomic(into, text)
        outcome.written = True
        lines.append(f"replaced {into}")
    return outcome
