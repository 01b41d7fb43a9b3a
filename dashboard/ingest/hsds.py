"""Open Referral HSDS 3.0 interchange: import HSDS CSV tables and export the project's dataset to them.

Tables written by ``export-hsds`` (one row per listing in each, ids are UUIDv5 of the listing id so a
re-export gives the same ids): ``organization.csv`` (name, website), ``location.csv`` (physical location:
name, latitude, longitude; ``external_identifier`` = our listing id, ``external_identifier_type`` =
``ketamine-clinic-finder:id``), ``address.csv`` (address_1 = street, city, state_province, postal_code,
country US), ``service.csv`` (one ketamine service per listing; ``fees_description`` = price_note),
``service_at_location.csv``, ``phone.csv`` (voice number), ``taxonomy.csv`` + ``taxonomy_term.csv``
(three project taxonomies: routes, conditions and dataset fields, codes = our vocabulary codes) and
``attribute.csv`` (links a service to a term: one per route, one per condition, and one per remaining
field of ours with the cell text in ``value`` - location_precision, payment fields, source_urls (one
each), source_kind, source_date, compiled_on, listing_kind, study_id, status, last_seen, provenance).

Import reads the same tables from a folder (or a base URL): one listing per ``service_at_location`` whose
service is about ketamine (a project route attribute, or "ketamine"/"esketamine"/"Spravato" in the
service or organization text). Another publisher's taxonomy terms are mapped to our routes and
conditions through ``[values.routes]`` / ``[values.conditions]`` of a mapping file, by term code or name.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dashboard import vocab
from dashboard.clinics import COLUMNS, is_http_url, record_to_row
from dashboard.ingest import http
from dashboard.ingest.base import (
    CARRIED,
    ParseResult,
    RawPages,
    Rejected,
    state_code,
)
from dashboard.ingest.csv_source import map_codes, row_to_record

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/ketamine-clinic-finder/hsds")
ID_TYPE = "ketamine-clinic-finder:id"
TAXONOMIES = {
    "route": "ketamine-clinic-finder/route",
    "condition": "ketamine-clinic-finder/condition",
    "field": "ketamine-clinic-finder/field",
}
# Our columns carried as attributes (everything without a native HSDS home).
FIELD_ATTRIBUTES: tuple[str, ...] = (
    "location_precision",
    "ketamine_assisted_psychotherapy",
    "accepts_insurance",
    "self_pay_price_usd",
    "va_community_care",
    "source_urls",
    "source_kind",
    "source_date",
    "compiled_on",
    "listing_kind",
    "study_id",
    "status",
    "last_seen",
    "provenance",
)
BOOKKEEPING = ("compiled_on", "last_seen", "status", "provenance")

TABLES: dict[str, tuple[str, ...]] = {
    "organization": ("id", "name", "alternate_name", "description", "email", "website", "tax_status", "tax_id",
                     "year_incorporated", "legal_status", "logo", "uri", "parent_organization_id"),
    "service": ("id", "organization_id", "program_id", "name", "alternate_name", "description", "url", "email",
                "status", "interpretation_services", "application_process", "fees_description", "wait_time",
                "fees", "accreditations", "eligibility_description", "minimum_age", "maximum_age",
                "assured_date", "assurer_email", "licenses", "alert", "last_modified"),
    "location": ("id", "location_type", "url", "organization_id", "name", "alternate_name", "description",
                 "transportation", "latitude", "longitude", "external_identifier", "external_identifier_type"),
    "address": ("id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province",
                "postal_code", "country", "address_type"),
    "service_at_location": ("id", "service_id", "location_id", "description"),
    "phone": ("id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id",
              "number", "extension", "type", "description"),
    "taxonomy": ("id", "name", "description", "uri", "version"),
    "taxonomy_term": ("id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id",
                      "term_uri"),
    "attribute": ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value", "label"),
}  # fmt: skip
REQUIRED_TABLES = ("organization", "service", "location", "service_at_location")
_KETAMINE = re.compile(r"ketamine|spravato", re.IGNORECASE)


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


def _term_id(kind: str, code: str) -> str:
    return _uid("term", kind, code)


# ----------------------------------------------------------------------------------------------- export


def export_tables(records: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, str]]]:
    """HSDS tables (name -> rows of text cells) for dataset records."""
    tables: dict[str, list[dict[str, str]]] = {name: [] for name in TABLES}
    for kind, name in TAXONOMIES.items():
        tables["taxonomy"].append(
            {"id": _uid("taxonomy", kind), "name": name, "description": f"ketamine-clinic-finder {kind} codes"}
        )
    terms = [("route", t.code, t.label) for t in vocab.ROUTES]
    terms += [("condition", t.code, t.label) for t in vocab.CONDITIONS]
    terms += [("field", f, f) for f in FIELD_ATTRIBUTES]
    for kind, code, label in terms:
        tables["taxonomy_term"].append(
            {"id": _term_id(kind, code), "code": code, "name": label, "taxonomy": TAXONOMIES[kind],
             "taxonomy_id": _uid("taxonomy", kind), "language": "en"}
        )  # fmt: skip
    for rec in records:
        row = record_to_row(rec)
        key = row["id"]
        org, loc, svc, sal = (_uid(kind, key) for kind in ("organization", "location", "service", "sal"))
        tables["organization"].append({"id": org, "name": row["name"], "website": row["website"]})
        tables["location"].append(
            {"id": loc, "location_type": "physical", "organization_id": org, "name": row["name"],
             "latitude": row["lat"], "longitude": row["lon"], "external_identifier": key,
             "external_identifier_type": ID_TYPE}
        )  # fmt: skip
        tables["address"].append(
            {"id": _uid("address", key), "location_id": loc, "address_1": row["street"], "city": row["city"],
             "state_province": row["state"], "postal_code": row["zip"], "country": "US", "address_type": "physical"}
        )  # fmt: skip
        is_study = row["listing_kind"] == "research_study"
        routes = "; ".join(vocab.label(c) for c in rec.get("routes") or ())
        tables["service"].append(
            {"id": svc, "organization_id": org, "status": "active",
             "name": f"Recruiting research study {row['study_id']}".strip() if is_study else "Ketamine treatment",
             "description": f"Routes: {routes}" if routes else "", "fees_description": row["price_note"]}
        )  # fmt: skip
        tables["service_at_location"].append({"id": sal, "service_id": svc, "location_id": loc})
        if row["phone"]:
            tables["phone"].append(
                {"id": _uid("phone", key), "location_id": loc, "service_id": svc, "service_at_location_id": sal,
                 "number": row["phone"], "type": "voice"}
            )  # fmt: skip
        attrs: list[tuple[str, str, str]] = [("route", c, "") for c in rec.get("routes") or ()]
        attrs += [("condition", c, "") for c in rec.get("conditions") or ()]
        for f in FIELD_ATTRIBUTES:
            if f == "source_urls":
                attrs += [("field", f, u) for u in rec.get("source_urls") or ()]
            elif row[f]:
                attrs.append(("field", f, row[f]))
        for n, (kind, code, value) in enumerate(attrs):
            tables["attribute"].append(
                {"id": _uid("attribute", key, str(n)), "link_id": svc, "taxonomy_term_id": _term_id(kind, code),
                 "link_type": kind, "link_entity": "service", "value": value,
                 "label": vocab.label(code) if kind != "field" else code}
            )  # fmt: skip
    return tables


def write_tables(tables: Mapping[str, list[dict[str, str]]], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        path = out_dir / f"{name}.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(TABLES[name]), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({c: row.get(c, "") for c in TABLES[name]})
        written.append(path)
    return written


# ----------------------------------------------------------------------------------------------- import


def _rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    return [{(k or "").strip(): (v or "") for k, v in row.items() if isinstance(v, str)} for row in reader]


class Hsds:
    name = "hsds"
    source_kind = "hsds"
    default_url = ""

    def __init__(self, mapping: Mapping[str, Any] | None = None) -> None:
        self.mapping: Mapping[str, Any] = mapping or {}

    def fetch(self, from_: str, *, source_url: str | None = None, **options: Any) -> RawPages:
        options.pop("max_pages", None)
        options.pop("sleep", None)
        texts: dict[str, str] = {}
        for table in TABLES:
            where = f"{from_.rstrip('/')}/{table}.csv" if http.is_url(from_) else str(Path(from_) / f"{table}.csv")
            try:
                texts[table] = http.read_text(where, **options)
            except http.FetchError as exc:
                # An optional table may be absent (no file, HTTP 404); any other failure stops the fetch.
                absent = exc.status == 404 or (exc.status is None and not http.is_url(from_))
                if table in REQUIRED_TABLES or not absent:
                    raise
        cite = source_url or str(self.mapping.get("source_url") or "") or (from_ if http.is_url(from_) else "")
        return RawPages(source_url=cite, origin=from_, pages=[texts])

    def parse(self, raw: RawPages, *, retrieved: str) -> ParseResult:
        result = ParseResult()
        for page in raw.pages:
            if not isinstance(page, dict) or not all(isinstance(page.get(t), str) for t in REQUIRED_TABLES):
                result.rejected.append(Rejected("tables", f"need {', '.join(t + '.csv' for t in REQUIRED_TABLES)}"))
                result.complete = False
                continue
            try:
                self._parse_tables({k: _rows(v) for k, v in page.items() if isinstance(v, str)}, raw, result)
            except csv.Error as exc:
                result.rejected.append(Rejected("tables", f"malformed CSV: {exc}"))
                result.complete = False
        return result

    def _parse_tables(self, t: dict[str, list[dict[str, str]]], raw: RawPages, result: ParseResult) -> None:
        by_id = {name: {r.get("id", ""): r for r in rows} for name, rows in t.items()}
        taxonomy_names = {r.get("id", ""): r.get("name", "") for r in t.get("taxonomy", [])}
        terms: dict[str, tuple[str, str, str]] = {}  # term id -> (our kind or "", code, name)
        ours = {v: k for k, v in TAXONOMIES.items()}
        for r in t.get("taxonomy_term", []):
            tax = r.get("taxonomy") or taxonomy_names.get(r.get("taxonomy_id", ""), "")
            terms[r.get("id", "")] = (ours.get(tax, ""), r.get("code", ""), r.get("name", ""))
        attributes: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in t.get("attribute", []):
            attributes[r.get("link_id", "")].append(r)
        addresses: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in t.get("address", []):
            addresses[r.get("location_id", "")].append(r)
        phones = t.get("phone", [])
        values = self.mapping.get("values", {})

        for n, sal in enumerate(t["service_at_location"], start=2):
            where = f"service_at_location.csv row {n}"
            svc = by_id["service"].get(sal.get("service_id", ""))
            loc = by_id["location"].get(sal.get("location_id", ""))
            if svc is None or loc is None:
                result.rejected.append(Rejected(where, "refers to a service or location that is not in the tables"))
                continue
            org = by_id["organization"].get(svc.get("organization_id") or loc.get("organization_id") or "", {})
            attrs = attributes.get(svc.get("id", ""), []) + attributes.get(sal.get("id", ""), [])
            fields: dict[str, list[str]] = defaultdict(list)
            route_codes: list[str] = []
            condition_codes: list[str] = []
            unmapped: list[str] = []
            for a in attrs:
                kind, code, name = terms.get(a.get("taxonomy_term_id", ""), ("", "", ""))
                if kind == "route" and code in vocab.ROUTE_CODES:
                    route_codes.append(code)
                elif kind == "condition" and code in vocab.CONDITION_CODES:
                    condition_codes.append(code)
                elif kind == "field":
                    fields[code].append(a.get("value", ""))
                else:
                    hit = False
                    for col, target, known in (("routes", route_codes, vocab.ROUTE_CODES),
                                               ("conditions", condition_codes, vocab.CONDITION_CODES)):  # fmt: skip
                        for candidate in (code, name):
                            codes, _ = map_codes(candidate, values.get(col, {}), frozenset(), "\x00")
                            target.extend(c for c in codes if c in known)
                            hit = hit or bool(codes)
                    if not hit and (name or code):
                        unmapped.append(name or code)
            text = " ".join((svc.get("name", ""), svc.get("description", ""), org.get("name", ""), loc.get("name", "")))
            if not route_codes and not _KETAMINE.search(text):
                result.excluded.append(
                    Rejected(where, f"service {svc.get('name') or svc.get('id')!r} is not about ketamine")
                )
                continue
            addr = next((a for a in addresses.get(loc.get("id", ""), []) if a.get("address_type") in ("physical", "")),
                        None) or {}  # fmt: skip
            phone = next(
                (p.get("number", "") for p in phones
                 if p.get("number") and (p.get("location_id") == loc.get("id") or p.get("service_id") == svc.get("id")
                                         or p.get("service_at_location_id") == sal.get("id"))),
                "",
            )  # fmt: skip
            street = ", ".join(x for x in (addr.get("address_1", "").strip(), addr.get("address_2", "").strip()) if x)
            row: dict[str, str] = {
                "name": loc.get("name") or org.get("name", ""),
                "street": street,
                "city": addr.get("city", ""),
                "state": state_code(addr.get("state_province", "")),
                "zip": addr.get("postal_code", ""),
                "phone": phone,
                "website": org.get("website") or svc.get("url", ""),
                "routes": ";".join(dict.fromkeys(route_codes)),
                "conditions": ";".join(dict.fromkeys(condition_codes)),
                "price_note": svc.get("fees_description", ""),
                "lat": loc.get("latitude", ""),
                "lon": loc.get("longitude", ""),
            }
            for f, vals in fields.items():
                if f in COLUMNS:
                    row[f] = ";".join(v for v in vals if v) if f == "source_urls" else (vals[0] if vals else "")
            if loc.get("external_identifier_type") == ID_TYPE:
                row["id"] = loc.get("external_identifier", "")
            row_mapping = {
                "columns": {c: c for c in COLUMNS},
                "source_kind": self.mapping.get("source_kind") or self.source_kind,
                "coordinate_precision": row.get("location_precision") or self.mapping.get("coordinate_precision", ""),
            }
            fallback = raw.source_url if is_http_url(raw.source_url or "") else ""
            rec, reason = row_to_record(row, row_mapping, fallback)
            if rec is None:
                result.rejected.append(Rejected(where, reason))
                continue
            if any(row.get(f) for f in BOOKKEEPING):
                rec[CARRIED] = True  # a project export coming back: its own bookkeeping stays as it was
                for f in BOOKKEEPING:
                    rec[f] = row.get(f, "")
            result.records.append(rec)
            if unmapped:
                result.notes.append(f"{where}: taxonomy terms with no mapping: {', '.join(sorted(set(unmapped)))}")
