"""Open Referral HSDS 3.0 interchange: import HSDS tables and export the dataset as a conforming package.

**Export** (``export-hsds``) writes, in the official tabular layout (file names, column order, types and
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

**Import** reads the official file names and, table by table, the singular names older exports of this project
used (``organization.csv`` …). One listing per location and organization, from the ``service_at_location``
rows whose service is about ketamine (a route attribute, a publisher's term mapped to a route, or
"ketamine"/"esketamine"/"Spravato" in the service or organization text). The place comes from the location's
**physical** address, else its **postal** address (town, state and ZIP only: a PO box is not the door), else
our place attributes; without any, the row is rejected (never guessed).
Each listing cites one public source URL, the first http(s) one of: its own ``source_urls`` attributes (a
project export), the service's ``url``, the organization's ``website``, the location's ``url``, the URL given
for the whole folder (``--source-url``, the mapping's ``source_url``, or the ``--from`` URL); the notes say
which one each row used. Publishers put their URLs there: ``service_at_location`` has no URL column.
A reference that points at no row (an ``organization_id`` no organization has, an attribute linked to
nothing) and a point off the globe are reported by row and column and ignored; the rest still loads.
Another publisher's taxonomy terms map to routes and conditions through ``[values.routes]`` /
``[values.conditions]`` of a mapping file, by term code or name.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard import vocab
from dashboard.directory.clinics import COLUMNS, record_to_row
from dashboard.ingest import http
from dashboard.ingest.base import (
    CARRIED,
    ParseResult,
    RawPages,
    Rejected,
    float_of,
    state_code,
    website_of,
    zip5,
)
from dashboard.ingest.csv_source import map_codes, row_to_record
from dashboard.text import is_http_url

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/ketamine-clinic-finder/hsds")
ID_TYPE = "ketamine-clinic-finder:id"
TAXONOMIES = {
    "route": "ketamine-clinic-finder/route",
    "condition": "ketamine-clinic-finder/condition",
    "field": "ketamine-clinic-finder/field",
}
# Our columns carried as attributes of the location (everything without a native HSDS home).
FIELD_ATTRIBUTES: tuple[str, ...] = (
    "location_precision",
    "ketamine_assisted_psychotherapy",
    "source_urls",
    "source_kind",
    "source_date",
    "compiled_on",
    "state_from_city",
    "listing_kind",
    "study_id",
    "status",
    "last_seen",
    "provenance",
)
# The place of a listing that has no addresses row, as attributes of its location.
PLACE_ATTRIBUTES: tuple[str, ...] = ("street", "city", "state", "zip")
BOOKKEEPING = ("compiled_on", "last_seen", "status", "provenance")
# The payment facts written as ``cost_options`` of every service of a listing (``option`` = their label): the
# price as an amount in USD, the yes/no facts as "<label>: yes|no" in ``amount_description``.
PRICE = "self_pay_price_usd"
PAYMENT_FACTS: tuple[str, ...] = ("accepts_insurance", "va_community_care")
NO_ROUTE_SERVICE = "Ketamine treatment (route not listed)"
UPDATED_BY = "Ketamine Clinic Finder (compiled from public sources)"
NOT_IN_DIRECTORY = "(not in the directory)"

# The official HSDS 3.0.0 tables this project writes and reads: resource name -> (official file name,
# columns in the official order). Column markers, as in the official datapackage.json: "*" required,
# "!" unique, ":uuid" / ":uri" / ":email" a string format, "=number" / "=date" / "=datetime" the type.
_SPEC: dict[str, tuple[str, str]] = {
    "organization": ("organizations.csv", "id:uuid*! name* alternate_name description* email:email website:uri "
                     "tax_status tax_id year_incorporated=number legal_status logo uri:uri "
                     "parent_organization_id:uuid"),
    "service": ("services.csv", "id:uuid*! organization_id:uuid* program_id:uuid name* alternate_name description "
                "url:uri email:email status* interpretation_services application_process fees_description "
                "wait_time fees accreditations eligibility_description minimum_age=number maximum_age=number "
                "assured_date=date assurer_email:email licenses alert last_modified=datetime"),
    "location": ("locations.csv", "id:uuid*! location_type* url:uri organization_id:uuid name alternate_name "
                 "description transportation latitude=number longitude=number external_identifier "
                 "external_identifier_type"),
    "address": ("addresses.csv", "id:uuid*! location_id:uuid attention address_1* address_2 city* region "
                "state_province* postal_code* country* address_type*"),
    "service_at_location": ("service_at_location.csv", "id:uuid*! service_id:uuid* location_id:uuid* description"),
    "phone": ("phones.csv", "id:uuid*! location_id:uuid service_id:uuid organization_id:uuid contact_id:uuid "
              "service_at_location_id:uuid number* extension=number type description"),
    "taxonomy": ("taxonomies.csv", "id:uuid*! name* description* uri:uri version"),
    "taxonomy_term": ("taxonomy_terms.csv", "id:uuid*! code! name* description* parent_id:uuid taxonomy language "
                      "taxonomy_id:uuid term_uri:uri"),
    "attribute": ("attributes.csv", "id:uuid*! link_id:uuid* taxonomy_term_id:uuid* link_type link_entity* value"),
    "cost_option": ("cost_options.csv", "id:uuid*! service_id:uuid* valid_from=date valid_to=date option currency "
                    "amount=number amount_description"),
    "metadata": ("metadata.csv", "id:uuid*! resource_id:uuid* resource_type* last_action_date=date* last_action_type* "
                 "field_name* previous_value* replacement_value* updated_by*"),
}  # fmt: skip
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("service", "status"): ("active", "inactive", "defunct", "temporarily closed"),
    ("location", "location_type"): ("physical", "postal", "virtual"),
    ("address", "address_type"): ("physical", "postal", "virtual"),
}
# Official foreign keys (field, resource) among the tables above; the official package also links
# services.program_id to programs and phones.contact_id to contacts, tables this project never writes.
FOREIGN_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "service": (("organization_id", "organization"),),
    "attribute": (("taxonomy_term_id", "taxonomy_term"),),
    "service_at_location": (("service_id", "service"), ("location_id", "location")),
    "location": (("organization_id", "organization"),),
    "phone": (("location_id", "location"), ("organization_id", "organization"), ("service_id", "service"),
              ("service_at_location_id", "service_at_location")),
    "address": (("location_id", "location"),),
    "taxonomy_term": (("taxonomy_id", "taxonomy"),),
    "cost_option": (("service_id", "service"),),
}  # fmt: skip


def _columns(spec: str) -> tuple[str, ...]:
    return tuple(re.split(r"[:=*!]", token, maxsplit=1)[0] for token in spec.split())


TABLES: dict[str, tuple[str, ...]] = {name: _columns(spec) for name, (_, spec) in _SPEC.items()}
FILES: dict[str, str] = {name: file for name, (file, _) in _SPEC.items()}
OLD_FILES: dict[str, str] = {name: f"{name}.csv" for name in _SPEC}  # this project's exports before HSDS conformance
REQUIRED_TABLES = ("organization", "service", "location", "service_at_location")
_KETAMINE = re.compile(r"ketamine|spravato", re.IGNORECASE)


def field_descriptor(table: str, token: str) -> dict[str, Any]:
    """One field of the package descriptor from a column marker ("id:uuid*!", "latitude=number")."""
    name = re.split(r"[:=*!]", token, maxsplit=1)[0]
    kind = re.search(r"=(\w+)", token)
    fmt = re.search(r":(\w+)", token)
    field: dict[str, Any] = {"name": name, "type": kind.group(1) if kind else "string"}
    if fmt:
        field["format"] = fmt.group(1)
    constraints: dict[str, Any] = {"required": "*" in token, "unique": "!" in token}
    if (table, name) in ENUMS:
        constraints["enum"] = list(ENUMS[(table, name)])
    field["constraints"] = constraints
    return field


def datapackage() -> dict[str, Any]:
    """The ``datapackage.json`` of an export: the official HSDS 3.0.0 schemas of the tables written."""
    resources = []
    for name, (file, spec) in _SPEC.items():
        schema: dict[str, Any] = {
            "fields": [field_descriptor(name, token) for token in spec.split()],
            "primaryKey": "id",
        }
        if name in FOREIGN_KEYS:
            schema["foreignKeys"] = [
                {"fields": f, "reference": {"resource": target, "fields": "id"}} for f, target in FOREIGN_KEYS[name]
            ]
        resources.append(
            {"name": name, "path": file, "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}
        )  # fmt: skip
    return {
        "name": "ketamine-clinic-finder-hsds",
        "title": "Ketamine Clinic Finder directory in Open Referral HSDS 3.0.0",
        "description": "The tables of the Human Services Data Specification 3.0.0 this export uses, with their "
        "official file names, columns, types and required fields. HSDS: an Open Referral resource (CC BY-SA 4.0).",
        "profile": "tabular-data-package",
        "resources": resources,
    }


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


def _term_id(kind: str, code: str) -> str:
    return _uid("term", kind, code)


# ----------------------------------------------------------------------------------------------- export


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
            {"id": _uid("service", row["id"], code), "name": name,
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
    return [{"id": _uid("cost", service_id, o["option"]), "service_id": service_id, **o} for o in out]


def _metadata(row: Mapping[str, str], location_id: str) -> list[dict[str, str]]:
    """When the listing entered the directory and, when a refresh saw it again, when it was last seen."""
    out = []
    for date, action, column, value in (
        (row["compiled_on"], "create", "id", row["id"]),
        (row["last_seen"], "verify", "last_seen", row["last_seen"]),
    ):
        if date:
            out.append(
                {"id": _uid("metadata", row["id"], action), "resource_id": location_id, "resource_type": "location",
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
            {"id": _uid("taxonomy", kind), "name": name,
             "description": f"Ketamine Clinic Finder {kind} codes (see the project's data/README.md)"}
        )  # fmt: skip
    terms = [("route", t.code, t.label, t.help or t.label) for t in vocab.ROUTES]
    terms += [("condition", t.code, t.label, t.help or t.label) for t in vocab.CONDITIONS]
    terms += [("field", f, f, f"The dataset column {f} (see the project's data/README.md)")
              for f in (*FIELD_ATTRIBUTES, *PLACE_ATTRIBUTES)]  # fmt: skip
    for kind, code, label, description in terms:
        tables["taxonomy_term"].append(
            {"id": _term_id(kind, code), "code": code, "name": label, "description": description,
             "taxonomy": TAXONOMIES[kind], "taxonomy_id": _uid("taxonomy", kind), "language": "en"}
        )  # fmt: skip
    for rec in records:
        row = record_to_row(rec)
        key = row["id"]
        org, loc = _uid("organization", key), _uid("location", key)
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
                {"id": _uid("address", key), "location_id": loc, "address_1": row["street"], "city": row["city"],
                 "state_province": row["state"], "postal_code": row["zip"], "country": "US",
                 "address_type": "physical"}
            )  # fmt: skip
        else:
            attrs += [(loc, "location", "field", f, row[f]) for f in PLACE_ATTRIBUTES if row[f]]
        if row["phone"]:
            tables["phone"].append(
                {"id": _uid("phone", key), "location_id": loc, "organization_id": org, "number": row["phone"],
                 "type": "voice"}
            )  # fmt: skip
        for service in _services(rec, row):
            svc = service["id"]
            tables["service"].append(
                {**service, "organization_id": org, "status": "active", "fees_description": row["price_note"]}
            )
            tables["service_at_location"].append({"id": _uid("sal", svc), "service_id": svc, "location_id": loc})
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
                {"id": _uid("attribute", key, str(n)), "link_id": link, "taxonomy_term_id": _term_id(kind, code),
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


# ----------------------------------------------------------------------------------------------- import


def _rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    return [{(k or "").strip(): (v or "") for k, v in row.items() if isinstance(v, str)} for row in reader]


def _address(addresses: list[dict[str, str]]) -> dict[str, str]:
    """A location's physical address, else its postal one (a virtual address is no place); {} for none."""
    for wanted in (("physical", ""), ("postal",)):
        for a in addresses:
            if a.get("address_type", "").strip().lower() in wanted:
                return a
    return {}


