"""``check-data PATH``: validate a dataset file before it is deployed."""

from __future__ import annotations

import argparse
import sys

from dashboard.directory.clinics import load_clinics


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check-data",
        help="validate a clinics CSV",
        description="Validate a clinics CSV. Exit 0: every row valid (warnings, if any, are listed: those rows are "
        "kept); 1: some rows rejected; 2: unreadable.",
    )
    p.add_argument("path", help="CSV file to check")
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
    return 0 if report.ok else 1
