"""Results for people: the fields of one result card, a CSV download and a printable HTML list.

``result_card_fields(row)`` is the single description of what a result shows; the finder page's list
and the printable list both use it, so they always show the same facts.

Safety rules kept here:

* **Spreadsheet formula injection.** Every CSV cell whose first character (or first character after
  leading whitespace) is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or the full-width
  ``＝ ＋ － ＠``) is prefixed with a single quote ``'``, so Excel, LibreOffice and Google Sheets show it
  as text instead of evaluating it. The quote is visible in the cell; that is the accepted trade-off
  (OWASP "CSV injection"). Phone numbers written "+1 …" get it too.
* **HTML.** Every dataset string is HTML-escaped; only ``http(s)`` URLs become links; phones become
  ``tel:`` links built from their digits only; the printable page carries a Content-Security-Policy
  that forbids scripts, so even a missed escape could not run code.
* The CSV is UTF-8 with a byte-order mark by default, because Excel otherwise misreads accents and the
  "—" in "address not listed — call to confirm"; the command line asks for no BOM.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from dashboard import safety, vocab
from dashboard.clinics import is_http_url
from dashboard.geo import Place

NOT_LISTED_ADDRESS = "address not listed — call to confirm"
NOT_LISTED = "not listed"
STRAIGHT_LINE = "straight-line distance"
CONFIRM_NOTE = (
    "Listings are compiled from public sources and can be out of date: confirm by phone before you travel. "
    "This list is not medical advice and does not rank or recommend any clinic or treatment."
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

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
)


# ---------------------------------------------------------------------------------------------------------
# Small helpers


def _text(value: Any) -> str:
    """A cell as text; None, NA and NaN become ""."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value).strip()


def _fact(value: Any) -> bool | None:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return bool(value)


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


def neutralise(value: str) -> str:
    """Make one CSV cell safe from spreadsheet formula evaluation (prefix ``'``; see module docstring)."""
    if value and (value[0] in FORMULA_PREFIXES or value.lstrip()[:1] in FORMULA_PREFIXES):
        return "'" + value
    return value


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


# ---------------------------------------------------------------------------------------------------------
# One result


def result_card_fields(row: Mapping[str, Any], origin: Place | None = None) -> dict[str, Any]:
    """Everything one result shows, as plain (unescaped) text and safe URLs.

    ``row``: a row of ``SearchResult.results`` (a pandas Series or any mapping with the loader's columns).
    Keys: ``id, name, listing_kind, kind_label, study_id, is_study, distance_miles, distance_text,
    address, address_listed, locality, precision, precision_label, approximate, route_codes, routes,
    condition_codes, conditions, phone, phone_href, website, directions_url, payment (known facts as
    "label: value" strings), payment_not_listed (labels of unknown facts), price_note, kap,
    source_urls, source_date, compiled_on, source_kind``. URLs are only ever http(s) or ``tel:``.
    Callers must still HTML-escape every string they put into HTML.
    """
    kind = _text(row.get("listing_kind")) or "clinic"
    street = _text(row.get("street"))
    city, state, zip_code = _text(row.get("city")), _text(row.get("state")), _text(row.get("zip"))
    precision = _text(row.get("location_precision"))
    phone = _text(row.get("phone"))
    website = _text(row.get("website"))
    miles = _float(row.get("distance_miles"))
    route_codes = _codes(row.get("routes"))
    condition_codes = _codes(row.get("conditions"))

    payment: list[str] = []
    not_listed: list[str] = []
    insurance = _fact(row.get("accepts_insurance"))
    va = _fact(row.get("va_community_care"))
    price = _float(row.get("self_pay_price_usd"))
    if insurance is None:
        not_listed.append(vocab.label("accepts_insurance"))
    else:
        payment.append("Accepts insurance" if insurance else "Does not take insurance")
    if va is None:
        not_listed.append(vocab.label("va_community_care"))
    else:
        payment.append("VA community care: yes" if va else "VA community care: no")
    price_note = _text(row.get("price_note"))
    if price is None:
        not_listed.append(vocab.label("self_pay_price_usd"))
    else:
        payment.append(f"Self-pay price: {price_text(price)}" + (f" ({price_note})" if price_note else ""))
    kap = _fact(row.get("ketamine_assisted_psychotherapy"))

    return {
        "id": _text(row.get("id")),
        "name": _text(row.get("name")),
        "listing_kind": kind,
        "kind_label": vocab.LISTING_KINDS.get(kind, kind),
        "is_study": kind == "research_study",
        "study_id": _text(row.get("study_id")),
        "distance_miles": miles,
        "distance_text": distance_text(miles),
        "address": street or NOT_LISTED_ADDRESS,
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
        "phone_href": tel_href(phone) if phone else None,
        "website": website if website and is_http_url(website) else None,
        "directions_url": directions_url(row, origin),
        "payment": payment,
        "payment_not_listed": not_listed,
        "price_note": price_note,
        "kap": kap,
        "source_urls": [u for u in _codes(row.get("source_urls")) if is_http_url(u)],
        "source_date": _text(row.get("source_date")),
        "compiled_on": _text(row.get("compiled_on")),
        "source_kind": _text(row.get("source_kind")),
    }


