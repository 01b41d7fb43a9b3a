"""Accepting and rejecting submissions.

Accepting a clinic submission turns it into one full dataset row and adds it to the directory as an
accepted change (see ``overlay``). The row carries its provenance: ``source_kind`` clinic_submission,
``source_urls`` the public page the clinic named, ``source_date`` the day it was submitted,
``compiled_on`` the day it was accepted, and per-field ``provenance`` entries naming the submission,
the reviewer and the date (the same shape the ingest merge writes, plus those two keys). The row must
pass ``clinics.validate_row`` — the rules of ``check-data`` — or nothing is accepted.

Accepting a report marks it resolved with the reviewer's note (the reviewer fixes the data itself
through a clinic update or the curated file; a report never changes the directory on its own).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from datetime import date

from dashboard import vocab
from dashboard.directory.clinics import COLUMNS, OPTIONAL_COLUMNS, record_to_row, validate_row
from dashboard.submissions.forms import CLINIC_FIELDS, text_problem
from dashboard.submissions.store import Store, SubmissionRecord
from dashboard.text import cell_text, neutralise_formula

MAX_NOTE = 2000
MAX_REVIEWER = 100


class ReviewError(Exception):
    """A review that cannot be done; the message says why in one line."""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def new_listing_id(fields: Mapping[str, str], taken: set[str] | frozenset[str]) -> str:
    """A readable, unused id for a new listing: name-city-state, numbered when taken."""
    base = "-".join(
        p for p in (slug(fields.get("name", "")), slug(fields.get("city", "")), slug(fields.get("state", ""))) if p
    )
    base = (base or "listing")[:180].strip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def listing_row(
    sub: SubmissionRecord,
    listing_id: str,
    reviewer: str,
    accepted: date,
    current: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The dataset row (text cells, every column) an accepted clinic submission becomes."""
    fields = dict(sub.listing_fields or {})
    base = {c: "" for c in COLUMNS} | {c: d for c, d in OPTIONAL_COLUMNS.items()}
    if current is not None:
        base |= {c: current.get(c, "") for c in COLUMNS}
    row = base | {k: v for k, v in fields.items() if k in COLUMNS}
    submitted_on = (sub.created_at or accepted.isoformat())[:10]
    entry = {
        "source": sub.source_url,
        "retrieved": submitted_on,
        "submission": sub.id,
        "reviewer": reviewer,
        "accepted": accepted.isoformat(),
    }
    provenance = {k: dict(entry) for k in CLINIC_FIELDS if fields.get(k, "")}
    if "lat" in fields:
        provenance["location"] = {**entry, "source": f"gazetteer:{fields.get('location_precision', '')}"}
    row |= {
        "id": listing_id,
        "source_urls": sub.source_url or "",
        "source_kind": vocab.CLINIC_SUBMISSION_SOURCE_KIND,
        "source_date": submitted_on,
        "compiled_on": accepted.isoformat(),
        "status": "",
        "last_seen": accepted.isoformat(),
        "provenance": json.dumps(provenance, sort_keys=True, separators=(",", ":")),
    }
    return row


def _check_text(value: str, what: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise ReviewError(f"{what} is required")
    if problem := text_problem(value, limit):
        raise ReviewError(f"{what}: {problem}")
    return value


def accept(
    store: Store,
    submission_id: int,
    reviewer: str,
    note: str = "",
    *,
    directory: Mapping[str, Mapping[str, str]],
    today: date | None = None,
) -> SubmissionRecord:
    """Accept a pending submission. ``directory``: the served listings by id, as text cells.

    A clinic submission becomes an accepted change (validated like check-data); a report is resolved.
    """
    reviewer = _check_text(reviewer, "reviewer name", MAX_REVIEWER)
    if note and (problem := text_problem(note, MAX_NOTE)):
        raise ReviewError(f"note: {problem}")
    sub = store.get(submission_id)
    if sub is None:
        raise ReviewError(f"there is no submission {submission_id}")
    if sub.status != "pending":
        raise ReviewError(f"submission {submission_id} was already {sub.status}")
    if sub.kind == "report":
        return store.review(submission_id, status="resolved", reviewer=reviewer, note=note or None)

    today = today or date.today()
    current = directory.get(sub.listing_id) if sub.listing_id else None
    if sub.listing_id and current is None:
        raise ReviewError(f"listing {sub.listing_id} is no longer in the directory; reject this update")
    listing_id = sub.listing_id or new_listing_id(sub.listing_fields or {}, set(directory))
    row = listing_row(sub, listing_id, reviewer, today, current)
    _, problems = validate_row(row)
    if problems:
        details = "; ".join(f"{col}: {reason}" for col, reason in problems)
        raise ReviewError(f"submission {submission_id} does not pass the dataset rules ({details})")
    cells = record_to_row(validate_row(row)[0])
    return store.review(
        submission_id, status="accepted", reviewer=reviewer, note=note or None, change=(listing_id, cells)
    )


def reject(store: Store, submission_id: int, reason: str, reviewer: str = "") -> SubmissionRecord:
    """Reject a pending submission with a reason (kept with it)."""
    reason = _check_text(reason, "reason", MAX_NOTE)
    reviewer = reviewer.strip() or "unknown"
    if problem := text_problem(reviewer, MAX_REVIEWER):
        raise ReviewError(f"reviewer name: {problem}")
    sub = store.get(submission_id)
    if sub is None:
        raise ReviewError(f"there is no submission {submission_id}")
    if sub.status != "pending":
        raise ReviewError(f"submission {submission_id} was already {sub.status}")
    return store.review(submission_id, status="rejected", reviewer=reviewer, note=reason)


def diff(sub: SubmissionRecord, current: Mapping[str, str] | None) -> list[tuple[str, str, str]]:
    """(field, current value, proposed value) for every listing fact of a clinic submission."""
    fields = sub.listing_fields or {}
    out = []
    for key in CLINIC_FIELDS:
        out.append((key, (current or {}).get(key, ""), fields.get(key, "")))
    return out


CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "status",
    "created_at",
    "listing_id",
    "problem",
    "description",
    "contact_email",
    "submitter_role",
    "source_url",
    "listing_fields",
    "reviewer",
    "reviewed_at",
    "review_note",
)


def records_csv(records: list[SubmissionRecord]) -> str:
    """Submissions as CSV for a spreadsheet: every cell formula-neutralised (stored text is data)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        d = r.to_dict()
        d["listing_fields"] = json.dumps(d["listing_fields"], ensure_ascii=False) if d["listing_fields"] else ""
        writer.writerow([neutralise_formula(cell_text(d[c])) for c in CSV_COLUMNS])
    return buf.getvalue()
