"""Open Referral HSDS 3.0 export (``export-hsds``): the dataset as a conforming package.

It writes, in the official tabular layout (file names, column order, types and
required fields of the official HSDS 3.0.0 ``datapackage.json``), eleven tables and a ``datapackage.json``
describing them: ``organizations.csv``, ``services.csv``, ``locations.csv``, ``addresses.csv``,
``service_at_location.csv``, ``phones.csv``, ``cost_options.csv``, ``taxonomies.csv``, ``taxonomy_terms.csv``,
``attributes.csv`` and ``metadata.csv``. Ids are UUIDv5 of our listing id, so a re-export gives the same ids.
One listing is one organization + one physical location (+ one phone) + one service per route, named for
it ("IV ketamine infusion"; "Ketamine treatment (route not listed)" when none is), each with its
service_at_location. The price and payment facts are ``cost_options`` of each of those services (they are
the clinic's, not one route's), and ``metadata`` says when each listing entered the directory.

A listing with a street **and** a ZIP gets an ``addresses`` row (``address_type = physical``). One with
only a city and state (most of the compiled listings) cannot fill the required ``address_1`` and
``postal_code``, so it gets **no addresses row**: its point is on the location (``latitude``,
``longitude``), its place in words in ``location.description`` ("Tucson, AZ; street address not
listed"), and its street/city/state/ZIP as attributes of the location (terms of the taxonomy
``ketamine-clinic-finder/field``), which the importer reads back. Routes and conditions are attributes of
the services (taxonomies ``…/route`` and ``…/condition``, term ``code`` = our code); every other column
without an HSDS home (location_precision, source URLs, dates, provenance…) is an attribute of the location
with the cell text in ``value``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dashboard import vocab
from dashboard.directory.clinics import record_to_row
from dashboard.ingest.hsds_schema import (
    FIELD_ATTRIBUTES,
    FILES,
    ID_TYPE,
    NO_ROUTE_SERVICE,
    NOT_IN_DIRECTORY,
    PAYMENT_FACTS,
    PLACE_ATTRIBUTES,
    PRICE,
    TABLES,
    TAXONOMIES,
    UPDATED_BY,
    datapackage,
    term_id,
    uid,
)


def _place_text(row: Mapping[str, str]) -> str:
    """The place in words for ``location.description``: what is known, and what is not listed."""
    locality = ", ".join(p for p in (row["city"], f"{row['state']} {row['zip']}".strip()) if p)
    if row["street"] and row["zip"]:
        return f"{row['street']}, {locality}"
    if row["street"]:
        return f"{row['street']}, {locality}; ZIP code not listed"
    return f"{locality}; street address not listed"


def _description(row: Mapping[str, str]) -> str:
    kind = "Recruiting research study site" if row["listing_kind"] == "research_study" else "Clinic"
    sources = "; ".join(row["source_urls"].split(";"))
    return f"{kind} listed in the Ketamine Clinic Finder directory, compiled from public sources: {sources}"


def _services(rec: Mapping[str, Any], row: Mapping[str, str]) -> list[dict[str, Any]]:
    """One service per route, named for it ("IV ketamine infusion"); one unnamed-route service when none is
    listed. The ids of a listing's services are UUIDv5 of its id and the route."""
    routes = list(rec.get("routes") or ()) or [""]
    out = []
    for code in routes:
        name = vocab.label(code) if code else NO_ROUTE_SERVICE
        if row["listing_kind"] == "research_study":
            name = f"{name} (recruiting research study {row['study_id']})".replace(" )", ")")
        out.append(
            {"id": uid("service", row["id"], code), "name": name,
             "description": vocab.term(code).help if code else "", "routes": (code,) if code else ()}
        )  # fmt: skip
    return out


def _cost_options(row: Mapping[str, str], service_id: str) -> list[dict[str, str]]:
    """The listing's price and payment facts as cost options of one of its services (none when not listed)."""
    out = []
    if row[PRICE]:
        out.append({"option": vocab.label(PRICE), "currency": "USD", "amount": row[PRICE],
                    "amount_description": vocab.term(PRICE).help})  # fmt: skip
    for f in PAYMENT_FACTS:
        if row[f]:
            word = "yes" if row[f] in ("true", "yes") else "no"
            out.append({"option": vocab.label(f), "amount_description": f"{vocab.label(f)}: {word}"})
    return [{"id": uid("cost", service_id, o["option"]), "service_id": service_id, **o} for o in out]