def _rows(results: pd.DataFrame | Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    if isinstance(results, pd.DataFrame):
        return (row for _, row in results.iterrows())
    return results


# ---------------------------------------------------------------------------------------------------------
# CSV


def _yes_no(value: bool | None) -> str:
    return NOT_LISTED if value is None else ("yes" if value else "no")


def results_csv(
    results: pd.DataFrame | Iterable[Mapping[str, Any]],
    origin: Place | None = None,
    *,
    bom: bool = True,
) -> bytes:
    """The results as a CSV for a person (columns ``CSV_COLUMNS``), every cell formula-neutralised."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in CSV_COLUMNS])
    for row in _rows(results):
        f = result_card_fields(row, origin)
        price = _float(row.get("self_pay_price_usd"))
        cells = [
            f["name"],
            f["kind_label"],
            f"{f['distance_miles']:.1f}" if f["distance_miles"] is not None else "",
            f["address"],
            f["city"],
            f["state"],
            f["zip"],
            f["precision_label"],
            f["phone"],
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
        ]
        writer.writerow([neutralise(c) for c in cells])
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


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
a { color: #0645ad; }
@media print {
  body { margin: 0; font-size: 10pt; }
  a { color: #000; text-decoration: none; }
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


def _lower_first(label: str) -> str:
    """Lower-case a label inside a sentence, but keep acronyms ("VA community care")."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def card_html(f: Mapping[str, Any]) -> str:
    """One result as an HTML list item (shared by the printable list and the finder page). Escapes everything."""
    lines = []
    head = f'<span class="name">{_e(f["name"])}</span>'
    if f["is_study"]:
        study = f" {f['study_id']}" if f["study_id"] else ""
        head += f' <span class="badge study">{_e(f["kind_label"] + study)}</span>'
    if f["distance_text"]:
        head += f" — {_e(f['distance_text'])} ({STRAIGHT_LINE})"
    lines.append(head)
    where = f["address"] + (f", {f['locality']}" if f["locality"] else "")
    lines.append(f'{_e(where)} <span class="small">({_e(f["precision_label"])})</span>')
    contact = []
    if f["phone"]:
        contact.append("Phone: " + _link(f["phone_href"], f["phone"]))
    if f["website"]:
        contact.append("Website: " + _link(f["website"]))
    contact.append(_link(f["directions_url"], "Directions (OpenStreetMap)"))
    if f.get("report_url"):  # built by report_url() from the listing id, never taken from the data
        contact.append(f'<a href="{_e(f["report_url"])}" target="_blank" rel="noopener">Report a problem</a>')
    lines.append(" · ".join(contact))
    if f["routes"]:
        lines.append("Routes: " + "".join(f'<span class="badge">{_e(r)}</span>' for r in f["routes"]))
    else:
        lines.append("Routes: not listed — ask the clinic")
    if f["conditions"]:
        lines.append("Conditions: " + "".join(f'<span class="badge">{_e(c)}</span>' for c in f["conditions"]))
    else:
        lines.append("Conditions: not listed — ask the clinic")
    pay = list(f["payment"])
    if f["payment_not_listed"]:
        pay.append("not listed: " + ", ".join(_lower_first(x) for x in f["payment_not_listed"]))
    lines.append("Payment: " + _e("; ".join(pay)))
    sources = " ".join(_link(u, f"source {i}") for i, u in enumerate(f["source_urls"], 1))
    dated = f" (source date {f['source_date']})" if f["source_date"] else ""
    compiled = f"; compiled {f['compiled_on']}" if f["compiled_on"] else ""
    lines.append(f'<span class="small">{sources}{_e(dated + compiled)}</span>')
    return '<li class="result">' + "<br>".join(lines) + "</li>"


def results_html(
    results: pd.DataFrame | Iterable[Mapping[str, Any]],
    description: str,
    origin: Place | None = None,
    *,
    notes: Iterable[str] = (),
    generated: dt.date | None = None,
    report_base_url: str | None = None,
) -> str:
    """A complete, self-contained printable HTML page listing the results.

    ``description``: the search sentence (``SearchResult.description``); ``notes``: e.g.
    ``SearchResult.notes`` (listings left out because a fact is missing); ``report_base_url``: the app's
    http(s) address, to give every listing a "Report a problem" link. Everything is escaped.
    """
    day = (generated or dt.date.today()).isoformat()
    cards = []
    for row in _rows(results):
        fields = result_card_fields(row, origin)
        if report_base_url and is_http_url(report_base_url):
            fields["report_url"] = report_url(fields["id"], report_base_url)
        cards.append(card_html(fields))
    body = "<ol>" + "".join(cards) + "</ol>" if cards else "<p>No listings match this search.</p>"
    note_html = "".join(f'<p class="note">{_e(n)}</p>' for n in notes)
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
<p class="note">{_e(CONFIRM_NOTE)}</p>
{note_html}
{body}
<p class="note">{_e(safety.MEDICAL_DISCLAIMER)}</p>
</body>
</html>
"""
