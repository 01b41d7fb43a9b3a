"""What a search asks (``Criteria``) and what it gives back (``SearchResult``, ``Facets``).

Plain values, no behaviour beyond their own: ``dashboard.finder.search`` makes them and the pages, the
command line, the exports and the map read them (geopy's ``Location`` plays the same part there).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

import pandas as pd

from dashboard.places.gazetteer import Place

MIN_RADIUS = 5.0
MAX_RADIUS = 500.0
DEFAULT_RADIUS = 50.0
# The distances the finder offers, in miles (the page adds "any distance").
RADIUS_CHOICES: tuple[int, ...] = (5, 10, 25, 50, 100, 250, 500)
NEAREST_BEYOND = 3  # how many nearest matches beyond the radius an empty search offers
DISTANCE_COLUMN = "distance_miles"


def clamp_radius(value: float | None) -> float | None:
    """A radius the finder accepts: None (any distance) or a finite number clamped to 5–500 miles."""
    if value is None:
        return None
    try:
        miles = float(value)
    except (TypeError, ValueError):
        return DEFAULT_RADIUS
    if math.isnan(miles):
        return DEFAULT_RADIUS
    return min(MAX_RADIUS, max(MIN_RADIUS, miles))


@dataclass(frozen=True)
class Criteria:
    """One search, as chosen by a person (for themselves or on someone else's behalf).

    ``near`` is the text typed in the location box (kept for the shareable link and the page);
    ``place`` is its resolved point (``dashboard.places.lookup.resolve``), or None for no location.
    ``radius_miles`` None means any distance. ``routes``/``conditions`` hold vocabulary codes
    (unknown codes match nothing and are ignored by the description). ``max_price`` is a
    maximum self-pay price per session in US dollars.
    """

    near: str = ""
    place: Place | None = None
    radius_miles: float | None = DEFAULT_RADIUS
    routes: frozenset[str] = frozenset()
    conditions: frozenset[str] = frozenset()
    accepts_insurance: bool = False
    va_community_care: bool = False
    max_price: float | None = None
    include_studies: bool = True

    def __post_init__(self) -> None:
        # Accept any iterable of codes (a list from a widget) but store frozensets, so Criteria hashes.
        for name in ("routes", "conditions"):
            value = getattr(self, name)
            object.__setattr__(self, name, frozenset([value] if isinstance(value, str) else value))

    def cache_key(self) -> str:
        """Canonical text of every field: equal criteria give the same key, different criteria different
        keys. Caches key on it because hashing the dataclass itself (Streamlit pickles it) cost ~0.5 ms a
        call, three calls a finder run."""
        values = [getattr(self, f.name) for f in fields(self)]
        return repr([sorted(v) if isinstance(v, frozenset) else v for v in values])


@dataclass(frozen=True)
class Facets:
    """Counts shown beside each filter option (``dashboard.finder.filters`` says how they are counted)."""

    routes: dict[str, int]
    conditions: dict[str, int]
    payment: dict[str, int]
    listing_kinds: dict[str, int]


@dataclass(frozen=True)
class SearchResult:
    """What ``dashboard.finder.search.search`` returns: the results in tiers, nearest first in each.

    ``results``: the confirmed tier, rows stating everything chosen: every loader column plus
    ``distance_miles`` (float; NaN without a place), ranked nearest first (ties by name), index 0..n-1.
    ``to_ask``: the "to ask" tier, inside the radius, stating no opposite of a choice but leaving some
    unsaid (``filters.unstated_facts`` names what), same columns and order.
    ``within_radius``: listings inside the radius before any other filter.
    ``nearest_beyond``: when nothing is confirmed and a radius was set, up to three nearest confirmed
    listings beyond it (same columns), shown after both tiers; else an empty frame.
    ``description``: the search in one sentence with each tier's count (``wording.describe``).
    ``empty_reason``: None when something is confirmed, else one to three plain sentences saying why.
    """

    criteria: Criteria
    results: pd.DataFrame
    facets: Facets
    within_radius: int
    nearest_beyond: pd.DataFrame
    description: str
    empty_reason: str | None = None
    to_ask: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def count(self) -> int:
        return len(self.results)

    @property
    def shown(self) -> int:
        """Every listing the list shows: both tiers and the nearest beyond the radius."""
        return len(self.results) + len(self.to_ask) + len(self.nearest_beyond)
