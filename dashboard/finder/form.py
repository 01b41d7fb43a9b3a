"""A search as the finder page's form: one plain value per widget key, to and from ``Criteria``.

The page keeps these values in its widgets (each widget declares the value the server holds as its own
default, see ``docs/design.md``); this module says what they are, so the mapping is tested without
Streamlit and the link, the page and a restored search agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboard import vocab
from dashboard.finder.criteria import RADIUS_CHOICES, Criteria
from dashboard.places.gazetteer import Place

ANY = "any"  # the distance option "any distance"
RADII: tuple[int | str, ...] = (*RADIUS_CHOICES, ANY)
NEAR, RADIUS, INSURANCE, VA, MAX_PRICE, STUDIES = "near", "radius", "insurance", "va", "max_price", "studies"
ROUTE_KEYS: dict[str, str] = {t.code: f"route_{t.code}" for t in vocab.ROUTES}
CONDITION_KEYS: dict[str, str] = {t.code: f"condition_{t.code}" for t in vocab.CONDITIONS}
KEYS: tuple[str, ...] = (
    NEAR,
    RADIUS,
    *ROUTE_KEYS.values(),
    *CONDITION_KEYS.values(),
    INSURANCE,
    VA,
    MAX_PRICE,
    STUDIES,
)


def nearest_radius(miles: float) -> int:
    """The distance option closest to a radius (a shared link may carry any number of miles)."""
    return min(RADIUS_CHOICES, key=lambda r: abs(r - miles))


def values_of(c: Criteria) -> dict[str, Any]:
    """Every widget's value for a search."""
    return {
        NEAR: c.near,
        RADIUS: ANY if c.radius_miles is None else nearest_radius(c.radius_miles),
        **{key: code in c.routes for code, key in ROUTE_KEYS.items()},
        **{key: code in c.conditions for code, key in CONDITION_KEYS.items()},
        INSURANCE: c.accepts_insurance,
        VA: c.va_community_care,
        MAX_PRICE: c.max_price,
        STUDIES: c.include_studies,
    }


def criteria_of(values: Mapping[str, Any], place: Place | None) -> Criteria:
    """The search the widgets' values ask for, at ``place`` (resolved from ``values["near"]``)."""
    radius = values[RADIUS]
    return Criteria(
        near=str(values[NEAR]).strip(),
        place=place,
        radius_miles=None if radius == ANY else float(radius),
        routes=frozenset(code for code, key in ROUTE_KEYS.items() if values[key]),
        conditions=frozenset(code for code, key in CONDITION_KEYS.items() if values[key]),
        accepts_insurance=bool(values[INSURANCE]),
        va_community_care=bool(values[VA]),
        max_price=values[MAX_PRICE],
        include_studies=bool(values[STUDIES]),
    )
