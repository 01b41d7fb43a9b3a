"""SAMHSA FindTreatment.gov adapter: facilities that report Ketamine Infusion Therapy.

The locator's JSON (``https://findtreatment.gov/locator/exportsAsJson/v2``; not officially documented)
answers ``{page, totalPages, recordCount, rows}``. The shape below is the one a real page has (a 2019 page
kept in ``tests/fixtures/upstream/``, from the official front end's repository). Each row has ``frid`` (a
stable facility-record id), ``name1``, ``name2``, ``street1``, ``street2``, ``city``, ``state``, ``zip``,
``phone``, ``intake1``, ``website`` (``"http://"`` when there is none), ``latitude``, ``longitude`` (the
locator's street-level point), ``typeFacility`` (``MH``, ``SA``…) and ``services``: a list with **one
entry per category**: ``f1`` the category name, ``f2`` its code (``TC``, ``TAP``, ``PAY``, ``PYAS``,
``SG``…) and ``f3`` the category's human labels joined by ``"; "``.

Service codes such as ``KIT`` (Ketamine Infusion Therapy), ``PI`` or ``VAF`` are request filters
(``sCodes=KIT``) and columns of SAMHSA's downloadable listing; they never appear in a response. So a row
qualifies when its Treatment Approaches (``TAP``) labels include "Ketamine infusion therapy" (any case);
electroconvulsive therapy or TMS alone never do. Every other row is left out with that reason.
Everything is parsed defensively: a page or row that does not match is rejected with the reason.

There is no single-facility URL, so a listing cites the locator search URL that returned it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dashboard.ingest import http
from dashboard.ingest.base import (
    SOURCE_POINT,
    ParseResult,
    RawPages,
    Rejected,
    float_of,
    slug,
    state_code,
    text_of,
    website_of,
    zip5,
)
from dashboard.states import in_us

ENDPOINT = "https://findtreatment.gov/locator/exportsAsJson/v2"
KETAMINE_LABEL = "ketamine infusion therapy"
TREATMENT_APPROACHES = "TAP"
PAYMENT = "PAY"
PAYMENT_ASSISTANCE = "PYAS"
SPECIAL_GROUPS = "SG"
# Category names, used when a row carries a category without its code.
CATEGORY_NAMES = {
    TREATMENT_APPROACHES: "treatment approaches",
    PAYMENT: "payment/insurance/funding accepted",
    PAYMENT_ASSISTANCE: "payment assistance available",
    SPECIAL_GROUPS: "special programs/groups offered",
}
# A payment label naming any kind of health insurance ("Medicare", "Private health insurance",
# "Military insurance (e.g., TRICARE)", "State-financed health insurance plan other than Medicaid").
INSURANCE = re.compile(r"insurance|medicare|medicaid|tricare", re.IGNORECASE)
# Payment labels a patient can act on (kept in price_note in the locator's words); grant and agency
# funding labels ("Community Mental Health Block Grants", "State corrections … funds") are not.
PATIENT_PAYMENT = re.compile(r"insurance|medicare|medicaid|tricare|cash|self-pay|\bva\b|veterans", re.IGNORECASE)
# Special-group labels that name a condition the programme is for.
CONDITION_GROUPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"post-?traumatic stress|\bptsd\b", re.IGNORECASE), "ptsd"),
)
# Non-ketamine treatments named in a left-out row's reason.
OTHER_NEUROMODULATION = re.compile(r"electroconvulsive|transcranial magnetic", re.IGNORECASE)
# ``typeFacility``: what kind of facility record this is (the locator lists a facility's mental health
# and substance use programmes as separate records, often at one address).
FACILITY_TYPES = {
    "MH": "mental health facility",
    "SA": "substance use facility",
    "BUPREN": "buprenorphine practitioner",
    "OTP": "opioid treatment program",
}


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


def categories(services: Any) -> dict[str, list[str]]:
    """Category code -> its labels, from a row's ``services`` (one entry per category, labels "; "-joined).

    A category given without a code is keyed by its known name; anything that is not an object with text
    is skipped. Labels of a category listed twice are joined.
    """
    out: dict[str, list[str]] = {}
    if not isinstance(services, list):
        return out
    by_name = {name: code for code, name in CATEGORY_NAMES.items()}
    for svc in services:
        if not isinstance(svc, dict):
            continue
        code = text_of(svc.get("f2")).upper() or by_name.get(text_of(svc.get("f1")).lower().rstrip(), "")
        if not code:
            continue
        labels = [part.strip() for part in text_of(svc.get("f3")).split(";") if part.strip()]
        out.setdefault(code, []).extend(labels)
    return out


def offers_ketamine(cats: dict[str, list[str]]) -> bool:
    return any(label.casefold() == KETAMINE_LABEL for label in cats.get(TREATMENT_APPROACHES, []))


def price_note(cats: dict[str, list[str]]) -> str:
    """The payment facts a patient can use, in the locator's own words ("" when none are listed)."""
    paying = [label for label in cats.get(PAYMENT, []) if PATIENT_PAYMENT.search(label)]
    assistance = cats.get(PAYMENT_ASSISTANCE, [])
    parts = []
    if paying:
        parts.append("FindTreatment.gov lists payment accepted: " + "; ".join(dict.fromkeys(paying)))
    if assistance:
        parts.append("Payment assistance: " + "; ".join(dict.fromkeys(assistance)))
    return ". ".join(parts)


