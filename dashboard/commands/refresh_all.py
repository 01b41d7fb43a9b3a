"""``refresh-all --into PATH``: curated listings + every public source -> the served file, only when valid."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from dashboard.config import PROJECT_ROOT
from dashboard.ingest.refresh_all import run_refresh_all
from dashboard.text import is_http_url

DEFAULT_CURATED = PROJECT_ROOT / "data" / "sources" / "public_listings.jsonl"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "refresh-all",
        help="refresh a deployment's served dataset from the curated listings and every public source",
        description=(
            "Build the curated directory, fetch FindTreatment.gov and ClinicalTrials.gov, merge (curated facts win), "
            "validate like check-data and replace PATH atomically only when every row is valid; print what "
            "changed. Exit 0: done (or already up to date); 1: nothing was changed (the reason is printed); "
            "2: usage error. Run it weekly: docs/refresh.md."
        ),
    )
    p.add_argument("--into", type=Path, required=True, metavar="PATH", help="the served dataset file to replace")
    p.add_argument("--curated", type=Path, default=DEFAULT_CURATED, help="curated listings (JSON lines)")
    p.add_argument("--retrieved", help="date recorded as retrieved/last seen (YYYY-MM-DD; default today, UTC)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for each HTTP response")
    p.add_argument("--max-pages", type=int, default=200, help="stop paging a source after this many pages")
    p.add_argument("--findtreatment-url", help="FindTreatment query URL (default: every facility with KIT)")
    p.add_argument("--clinicaltrials-url", help="ClinicalTrials.gov query URL (default: recruiting ketamine studies)")
    p.add_argument("--dry-run", action="store_true", help="print what would change and write nothing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.retrieved and not re.match(r"^\d{4}-\d{2}-\d{2}$", args.retrieved):
        print("error: --retrieved must be YYYY-MM-DD", file=sys.stderr)
        return 2
    urls = {"findtreatment": args.findtreatment_url, "clinicaltrials": args.clinicaltrials_url}
    if any(u and not is_http_url(u) for u in urls.values()):
        print("error: source URLs must be http(s) addresses", file=sys.stderr)
        return 2
    if args.into.is_dir():
        print(f"error: --into {args.into} is a folder; give the dataset file the app serves", file=sys.stderr)
        return 2
    outcome = run_refresh_all(
        args.into,
        curated=args.curated,
        retrieved=args.retrieved,
        urls={k: v for k, v in urls.items() if v},
        timeout=args.timeout,
        max_pages=args.max_pages,
        dry_run=args.dry_run,
    )
    print(outcome.summary, file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if outcome.ok else 1
