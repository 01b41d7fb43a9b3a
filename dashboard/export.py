"""Results for people: the fields of one result card, a CSV download and a printable HTML list.

``result_card_fields(row)`` is the single description of what a result shows; the finder page's list
and the printable list both use it, so they always show the same facts.

Safety rules kept here:

* **Spreadsheet formula injection.** Every CSV cell is neutralised (``dashboard.text.neutralise_formula``).
* **HTML.** Every dataset string is HTML-escaped; only ``http(s)`` URLs become links; phones become
  ``tel:`` links built from their digits only; the printable page carries a Content-Security-Policy
  that forbids scripts, so even a missed escape could not run code.
* The CSV is UTF-8 with a byte-order mark by default, because Excel otherwise misreads accents and the
  "—" in "address not listed — call to confirm"; the command line asks for no BOM.

Honest facts: every payment fact is its own line ("Insurance: not stated — ask the clinic"), so an unknown
never reads as a yes; a card with no phone says where to look instead of "call"; sources are named by their
site ("lhinfusions.com", "FindTreatment.gov"), which means something on paper too.

A search is shown as ``Section``s (``result_sections``): the matches, then (when asked for) the listings
that do not state a fact a filter asks about, then (for an empty search) the nearest matches beyond the
radius. The page, the map, the printable list and the CSV all read the same sections, in the same order,
with the same explanation.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlparse

import pandas as pd

from dashboard import vocab
from dashboard.content import safety
from dashboard.places.gazetteer import Place
from dashboard.search import SearchResult, unstated_facts
from dashboard.text import cell_text, is_http_url, is_missing, neutralise_formula

NOT_LISTED_ADDRESS = "address not listed — call to confirm"
NOT_LISTED_ADDRESS_NO_PHONE = "address not listed — see the website"
NOT_LISTED_ADDRESS_NOTHING = "address not listed"
NO_PHONE_SEE_WEBSITE = "phone not listed — see website"
NO_PHONE = "phone not listed"
NOT_STATED = "not stated — ask the clinic"
NOT_STATED_BADGE = "not stated"
NOT_LISTED = "not listed"
STRAIGHT_LINE = "straight-line distance"
CONFIRM_NOTE = (
    "Listings are compiled from public sources and can be out of date: confirm by phone before you travel. "
    "This list is not medical advice and does not rank or recommend any clinic or treatment."
)

CSV_COLUMNS: tuple[str, ...] = (
    "name",
    "listing type",
    "distance (miles, straight line)",
    "address",
    "city",
    "state",
    "zip",
    "location precision",
    "phone",
    "website",
    "routes",
    "conditions",
    "accepts insurance",
    "VA community care",
    "self-pay price (USD)",
    "price note",
    "study id",
    "directions",
    "source URLs",
    "source date",
    "compiled on",
    "note",
)
# Sites whose own spelling of their name differs from their lower-case host name.
SITE_NAMES: dict[str, str] = {
    "findtreatment.gov": "FindTreatment.gov",
    "findtreatment.samhsa.gov": "FindTreatment.gov",
    "clinicaltrials.gov": "ClinicalTrials.gov",
}


# ---------------------------------------------------------------------------------------------------------
# Small helpers


def _text(value: Any) -> str:
    return cell_text(value).strip()


def _fact(value: Any) -> bool | None:
    return None if is_missing(value) else bool(value)


def _codes(value: Any) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(str(v) for v in value)
    text = _text(value)
    return tuple(p.strip() for p in text.split(";") if p.strip())


def _float(value: Any) -> float | None:
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
    street = _text(row.get("street"))
    params: dict[str, str] = {}
    if street:
        params["route"] = f"{start};"
        params["to"] = ", ".join(
            p
            for p in (street, _text(row.get("city")), f"{_text(row.get('state'))} {_text(row.get('zip'))}".strip())
            if p
        )
    else:
        lat, lon = _float(row.get("lat")), _float(row.get("lon"))
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
        data = json.loads(_text(row.get("provenance")) or "{}")
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
    sources = [u for u in _codes(row.get("source_urls")) if is_http_url(u)]
    insurance = _fact(row.get("accepts_insurance"))
    va = _fact(row.get("va_community_care"))
    price = _float(row.get("self_pay_price_usd"))
    note = _text(row.get("price_note"))
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
    kind = _text(row.get("listing_kind")) or "clinic"
    street = _text(row.get("street"))
    city, state, zip_code = _text(row.get("city")), _text(row.get("state")), _text(row.get("zip"))
    precision = _text(row.get("location_precision"))
    phone = _text(row.get("phone"))
    website = _text(row.get("website"))
    website = website if website and is_http_url(website) else ""
    phone_href = tel_href(phone) if phone else None
    miles = _float(row.get("distance_miles"))
    route_codes = _codes(row.get("routes"))
    condition_codes = _codes(row.get("conditions"))
    facts = payment_facts(row)
    price_note = _text(row.get("price_note"))
    kap = _fact(row.get("ketamine_assisted_psychotherapy"))
    sources = [u for u in _codes(row.get("source_urls")) if is_http_url(u)]
    if street:
        address = street
    elif phone:
        address = NOT_LISTED_ADDRESS
    else:
        address = NOT_LISTED_ADDRESS_NO_PHONE if website else NOT_LISTED_ADDRESS_NOTHING

    return {
        "id": _text(row.get("id")),
        "name": _text(row.get("name")),
        "listing_kind": kind,
        "kind_label": vocab.LISTING_KINDS.get(kind, kind),
        "is_study": kind == "research_study",
        "study_id": _text(row.get("study_id")),
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
        + ("; state inferred from the city" if _fact(row.get("state_from_city")) else ""),
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
        "source_date": _text(row.get("source_date")),
        "compiled_on": _text(row.get("compiled_on")),
        "source_kind": _text(row.get("source_kind")),
    }


@dataclass(frozen=True)
class Section:
    """One block of results as the page, map, printable list and CSV show it.

    ``kind``: "matches", "unstated" (listings that do not state a fact a filter asks about; each card gets
    a "not stated" badge) or "nearest" (the nearest matches beyond the radius of an empty search).
    ``heading``: "" for the matches (the search sentence heads them). ``note``: why these rows are here
    (the CSV's note column and a paragraph in the printable list).
    """

    kind: str
    rows: pd.DataFrame
    heading: str = ""
    note: str = ""
    badges: list[str] = field(default_factory=list)  # per row, for "unstated": "not stated: insurance"


def _miles(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def result_sections(result: SearchResult, show_unstated: bool = False) -> list[Section]:
    """The blocks a search shows, in order (see ``Section``); blocks with no rows are left out."""
    c = result.criteria
    out = [Section("matches", result.results)]
    if show_unstated and len(result.unstated):
        badges = [f"{NOT_STATED_BADGE}: " + ", ".join(unstated_facts(r, c)) for r in result.unstated.to_dict("records")]
        prompt = result.left_out.prompt()
        out.append(Section("unstated", result.unstated, prompt, prompt + ".", badges))
    if len(result.nearest_beyond):
        heading = f"Nearest matches beyond {_miles(c.radius_miles)} miles"
        out.append(Section("nearest", result.nearest_beyond, heading, result.empty_reason or ""))
    return [s for s in out if len(s.rows) or s.kind == "matches"]


def _rows(results: pd.DataFrame | Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    if isinstance(results, pd.DataFrame):
        return (row for _, row in results.iterrows())
    return results


# ---------------------------------------------------------------------------------------------------------
# CSV


def _yes_no(value: bool | None) -> str:
    return NOT_LISTED if value is None else ("yes" if value else "no")


def _csv_cells(row: Mapping[str, Any], origin: Place | None, note: str) -> list[str]:
    f = result_card_fields(row, origin)
    price = _float(row.get("self_pay_price_usd"))
    return [
        f["name"],
        f["kind_label"],
        f"{f['distance_miles']:.1f}" if f["distance_miles"] is not None else "",
        f["address"],
        f["city"],
        f["state"],
        f["zip"],
        f["precision_label"],
        f["phone"] or f["phone_text"],
        f["website"] or "",
        "; ".join(f["routes"]),
        "; ".join(f["conditions"]),
        _yes_no(_fact(row.get("accepts_insurance"))),
        _yes_no(_fact(row.get("va_community_care"))),
        f"{price:g}" if price is not None else NOT_LISTED,
        f["price_note"],
        f["study_id"],
        f["directions_url"],
        " ".join(f["source_urls"]),
        f["source_date"],
        f["compiled_on"],
        note,
    ]


def results_csv(
    results: pd.DataFrame | Iterable[Mapping[str, Any]] | list[Section],
    origin: Place | None = None,
    *,
    bom: bool = True,
    explanation: str | None = None,
) -> bytes:
    """The results as a CSV for a person (columns ``CSV_COLUMNS``), every cell formula-neutralised.

    ``results``: rows, or ``result_sections(...)`` (each row's note then says why it is listed: the
    explanation of an empty search for the nearest matches beyond the radius, the unstated facts for the
    listings that do not state them). ``origin``: the searched place, the start of every directions link.
    ``explanation``: the empty-search explanation; with no rows at all it is the one row of the file.
    """
    sections = results if _is_sections(results) else [Section("matches", results)]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise_formula(c) for c in CSV_COLUMNS])
    written = 0
    for section in sections:
        for i, row in enumerate(_rows(section.rows)):
            note = section.badges[i] if section.badges else section.note
            writer.writerow([neutralise_formula(c) for c in _csv_cells(row, origin, note)])
            written += 1
    if not written and explanation:
        writer.writerow([neutralise_formula(c) for c in [""] * (len(CSV_COLUMNS) - 1) + [explanation]])
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def _is_sections(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Section) for v in value)


# ---------------------------------------------------------------------------------------------------------
# Printable HTML

_CSS = """
body { font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; margin: 1.5rem; }
h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
.meta, .note, .small { color: #444; font-size: .9rem; }
.crisis { border: 2px solid #b00020; padding: .4rem .6rem; margin: .6rem 0; }
ol { padding-left: 1.4rem; }
li.result { margin: 0 0 .9rem; break-inside: avoid; page-break-inside: avoid; }
.name { font-weight: 600; font-size: 1.05rem; }
.badge { display: inline-block; border: 1px solid #888; border-radius: .6rem; padding: 0 .4rem; margin: 0 .2rem .1rem 0;
         font-size: .8rem; }
.study { border-color: #6a1b9a; color: #6a1b9a; }
.unstated-badge { border-style: dashed; border-color: #7a4100; color: #7a4100; }
.unstated { color: #444; font-style: italic; }
.explain { border-left: 4px solid #0645ad; padding: .3rem .6rem; background: #f2f6fc; }
h2 { font-size: 1.1rem; margin: 1rem 0 .3rem; }
a { color: #0645ad; }
@media print {
  body { margin: 0; font-size: 10pt; }
  a { color: #000; text-decoration: none; }
  .sources a::after { content: " <" attr(href) ">"; word-break: break-all; }
  .noprint { display: none; }
  @page { margin: 1.5cm; }
}
"""


def _e(value: Any) -> str:
    return html.escape(_text(value), quote=True)


def _link(url: str | None, text: str | None = None) -> str:
    """A link only for http(s) and tel: URLs; anything else is shown as plain text."""
    if not url:
        return _e(text or "")
    if is_http_url(url) or re.fullmatch(r"tel:\+?\d{3,15}", url):
        return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(text if text is not None else url)}</a>'
    return _e(text if text is not None else url)


def report_url(listing_id: str, base_url: str = "") -> str:
    """Where "Report a problem" about a listing goes: the app's report page (relative to the app when
    ``base_url`` is empty; absolute for the printable list, which is opened from a file)."""
    return f"{base_url.rstrip('/') + '/' if base_url else ''}report?{urlencode({'listing': listing_id})}"


def _badges(items: Iterable[str], cls: str = "badge") -> str:
    return "".join(f'<span class="{cls}">{_e(x)}</span>' for x in items)


def _fact_html(fact: PaymentFact) -> str:
    line = _e(fact.text)
    if fact.stated and fact.source_url:
        line += " (source: " + _link(fact.source_url, site_name(fact.source_url)) + ")"
    return line if fact.stated else f'<span class="unstated">{line}</span>'


def card_lines(f: Mapping[str, Any], badge: str = "") -> list[str]:
    """The lines of one result as HTML (escaped); ``badge`` marks a listing shown although it does not state
    a fact a filter asks about ("not stated: insurance"). A caller may append lines of its own."""
    lines = []
    head = f'<span class="name">{_e(f["name"])}</span>'
    if f["is_study"]:
        study = f" {f['study_id']}" if f["study_id"] else ""
        head += f' <span class="badge study">{_e(f["kind_label"] + study)}</span>'
    if badge:
        head += f' <span class="badge unstated-badge">{_e(badge)}</span>'
    if f["distance_text"]:
        head += f" — {_e(f['distance_text'])} ({STRAIGHT_LINE})"
    lines.append(head)
    where = f["address"] + (f", {f['locality']}" if f["locality"] else "")
    lines.append(f'{_e(where)} <span class="small">({_e(f["precision_label"])})</span>')
    contact = ["Phone: " + _link(f["phone_href"], f["phone"])] if f["phone"] else [_e(f["phone_text"])]
    if f["website"]:
        contact.append("Website: " + _link(f["website"], f["website_site"]))
    contact.append(_link(f["directions_url"], "Directions (OpenStreetMap)"))
    if f.get("report_url"):  # built by report_url() from the listing id, never taken from the data
        contact.append(f'<a href="{_e(f["report_url"])}" target="_blank" rel="noopener">Report a problem</a>')
    lines.append(" · ".join(contact))
    if f["routes"]:
        lines.append("Routes: " + _badges(f["routes"]))
    else:
        lines.append('<span class="unstated">Routes: not listed — ask the clinic</span>')
    if f["conditions"]:
        lines.append("Conditions: " + _badges(f["conditions"]))
    else:
        lines.append('<span class="unstated">Conditions: not listed — ask the clinic</span>')
    lines.extend(_fact_html(fact) for fact in f["payment_facts"])
    if f["price_note_line"]:
        lines.append(_e(f["price_note_line"]))
    sources = " · ".join(_link(u, label) for u, label in zip(f["source_urls"], f["source_labels"], strict=True))
    dates = []
    if f["compiled_on"]:
        dates.append(f"listing compiled {f['compiled_on']}")
    if f["source_date"]:
        dates.append(f"source dated {f['source_date']}")
    tail = ("; ".join(dates)).capitalize()
    lead = f"Source{'s' if len(f['source_urls']) != 1 else ''}: {sources}. " if sources else ""
    lines.append(f'<span class="small sources">{lead}{_e(tail + "." if tail else "")}</span>')
    return lines


def card_html(f: Mapping[str, Any], badge: str = "") -> str:
    """One result as an HTML list item (shared by the printable list and the finder page). Escapes everything."""
    return f'<li class="result" data-id="{_e(f["id"])}">' + "<br>".join(card_lines(f, badge)) + "</li>"


def results_html(
    results: pd.DataFrame | Iterable[Mapping[str, Any]] | list[Section],
    description: str,
    origin: Place | None = None,
    *,
    notes: Iterable[str] = (),
    explanation: str | None = None,
    generated: dt.date | None = None,
    report_base_url: str | None = None,
) -> str:
    """A complete, self-contained printable HTML page listing the results.

    ``results``: rows, or ``result_sections(...)`` (each section after the matches gets its heading and
    note). ``description``: the search sentence (``SearchResult.description``); ``explanation``: why an
    empty search shows what it shows (``SearchResult.empty_reason``); ``notes``: further sentences (the
    listings left out because a fact is not stated; where the directory is thin); ``report_base_url``: the
    app's http(s) address, to give every listing a "Report a problem" link. Everything is escaped.
    """
    day = (generated or dt.date.today()).isoformat()
    sections = results if _is_sections(results) else [Section("matches", results)]
    blocks = []
    for section in sections:
        cards = []
        for i, row in enumerate(_rows(section.rows)):
            fields = result_card_fields(row, origin)
            if report_base_url and is_http_url(report_base_url):
                fields["report_url"] = report_url(fields["id"], report_base_url)
            cards.append(card_html(fields, section.badges[i] if section.badges else ""))
        if not cards:
            continue
        if section.heading:
            blocks.append(f"<h2>{_e(section.heading)}</h2>")
        if section.note and section.note != explanation:
            blocks.append(f'<p class="note">{_e(section.note)}</p>')
        blocks.append("<ol>" + "".join(cards) + "</ol>")
    body = "".join(blocks) or "<p>No listings match this search.</p>"
    note_html = "".join(f'<p class="note">{_e(n)}</p>' for n in notes)
    explain_html = f'<p class="explain">{_e(explanation)}</p>' if explanation else ""
    crisis = " ".join(f"{_e(line.name)}: {_e(line.how)}." for line in safety.CRISIS_LINES)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Ketamine clinic search results</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{_e(description)}</h1>
<p class="meta">Printed {_e(day)}. Distances are {STRAIGHT_LINE}s.</p>
<p class="crisis"><strong>{_e(safety.CRISIS_HEADLINE)}</strong> {crisis}</p>
{explain_html}
<p class="note">{_e(CONFIRM_NOTE)}</p>
{note_html}
{body}
<p class="note">{_e(safety.MEDICAL_DISCLAIMER)}</p>
</body>
</html>
"""
