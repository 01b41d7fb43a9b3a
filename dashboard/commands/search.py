"""``search``: find listings near a place from the command line (table, JSON or CSV).

Results come in the finder's tiers: confirmed, then "to ask" (listings that do not state something
chosen; each names what), then, when nothing nearby is confirmed, the nearest matches beyond the
distance. The table heads each tier; JSON and CSV give every row its ``tier`` and what it does not
state; the CSV is byte for byte the app's download for the same search.

Exit status: 0 with results or none (JSON ``[]`` when no tier has a row); 2 for a location that cannot be resolved, an
unknown route/condition code, a bad radius or an unreadable dataset, always as one plain line on stderr.
Street addresses are looked up online only when ``CLINIC_FINDER_ONLINE_GEOCODING`` allows it.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard import config, vocab
from dashboard.content import va as va_content
from dashboard.directory.clinics import load_clinics
from dashboard.directory.coverage import PUBLIC_LOCATORS
from dashboard.directory.va_facilities import load_facilities
from dashboard.directory.va_facilities import summary as va_summary
from dashboard.finder import va, wording
from dashboard.finder.cards import NOT_LISTED_ADDRESS, Section, as_sections, result_sections
from dashboard.finder.criteria import DEFAULT_RADIUS, MAX_RADIUS, MIN_RADIUS, Criteria, SearchResult
from dashboard.finder.downloads import search_csv, spreadsheet_from_csv
from dashboard.finder.search import search
from dashboard.places.gazetteer import LocationError
from dashboard.text import terminal_safe

JSON_FIELDS = (
    "id",
    "name",
    "street",
    "city",
    "state",
    "zip",
    "lat",
    "lon",
    "distance_miles",
    "location_precision",
    "routes",
    "conditions",
    "phone",
    "website",
    "accepts_insurance",
    "va_community_care",
    "self_pay_price_usd",
    "listing_kind",
    "study_id",
    "source_urls",
    "source_date",
)


class _UsageError(Exception):
    pass


def _radius(text: str) -> float | None:
    value = text.strip().lower()
    if value in ("any", "none", "anywhere", "all"):
        return None
    try:
        miles = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"radius must be a number of miles or 'any', not {text!r}") from None
    if not math.isfinite(miles) or not MIN_RADIUS <= miles <= MAX_RADIUS:
        raise argparse.ArgumentTypeError(f"radius must be between {MIN_RADIUS:g} and {MAX_RADIUS:g} miles, or 'any'")
    return miles


def _price(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"maximum price must be a number of dollars, not {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError("maximum price must be zero or more dollars")
    return value


def add_parser(sub: argparse._SubParsersAction) -> None:
    routes = ", ".join(sorted(vocab.ROUTE_CODES))
    conditions = ", ".join(sorted(vocab.CONDITION_CODES))
    p = sub.add_parser(
        "search",
        help="find listings near a ZIP, City, ST, coordinates or (when enabled) an address",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )

    def one_line_error(message: str) -> None:
        # argparse would print the whole usage block; a usage error here is one plain line, exit 2.
        p.exit(2, f"search: {message}\n")

    p.error = one_line_error  # type: ignore[method-assign]
    p.add_argument("--near", required=True, metavar="TEXT", help='5-digit ZIP, "City, ST", "lat, lon" or an address')
    p.add_argument(
        "--radius",
        type=_radius,
        default=DEFAULT_RADIUS,
        metavar="MILES",
        help=f"{MIN_RADIUS:g}-{MAX_RADIUS:g} miles, or 'any' (default {DEFAULT_RADIUS:g})",
    )
    p.add_argument("--route", action="append", default=[], metavar="CODE", help=f"any of these routes: {routes}")
    p.add_argument(
        "--condition", action="append", default=[], metavar="CODE", help=f"any of these conditions: {conditions}"
    )
    p.add_argument("--insurance", action="store_true", help="only listings that say they accept insurance")
    p.add_argument("--va", action="store_true", help="only listings that say they take VA community care")
    p.add_argument("--max-price", type=_price, metavar="USD", help="only listings stating a self-pay price up to this")
    p.add_argument("--no-studies", action="store_true", help="leave out recruiting research studies")
    p.add_argument(
        "--veteran",
        action="store_true",
        help="also list VA facilities within the distance (their own section) and what VA publishes about VA care",
    )
    p.add_argument("--data", metavar="PATH", help="clinics CSV (default: $CLINIC_FINDER_DATA or the bundled file)")
    p.add_argument(
        "--format", choices=("table", "json", "csv", "xlsx"), default="table", help="output format (default table)"
    )
    p.add_argument(
        "--output", type=Path, metavar="FILE", help="write the results to FILE (needed for xlsx) instead of stdout"
    )
    p.set_defaults(func=run)


def _codes(values: list[str], known: frozenset[str], what: str) -> frozenset[str]:
    codes = {c.strip() for v in values for c in v.split(",") if c.strip()}
    unknown = sorted(codes - known)
    if unknown:
        raise _UsageError(
            f"unknown {what} code{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)} "
            f"(known: {', '.join(sorted(known))})"
        )
    return frozenset(codes)


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def to_records(results: pd.DataFrame | list[Section]) -> list[dict[str, Any]]:
    """JSON-ready records in result order (``distance_miles`` rounded to 0.01 mile). Given sections, every
    row of every tier in order, each with its ``tier`` and what it ``does_not_state`` (a list)."""
    out = []
    for section in as_sections(results):
        for i, rec in enumerate(section.rows.to_dict("records")):
            item = {k: _json_value(rec.get(k)) for k in JSON_FIELDS}
            if item["distance_miles"] is not None:
                item["distance_miles"] = round(float(item["distance_miles"]), 2)
            item["tier"] = section.tier
            item["does_not_state"] = section.missing[i] if section.missing else []
            out.append(item)
    return out


def _plain(value: Any, width: int) -> str:
    """Terminal-safe cell (``dashboard.text.terminal_safe``), cut to ``width``."""
    text = terminal_safe(value).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def _table_rows(section: Section) -> list[str]:
    header = f"{'miles':>8}  {'name':<40}  {'city, state':<24}  {'phone':<16}  routes"
    lines = [header, "-" * len(header)]
    for i, rec in enumerate(section.rows.to_dict("records")):
        miles = rec["distance_miles"]
        dist = f"{miles:8.1f}" if isinstance(miles, float) and not math.isnan(miles) else f"{'':8}"
        name = _plain(rec["name"], 40)
        if rec.get("listing_kind") == "research_study":
            name = _plain(f"[study] {rec['name']}", 40)
        place = _plain(f"{rec['city']}, {rec['state']}", 24)
        routes = ", ".join(vocab.label(c) for c in rec["routes"]) or "route not listed"
        phone = _plain(rec["phone"], 16) or "-"
        lines.append(f"{dist}  {name:<40}  {place:<24}  {phone:<16}  {_plain(routes, 80)}")
        if section.badges:
            lines.append(f"{'':8}  {_plain(section.badges[i], 100)}")
        if not rec["street"]:
            lines.append(f"{'':8}  {NOT_LISTED_ADDRESS}")
    return lines


def _table(res: SearchResult) -> str:
    """The terminal table: the search sentence, then each tier under its heading."""
    lines = [res.description + "."]
    if res.empty_reason:
        lines.append(res.empty_reason)
    for section in result_sections(res):
        if not len(section.rows):
            continue
        if section.heading:
            lines += ["", section.heading + ":"]
        lines += _table_rows(section)
    thin = wording.thin_note(res)
    if thin:
        lines.append(thin + " " + "; ".join(f"{loc.name}: {loc.url}" for loc in PUBLIC_LOCATORS))
    lines.append("Distances are straight-line. Confirm details by phone; this is not medical advice.")
    return "\n".join(lines)


def _with_accepted_changes(df: pd.DataFrame, report):
    """The served directory: accepted clinic submissions from the database on top of the file."""
    from dashboard.submissions import overlay
    from dashboard.submissions.store import Store

    ov = overlay.read(Store())
    if ov.error:
        print(f"note: accepted submissions could not be read ({ov.error}); searching the file only.", file=sys.stderr)
    merged, merged_report, _ = overlay.apply(df, report, ov.changes)
    return merged, merged_report


def run(args: argparse.Namespace) -> int:
    from dashboard.places.lookup import resolve  # imported here so other commands never load geopy

    try:
        routes = _codes(args.route, vocab.ROUTE_CODES, "route")
        conditions = _codes(args.condition, vocab.CONDITION_CODES, "condition")
    except _UsageError as exc:
        print(f"search: {exc}", file=sys.stderr)
        return 2
    if args.format == "xlsx" and args.output is None:
        print("search: --format xlsx needs --output FILE (a spreadsheet is not terminal text)", file=sys.stderr)
        return 2

    path = args.data or config.data_path([])
    df, report = load_clinics(path)
    df, report = _with_accepted_changes(df, report)
    if report.file_error:
        print(report.summary(), file=sys.stderr)
        return 2
    if report.problems:
        print(f"note: {report.summary()} Run check-data for details.", file=sys.stderr)

    try:
        place = resolve(args.near)
    except LocationError as exc:
        print(str(exc), file=sys.stderr)
        return 2

    criteria = Criteria(
        near=args.near,
        place=place,
        radius_miles=args.radius,
        routes=routes,
        conditions=conditions,
        accepts_insurance=args.insurance,
        va_community_care=args.va,
        max_price=args.max_price,
        include_studies=not args.no_studies,
    )
    res = search(df, criteria)
    va_rows = _va_rows(criteria) if args.veteran else None

    out = io.StringIO() if args.output is not None else sys.stdout
    if args.format == "json":
        records: Any = to_records(result_sections(res))
        if va_rows is not None:  # a veteran's search: the clinics and the VA facilities, apart
            records = {"clinics": records, "va_facilities": va.records(va_rows)}
        json.dump(records, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format in ("csv", "xlsx"):
        data = search_csv(res)  # the bytes the app's download gives for the same search
        data = spreadsheet_from_csv(data) if args.format == "xlsx" else data  # the same rows, typed
        if args.output is not None:
            return _write(args.output, data)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        print(_table(res), file=out)
        if va_rows is not None:
            lines = ["", *va.plain_lines(va_rows, criteria.radius_miles), "", *va_content.plain_text().splitlines()]
            print("\n".join(terminal_safe(line) for line in lines), file=out)
    if isinstance(out, io.StringIO):
        return _write(args.output, out.getvalue().encode("utf-8"))
    return 0


def _va_rows(criteria: Criteria) -> pd.DataFrame:
    """VA facilities near the place, by route (a bad VA file is a note on stderr, never a failed search)."""
    facilities, report = load_facilities(config.va_data_path())
    if not report.ok:
        print(f"note: {va_summary(report)} Run check-data for details.", file=sys.stderr)
    return va.nearby(facilities, criteria.place, criteria.radius_miles, criteria.routes)


def _write(path: Path, data: bytes) -> int:
    """The output as a file; an unwritable path is one plain line and exit 2."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        print(f"search: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0
