"""``export-hsds --out DIR``: write the dataset as Open Referral HSDS 3.0 CSV tables for reuse."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.config import DEFAULT_DATA
from dashboard.directory.clinics import load_clinics, table_records
from dashboard.ingest.hsds_export import export_tables, write_tables


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export-hsds",
        help="export the dataset as an Open Referral HSDS 3.0 data package",
        description="Write the dataset as Open Referral HSDS 3.0 tables under their official names "
        "(organizations.csv, services.csv (one per route), locations.csv, addresses.csv, service_at_location.csv, "
        "phones.csv, cost_options.csv (prices and payment), taxonomies.csv, taxonomy_terms.csv, attributes.csv, "
        "metadata.csv) plus datapackage.json. See docs/refresh.md.",
    )
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="dataset to export (default: the bundled one)")
    p.add_argument("--out", type=Path, required=True, help="folder to write the tables into")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    table, report = load_clinics(args.data)
    if report.file_error:
        print(report.summary(), file=sys.stderr)
        return 2
    if report.problems:
        print(f"{report.summary()} Only valid rows are exported.", file=sys.stderr)
    written = write_tables(export_tables(table_records(table)), args.out)
    print(f"exported {report.rows_loaded} listings to {args.out} ({len(written) - 1} HSDS tables + datapackage.json)")
    return 0
