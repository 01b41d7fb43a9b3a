"""What one result shows: the fields of a result card, and the blocks (``Section``) a search is shown in.

``result_card_fields(row)`` is the single description of what a result shows; the finder page's cards,
the printable list (``finder.html``) and the CSV (``finder.downloads``) all use it, so they always show
the same facts. URLs in it are only ever http(s) or ``tel:``; every string is plain text, escaped by
whoever puts it into HTML or Markdown.

Honest facts: every payment fact is its own line ("Insurance: not stated — ask the clinic"), so an unknown
never reads as a yes; a card with no phone says where to look instead of "call"; sources are named by their
site ("lhinfusions.com", "FindTreatment.gov"), which means something on paper too.

A search is shown as ``Section``s (``result_sections``), its tiers: the confirmed matches, then the
listings that may offer it ("to ask", each naming what it does not state), then (when nothing nearby is
confirmed) the nearest matches beyond the radius. The page, the map, the printable list, the CSV and
the command line all read the same sections, in the same order, with the same explanation.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlparse

import pandas as pd

from dashboard import vocab
from dashboard.finder.criteria import SearchResult
from dashboard.finder.filters import fact_labels, unstated_facts
from dashboard.finder.wording import CONFIRMED_HEADING, asks_facts, does_not_state, miles_text, to_ask_heading
from dashboard.places.gazetteer import Place
from dashboard.text import cell_text, is_http_url, is_missing

NOT_LISTED_ADDRESS = "address not listed — call to confirm"
NOT_LISTED_ADDRESS_NO_PHONE = "address not listed — see the website"
NOT_LISTED_ADDRESS_NOTHING = "address not listed"
NO_PHONE_SEE_WEBSITE = "phone not listed — see website"
NO_PHONE = "phone not listed"
NOT_STATED = "not stated — ask the clinic"
NOT_LISTED = "not listed"
STRAIGHT_LINE = "straight-line distance"
CONFIRM_NOTE = (
    "Listings are compiled from public sources and can be out of date: confirm by phone before you travel. "
    "This list is not medical advice and does not rank or recommend any clinic or treatment."
)

# Sites whose own spelling of their name differs from their lower-case host name.
SITE_NAMES: dict[str, str] = {
    "findtreatment.gov": "FindTreatment.gov",
    "findtreatment.samhsa.gov": "FindTreatment.gov",
    "clinicaltrials.gov": "ClinicalTrials.gov",
}


# ---------------------------------------------------------------------------------------------------------
# Small helpers


def text_of(value: Any) -> str:
    """A cell as trimmed text; a missing one is ""."""
    return cell_text(value).strip()


def fact_of(value: Any) -> bool | None:
    """A yes/no cell: True, False, or None when it is not stated."""
    return None if is_missing(value) else bool(value)


def codes_of(value: Any) -> tuple[str, ...]:
    """A list cell (a tuple from the loader, or ``;``-separated text) as codes or URLs."""
    if isinstance(value, (tuple, list)):
        return tuple(str(v) for v in value)
    text = text_of(value)
    return tuple(p.strip() for p in text.split(";") if p.strip())


def number_of(value: Any) -> float | None:
    """A number cell, or None when it is missing or not a number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def tel_href(phone: str) -> str | None:
    """``tel:`` link for a US phone number written any common way; None when it has too few digits."""
    digits = re.sub(r"\D", "", phone.split("x")[0].split("ext")[0])
    if len(digits) == 10:
        return f"tel:+1{digits}"
    if len(digits) == 11 and digits.startswith("1"):
        return f"tel:+{digits}"
    if 3 <= len(digits) <= 15:
        return f"tel:{digits}"
    return None


def directions_url(row: Mapping[str, Any], origin: Place | None = None) -> str:
    """OpenStreetMap directions to a listing (from ``origin`` when known).

    With a street address the destination is the address text (a city-centre pin would send a person
    to the wrong place); otherwise it is the listing's coordinates.
    """
    start = f"{origin.lat:.5f},{origin.lon:.5f}" if origin is not None else ""
    street = text_of(row.get("street"))
    params: dict[str, str] = {}
    if street:
        params["route"] = f"{start};"
        region = f"{text_of(row.get('state'))} {text_of(row.get('zip'))}".strip()
        params["to"] = ", ".join(p for p in (street, text_of(row.get("city")), region) if p)
    else:
        lat, lon = number_of(row.get("lat")), number_of(row.get("lon"))
        end = f"{lat:.5f},{lon:.5f}" if lat is not None and lon is not None else ""
        params["route"] = f"{start};{end}"
    return "https://www.openstreetmap.org/directions?" + urlencode(params)


def distance_text(miles: float | None) -> str:
    """ "0.8 miles", "12 miles", "1,204 miles"; "" when there is no distance."""
    if miles is None or math.isnan(miles):
        return ""
    if miles < 10:
        return f"{miles:.1f} miles"
    return f"{miles:,.0f} miles"


def price_text(price: float | None) -> str:
    if price is None:
        return NOT_LISTED
    return f"${price:,.0f}" if float(price).is_integer() else f"${price:,.2f}"