# Where a listing's source URL may come from, in the order tried: (table, column) of a publisher's folder.
URL_PLACES: tuple[tuple[str, str], ...] = (("service", "url"), ("organization", "website"), ("location", "url"))
FOLDER_URL = "--source-url"  # the URL given for the whole folder, tried last


def source_url_of(
    own: Iterable[str], rows: Mapping[str, Mapping[str, str]], folder_url: str
) -> tuple[tuple[str, ...], str]:
    """The source URL(s) a listing cites and where they came from ("" and () when there is none).

    ``own``: the listing's own ``source_urls`` attribute values (kept whole when every one is http(s));
    ``rows``: its service, organization and location rows by table name; ``folder_url``: ``--source-url``.
    """
    urls = tuple(u.strip() for u in own if u.strip())
    if urls and all(is_http_url(u) for u in urls):
        return urls, "source_urls attributes"
    for table, column in URL_PLACES:
        url = website_of(rows.get(table, {}).get(column, ""))
        if is_http_url(url):
            return (url,), f"{FILES[table]} {column}"
    if is_http_url(folder_url):
        return (folder_url,), FOLDER_URL
    return (), ""


def row_ranges(numbers: Iterable[int]) -> str:
    """Row numbers as "2-5, 8": short enough to list every row of a large folder."""
    out: list[str] = []
    for n in sorted(set(numbers)):
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


