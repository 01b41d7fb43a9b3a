"""VA facilities near a place: their own section of results, never mixed into the clinic search.

Why apart: a VA medical centre serves veterans enrolled in VA health care, and its evidence is a documented
programme of some date, not a clinic's own listing. So it is found by its own small function (within the
distance, nearest first, by route), shown on its own card with the VA badge, its evidence and that
evidence's date, and listed in its own section of the page, the printable list and the command line.

A route filter treats VA facilities as the clinic search treats an unstated fact: a facility whose source
names no route stays in the section, marked "route not stated", rather than silently hidden.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from dashboard import vocab
from dashboard.finder.cards import codes_of, directions_url, distance_text, site_name, text_of
from dashboard.places.distance import haversine_miles
from dashboard.places.gazetteer import Place

HEADING = "VA facilities near you"
ROUTE_NOT_STATED = "route not stated — ask the VA medical centre"
CONFIRM = (
    "Confirm with the VA medical centre: a documented programme is not a confirmed current service, and VA care "
    "is for veterans enrolled in VA health care."
)
ANNOUNCED = "Announced before it opened; its opening is not confirmed."
NO_DATE = "The source shows no date."


def nearby(
    facilities: pd.DataFrame, place: Place | None, radius_miles: float | None, routes: Iterable[str] = ()
) -> pd.DataFrame:
    """The facilities within ``radius_miles`` of ``place`` (any distance for None), nearest first, with
    ``distance_miles`` and ``route_unstated`` (True where a route filter is on and the source names no
    route). Those stating only other routes are left out. No place: none (there is nothing to be near)."""
    if place is None or facilities.empty:
        return facilities.iloc[0:0].assign(distance_miles=pd.Series(dtype=float), route_unstated=False)
    wanted = frozenset(routes)
    miles = haversine_miles(
        place.lat, place.lon, facilities["lat"].to_numpy(dtype=float), facilities["lon"].to_numpy(dtype=float)
    )
    stated = [tuple(r) for r in facilities["routes"]]
    unstated = np.array([bool(wanted) and not r for r in stated], dtype=bool)
    matches = np.array([not wanted or bool(wanted & set(r)) for r in stated], dtype=bool) | unstated
    inside = matches & (miles <= radius_miles if radius_miles is not None else True)
    out = facilities.assign(distance_miles=miles, route_unstated=unstated)[inside]
    return out.sort_values(["distance_miles", "name"], kind="stable").reset_index(drop=True)


def heading(rows: pd.DataFrame, radius_miles: float | None) -> str:
    within = f"within {radius_miles:g} miles" if radius_miles is not None else "at any distance"
    n = len(rows)
    return f"{HEADING}: {n} {within}" if n else f"{HEADING}: none {within}"


def evidence_when(row: Mapping[str, Any]) -> str:
    """What date the evidence carries: the date tied to the evidence itself, else the page's own date."""
    evidence, source = text_of(row.get("evidence_date")), text_of(row.get("source_date"))
    if evidence and source and evidence != source:
        return f"Evidence dated {evidence} (source dated {source})."
    if evidence or source:
        return f"Evidence dated {evidence or source}."
    return NO_DATE


def card_fields(row: Mapping[str, Any], origin: Place | None = None) -> dict[str, Any]:
    """Everything a VA facility's card shows, as plain (unescaped) text and http(s) URLs."""
    route_codes = codes_of(row.get("routes"))
    sources = list(codes_of(row.get("source_urls")))
    city, state = text_of(row.get("city")), text_of(row.get("state"))
    miles = row.get("distance_miles")
    kind = vocab.VA_SOURCE_TYPES.get(text_of(row.get("source_type")), "")
    return {
        "id": text_of(row.get("id")),
        "name": text_of(row.get("name")),
        "badge": vocab.VA_BADGE,
        "distance_text": distance_text(float(miles)) if miles is not None else "",
        "locality": ", ".join(p for p in (city, state) if p),
        "precision_label": vocab.PRECISIONS["city"],
        "routes": [vocab.label(c) for c in route_codes],
        "route_line": "",
        "route_unstated": bool(row.get("route_unstated")),
        "conditions": [vocab.label(c) for c in codes_of(row.get("conditions"))],
        "evidence": text_of(row.get("evidence_note")),
        "evidence_kind": kind,
        "evidence_when": evidence_when(row),
        "announced_only": bool(row.get("announced_only")),
        "source_urls": sources,
        "source_labels": [site_name(u) for u in sources],
        "compiled_on": text_of(row.get("compiled_on")),
        "directions_url": directions_url(row, origin),
        "confirm": CONFIRM,
    }


def _e(value: Any) -> str:
    return html.escape(text_of(value), quote=True)


def _a(url: str, text: str) -> str:
    return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(text)}</a>'


