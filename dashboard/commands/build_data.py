"""``build-data``: rebuild data/clinics.csv from data/sources/public_listings.jsonl (offline)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dashboard.config import PROJECT_ROOT
from dashboard.directory.build import build_records, coverage_text, import_seed, read_listings
from dashboard.directory.clinics import write_clinics

DEFAULT_SOURCE = PROJECT_ROOT / "data" / "sources" / "public_listings.jsonl"
DEFAULT_OUT = PROJECT_ROOT / "data" / "clinics.csv"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build-data", help="build the clinics CSV from the source listings (offline geocoding)")
    p.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="source listings (JSON lines)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="CSV to write")
    p.add_argument(
        "--import-seed",
        type=Path,
        metavar="JSONL",
        help="first refresh --source from a compiled listings file, keeping only the facts (no evidence quotes)",
    )
    p.add_argument(
        "--compiled-on",
        default="2026-11-25",
        help="compilation date recorded with --import-seed for listings that carry no compiled_on of their own",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.import_seed:
        with open(args.import_seed, encoding="utf-8") as fh:
            seed = import_seed(fh, compiled_on=args.compiled_on, source_kind="public_web_compilation")
        args.source.parent.mkdir(parents=True, exist_ok=True)
        with open(args.source, "w", encoding="utf-8", newline="\n") as fh:
            for rec in seed:
                fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"imported {len(seed)} listings into {args.source}")
    try:
        listings = read_listings(args.source)
    except (OSError, ValueError) as exc:
        print(f"cannot read {args.source}: {exc}", file=sys.stderr)
        return 2
    records, report = build_records(listings)
    write_clinics(records, args.out)
    states = sorted({str(r["state"]) for r in records})
    print(f"wrote {report.built} listings to {args.out} ({coverage_text(states)})")
    for ident, reason in report.unresolved:
        print(f"not placed (left out): {ident}: {reason}")
    for ident, reason in report.invalid:
        print(f"invalid (left out): {ident}: {reason}")
    return 0
