"""``check-data PATH``: validate a dataset file before it is deployed."""

from __future__ import annotations

import argparse
import sys

from dashboard import config
from dashboard.directory import va_facilities
from dashboard.directory.clinics import load_clinics


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check-data",
        help="validate a clinics CSV",
        description="Validate a clinics CSV. Exit 0: every row valid (warnings, if any, are listed: those rows are "
        "kept); 1: some rows rejected; 2: unreadable.",
    )
    p.add_argument("path", help="CSV file to check")
    p.add_argument(
        "--va-facilities",
        metavar="JSONL",
        help="VA facilities file, checked and counted apart from the clinics (default: $CLINIC_FINDER_VA_DATA or "
        "the bundled file)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    _, report = load_clinics(args.path)
    if report.file_error:
        print(report.summary(), file=sys.stderr)
        return 2
    for problem in report.problems:
        print(problem)
    for warning in report.warnings:
        print(f"warning (row kept): {warning}")
    print(report.summary())
    if report.warnings:
        n = len(report.warnings)
        print(f"{n} warning{'s' if n != 1 else ''} to review; a warning never rejects a row or fails the check.")
    va_ok = check_va(args.va_facilities or config.va_data_path())
    return 0 if report.ok and va_ok else 1


def check_va(path) -> bool:
    """The VA facilities, reported as their own kind of listing (record = line number)."""
    _, report = va_facilities.load_facilities(path)
    for problem in report.problems:
        print(f"VA facilities: {problem}".replace(": row ", ": record ", 1))
    for warning in report.warnings:
        print(f"VA facilities warning (record kept): {warning}".replace(": row ", ": record ", 1))
    print(va_facilities.summary(report))
    return report.ok
