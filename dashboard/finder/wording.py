"""The finder's sentences: the search in words, its tiers, why nothing is confirmed, where it is thin.

Each filter's own words come from its record (``dashboard.finder.filters``); this module puts them into
sentences. Sentences contain text a person typed (the place): escape them for HTML or Markdown.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard.directory.coverage import PUBLIC_LOCATORS
from dashboard.finder.criteria import DISTANCE_COLUMN, Criteria, SearchResult
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


def asks_facts(c: Criteria) -> bool:
    """Whether the search chose a fact a listing may leave unsaid (then its results come in two tiers)."""
    return any(f.fact is not None and f.phrase(c) for f in FILTERS)  # unknown codes have no phrase


def counts_text(c: Criteria, confirmed: int, asked: int) -> str:
    """ "3 found"; with tiers "0 confirmed, 4 to ask"."""
    return f"{confirmed} confirmed, {asked} to ask" if asks_facts(c) else f"{confirmed} found"


def describe(criteria: Criteria, n: int, asked: int = 0) -> str:
    """One sentence describing the search with each tier's count, e.g. "IV ketamine infusion clinics
    treating neuropathic (nerve) pain within 100 miles of Tucson, AZ 85719 — 0 confirmed, 4 to ask".

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
    return f"{sentence} — {counts_text(c, n, asked)}"


CONFIRMED_HEADING = "Match everything you chose"


def to_ask_heading(facts: list[str]) -> str:
    """The "to ask" tier's heading, naming every fact its listings leave unsaid (in filter order)."""
    return f"May offer it — don't state {or_join(facts)}; ask them"


def does_not_state(facts: list[str]) -> str:
    """One "to ask" card's badge: "does not state: neuropathic (nerve) pain"."""
    return "does not state: " + ", ".join(facts)


def empty_reason(c: Criteria, total: int, within: int, nearest: pd.DataFrame, asked: int = 0) -> str:
    """Why a search confirmed nothing, and what it shows instead (one to three sentences)."""
    if total == 0:
        return "The directory has no listings to search."
    parts = []
    radius_set = c.place is not None and c.radius_miles is not None
    where = f"within {miles_text(c.radius_miles)} miles of {place_label(c)}" if radius_set else ""
    if radius_set and within == 0:
        parts.append(f"No listings are {where}.")
    elif asked:
        many = asked != 1
        parts.append(
            f"No listing {where + ' ' if where else ''}states everything you chose, but {asked} "
            f"{'do' if many else 'does'} not state the opposite: {'they' if many else 'it'} may offer it, "
            "so call to ask."
        )
    elif where:
        parts.append(
            f"{within} listing{'s are' if within != 1 else ' is'} {where}, but none matches every filter you chose."
        )
    else:
        parts.append("No listing matches every filter you chose.")
    if len(nearest):
        d = nearest[DISTANCE_COLUMN].iloc[0]
        parts.append(
            f"The nearest match{'es' if len(nearest) != 1 else ''} beyond that distance "
            f"{'are' if len(nearest) != 1 else 'is'} shown {'after them' if asked else 'below'} "
            f"(the closest is {d:.0f} miles away)."
        )
    elif radius_set and asked:
        parts.append("No listing beyond that distance states everything you chose either.")
    elif radius_set:
        parts.append("No listing anywhere matches these filters; try fewer filters.")
    return " ".join(parts)


def nearest_shown_miles(result: SearchResult) -> float | None:
    """Distance of the nearest listing the first non-empty tier shows (confirmed, to ask, beyond the radius);
    None without a place; infinity when a place was given but nothing at all can be shown."""
    if result.criteria.place is None:
        return None
    for frame in (result.results, result.to_ask, result.nearest_beyond):
        if len(frame) and DISTANCE_COLUMN in frame.columns:
            d = float(frame[DISTANCE_COLUMN].iloc[0])
            if not math.isnan(d):
                return d
    return math.inf


def thin_note(result: SearchResult) -> str | None:
    """The finder's note when the nearest listing it can show is more than ``THIN_MILES`` away, else None.
    With a distance chosen, only when neither tier within it has a listing: a listing to ask inside the
    distance is an answer, not a sign of a thin directory. Plain text; the page adds ``PUBLIC_LOCATORS``
    as links."""
    c = result.criteria
    if c.place is not None and c.radius_miles is not None and (len(result.results) or len(result.to_ask)):
        return None
    miles = nearest_shown_miles(result)
    if miles is None or miles <= THIN_MILES:
        return None
    if math.isinf(miles):
        lead = "No listing in this directory matches these filters, at any distance"
    elif not len(result.results) and len(result.to_ask):
        lead = f"The nearest listing that may offer it is {miles:,.0f} miles away"
    else:
        lead = f"The nearest match in this directory is {miles:,.0f} miles away"
    return (
        f"{lead}: the directory may be incomplete there. These public locators cover what it may miss "
        "(call to confirm whatever you find):"
    )


def printed_notes(result: SearchResult) -> list[str]:
    """The notes of the printable list: where the directory is thin, with the
    locators' addresses written out (paper has no links)."""
    notes: list[str] = []
    thin = thin_note(result)
    if thin:
        notes.append(thin + " " + "; ".join(f"{loc.name}: {loc.url}" for loc in PUBLIC_LOCATORS))
    return notes
