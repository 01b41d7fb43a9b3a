"""Build ``data/clinics.csv`` from the source listings, geocoding offline.

Reproducible: the same source file always gives byte-identical output. A listing whose place cannot
be resolved is reported and left out, never placed at a guessed location.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.directory.clinics import record_to_row, validate_row
from dashboard.places.gazetteer import city_place, district_place, zip_place
from dashboard.states import NOT_STATES

# Fields of a source listing that are facts about the clinic and come into the project.
FACT_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "street",
    "city",
    "state",
    "zip",
    "phone",
    "website",
    "routes",
    "conditions",
    "ketamine_assisted_psychotherapy",
    "accepts_insurance",
    "self_pay_price_usd",
    "price_note",
    "va_community_care",
    "source_urls",
    "source_date",
    "state_from_city",
)


@dataclass
class BuildReport:
    built: int = 0
    unresolved: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)
    invalid: list[tuple[str, str]] = field(default_factory=list)


def import_seed(lines: Iterable[str], compiled_on: str, source_kind: str) -> list[dict[str, Any]]:
    """Keep only the fact fields of compiled listings (the evidence quotes stay with the compilation).

    ``compiled_on`` is each listing's own compilation date when it has one (``compiled_on`` argument
    otherwise). ``state_from_city`` is kept only when true: the page named a US city but not its state.
    """
    out = []
    for line in lines:
        if not line.strip():
            continue
        raw = json.loads(line)
        rec = {k: raw.get(k) for k in FACT_FIELDS}
        rec["state_from_city"] = True if raw.get("state_from_city") is True else None
        rec["source_kind"] = source_kind
        rec["compiled_on"] = raw.get("compiled_on") or compiled_on
        out.append(rec)
    return out


def locate_listing(rec: Mapping[str, Any]) -> tuple[float, float, str] | None:
    """ZIP centroid when a ZIP is given, else city centroid, else the centre of a known county district
    (a page may name a district such as North Kohala, HI); None when none is known (never a guess)."""
    if rec.get("zip"):
        place = zip_place(str(rec["zip"]))
        if place:
            return place.lat, place.lon, "zip"
    if rec.get("city") and rec.get("state"):
        place = city_place(str(rec["city"]), str(rec["state"]))
        if place:
            return place.lat, place.lon, "city"
        place = district_place(str(rec["city"]), str(rec["state"]))
        if place:
            return place.lat, place.lon, "district"
    return None


def build_records(listings: Iterable[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], BuildReport]:
    """Turn source listings into dataset records, sorted by id for stable output."""
    report = BuildReport()
    out: list[dict[str, Any]] = []
    for src in sorted(listings, key=lambda r: str(r.get("id"))):
        where = locate_listing(src)
        if where is None:
            report.unresolved.append(
                (
                    str(src.get("id")),
                    f"place not found offline: {src.get('city')}, {src.get('state')} {src.get('zip') or ''}".strip(),
                )
            )
            continue
        lat, lon, precision = where
        rec = dict(src)
        rec.update(lat=lat, lon=lon, location_precision=precision)
        # Round-trip through the validator so the build can never write a row the loader rejects.
        typed, problems = validate_row(record_to_row(rec))
        if problems:
            report.invalid.append((str(src.get("id")), "; ".join(f"{c}: {r}" for c, r in problems)))
            continue
        out.append(typed)
    report.built = len(out)
    return out, report


def coverage_text(states: Iterable[str]) -> str:
    """Coverage in words, e.g. "46 states and DC" (DC and territories are counted apart from states)."""
    codes = set(states)
    n = len(codes - NOT_STATES)
    extra = sorted(codes & NOT_STATES)
    text = f"{n} state{'s' if n != 1 else ''}"
    return f"{text} and {', '.join(extra)}" if extra else text


def read_listings(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