# Official HSDS 3.0 tables the importer does not read: an attribute linked to one of their rows is not dangling.
_UNREAD_TABLES = frozenset(
    ("accessibility", "contact", "cost_option", "funding", "language", "metadata", "meta_table_description",
     "organization_identifier", "program", "required_document", "schedule", "service_area", "service_capacity",
     "unit", "url")
)  # fmt: skip


def _dangling(
    t: Mapping[str, list[dict[str, str]]], by_id: Mapping[str, Mapping[str, dict[str, str]]]
) -> list[Rejected]:
    """Every reference that points at no row, by table row and column (the reference is then ignored)."""
    found = []
    linkable = {
        i for name in ("service", "location", "service_at_location", "organization") for i in by_id.get(name, {})
    }
    checks = (("service", "organization_id", "organization"), ("location", "organization_id", "organization"))
    for table, column, target in checks:
        for n, r in enumerate(t.get(table, []), start=2):
            ref = r.get(column, "").strip()
            if ref and ref not in by_id.get(target, {}):
                found.append(
                    Rejected(
                        f"{FILES[table]} row {n}, column {column}",
                        f"{ref!r} matches no row of {FILES[target]}; the reference is ignored",
                    )
                )
    for n, r in enumerate(t.get("attribute", []), start=2):
        ref = r.get("link_id", "").strip()
        if ref not in linkable and r.get("link_entity", "").strip().lower() not in _UNREAD_TABLES:
            found.append(
                Rejected(
                    f"{FILES['attribute']} row {n}, column link_id",
                    f"{ref!r} matches no service, location or organization; the attribute is ignored",
                )
            )
    return found


