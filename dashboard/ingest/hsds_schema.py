"""Open Referral HSDS 3.0: the tables this project writes and reads, as the official ``datapackage.json``
describes them (file names, column order, types, required fields, enums, foreign keys), and the ids and
taxonomies an export uses. Shared by the exporter (``hsds_export``) and the importer (``hsds``)."""

from __future__ import annotations

import re
import uuid
from typing import Any

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


def uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


def term_id(kind: str, code: str) -> str:
    return uid("term", kind, code)
