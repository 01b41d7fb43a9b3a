"""A search as URL query parameters, so a link reproduces it (``st.query_params``).

Parameter names are short and stable; change them only with a fallback for old links:

=============  ==========================================================================
``near``       the text typed in the location box (ZIP, "City, ST", "lat, lon" or address)
``radius``     miles (5–500, clamped) or ``any``
``route``      a route code; repeated for several (``route=iv_ketamine&route=im_ketamine``)
``condition``  a condition code; repeated for several
``insurance``  ``1`` when only listings that accept insurance are wanted
``va``         ``1`` when only listings that take VA community care are wanted
``max_price``  maximum self-pay price in whole US dollars
``studies``    ``0`` when research studies are hidden (shown by default)
=============  ==========================================================================

Only the typed text is shared, never a resolved point: whoever opens the link resolves it again.
Reading never raises: unknown codes are dropped, numbers are clamped, anything unreadable falls back
to the default. Several values may also arrive comma-separated (``route=iv_ketamine,im_ketamine``).

In a page: ``st.query_params.from_dict(criteria_to_params(c))`` to write, and
``params_to_criteria({k: st.query_params.get_all(k) for k in st.query_params})`` to read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from dashboard import vocab
from dashboard.finder.criteria import DEFAULT_RADIUS, Criteria, clamp_radius
from dashboard.text import strip_controls

NEAR, RADIUS, ROUTE, CONDITION = "near", "radius", "route", "condition"
INSURANCE, VA, MAX_PRICE, STUDIES = "insurance", "va", "max_price", "studies"
PARAM_NAMES: tuple[str, ...] = (NEAR, RADIUS, ROUTE, CONDITION, INSURANCE, VA, MAX_PRICE, STUDIES)

ANY = "any"
MAX_NEAR_CHARS = 200
MAX_PRICE_LIMIT = 100_000.0
_MAX_VALUES = 50  # more values than that for one name is not a real link

_TRUE = frozenset({"1", "true", "yes", "on", "y", "t"})
_FALSE = frozenset({"0", "false", "no", "off", "n", "f"})


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else repr(float(value))


def criteria_to_params(criteria: Criteria) -> dict[str, str | list[str]]:
    """The shareable parameters of a search; defaults (no filter) are left out except ``radius``."""
    c = criteria
    params: dict[str, str | list[str]] = {}
    near = _clean_near(c.near)
    if near:
        params[NEAR] = near
    params[RADIUS] = ANY if c.radius_miles is None else _number(clamp_radius(c.radius_miles))
    routes = [t.code for t in vocab.ROUTES if t.code in c.routes]
    conditions = [t.code for t in vocab.CONDITIONS if t.code in c.conditions]
    if routes:
        params[ROUTE] = routes
    if conditions:
        params[CONDITION] = conditions
    if c.accepts_insurance:
        params[INSURANCE] = "1"
    if c.va_community_care:
        params[VA] = "1"
    price = _price(c.max_price)
    if price is not None:
        params[MAX_PRICE] = _number(price)
    if not c.include_studies:
        params[STUDIES] = "0"
    return params


def params_to_criteria(params: Mapping[str, Any] | None) -> Criteria:
    """A ``Criteria`` (with ``place=None``: resolve ``near`` afterwards) from query parameters. Never raises."""
    try:
        return _parse(params)
    except Exception:  # a shared link must never break the page; fall back to the default search
        return Criteria()


def _parse(params: Mapping[str, Any] | None) -> Criteria:
    if not isinstance(params, Mapping):
        return Criteria()
    near = _clean_near(_last(params, NEAR))
    radius_text = (_last(params, RADIUS) or "").strip().lower()
    if radius_text == ANY:
        radius: float | None = None
    else:
        value = _float(radius_text)
        radius = DEFAULT_RADIUS if value is None else clamp_radius(value)
    return Criteria(
        near=near,
        place=None,
        radius_miles=radius,
        routes=frozenset(_codes(params, ROUTE, vocab.ROUTE_CODES)),
        conditions=frozenset(_codes(params, CONDITION, vocab.CONDITION_CODES)),
        accepts_insurance=_flag(_last(params, INSURANCE), default=False),
        va_community_care=_flag(_last(params, VA), default=False),
        max_price=_price(_float(_last(params, MAX_PRICE))),
        include_studies=_flag(_last(params, STUDIES), default=True),
    )


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    """Every value given for ``name`` as strings (a list from ``get_all``, a single string, or junk)."""
    try:
        raw = params.get(name)
    except Exception:
        return []
    if raw is None:
        return []
    items: Iterable[Any] = [raw] if isinstance(raw, (str, bytes, int, float)) else raw
    out: list[str] = []
    try:
        for item in items:
            if len(out) >= _MAX_VALUES:
                break
            if isinstance(item, bytes):
                item = item.decode("utf-8", "replace")
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                out.append(str(item))
    except TypeError:  # not iterable
        return []
    return out


def _last(params: Mapping[str, Any], name: str) -> str | None:
    values = _values(params, name)
    return values[-1] if values else None


def _codes(params: Mapping[str, Any], name: str, known: frozenset[str]) -> list[str]:
    codes = []
    for value in _values(params, name):
        for part in value.split(","):
            code = part.strip().lower()
            if code in known and code not in codes:
                codes.append(code)
    return codes


def _flag(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    return default


def _float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(str(value).strip()[:32])
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _price(value: float | None) -> float | None:
    if value is None or math.isnan(value) or value < 0:
        return None
    return float(min(value, MAX_PRICE_LIMIT))


def _clean_near(text: Any) -> str:
    if not isinstance(text, str):
        return ""
    return " ".join(strip_controls(text).split())[:MAX_NEAR_CHARS]
