"""``refresh``: build a new dataset file from a public source (never run by the app at request time)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from dashboard.config import user_agent
from dashboard.ingest.csv_source import MappingError, load_mapping
from dashboard.ingest.placing import StreetGeocoder
from dashboard.ingest.refresh import run_refresh
from dashboard.ingest.registry import ADAPTERS, get_adapter
from dashboard.places.lookup import make_geocoder
from dashboard.text import is_http_url


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "refresh",
        help="refresh the clinic dataset from a public source",
        description=(
            "Fetch listings from a public source (or a saved response of it), place them, merge them into an "
            "existing dataset and write a new dataset file, only if it passes check-data. Exit 0: written; "
            "1: nothing written (the reasons are printed). See docs/refresh.md."
        ),
    )
    p.add_argument("--source", required=True, choices=sorted(ADAPTERS), help="which adapter reads --from")
    p.add_argument(
        "--from",
        dest="from_",
        required=True,
        metavar="URL_OR_FILE",
        help="live URL, or a local file holding a saved response (one page or a JSON list of pages); "
        "for hsds a folder or base URL of the CSV tables; 'default' = the adapter's standard query",
    )
    p.add_argument("--mapping", type=Path, help="JSON or TOML column/value mapping (csv, hsds)")
    p.add_argument("--merge-into", type=Path, help="existing dataset to merge the fresh listings into")
    p.add_argument("--out", type=Path, required=True, help="dataset file to write")
    p.add_argument("--source-url", help="public URL the listings cite (needed when --from is a local file of a CSV)")
    p.add_argument("--geocode-cache", type=Path, help="geocoding cache file (default: <out>.geocache.json)")
    p.add_argument(
        "--no-online-geocoding", action="store_true", help="place listings from ZIP/city centroids only (no requests)"
    )
    p.add_argument("--geocoder", default="nominatim", help="geopy service name of the street geocoder")
    p.add_argument("--geocoder-delay", type=float, default=1.0, help="seconds between geocoder requests (default 1)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for each HTTP response")
    p.add_argument("--max-pages", type=int, default=200, help="stop paging after this many pages")
    p.add_argument("--retrieved", help="date recorded as retrieved/last seen (YYYY-MM-DD; default today, UTC)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.retrieved and not re.match(r"^\d{4}-\d{2}-\d{2}$", args.retrieved):
        print("error: --retrieved must be YYYY-MM-DD", file=sys.stderr)
        return 2
    if args.source_url and not is_http_url(args.source_url):
        print("error: --source-url must be an http(s) address", file=sys.stderr)
        return 2
    try:
        mapping = load_mapping(args.mapping)
    except MappingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from_ = args.from_
    if from_ == "default":
        from_ = get_adapter(args.source, mapping).default_url
        if not from_:
            print(f"error: the {args.source} source has no default URL; give --from", file=sys.stderr)
            return 2
    online = None
    if not args.no_online_geocoding:
        online = make_geocoder(args.geocoder, user_agent=user_agent(), timeout=10.0)
    cache = args.geocode_cache or args.out.with_name(args.out.name + ".geocache.json")
    geocoder = StreetGeocoder(online, service=args.geocoder, cache_path=cache, min_delay_seconds=args.geocoder_delay)
    outcome = run_refresh(
        args.source,
        from_,
        args.out,
        geocoder=geocoder,
        mapping=mapping,
        merge_into=args.merge_into,
        source_url=args.source_url,
        retrieved=args.retrieved,
        fetch_options={"timeout": args.timeout, "max_pages": args.max_pages}
        if args.source in ("findtreatment", "clinicaltrials")
        else {"timeout": args.timeout},
    )
    print(outcome.summary, file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if outcome.ok else 1
