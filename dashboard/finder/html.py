"""Results as HTML: one card as a list item (the finder page draws it too) and the printable list.

Every dataset string is HTML-escaped; only ``http(s)`` URLs become links; phones become ``tel:`` links
built from their digits only; the printable page carries a Content-Security-Policy that forbids scripts,
so even a missed escape could not run code. Its style sheet is ``printable.css`` beside this module.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.content import safety
from dashboard.finder.cards import (
    CONFIRM_NOTE,
    STRAIGHT_LINE,
    PaymentFact,
    Section,
    as_sections,
    report_url,
    result_card_fields,
    rows_of,
    site_name,
    text_of,
)
from dashboard.places.gazetteer import Place
from dashboard.text import is_http_url

_CSS = Path(__file__).with_name("printable.css").read_text(encoding="utf-8")


def _e(value: Any) -> str:
    return html.escape(text_of(value), quote=True)


def _link(url: str | None, text: str | None = None) -> str:
    """A link only for http(s) and tel: URLs; anything else is shown as plain text."""
    if not url:
        return _e(text or "")
    if is_http_url(url) or re.fullmatch(r"tel:\+?\d{3,15}", url):
        return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(text if text is not None else url)}</a>'
    return _e(text if text is not None else url)


def _badges(items: Iterable[str], cls: str = "badge") -> str:
    return "".join(f'<span class="{cls}">{_e(x)}</span>' for x in items)


def _fact_html(fact: PaymentFact) -> str:
    line = _e(fact.text)
    if fact.stated and fact.source_url:
        line += " (source: " + _link(fact.source_url, site_name(fact.source_url)) + ")"
    return line if fact.stated else f'<span class="unstated">{line}</span>'


def card_lines(f: Mapping[str, Any], badge: str = "") -> list[str]:
    """The lines of one result as HTML (escaped); ``badge`` marks a listing to ask, naming what it does not
    state ("does not state: insurance"). A caller may append lines of its own."""
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
    extra_html: Iterable[str] = (),
) -> str:
    """A complete, self-contained printable HTML page listing the results.

    ``results``: rows, or ``result_sections(...)`` (each tier with a heading gets it, and its note).
    ``description``: the search sentence (``SearchResult.description``); ``explanation``: why an empty
    search shows what it shows (``SearchResult.empty_reason``); ``notes``: further sentences (where the
    directory is thin); ``report_base_url``: the app's http(s) address, to give every listing a "Report a
    problem" link; ``extra_html``: blocks built (and escaped) by their own modules, printed after the results
    (the VA facilities and the VA pathway). Everything is escaped.
    """
    day = (generated or dt.date.today()).isoformat()
    sections = as_sections(results)
    blocks = []
    for section in sections:
        cards = []
        for i, row in enumerate(rows_of(section.rows)):
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
<style>
{_CSS}</style>
</head>
<body>
<h1>{_e(description)}</h1>
<p class="meta">Printed {_e(day)}. Distances are {STRAIGHT_LINE}s.</p>
<p class="crisis"><strong>{_e(safety.CRISIS_HEADLINE)}</strong> {crisis}</p>
{explain_html}
<p class="note">{_e(CONFIRM_NOTE)}</p>
{note_html}
{body}
{"".join(extra_html)}
<p class="note">{_e(safety.MEDICAL_DISCLAIMER)}</p>
</body>
</html>
"""
