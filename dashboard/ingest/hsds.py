"""Open Referral HSDS 3.0 interchange: import HSDS tables (the export is ``hsds_export``).

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
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard import vocab
from dashboard.directory.clinics import COLUMNS
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
from dashboard.ingest.hsds_schema import (
    BOOKKEEPING,
    FILES,
    ID_TYPE,
    OLD_FILES,
    PAYMENT_FACTS,
    PLACE_ATTRIBUTES,
    PRICE,
    REQUIRED_TABLES,
    TABLES,
    TAXONOMIES,
)
from dashboard.text import is_http_url

_KETAMINE = re.compile(r"ketamine|spravato", re.IGNORECASE)


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
