"""``check-data PATH``: validate a dataset file before it is deployed."""

from __future__ import annotations

import argparse
import sys

from dashboard.directory.clinics import load_clinics


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check-data",
        help="validate a clinics CSV",
        description="Validate a clinics CSV. Exit 0: every row valid; 1: some rows rejected; 2: unreadable.",
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
    print(report.summary())
    return 0 if report.ok else 1