def _point_problems(loc: Mapping[str, str], where: str) -> list[Rejected]:
    """A latitude or longitude that is given but is no point on Earth (the point is then ignored)."""
    found = []
    for column, limit in (("latitude", 90.0), ("longitude", 180.0)):
        text = loc.get(column, "").strip()
        number = float_of(text)
        if text and (number is None or abs(number) > limit):
            found.append(
                Rejected(
                    f"{where}, column {column}",
                    f"{text!r} is not a {column} (-{limit:g} to {limit:g}); the point is ignored",
                )
            )
    return found


@dataclass
class _Facts:
    """What the attributes (and our cost options) of a service or location say, in the order read."""

    routes: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unmapped: list[str] = field(default_factory=list)

    @classmethod
    def joined(cls, parts: Iterable[_Facts]) -> _Facts:
        out = cls()
        for part in parts:
            out.routes += part.routes
            out.conditions += part.conditions
            out.unmapped += part.unmapped
            for name, vals in part.fields.items():
                if name not in out.fields:  # every service of a listing carries the same payment facts
                    out.fields[name] = list(vals)
        return out


def _read_costs(rows: Iterable[Mapping[str, str]], facts: _Facts) -> None:
    """Our own cost options back into payment facts; another publisher's stay in its fees text."""
    for r in rows:
        option = r.get("option", "").strip()
        if option == vocab.label(PRICE) and r.get("currency", "").strip().upper() == "USD" and r.get("amount"):
            facts.fields[PRICE] = [r.get("amount", "").strip()]
        for f in PAYMENT_FACTS:
            prefix = f"{vocab.label(f)}: "
            if option == vocab.label(f) and r.get("amount_description", "").startswith(prefix):
                facts.fields[f] = [r.get("amount_description", "").removeprefix(prefix).strip()]


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
            failure: http.FetchError | None = None
            for file in dict.fromkeys((FILES[table], OLD_FILES[table])):
                where = f"{from_.rstrip('/')}/{file}" if http.is_url(from_) else str(Path(from_) / file)
                try:
                    texts[table] = http.read_text(where, **options)
                    break
                except http.FetchError as exc:
                    # An absent file (no file, HTTP 404) may have the other name; any other failure stops the fetch.
                    if not (exc.status == 404 or (exc.status is None and not http.is_url(from_))):
                        raise
                    failure = failure or exc
            else:
                if table in REQUIRED_TABLES and failure is not None:
                    raise http.FetchError(
                        f"{failure} (HSDS needs {FILES[table]}; an older name, {OLD_FILES[table]}, is read too)"
                    )
        cite = source_url or str(self.mapping.get("source_url") or "") or (from_ if http.is_url(from_) else "")
        return RawPages(source_url=cite, origin=from_, pages=[texts])

    def parse(self, raw: RawPages, *, retrieved: str) -> ParseResult:
        result = ParseResult()
        for page in raw.pages:
            if not isinstance(page, dict) or not all(isinstance(page.get(t), str) for t in REQUIRED_TABLES):
                result.rejected.append(Rejected("tables", f"need {', '.join(FILES[t] for t in REQUIRED_TABLES)}"))
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
        address_row: dict[int, int] = {}  # id() of an address row -> its row number, to name a bad cell
        for n, r in enumerate(t.get("address", []), start=2):
            addresses[r.get("location_id", "")].append(r)
            address_row[id(r)] = n
        phones = t.get("phone", [])
        values = self.mapping.get("values", {})
        result.rejected.extend(_dangling(t, by_id))
        location_row = {r.get("id", ""): n for n, r in enumerate(t.get("location", []), start=2)}
        folder_url = raw.source_url if is_http_url(raw.source_url or "") else ""
        url_used: dict[str, list[int]] = defaultdict(list)

        costs: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in t.get("cost_option", []):
            costs[r.get("service_id", "")].append(r)
        orgs = by_id["organization"]

        def classify(rows: Iterable[dict[str, str]]) -> _Facts:
            facts = _Facts()
            for a in rows:
                kind, code, name = terms.get(a.get("taxonomy_term_id", ""), ("", "", ""))
                if kind == "route" and code in vocab.ROUTE_CODES:
                    facts.routes.append(code)
                elif kind == "condition" and code in vocab.CONDITION_CODES:
                    facts.conditions.append(code)
                elif kind == "field":
                    facts.fields[code].append(a.get("value", ""))
                else:
                    hit = False
                    for col, target, known in (("routes", facts.routes, vocab.ROUTE_CODES),
                                               ("conditions", facts.conditions, vocab.CONDITION_CODES)):  # fmt: skip
                        for candidate in (code, name):
                            codes, _ = map_codes(candidate, values.get(col, {}), frozenset(), "\x00")
                            target.extend(c for c in codes if c in known)
                            hit = hit or bool(codes)
                    if not hit and (name or code):
                        facts.unmapped.append(name or code)
            return facts

        # A clinic publishing one service per route (as our own export does) is one listing: the ketamine
        # services at one location of one organization are read together.
        groups: dict[tuple[str, str], list[tuple[int, dict[str, str], _Facts]]] = {}
        place_facts: dict[str, _Facts] = {}
        for n, sal in enumerate(t["service_at_location"], start=2):
            where = f"{FILES['service_at_location']} row {n}"
            svc = by_id["service"].get(sal.get("service_id", ""))
            loc = by_id["location"].get(sal.get("location_id", ""))
            if svc is None or loc is None:
                result.rejected.append(Rejected(where, "refers to a service or location that is not in the tables"))
                continue
            org = orgs.get(svc.get("organization_id", "")) or orgs.get(loc.get("organization_id", "")) or {}
            if loc.get("id", "") not in place_facts:
                place_facts[loc.get("id", "")] = classify(attributes.get(loc.get("id", ""), []))
            facts = classify(attributes.get(svc.get("id", ""), []) + attributes.get(sal.get("id", ""), []))
            _read_costs(costs.get(svc.get("id", ""), []), facts)
            text = " ".join((svc.get("name", ""), svc.get("description", ""), org.get("name", ""), loc.get("name", "")))
            if not (facts.routes or place_facts[loc.get("id", "")].routes or _KETAMINE.search(text)):
                result.excluded.append(
                    Rejected(where, f"service {svc.get('name') or svc.get('id')!r} is not about ketamine")
                )
                continue
            groups.setdefault((loc.get("id", ""), org.get("id", "")), []).append((n, sal, facts))

        for (loc_id, org_id), members in groups.items():
            numbers = [n for n, _, _ in members]
            where = f"{FILES['service_at_location']} row{'s' if len(numbers) > 1 else ''} {row_ranges(numbers)}"
            loc, org = by_id["location"][loc_id], orgs.get(org_id, {})
            services = [by_id["service"][sal.get("service_id", "")] for _, sal, _ in members]
            facts = _Facts.joined([place_facts[loc_id], *(f for _, _, f in members)])
            fields = facts.fields
            addr = _address(addresses.get(loc_id, []))
            if addr:
                # A postal address (a PO box, a mailing office) places the listing in its town and ZIP but is
                # not the door, so it never becomes the street.
                postal = addr.get("address_type", "").strip().lower() == "postal"
                lines = (addr.get("address_1", "").strip(), addr.get("address_2", "").strip())
                place = {"street": "" if postal else ", ".join(x for x in lines if x), "city": addr.get("city", ""),
                         "state": addr.get("state_province", ""), "zip": addr.get("postal_code", "")}  # fmt: skip
            else:
                place = {f: (fields.get(f) or [""])[0] for f in PLACE_ATTRIBUTES}
            if not (place["city"] and place["state"]):
                result.rejected.append(
                    Rejected(where, "no physical or postal address (and no city/state) for its location")
                )
                continue
            if addr:
                cell = f"{FILES['address']} row {address_row.get(id(addr), '?')}, column"
                bad = [(f"{cell} state_province", f"{place['state']!r} is not a US state or territory")
                       if not state_code(place["state"]) else None,
                       (f"{cell} postal_code", f"{place['zip']!r} is not a US ZIP code")
                       if place["zip"].strip() and not zip5(place["zip"]) else None]  # fmt: skip
                if any(bad):
                    result.rejected += [Rejected(w, f"{r} (for {where})") for w, r in filter(None, bad)]
                    continue
            linked = {loc_id} | {s.get("id", "") for s in services} | {sal.get("id", "") for _, sal, _ in members}
            phone = next(
                (p.get("number", "") for p in phones
                 if p.get("number") and linked & {p.get("location_id"), p.get("service_id"),
                                                  p.get("service_at_location_id")}),
                "",
            )  # fmt: skip
            service_url = next((s.get("url", "") for s in services if is_http_url(website_of(s.get("url", "")))), "")
            urls, used = source_url_of(
                fields.get("source_urls", []),
                {"service": {"url": service_url}, "organization": org, "location": loc},
                folder_url,
            )
            if not urls:
                result.rejected.append(
                    Rejected(
                        where,
                        "no http(s) source URL: none on the service (url), its "
                        "organization (website) or its location (url), and no --source-url",
                    )
                )
                continue
            bad_point = _point_problems(loc, f"{FILES['location']} row {location_row.get(loc_id, '?')}")
            row: dict[str, str] = {
                "name": loc.get("name") or org.get("name", ""),
                "street": place["street"],
                "city": place["city"],
                "state": state_code(place["state"]),
                "zip": place["zip"],
                "phone": phone,
                "website": org.get("website") or service_url,
                "routes": ";".join(dict.fromkeys(facts.routes)),
                "conditions": ";".join(dict.fromkeys(facts.conditions)),
                "price_note": next((s.get("fees_description", "") for s in services if s.get("fees_description")), ""),
                "lat": "" if bad_point else loc.get("latitude", ""),
                "lon": "" if bad_point else loc.get("longitude", ""),
            }
            for f, vals in fields.items():
                if f in COLUMNS and f not in PLACE_ATTRIBUTES and f != "source_urls":
                    row[f] = vals[0] if vals else ""
            row["source_urls"] = ";".join(urls)
            if loc.get("external_identifier_type") == ID_TYPE:
                row["id"] = loc.get("external_identifier", "")
            row_mapping = {
                "columns": {c: c for c in COLUMNS},
                "source_kind": self.mapping.get("source_kind") or self.source_kind,
                "coordinate_precision": row.get("location_precision") or self.mapping.get("coordinate_precision", ""),
            }
            rec, reason = row_to_record(row, row_mapping, "")
            if rec is None:
                result.rejected.append(Rejected(where, reason))
                continue
            result.rejected.extend(p for p in bad_point if p not in result.rejected)
            url_used[used].extend(numbers)
            if any(row.get(f) for f in BOOKKEEPING):
                rec[CARRIED] = True  # a project export coming back: its own bookkeeping stays as it was
                for f in BOOKKEEPING:
                    rec[f] = row.get(f, "")
            result.records.append(rec)
            if facts.unmapped:
                result.notes.append(
                    f"{where}: taxonomy terms with no mapping: {', '.join(sorted(set(facts.unmapped)))}"
                )
        for used, numbers in url_used.items():
            result.notes.append(f"source URL from {used}: {FILES['service_at_location']} row(s) {row_ranges(numbers)}")
