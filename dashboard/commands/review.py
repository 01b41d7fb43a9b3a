"""``review``: read and decide on reports and clinic submissions.

    python -m dashboard review list [--status pending|accepted|resolved|rejected|all] [--format table|json|csv]
    python -m dashboard review show ID [--format text|json]
    python -m dashboard review accept ID --reviewer NAME [--note TEXT]
    python -m dashboard review reject ID --reason TEXT [--reviewer NAME]
    python -m dashboard review hash-password          # reads a password on stdin, prints its argon2 hash
    python -m dashboard review migrate                # create or upgrade the database schema

The database is CLINIC_FINDER_DATABASE_URL (default: an SQLite file under var/). Submitted text is
printed verbatim in JSON; the table and text formats drop terminal control characters and the CSV
format neutralises spreadsheet formulas. Exit 0 done, 1 nothing to do (not pending), 2 bad input or
database unavailable — always with one plain line on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from dashboard import config, vocab
from dashboard.text import terminal_safe

STATUSES = (*vocab.SUBMISSION_STATUSES, "all")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review",
        help="review reports and clinic submissions",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--data", metavar="PATH", help="clinics CSV the changes apply to (default: the served file)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    lst = actions.add_parser("list", help="list submissions (pending by default)")
    lst.add_argument("--status", choices=STATUSES, default="pending")
    lst.add_argument("--format", choices=("table", "json", "csv"), default="table")

    show = actions.add_parser("show", help="one submission in full")
    show.add_argument("id", type=int)
    show.add_argument("--format", choices=("text", "json"), default="text")

    acc = actions.add_parser("accept", help="accept: a clinic submission enters the directory, a report is resolved")
    acc.add_argument("id", type=int)
    acc.add_argument("--reviewer", required=True, metavar="NAME")
    acc.add_argument("--note", default="", metavar="TEXT")

    rej = actions.add_parser("reject", help="reject with a reason")
    rej.add_argument("id", type=int)
    rej.add_argument("--reason", required=True, metavar="TEXT")
    rej.add_argument("--reviewer", default="", metavar="NAME")

    actions.add_parser("hash-password", help="print the argon2 hash of a password read from stdin")
    actions.add_parser("migrate", help="create or upgrade the database schema")
    p.set_defaults(func=run)


def _plain(value: Any) -> str:
    """Terminal-safe text (escape sequences become spaces); a description keeps its lines and tabs."""
    return terminal_safe(value, keep="\t\n")


def _short(value: Any, width: int) -> str:
    text = _plain(value).replace("\n", " ").strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def _summary(rec) -> str:
    if rec.kind == "report":
        return f"{vocab.REPORT_PROBLEMS.get(rec.problem or '', rec.problem)}: {rec.description or ''}"
    fields = rec.listing_fields or {}
    what = "update" if rec.listing_id else "new listing"
    return f"{what}: {fields.get('name', '')}, {fields.get('city', '')} {fields.get('state', '')}"


def _table(records) -> str:
    if not records:
        return "No submissions."
    lines = [f"{'id':>5}  {'kind':<7} {'status':<9} {'created':<20}  {'listing':<32}  summary"]
    lines.append("-" * len(lines[0]))
    for r in records:
        lines.append(
            f"{r.id:>5}  {r.kind:<7} {r.status:<9} {r.created_at:<20}  {_short(r.listing_id or '-', 32):<32}  "
            f"{_short(_summary(r), 80)}"
        )
    return "\n".join(lines)


def _text(rec) -> str:
    lines = [f"Submission {rec.id} ({rec.kind}, {rec.status}) received {rec.created_at}"]
    for key in ("listing_id", "problem", "contact_email", "submitter_role", "source_url"):
        value = getattr(rec, key)
        if value:
            lines.append(f"  {key}: {_plain(value)}")
    if rec.description is not None:
        lines.append("  description:")
        lines += [f"    {_plain(line)}" for line in rec.description.splitlines() or [""]]
    for key, value in (rec.listing_fields or {}).items():
        lines.append(f"  field {key}: {_plain(value)}")
    if rec.reviewer:
        lines.append(f"  reviewed by {_plain(rec.reviewer)} at {rec.reviewed_at}: {_plain(rec.review_note or '')}")
    return "\n".join(lines)


def _directory(path) -> dict[str, dict[str, str]]:
    """The served listings by id, as text cells (curated file + accepted changes)."""
    from dashboard.directory.clinics import rows_by_id
    from dashboard.submissions import overlay
    from dashboard.submissions.store import Store

    ov = overlay.read(Store())
    if ov.error:
        raise _UnavailableError(ov.error)
    df, report = overlay.load_served(path, ov)
    if report.file_error:
        raise _UnavailableError(report.summary())
    return rows_by_id(df)


class _UnavailableError(Exception):
    pass


def run(args: argparse.Namespace) -> int:
    from dashboard.submissions import auth, db
    from dashboard.submissions import review as rv
    from dashboard.submissions.store import NotPendingError, Store, engine_for

    if args.action == "hash-password":
        password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
        if len(password) < 12:
            print("review: use a password of at least 12 characters", file=sys.stderr)
            return 2
        print(auth.hash_password(password))
        return 0

    store = Store()
    try:
        if args.action == "migrate":
            db.ensure_schema(engine_for(store.url))
            print(f"database schema is current ({db.redacted(store.url)})")
            return 0
        if args.action == "list":
            records = store.list(None if args.status == "all" else args.status) if store.exists else []
            if args.format == "json":
                json.dump([r.to_dict() for r in records], sys.stdout, ensure_ascii=False, indent=2)
                sys.stdout.write("\n")
            elif args.format == "csv":
                sys.stdout.write(rv.records_csv(records))
            else:
                print(_table(records))
            return 0
        if args.action == "show":
            rec = store.get(args.id) if store.exists else None
            if rec is None:
                print(f"review: there is no submission {args.id}", file=sys.stderr)
                return 2
            if args.format == "json":
                json.dump(rec.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
                sys.stdout.write("\n")
            else:
                print(_text(rec))
            return 0
        if args.action == "accept":
            directory = _directory(args.data or config.data_path([]))
            rec = rv.accept(store, args.id, args.reviewer, args.note, directory=directory)
            where = f" as listing {rec.listing_id}" if rec.kind == "clinic" else ""
            print(f"submission {rec.id} {rec.status}{where} by {_plain(rec.reviewer)}")
            return 0
        if args.action == "reject":
            rec = rv.reject(store, args.id, args.reason, args.reviewer)
            print(f"submission {rec.id} rejected")
            return 0
    except (rv.ReviewError, NotPendingError) as exc:
        print(f"review: {exc}", file=sys.stderr)
        return 1 if isinstance(exc, NotPendingError) or "already" in str(exc) else 2
    except (db.DatabaseUnavailableError, _UnavailableError) as exc:
        print(f"review: the database is not available ({exc})", file=sys.stderr)
        return 2
    return 2
