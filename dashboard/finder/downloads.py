"""The results as a CSV download for a person: one row per listing shown, every cell formula-neutralised.

UTF-8 with a byte-order mark by default, because Excel otherwise misreads accents and the "—" in
"address not listed — call to confirm"; the command line asks for no BOM. Every cell goes through
``dashboard.text.neutralise_formula``: a spreadsheet shows it as text, never evaluates it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from dashboard.finder.cards import NOT_LISTED, Section, as_sections, fact_of, number_of, result_card_fields, rows_of
from dashboard.places.gazetteer import Place
from dashboard.text import neutralise_formula

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


def _yes_no(value: bool | None) -> str:
    return NOT_LISTED if value is None else ("yes" if value else "no")


def _csv_cells(row: Mapping[str, Any], origin: Place | None, note: str) -> list[str]:
    f = result_card_fields(row, origin)
    price = number_of(row.get("self_pay_price_usd"))
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
        _yes_no(fact_of(row.get("accepts_insurance"))),
        _yes_no(fact_of(row.get("va_community_care"))),
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
    sections = as_sections(results)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise_formula(c) for c in CSV_COLUMNS])
    written = 0
    for section in sections:
        for i, row in enumerate(rows_of(section.rows)):
            note = section.badges[i] if section.badges else section.note
            writer.writerow([neutralise_formula(c) for c in _csv_cells(row, origin, note)])
            written += 1
    if not written and explanation:
        writer.writerow([neutralise_formula(c) for c in [""] * (len(CSV_COLUMNS) - 1) + [explanation]])
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data