def card_html(f: Mapping[str, Any]) -> str:
    """One VA facility as an HTML list item (the finder page and the printable list). Escapes everything."""
    head = f'<span class="name">{_e(f["name"])}</span> <span class="badge va-badge">{_e(f["badge"])}</span>'
    if f["distance_text"]:
        head += f" — {_e(f['distance_text'])} (straight-line distance)"
    lines = [head, f'{_e(f["locality"])} <span class="small">({_e(f["precision_label"])})</span>']
    lines.append(_a(f["directions_url"], "Directions (OpenStreetMap)"))
    if f["routes"]:
        lines.append("Routes: " + "".join(f'<span class="badge">{_e(r)}</span>' for r in f["routes"]))
    else:
        unstated = " badge unstated-badge" if f["route_unstated"] else ""
        lines.append(f'<span class="unstated{unstated}">Routes: {_e(ROUTE_NOT_STATED)}</span>')
    if f["conditions"]:
        lines.append("Conditions named: " + "".join(f'<span class="badge">{_e(c)}</span>' for c in f["conditions"]))
    source = f" (from {_e(f['evidence_kind'])})" if f["evidence_kind"] else ""
    lines.append(f"Evidence{source}: {_e(f['evidence'])} {_e(f['evidence_when'])}")
    if f["announced_only"]:
        lines.append(f'<span class="unstated">{_e(ANNOUNCED)}</span>')
    lines.append(_e(f["confirm"]))
    sources = " · ".join(_a(u, label) for u, label in zip(f["source_urls"], f["source_labels"], strict=True))
    checked = f" Record checked {_e(f['compiled_on'])}." if f["compiled_on"] else ""
    plural = "s" if len(f["source_urls"]) != 1 else ""
    lines.append(f'<span class="small sources">Source{plural}: {sources}.{checked}</span>')
    return f'<li class="result va-facility" data-id="{_e(f["id"])}">' + "<br>".join(lines) + "</li>"


def cards_of(rows: pd.DataFrame, origin: Place | None) -> list[tuple[dict[str, Any], str]]:
    """(fields, list item) per facility, in the rows' order."""
    out = []
    for rec in rows.to_dict("records"):
        fields = card_fields(rec, origin)
        out.append((fields, card_html(fields)))
    return out


def printable_section(rows: pd.DataFrame, origin: Place | None, radius_miles: float | None) -> str:
    """The VA facilities as a block of the printable list ('' when there are none)."""
    if rows.empty:
        return ""
    items = "".join(item for _, item in cards_of(rows, origin))
    return f'<h2>{_e(heading(rows, radius_miles))}</h2><ol class="va-facilities">{items}</ol>'


def map_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The facilities in the shape the results map reads (no phone or website: the sources have none)."""
    return rows.assign(phone=None, website=None)


def popup_notes(rows: pd.DataFrame) -> list[str]:
    return [vocab.VA_BADGE] * len(rows)


def plain_lines(rows: pd.DataFrame, radius_miles: float | None) -> list[str]:
    """The section as terminal lines: heading, then one block per facility."""
    lines = [heading(rows, radius_miles) + "."]
    for rec in rows.to_dict("records"):
        f = card_fields(rec)
        routes = ", ".join(f["routes"]) or ROUTE_NOT_STATED
        lines.append(f"{rec['distance_miles']:8.1f}  {f['name']} ({f['locality']}) [{vocab.VA_BADGE}]")
        lines.append(f"{'':8}  Routes: {routes}")
        lines.append(f"{'':8}  Evidence: {f['evidence']} {f['evidence_when']}")
        if f["announced_only"]:
            lines.append(f"{'':8}  {ANNOUNCED}")
        lines.append(f"{'':8}  Sources: {' '.join(f['source_urls'])}")
    if len(rows):
        lines.append(CONFIRM)
    return lines


def records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records, nearest first (``distance_miles`` to 0.01 mile)."""
    out = []
    for rec in rows.to_dict("records"):
        out.append(
            {
                "id": rec["id"],
                "kind": vocab.VA_FACILITY,
                "name": rec["name"],
                "city": rec["city"],
                "state": rec["state"],
                "distance_miles": round(float(rec["distance_miles"]), 2),
                "routes": list(rec["routes"]),
                "route_unstated": bool(rec["route_unstated"]),
                "conditions": list(rec["conditions"]),
                "evidence": rec["evidence_note"],
                "evidence_date": None if pd.isna(rec["evidence_date"]) else rec["evidence_date"],
                "source_date": None if pd.isna(rec["source_date"]) else rec["source_date"],
                "announced_only": bool(rec["announced_only"]),
                "source_urls": list(rec["source_urls"]),
            }
        )
    return out


VETERAN_PARAM = "veteran"  # in the page address: the finder opens the VA section for a shared link too


def veteran_of(params: Mapping[str, Any] | None) -> bool:
    """Whether a page address (query parameters: lists or strings) says the user is a veteran."""
    if not isinstance(params, Mapping):
        return False
    value = params.get(VETERAN_PARAM)
    last = value[-1] if isinstance(value, (list, tuple)) and value else value
    return isinstance(last, str) and last.strip().lower() in ("1", "true", "yes", "on")


def veteran_params(veteran: bool) -> dict[str, str]:
    return {VETERAN_PARAM: "1"} if veteran else {}