def conditions_of(groups: Iterable[str]) -> tuple[str, ...]:
    codes = {code for label in groups for pattern, code in CONDITION_GROUPS if pattern.search(label)}
    return tuple(sorted(codes))


def stable_id(row: dict[str, Any], name: str, city: str, state: str, facility_type: str) -> str:
    """``findtreatment-<frid>`` (first 16 characters): the same facility record keeps its id across renames,
    and two programmes at one address stay two listings. Without a frid: a slug of name, place and type."""
    frid = slug(text_of(row.get("frid")))
    if frid:
        return f"findtreatment-{frid[:16]}"
    return slug(name, city, state, facility_type)


class FindTreatment:
    name = "findtreatment"
    source_kind = "samhsa_findtreatment"
    # Facilities with Ketamine Infusion Therapy (sCodes=KIT) within 4,000 miles (in metres) of the centre of
    # the contiguous US: every state and territory in one search, paged 100 at a time.
    default_url = (
        f"{ENDPOINT}?sType=mh&sCodes=KIT&limitType=2&limitValue=6437376&sAddr=39.8283,-98.5795&pageSize=100&sort=0"
    )

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
                self._parse_row(row, f"{where} row {r}", raw.source_url, result)
        return result

    def _parse_row(self, row: Any, where: str, cite: str, result: ParseResult) -> None:
        if not isinstance(row, dict):
            result.rejected.append(Rejected(where, f"row is not a JSON object ({type(row).__name__})"))
            return
        name1, name2 = text_of(row.get("name1")), text_of(row.get("name2"))
        cats = categories(row.get("services"))
        label = " ".join(x for x in (name1 or "(no name)", f"({name2})" if name2 else "") if x)
        if not offers_ketamine(cats):
            others = sorted({x for x in cats.get(TREATMENT_APPROACHES, []) if OTHER_NEUROMODULATION.search(x)})
            why = "Treatment Approaches do not include Ketamine infusion therapy"
            if others:
                why += f" (lists {'; '.join(others)}, which is not ketamine)"
            result.excluded.append(Rejected(f"{where} {label}", why))
            return
        city = text_of(row.get("city"))
        state = state_code(row.get("state"))
        missing = [f for f, v in (("name1", name1), ("city", city), ("state", state)) if not v]
        if missing:
            result.rejected.append(Rejected(f"{where} {label}", f"missing or invalid {', '.join(missing)}"))
            return
        type_code = text_of(row.get("typeFacility")).upper()
        facility_type = FACILITY_TYPES.get(type_code, "")
        if type_code and not facility_type:
            result.notes.append(f"{where} {label}: facility type {type_code!r} is not one this adapter knows")
        name = f"{name1}, {name2}" if name2 and name2.casefold() != name1.casefold() else name1
        if facility_type:
            name = f"{name} ({facility_type})"
        street = ", ".join(s for s in (text_of(row.get("street1")), text_of(row.get("street2"))) if s)
        payments = cats.get(PAYMENT, [])
        rec: dict[str, Any] = {
            "id": stable_id(row, name, city, state, type_code),
            "name": name,
            "street": street,
            "city": city,
            "state": state,
            "zip": zip5(row.get("zip")),
            "phone": text_of(row.get("phone")) or text_of(row.get("intake1")),
            "website": website_of(row.get("website")),
            "routes": ("iv_ketamine",),
            "conditions": conditions_of(cats.get(SPECIAL_GROUPS, [])),
            # Listing an insurance is a yes; not listing one is not a no (unknown stays empty).
            "accepts_insurance": True if any(INSURANCE.search(p) for p in payments) else None,
            # "U.S. Department of VA funds" is kept in price_note, never turned into va_community_care:
            # accepting VA funds is not the claim "sees veterans through VA community care".
            "price_note": price_note(cats),
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
