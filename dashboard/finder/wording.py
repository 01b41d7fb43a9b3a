"""The finder's sentences: the search in words, why a search is empty, what it left out, where it is thin.

Each filter's own words come from its record (``dashboard.finder.filters``); this module puts them into
sentences. Sentences contain text a person typed (the place): escape them for HTML or Markdown.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard.directory.coverage import PUBLIC_LOCATORS
from dashboard.finder.criteria import DISTANCE_COLUMN, Criteria, LeftOut, SearchResult
from dashboard.finder.filters import FILTERS, or_join

NOUN = "clinics"
THIN_MILES = 100.0


def and_join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def miles_text(value: float | None) -> str:
    """ "50", "12.5"; "" for no radius."""
    if value is None:
        return ""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def place_label(c: Criteria) -> str:
    if c.place is not None and c.place.label:
        return c.place.label
    return c.near.strip() or "the chosen location"


def describe(criteria: Criteria, n: int) -> str:
    """One sentence describing the search, e.g.
    "IV ketamine infusion clinics treating neuropathic (nerve) pain within 100 miles of Tucson, AZ 85719 — 3 found".

    Labels come from ``dashboard.vocab`` in vocabulary order; unknown codes are left out of the sentence
    (they match nothing).
    """
    c = criteria
    phrases: dict[str, list[str]] = {"kind": [], "qualifier": [], "payment": [], "aside": []}
    for f in FILTERS:
        if text := f.phrase(c):
            phrases[f.slot].append(text)
    subject = " ".join([*phrases["kind"], NOUN])
    sentence = " ".join([subject[0].upper() + subject[1:], *phrases["qualifier"]])
    if phrases["payment"]:
        # Commas only set the payment clause apart from a "treating ..." list before it.
        pay = and_join(phrases["payment"])
        sentence += f", {pay}," if phrases["qualifier"] else f" {pay}"
    if c.place is None:
        sentence += " anywhere in the directory"
    elif c.radius_miles is None:
        sentence += f" at any distance from {place_label(c)}"
    else:
        sentence += f" within {miles_text(c.radius_miles)} miles of {place_label(c)}"
    for aside in phrases["aside"]:
        sentence += f" {aside}"
    return f"{sentence} — {n} found"


def _left_out_counts(left_out: LeftOut) -> list[tuple[int, tuple[str, str], tuple[str, str]]]:
    """(count, prompt words, sentence words) per fact that left listings out, in filter order."""
    return [
        (getattr(left_out, f.left_out), f.fact.prompt, f.fact.sentence)
        for f in FILTERS
        if f.fact is not None and getattr(left_out, f.left_out)
    ]


def left_out_prompt(left_out: LeftOut) -> str:
    """The control under the matches ("2 more listings don't state whether they take insurance"); "" if none."""
    if not left_out.total:
        return ""
    one = left_out.total == 1
    reasons = [prompt[0 if one else 1] for _, prompt, _ in _left_out_counts(left_out)]
    verb = "doesn't" if one else "don't"
    return f"{left_out.total} more listing{'' if one else 's'} {verb} state {or_join(reasons)}"


def left_out_sentences(left_out: LeftOut) -> list[str]:
    """Plain sentences for the page and the printed list, one per fact that left listings out."""
    out = []
    for n, _, (one, many) in _left_out_counts(left_out):
        if n == 1:
            out.append(f"1 listing that otherwise matches is not shown because it {one}.")
        else:
            out.append(f"{n} listings that otherwise match are not shown because they {many}.")
    return out


def empty_reason(c: Criteria, total: int, within: int, nearest: pd.DataFrame, left_out: LeftOut) -> str:
    """Why a search found nothing, and what it shows instead (one to three sentences)."""
    if total == 0:
        return "The directory has no listings to search."
    parts = []
    radius_set = c.place is not None and c.radius_miles is not None
    where = f"within {miles_text(c.radius_miles)} miles of {place_label(c)}" if radius_set else ""
    if radius_set and within == 0:
        parts.append(f"No listings are {where}.")
    elif where:
        parts.append(
            f"{within} listing{'s are' if within != 1 else ' is'} {where}, but none matches every filter you chose."
        )
    else:
        parts.append("No listing matches every filter you chose.")
    if left_out.total:
        parts.append(
            f"{left_out.total} more would match except that {'they do' if left_out.total != 1 else 'it does'} "
            "not state a fact you filtered on; try removing a filter, or call to ask."
        )
    if len(nearest):
        d = nearest[DISTANCE_COLUMN].iloc[0]
        parts.append(
            f"The nearest match{'es' if len(nearest) != 1 else ''} beyond that distance "
            f"{'are' if len(nearest) != 1 else 'is'} shown below (the closest is {d:.0f} miles away)."
        )
    elif radius_set:
        parts.append("No listing anywhere matches these filters; try fewer filters.")
    return " ".join(parts)


def nearest_shown_miles(result: SearchResult) -> float | None:
    """Distance of the nearest listing the search shows (a match, else the nearest beyond the radius);
    None without a place; infinity when a place was given but nothing at all can be shown."""
    if result.criteria.place is None:
        return None
    for frame in (result.results, result.nearest_beyond):
        if len(frame) and DISTANCE_COLUMN in frame.columns:
            d = float(frame[DISTANCE_COLUMN].iloc[0])
            if not math.isnan(d):
                return d
    return math.inf


def thin_note(result: SearchResult) -> str | None:
    """The finder's note when the nearest listing it can show is more than ``THIN_MILES`` away, else None.
    Plain text; the page adds ``PUBLIC_LOCATORS`` as links."""
    miles = nearest_shown_miles(result)
    if miles is None or miles <= THIN_MILES:
        return None
    if math.isinf(miles):
        lead = "No listing in this directory matches these filters, at any distance"
    else:
        lead = f"The nearest match in this directory is {miles:,.0f} miles away"
    return (
        f"{lead}: the directory may be incomplete there. These public locators cover what it may miss "
        "(call to confirm whatever you find):"
    )


def printed_notes(result: SearchResult) -> list[str]:
    """The notes of the printable list: what was left out, and where the directory is thin with the
    locators' addresses written out (paper has no links)."""
    notes = list(result.notes)
    thin = thin_note(result)
    if thin:
        notes.append(thin + " " + "; ".join(f"{loc.name}: {loc.url}" for loc in PUBLIC_LOCATORS))
    return notes