def site_name(url: str) -> str:
    """The site a URL belongs to, as a person would say it: "lhinfusions.com", "FindTreatment.gov"."""
    host = (urlparse(url).hostname or "").lower().removeprefix("www.")
    return SITE_NAMES.get(host, host) or url


def _source_labels(urls: list[str]) -> list[str]:
    """One label per source: the site, plus the page when one site gives several ("a.com/pricing")."""
    sites = [site_name(u) for u in urls]
    out = []
    for url, site in zip(urls, sites, strict=True):
        if sites.count(site) > 1:
            path = urlparse(url).path.strip("/")
            site = f"{site}/{path}" if path else site
            site = site if len(site) <= 60 else site[:59] + "…"
        out.append(site)
    return out


@dataclass(frozen=True)
class PaymentFact:
    """One payment fact of a listing: stated (with the page that states it, when known) or not."""

    label: str  # "Insurance", "VA community care", "Self-pay price"
    value: str  # "accepted", "yes", "$450 (per infusion)", or NOT_STATED
    stated: bool
    source_url: str | None = None

    @property
    def text(self) -> str:
        return f"{self.label}: {self.value}"


def _provenance(row: Mapping[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(text_of(row.get("provenance")) or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _fact_source(row: Mapping[str, Any], column: str, sources: list[str]) -> str | None:
    """The page a stated fact came from: its provenance entry, or the listing's only source."""
    entry = _provenance(row).get(column)
    url = entry.get("source") if isinstance(entry, dict) else None
    if isinstance(url, str) and is_http_url(url):
        return url
    return sources[0] if len(sources) == 1 else None


def payment_facts(row: Mapping[str, Any]) -> list[PaymentFact]:
    """Insurance, VA community care and self-pay price, one fact each, unknown ones said as such."""
    sources = [u for u in codes_of(row.get("source_urls")) if is_http_url(u)]
    insurance = fact_of(row.get("accepts_insurance"))
    va = fact_of(row.get("va_community_care"))
    price = number_of(row.get("self_pay_price_usd"))
    note = text_of(row.get("price_note"))
    facts = []
    if insurance is None:
        facts.append(PaymentFact("Insurance", NOT_STATED, False))
    else:
        value = "accepted" if insurance else "not accepted"
        facts.append(PaymentFact("Insurance", value, True, _fact_source(row, "accepts_insurance", sources)))
    if va is None:
        facts.append(PaymentFact("VA community care", NOT_STATED, False))
    else:
        value = "yes" if va else "no"
        facts.append(PaymentFact("VA community care", value, True, _fact_source(row, "va_community_care", sources)))
    if price is None:
        facts.append(PaymentFact("Self-pay price", NOT_STATED, False))
    else:
        value = price_text(price) + (f" ({note})" if note else "")
        facts.append(PaymentFact("Self-pay price", value, True, _fact_source(row, "self_pay_price_usd", sources)))
    return facts


# ---------------------------------------------------------------------------------------------------------
# One result


def result_card_fields(row: Mapping[str, Any], origin: Place | None = None) -> dict[str, Any]:
    """Everything one result shows, as plain (unescaped) text and safe URLs.

    ``row``: a row of ``SearchResult.results`` (a pandas Series or any mapping with the loader's columns).
    Keys: ``id, name, listing_kind, kind_label, study_id, is_study, distance_miles, distance_text,
    address, address_listed, locality, precision, precision_label, approximate, route_codes, routes,
    condition_codes, conditions, phone, phone_href, phone_text (what to show when there is no phone),
    website, website_site, directions_url, payment_facts (``PaymentFact`` list, one per fact),
    payment_lines (their text), price_note, price_note_line (the listing's payment note when no price is stated),
    kap, source_urls, source_labels, source_date, compiled_on, source_kind``.
    URLs are only ever http(s) or ``tel:``. Callers must still HTML-escape every string they put into HTML.
    """
    kind = text_of(row.get("listing_kind")) or "clinic"
    street = text_of(row.get("street"))
    city, state, zip_code = text_of(row.get("city")), text_of(row.get("state")), text_of(row.get("zip"))
    precision = text_of(row.get("location_precision"))
    phone = text_of(row.get("phone"))
    website = text_of(row.get("website"))
    website = website if website and is_http_url(website) else ""
    phone_href = tel_href(phone) if phone else None
    miles = number_of(row.get("distance_miles"))
    route_codes = codes_of(row.get("routes"))
    condition_codes = codes_of(row.get("conditions"))
    facts = payment_facts(row)
    price_note = text_of(row.get("price_note"))
    kap = fact_of(row.get("ketamine_assisted_psychotherapy"))
    sources = [u for u in codes_of(row.get("source_urls")) if is_http_url(u)]
    if street:
        address = street
    elif phone:
        address = NOT_LISTED_ADDRESS
    else:
        address = NOT_LISTED_ADDRESS_NO_PHONE if website else NOT_LISTED_ADDRESS_NOTHING

    return {
        "id": text_of(row.get("id")),
        "name": text_of(row.get("name")),
        "listing_kind": kind,
        "kind_label": vocab.LISTING_KINDS.get(kind, kind),
        "is_study": kind == "research_study",
        "study_id": text_of(row.get("study_id")),
        "distance_miles": miles,
        "distance_text": distance_text(miles),
        "address": address,
        "address_listed": bool(street),
        "locality": ", ".join(p for p in (city, f"{state} {zip_code}".strip()) if p),
        "city": city,
        "state": state,
        "zip": zip_code,
        "precision": precision,
        "precision_label": vocab.PRECISIONS.get(precision, precision)
        + ("; state inferred from the city" if fact_of(row.get("state_from_city")) else ""),
        "approximate": precision != "street",
        "route_codes": list(route_codes),
        "routes": [vocab.label(c) for c in route_codes],
        "condition_codes": list(condition_codes),
        "conditions": [vocab.label(c) for c in condition_codes],
        "phone": phone,
        "phone_href": phone_href,
        "phone_text": phone or (NO_PHONE_SEE_WEBSITE if website else NO_PHONE),
        "website": website or None,
        "website_site": site_name(website) if website else "",
        "directions_url": directions_url(row, origin),
        "payment_facts": facts,
        "payment_lines": [f.text for f in facts],
        "price_note": price_note,
        "price_note_line": f"Payment note: {price_note}" if price_note and not facts[2].stated else "",
        "kap": kap,
        "source_urls": sources,
        "source_labels": _source_labels(sources),
        "source_date": text_of(row.get("source_date")),
        "compiled_on": text_of(row.get("compiled_on")),
        "source_kind": text_of(row.get("source_kind")),
    }


TO_ASK_NOTE = "States nothing against what you chose, but not all of it: may offer it; call to ask."
TIERS: dict[str, str] = {"matches": "confirmed", "to_ask": "to ask", "nearest": "beyond distance"}


@dataclass(frozen=True)
class Section:
    """One block of results as the page, map, printable list, CSV and command line show it.

    ``kind``: "matches" (the confirmed tier), "to_ask" (listings that may offer it: each row names what it
    does not state) or "nearest" (the nearest confirmed matches beyond the radius, when nothing nearby
    is confirmed). ``heading``: "" for the matches of a search with no fact to ask about (the search
    sentence heads them). ``note``: why these rows are here (the CSV's note column and a paragraph in
    the printable list). ``missing``: per row of "to_ask", what it does not state; ``badges``: the same
    as card text ("does not state: insurance").
    """

    kind: str
    rows: pd.DataFrame
    heading: str = ""
    note: str = ""
    badges: list[str] = field(default_factory=list)
    missing: list[list[str]] = field(default_factory=list)

    @property
    def tier(self) -> str:
        return TIERS.get(self.kind, self.kind)


def result_sections(result: SearchResult) -> list[Section]:
    """The blocks a search shows, in order: confirmed, to ask, beyond the distance (see ``Section``).
    Empty blocks are left out, except the confirmed one."""
    c = result.criteria
    tiered = asks_facts(c)
    out = [Section("matches", result.results, CONFIRMED_HEADING if tiered and len(result.results) else "")]
    if len(result.to_ask):
        missing = [unstated_facts(r, c) for r in result.to_ask.to_dict("records")]
        facts = [label for label in fact_labels() if any(label in row for row in missing)]
        heading = to_ask_heading(facts)
        badges = [does_not_state(m) for m in missing]
        out.append(Section("to_ask", result.to_ask, heading, TO_ASK_NOTE, badges, missing))
    if len(result.nearest_beyond):
        heading = f"Nearest matches beyond {miles_text(c.radius_miles)} miles"
        out.append(Section("nearest", result.nearest_beyond, heading, result.empty_reason or ""))
    return [s for s in out if len(s.rows) or s.kind == "matches"]


def report_url(listing_id: str, base_url: str = "") -> str:
    """Where "Report a problem" about a listing goes: the app's report page (relative to the app when
    ``base_url`` is empty; absolute for the printable list, which is opened from a file)."""
    return f"{base_url.rstrip('/') + '/' if base_url else ''}report?{urlencode({'listing': listing_id})}"


def as_sections(results: pd.DataFrame | Iterable[Mapping[str, Any]] | list[Section]) -> list[Section]:
    """``result_sections(...)`` as they are, or plain rows as one block of matches."""
    if isinstance(results, list) and results and all(isinstance(v, Section) for v in results):
        return results
    return [Section("matches", results)]


def rows_of(results: pd.DataFrame | Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    """The rows of a table (or of any iterable of mappings) one by one."""
    if isinstance(results, pd.DataFrame):
        return (row for _, row in results.iterrows())
    return results


def shown_rows(sections: list[Section]) -> pd.DataFrame:
    """Every row the list shows, in order, as one table (what the map draws)."""
    if len(sections) > 1:
        return pd.concat([s.rows for s in sections], ignore_index=True)
    return sections[0].rows  # most searches: the matches alone (a concat would copy the table on every run)


def popup_notes(sections: list[Section]) -> list[str]:
    """One line per shown row for its map popup: the "does not state" badge, else nothing."""
    return [note for s in sections for note in (s.badges or [""] * len(s.rows))]
