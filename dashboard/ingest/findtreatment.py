"""SAMHSA FindTreatment.gov adapter: facilities offering ketamine infusion therapy (service code ``KIT``).

The JSON export ``https://findtreatment.gov/locator/exportsAsJson/v2`` is not officially documented; its
shape here comes from public client code: ``{page, totalPages, recordCount, rows}``, each row with
``name1, name2, street1, street2, city, state, zip, phone, website, latitude, longitude, miles,
type_facility, services: [{f1, f2, f3}]`` (f1 category, f2 codes, f3 descriptions, ``; ``-separated).
Everything is parsed defensively: a row or page that does not match is rejected with the reason.

Only rows whose services include ``KIT`` become listings; ``TMS`` and ``ECT`` are not ketamine and
never qualify a facility on their own. There is no single-facility endpoint, so a listing cites the
locator search URL that returned it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dashboard.clinics import in_us
from dashboard.ingest import http
from dashboard.ingest.base import (
    SOURCE_POINT,
    ParseResult,
    RawPages,
    Rejected,
    float_of,
    listing_id,
    state_code,
    text_of,
    website_of,
    zip5,
)

ENDPOINT = "https://findtreatment.gov/locator/exportsAsJson/v2"
KETAMINE_CODE = "KIT"
# Payment codes meaning "takes some form of health insurance" (N-SUMHSS code list as transcribed publicly):
# private insurance, Medicare, Medicaid, military insurance (TRICARE), state-financed insurance.
INSURANCE_CODES = frozenset({"PI", "MC", "MD", "MI", "SI"})
INSURANCE_WORDS = ("insurance", "medicare", "medicaid", "tricare")
PAYMENT_CATEGORY_WORDS = ("payment", "insurance", "funding")
# Special-group codes that say which condition a programme is for.
CONDITION_CODES = {"PTSD": "ptsd"}
VA_FUNDS_CODE = "VAF"


def _page_params(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), dict(parse_qsl(parts.query))


def _with_params(url: str, **changes: Any) -> str:
    base, params = _page_params(url)
    params.update({k: str(v) for k, v in changes.items()})
    return f"{base}?{urlencode(params)}"


def citation_url(url: str) -> str:
    """The search URL without the paging parameter: what a reader can open to see the listing."""
    base, params = _page_params(url)
    params.pop("page", None)
    return f"{base}?{urlencode(params)}" if params else base


class FindTreatment:
    name = "findtreatment"
    source_kind = "samhsa_findtreatment"
    default_url = f"{ENDPOINT}?sType=mh&limitType=2&limitValue=80467&sAddr=39.8283,-98.5795&pageSize=100&sort=0"

    def fetch(self, from_: str, *, source_url: str | None = None, **options: Any) -> RawPages:
        def next_url(url: str, page: Any) -> str | None:
            if not isinstance(page, dict):
                return None
            current = int(float_of(page.get("page")) or float_of(_page_params(url)[1].get("page")) or 1)
            total = int(float_of(page.get("totalPages")) or 0)
            rows = page.get("rows")
            if current >= total or not isinstance(rows, list) or not rows:
                return None
            return _with_params(url, page=current + 1)

        def first_url(url: str) -> str:
            return url if "page" in _page_params(url)[1] else _with_params(url, page=1)

        pages = http.fetch_pages(from_, next_url, first_url=first_url, **options)
        cite = source_url or (citation_url(from_) if http.is_url(from_) else ENDPOINT)
        return RawPages(source_url=cite, origin=from_, pages=pages)

    def parse(self, raw: RawPages, *, retrieved: str) -> ParseResult:
        result = ParseResult()
        for p, page in enumerate(raw.pages, start=1):
            where = f"page {p}"
            if not isinstance(page, dict):
                result.rejected.append(Rejected(where, f"not a JSON object ({type(page).__name__})"))
                result.complete = False
                continue
            rows = page.get("rows")
            if rows is None:
                result.rejected.append(Rejected(where, "no 'rows' list in the page"))
                result.complete = False
                continue
            if not isinstance(rows, list):
                result.rejected.append(Rejected(where, f"'rows' is not a list ({type(rows).__name__})"))
                result.complete = False
                continue
            if not rows:
                result.notes.append(f"{where}: no rows")
            for r, row in enumerate(rows, start=1):
                self._parse_row(row, f"{where} row {r}", raw.source_url, retrieved, result)
        return result

    def _parse_row(self, row: Any, where: str, cite: str, retrieved: str, result: ParseResult) -> None:
        if not isinstance(row, dict):
            result.rejected.append(Rejected(where, f"row is not a JSON object ({type(row).__name__})"))
            return
        name = text_of(row.get("name1"))
        services = _services(row.get("services"))
        codes = {code for _, code, _ in services}
        label = name or "(no name)"
        if KETAMINE_CODE not in codes:
            has_other = sorted(codes & {"TMS", "ECT"})
            why = f"services do not include {KETAMINE_CODE}" + (f" (only {', '.join(has_other)})" if has_other else "")
            result.excluded.append(Rejected(f"{where} {label}", why))
            return
        city = text_of(row.get("city"))
        state = state_code(row.get("state"))
        missing = [f for f, v in (("name1", name), ("city", city), ("state", state)) if not v]
        if missing:
            result.rejected.append(Rejected(f"{where} {label}", f"missing or invalid {', '.join(missing)}"))
            return
        name2 = text_of(row.get("name2"))
        if name2 and name2.lower() != name.lower():
            name = f"{name}, {name2}"
        street = ", ".join(s for s in (text_of(row.get("street1")), text_of(row.get("street2"))) if s)

        insurance = any(
            code in INSURANCE_CODES or any(w in desc.lower() for w in INSURANCE_WORDS)
            for cat, code, desc in services
            if any(w in cat.lower() for w in PAYMENT_CATEGORY_WORDS)
        )
        payments = [
            desc or code for cat, code, desc in services if any(w in cat.lower() for w in PAYMENT_CATEGORY_WORDS)
        ]
        conditions = sorted({CONDITION_CODES[code] for _, code, _ in services if code in CONDITION_CODES})
        rec: dict[str, Any] = {
            "id": listing_id(name, city, state),
            "name": name,
            "street": street,
            "city": city,
            "state": state,
            "zip": zip5(row.get("zip")),
            "phone": text_of(row.get("phone")),
            "website": website_of(row.get("website")),
            "routes": ("iv_ketamine",),
            "conditions": tuple(conditions),
            "accepts_insurance": True if insurance else None,
            "price_note": ("FindTreatment.gov lists payment accepted: " + "; ".join(dict.fromkeys(payments)))
            if payments
            else "",
            "source_urls": (cite,),
            "source_kind": self.source_kind,
            "listing_kind": "clinic",
        }
        lat, lon = float_of(row.get("latitude")), float_of(row.get("longitude"))
        if lat is not None and lon is not None:
            if in_us(lat, lon):
                # The locator places facilities by their street address; without one, the point's precision is unknown.
                rec[SOURCE_POINT] = (lat, lon, "street" if street else "")
            else:
                result.notes.append(f"{where} {name}: coordinates {lat}, {lon} outside the US were ignored")
        result.records.append(rec)


def _split(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r";", text_of(value)) if part.strip()]


def _services(value: Any) -> list[tuple[str, str, str]]:
    """(category, code, description) triples; codes and descriptions are paired by position when they align."""
    out: list[tuple[str, str, str]] = []
    if not isinstance(value, list):
        return out
    for svc in value:
        if not isinstance(svc, dict):
            continue
        category = text_of(svc.get("f1"))
        codes = [c.upper() for c in _split(svc.get("f2"))]
        descs = _split(svc.get("f3"))
        if len(descs) != len(codes):
            descs = [""] * len(codes)
        out.extend((category, code, desc) for code, desc in zip(codes, descs, strict=True))
    return out