def _metadata(row: Mapping[str, str], location_id: str) -> list[dict[str, str]]:
    """When the listing entered the directory and, when a refresh saw it again, when it was last seen."""
    out = []
    for date, action, column, value in (
        (row["compiled_on"], "create", "id", row["id"]),
        (row["last_seen"], "verify", "last_seen", row["last_seen"]),
    ):
        if date:
            out.append(
                {"id": uid("metadata", row["id"], action), "resource_id": location_id, "resource_type": "location",
                 "last_action_date": date, "last_action_type": action, "field_name": column,
                 "previous_value": NOT_IN_DIRECTORY if action == "create" else "(not recorded)",
                 "replacement_value": value, "updated_by": UPDATED_BY}
            )  # fmt: skip
    return out


def export_tables(records: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, str]]]:
    """HSDS tables (resource name -> rows of text cells) for dataset records."""
    tables: dict[str, list[dict[str, str]]] = {name: [] for name in TABLES}
    for kind, name in TAXONOMIES.items():
        tables["taxonomy"].append(
            {"id": uid("taxonomy", kind), "name": name,
             "description": f"Ketamine Clinic Finder {kind} codes (see the project's data/README.md)"}
        )  # fmt: skip
    terms = [("route", t.code, t.label, t.help or t.label) for t in vocab.ROUTES]
    terms += [("condition", t.code, t.label, t.help or t.label) for t in vocab.CONDITIONS]
    terms += [("field", f, f, f"The dataset column {f} (see the project's data/README.md)")
              for f in (*FIELD_ATTRIBUTES, *PLACE_ATTRIBUTES)]  # fmt: skip
    for kind, code, label, description in terms:
        tables["taxonomy_term"].append(
            {"id": term_id(kind, code), "code": code, "name": label, "description": description,
             "taxonomy": TAXONOMIES[kind], "taxonomy_id": uid("taxonomy", kind), "language": "en"}
        )  # fmt: skip
    for rec in records:
        row = record_to_row(rec)
        key = row["id"]
        org, loc = uid("organization", key), uid("location", key)
        tables["organization"].append(
            {"id": org, "name": row["name"], "description": _description(row), "website": row["website"]}
        )
        tables["location"].append(
            {"id": loc, "location_type": "physical", "organization_id": org, "name": row["name"],
             "description": _place_text(row), "latitude": row["lat"], "longitude": row["lon"],
             "external_identifier": key, "external_identifier_type": ID_TYPE}
        )  # fmt: skip
        attrs: list[tuple[str, str, str, str, str]] = []  # (link id, entity, kind, code, value)
        if row["street"] and row["zip"]:
            tables["address"].append(
                {"id": uid("address", key), "location_id": loc, "address_1": row["street"], "city": row["city"],
                 "state_province": row["state"], "postal_code": row["zip"], "country": "US",
                 "address_type": "physical"}
            )  # fmt: skip
        else:
            attrs += [(loc, "location", "field", f, row[f]) for f in PLACE_ATTRIBUTES if row[f]]
        if row["phone"]:
            tables["phone"].append(
                {"id": uid("phone", key), "location_id": loc, "organization_id": org, "number": row["phone"],
                 "type": "voice"}
            )  # fmt: skip
        for service in _services(rec, row):
            svc = service["id"]
            tables["service"].append(
                {**service, "organization_id": org, "status": "active", "fees_description": row["price_note"]}
            )
            tables["service_at_location"].append({"id": uid("sal", svc), "service_id": svc, "location_id": loc})
            tables["cost_option"] += _cost_options(row, svc)
            attrs += [(svc, "service", "route", c, "") for c in service["routes"]]
            attrs += [(svc, "service", "condition", c, "") for c in rec.get("conditions") or ()]
        for f in FIELD_ATTRIBUTES:
            if f == "source_urls":
                attrs += [(loc, "location", "field", f, u) for u in rec.get("source_urls") or ()]
            elif row[f]:
                attrs.append((loc, "location", "field", f, row[f]))
        tables["metadata"] += _metadata(row, loc)
        for n, (link, entity, kind, code, value) in enumerate(attrs):
            tables["attribute"].append(
                {"id": uid("attribute", key, str(n)), "link_id": link, "taxonomy_term_id": term_id(kind, code),
                 "link_type": kind, "link_entity": entity, "value": value}
            )  # fmt: skip
    return tables


def write_tables(tables: Mapping[str, list[dict[str, str]]], out_dir: Path) -> list[Path]:
    """The tables under their official file names, plus ``datapackage.json``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        path = out_dir / FILES[name]
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(TABLES[name]), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({c: row.get(c, "") for c in TABLES[name]})
        written.append(path)
    descriptor = out_dir / "datapackage.json"
    descriptor.write_text(json.dumps(datapackage(), indent=2) + "\n", encoding="utf-8")
    written.append(descriptor)
    return written
