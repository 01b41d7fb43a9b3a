"""Refresh: fetch -> parse -> place -> merge -> validate -> write, with a plain summary.

Nothing is written unless the whole new dataset passes the same validation as ``check-data``
(``dashboard.directory.clinics.parse_clinics`` over the CSV text held in memory). The only files touched are
``out`` (written through a temporary file beside it, then renamed) and the geocoding cache.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.directory.clinics import (
    load_clinics,
    parse_clinics,
    record_to_row,
    table_records,
    validate_row,
    write_clinics,
)
from dashboard.ingest.base import CARRIED, SOURCE_POINT, Rejected
from dashboard.ingest.http import FetchError
from dashboard.ingest.merge import MergeResult, SourceRef, merge
from dashboard.ingest.placing import PLACE_HOW, StreetGeocoder, place_records
from dashboard.ingest.registry import get_adapter


@dataclass
class RefreshOutcome:
    ok: bool
    lines: list[str] = field(default_factory=list)
    merge: MergeResult | None = None
    csv_text: str = ""
    written: bool = False

    @property
    def summary(self) -> str:
        return "\n".join(self.lines)


def today() -> str:
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def check_records(records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Rejected]]:
    """Each placed record through the dataset validator, so a bad one is rejected alone."""
    good, bad = [], []
    for rec in records:
        row = record_to_row(rec)
        _, problems = validate_row(row)
        if problems:
            bad.append(Rejected(rec.get("id") or rec.get("name", "?"), "; ".join(f"{c}: {r}" for c, r in problems)))
        else:
            good.append(rec)
    return good, bad


def run_refresh(
    source: str,
    from_: str,
    out: Path | None,
    *,
    geocoder: StreetGeocoder,
    mapping: Mapping[str, Any] | None = None,
    merge_into: Path | None = None,
    source_url: str | None = None,
    retrieved: str | None = None,
    fetch_options: Mapping[str, Any] | None = None,
) -> RefreshOutcome:
    """Run one refresh; ``out=None`` checks everything and writes nothing (a dry run)."""
    retrieved = retrieved or today()
    lines: list[str] = []
    adapter = get_adapter(source, mapping)
    try:
        raw = adapter.fetch(from_, source_url=source_url, **dict(fetch_options or {}))
    except FetchError as exc:
        return RefreshOutcome(False, [f"refresh failed: {exc}", "nothing was written"])
    # Without a public URL (a local CSV/HSDS file and no --source-url) the source is named by its file; every
    # listing must then carry its own http(s) source URL or it is rejected.
    src = SourceRef(url=raw.source_url or f"{adapter.name}:{Path(raw.origin).name}", kind=adapter.source_kind)
    parsed = adapter.parse(raw, retrieved=retrieved)
    lines.append(f"source: {source} from {raw.origin} ({len(raw.pages)} page(s) read); cited as {src.url}")
    lines.append(
        f"parsed: {len(parsed.records)} listing(s), {len(parsed.excluded)} left out by design, "
        f"{len(parsed.rejected)} rejected"
    )

    placed = place_records(parsed.records, geocoder)
    geocoder.save()
    checked, invalid = check_records(placed.records)
    rejected = [*parsed.rejected, *placed.rejected, *invalid]
    st = geocoder.stats
    lines.append(
        f"placed: {st.street} street, {st.zip} ZIP centroid, {st.city} city, {st.district} district; "
        f"geocoder requests {st.requests}, cache hits {st.cache_hits}"
        + (f" ({st.offline_reason})" if st.offline_reason else "")
    )

    existing: list[dict[str, Any]] = []
    if merge_into is not None:
        table, report = load_clinics(merge_into)
        if not report.ok:
            lines.append(f"refresh failed: the dataset to merge into is not valid: {report.summary()}")
            lines.extend(f"  {p}" for p in report.problems[:50])
            lines.append("fix it first (python -m dashboard check-data); nothing was written")
            return RefreshOutcome(False, lines)
        existing = table_records(table)

    fresh = []
    for rec in checked:
        item = {k: v for k, v in rec.items() if k != SOURCE_POINT}
        item[PLACE_HOW] = rec.get(PLACE_HOW, "")
        item[CARRIED] = rec.get(CARRIED, False)
        fresh.append(item)
    result = merge(existing, fresh, src, retrieved, complete=parsed.complete)

    lines.append(
        f"added {len(result.added)}, updated {len(result.updated)}, merged {len(result.merged)}, "
        f"unchanged {len(result.unchanged)}, marked not in latest source {len(result.marked_missing)}, "
        f"conflicts {len(result.conflicts)}, rejected {len(rejected)}"
    )
    for title, items in (
        ("rejected", rejected),
        ("left out", parsed.excluded),
        ("conflicts (existing value kept)", result.conflicts),
        ("marked not in latest source", result.marked_missing),
        ("notes", [*parsed.notes, *placed.notes, *result.notes]),
    ):
        if items:
            lines.append(f"{title}:")
            lines.extend(f"  {item}" for item in items)

    if not result.records:
        lines.append("refresh failed: no listings at all; nothing was written")
        return RefreshOutcome(False, lines, result)

    buf = io.StringIO()
    write_clinics(result.records, buf)
    text = buf.getvalue()
    table, report = parse_clinics(text, source="refreshed dataset")
    if not report.ok:
        lines.append(f"refresh failed: the new dataset does not pass validation: {report.summary()}")
        lines.extend(f"  {p}" for p in report.problems[:50])
        lines.append("nothing was written")
        return RefreshOutcome(False, lines, result, text)
    lines.append(f"check-data: {report.summary()}")
    outcome = RefreshOutcome(True, lines, result, text)
    if out is not None:
        write_atomic(out, text)
        outcome.written = True
        lines.append(f"wrote {out}")
    return outcome


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)
