"""Search: ``Criteria`` in, filtered and distance-ranked ``SearchResult`` out (pure pandas/numpy).

The one entry point is :func:`search`. It never loops over rows in Python: every filter is a
vectorised mask over the loader's boolean columns (``route_<code>``, ``condition_<code>``; see
``dashboard.directory.clinics``), and distances come from one vectorised haversine over the coordinates.
Codes are never matched as substrings ("depression" is inside three other codes).

Filter semantics
----------------
* **Distance**: a listing is inside the radius when its straight-line distance is ``<= radius_miles``.
  ``radius_miles=None`` means any distance. Without a ``place`` there is no distance at all: every
  listing is "inside", ``distance_miles`` is NaN and results are ordered by state, city and name.
* **Routes** (one group): *any of* the chosen route codes.
* **Conditions** (one group): *any of* the chosen condition codes (choosing "neuropathic pain" and
  "PTSD" finds clinics that list either).
* **Payment** (one group): *every* chosen payment constraint must hold (insurance ticked and VA
  ticked means both are stated as yes; a maximum price means a stated price at or below it).
  An unknown payment fact (empty cell) never satisfies a payment filter.
* **Research studies**: ``include_studies=False`` hides ``listing_kind == "research_study"`` rows;
  when shown they keep ``listing_kind``/``study_id`` so a page can label them.
* Groups combine with *all of*.

Facet counts (``SearchResult.facets``)
--------------------------------------
The usual facet convention: the count beside an option is computed over the listings that pass
every *other* group's filter (distance included), so ticking one route does not zero the others.

* ``facets.routes[code]``: listings passing distance, condition, payment and study filters that
  list the route (the route filter itself is ignored).
* ``facets.conditions[code]``: likewise, ignoring only the condition filter.
* ``facets.payment[key]``: because payment constraints combine with *all of*, each is left out on
  its own: the count is the number of results there would be with that one constraint switched on
  and every other choice unchanged. ``"self_pay_price_usd"`` counts listings that state a price at
  or below ``max_price`` (any stated price when no maximum is set).
* ``facets.listing_kinds[kind]``: listings passing everything except the study filter, by kind.

Left-out counts (``SearchResult.left_out``)
-------------------------------------------
Listings are not hidden silently because a fact is missing. A listing is "left out" when it is
not in the results but would be if every *unknown* fact among the active filters counted as a
match (a route filter is active and the listing states no route at all; a condition filter and no
condition stated; insurance/VA ticked and the fact is empty; a maximum price and no price stated).
``left_out.total`` counts such listings once; the per-reason counts may overlap (a listing that
states neither a route nor a condition is counted under both reasons).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from dashboard import vocab
from dashboard.places.distance import EARTH_RADIUS_MILES, haversine_miles
from dashboard.places.gazetteer import Place

MIN_RADIUS = 5.0
MAX_RADIUS = 500.0
DEFAULT_RADIUS = 50.0
# Radius choices for a select box, in miles; None means any distance.
RADIUS_CHOICES: tuple[float | None, ...] = (5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, None)
NEAREST_BEYOND = 3  # how many nearest matches beyond the radius an empty search offers

PAYMENT_KEYS: tuple[str, ...] = ("accepts_insurance", "va_community_care", "self_pay_price_usd")
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
        call, three calls a finder run (issue 9)."""
        values = [getattr(self, f.name) for f in fields(self)]
        return repr([sorted(v) if isinstance(v, frozenset) else v for v in values])

    @property
    def payment_active(self) -> bool:
        return self.accepts_insurance or self.va_community_care or self.max_price is not None


@dataclass(frozen=True)
class Facets:
    """Counts shown beside each filter option (see the module docstring for the convention)."""

    routes: dict[str, int]
    conditions: dict[str, int]
    payment: dict[str, int]
    listing_kinds: dict[str, int]


@dataclass(frozen=True)
class LeftOut:
    """Listings missing from the results only because a fact the filters ask about is not stated."""

    total: int = 0
    no_route: int = 0
    no_condition: int = 0
    insurance_unknown: int = 0
    va_unknown: int = 0
    price_unknown: int = 0

    def prompt(self) -> str:
        """The control under the matches ("2 more listings don't state whether they take insurance"); "" if none."""
        if not self.total:
            return ""
        one = self.total == 1
        reasons = [
            text
            for n, text in (
                (self.no_route, "a treatment route"),
                (self.no_condition, "the conditions " + ("it treats" if one else "they treat")),
                (self.insurance_unknown, "whether " + ("it takes" if one else "they take") + " insurance"),
                (self.va_unknown, "whether " + ("it takes" if one else "they take") + " VA community care"),
                (self.price_unknown, "a self-pay price"),
            )
            if n
        ]
        verb = "doesn't" if one else "don't"
        return f"{self.total} more listing{'' if one else 's'} {verb} state {_or_join(reasons)}"

    def sentences(self) -> list[str]:
        """Plain sentences for the page and the printed list, one per reason that applies."""
        reasons = (
            (self.no_route, "does not list a treatment route", "do not list a treatment route"),
            (self.no_condition, "does not list the conditions it treats", "do not list the conditions they treat"),
            (
                self.insurance_unknown,
                "does not say whether it accepts insurance",
                "do not say whether they accept insurance",
            ),
            (
                self.va_unknown,
                "does not say whether it takes VA community care",
                "do not say whether they take VA community care",
            ),
            (self.price_unknown, "does not list a self-pay price", "do not list a self-pay price"),
        )
        out = []
        for n, one, many in reasons:
            if n == 1:
                out.append(f"1 listing that otherwise matches is not shown because it {one}.")
            elif n:
                out.append(f"{n} listings that otherwise match are not shown because they {many}.")
        return out


@dataclass(frozen=True)
class SearchResult:
    """What :func:`search` returns.

    ``results``: matching rows, every loader column plus ``distance_miles`` (float; NaN without a
    place), ranked nearest first (ties by name), index 0..n-1.
    ``within_radius``: listings inside the radius before any other filter.
    ``nearest_beyond``: when ``results`` is empty and a radius was set, up to three nearest listings
    beyond it that meet every other filter (same columns), else an empty frame.
    ``description``: :func:`describe` of the criteria and the number found.
    ``empty_reason``: None when there are results, else one or two plain sentences saying why.
    ``unstated``: the listings counted in ``left_out`` (inside the radius, matching every filter except
    that a fact a filter asks about is not stated), same columns as ``results``, nearest first.
    """

    criteria: Criteria
    results: pd.DataFrame
    facets: Facets
    left_out: LeftOut
    within_radius: int
    nearest_beyond: pd.DataFrame
    description: str
    empty_reason: str | None = None
    notes: list[str] = field(default_factory=list)
    unstated: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def count(self) -> int:
        return len(self.results)


_Whole = Callable[[pd.Series], np.ndarray]  # a whole column, converted
_Gathered = Callable[[pd.Series, np.ndarray | slice], np.ndarray]  # some rows of a column, converted


class Columns:
    """Reads a table's columns as numpy arrays for the rows a search asks about.

    ``keep=True`` (the finder: one per served table, shared by every search of every session, see
    ``dashboard.finder_cache``) converts each column once, whole, and keeps it read-only: converting some
    forty columns from pandas on every search cost more than the filtering (issue 9: ~5 ms of a ~240-row
    search, 2 ms with kept columns). ``keep=False`` (a one-off search) gathers the rows first and converts
    only those, so its cost follows the candidate rows, not the size of the table (bench/bench_search.py).
    Two sessions converting the same column at once store equal arrays; either may win, no lock needed.
    """

    def __init__(self, df: pd.DataFrame, keep: bool = True) -> None:
        self.df = df
        self.keep = keep
        self._arrays: dict[tuple[str, str], np.ndarray] = {}

    def _get(self, kind: str, col: str, idx: np.ndarray | slice, whole: _Whole, gathered: _Gathered) -> np.ndarray:
        if not self.keep:
            return gathered(self.df[col], idx)
        arr = self._arrays.get((kind, col))
        if arr is None:
            arr = np.asarray(whole(self.df[col]))
            arr.flags.writeable = False
            self._arrays[(kind, col)] = arr
        return arr[idx]

    def has(self, col: str) -> bool:
        return col in self.df.columns

    def bool(self, col: str, idx: np.ndarray | slice) -> np.ndarray:
        """Rows ``idx`` of a boolean column; NA (unknown) becomes False."""
        return self._get("bool", col, idx, lambda s: s.to_numpy(dtype=bool, na_value=False), _gather_bool)

    def known(self, col: str, idx: np.ndarray) -> np.ndarray:
        """Rows ``idx`` of a column: True where the fact is stated (not NA)."""
        return self._get(
            "known",
            col,
            idx,
            lambda s: ~np.asarray(pd.isna(s.array), dtype=bool),
            lambda s, i: ~np.asarray(pd.isna(s.array[i]), dtype=bool),
        )

    def floats(self, col: str, idx: np.ndarray | slice) -> np.ndarray:
        return self._get("float", col, idx, lambda s: s.to_numpy(dtype=float), lambda s, i: s.to_numpy(dtype=float)[i])

    def ints(self, col: str, idx: np.ndarray) -> np.ndarray:
        return self._get("int", col, idx, lambda s: s.to_numpy(), lambda s, i: s.to_numpy()[i])

    def text(self, col: str, idx: np.ndarray) -> np.ndarray:
        return self._get(
            "text",
            col,
            idx,
            lambda s: np.asarray(s.array, dtype=object),
            lambda s, i: np.asarray(s.array.take(i), dtype=object),
        )

    def equals(self, col: str, value: str, idx: np.ndarray) -> np.ndarray:
        """Rows ``idx`` of a text column: True where it is exactly ``value``."""
        return self._get(
            f"eq:{value}",
            col,
            idx,
            lambda s: (s == value).to_numpy(dtype=bool, na_value=False),
            lambda s, i: _gather_equals(s, value, i),
        )


def _gather_bool(s: pd.Series, idx: np.ndarray | slice) -> np.ndarray:
    if s.dtype == bool:
        return s.to_numpy()[idx]
    return s.array[idx].to_numpy(dtype=bool, na_value=False)  # nullable "boolean": NA -> False


def _gather_equals(s: pd.Series, value: str, idx: np.ndarray) -> np.ndarray:
    if len(idx) * 8 < len(s):  # gathered first when that is cheaper
        return np.asarray(s.array.take(idx), dtype=object) == value
    return np.asarray((s == value).to_numpy(dtype=bool, na_value=False))[idx]


def _any_of(cols: Columns, prefix: str, chosen: frozenset[str], known: tuple[str, ...], idx: np.ndarray) -> np.ndarray:
    """Rows (of ``idx``) that list any chosen code; codes the vocabulary does not know match nothing."""
    mask = np.zeros(len(idx), dtype=bool)
    for code in sorted(chosen):
        if code in known and cols.has(f"{prefix}{code}"):
            mask |= cols.bool(f"{prefix}{code}", idx)
    return mask


def _rank(cols: Columns, pos: np.ndarray, dist: np.ndarray | None) -> np.ndarray:
    """Permutation of ``pos`` (row positions; ``dist`` aligned with it) nearest first, ties by name.

    Without distances: by state, city, name. Names are read only for rows whose distance ties
    (listings placed at the same city or ZIP centre), so ranking stays a numpy sort.
    """
    if len(pos) == 0:
        return np.arange(0)
    if dist is None:
        return np.lexsort((cols.text("name", pos), cols.text("city", pos), cols.text("state", pos)))
    d = np.where(np.isnan(dist), np.inf, dist)
    order = np.argsort(d)
    ds = d[order]
    tie = np.zeros(len(ds), dtype=bool)
    same = ds[1:] == ds[:-1]
    tie[1:] |= same
    tie[:-1] |= same
    if tie.any():
        slots = np.flatnonzero(tie)
        group = np.cumsum(np.concatenate(([True], ~same)))[slots]
        rows = pos[order[slots]]
        order[slots] = order[slots][np.lexsort((rows, cols.text("name", rows), group))]
    return order


def _frame(df: pd.DataFrame, pos: np.ndarray, dist: np.ndarray | None) -> pd.DataFrame:
    out = df.take(pos)
    out.index = pd.RangeIndex(len(out))
    out[DISTANCE_COLUMN] = dist if dist is not None else np.full(len(pos), np.nan)
    return out


def _lat_band(radius: float) -> float:
    """Degrees of latitude that ``radius`` miles can span: a point further north or south than this
    cannot be within the radius (great-circle distance >= meridian distance), so the haversine only
    needs to run on the band. The margin keeps the cut exact under rounding."""
    return math.degrees(radius / EARTH_RADIUS_MILES) * (1 + 1e-9) + 1e-9


def search(df: pd.DataFrame, criteria: Criteria, columns: Columns | None = None) -> SearchResult:
    """Filter and rank ``df`` (a table from ``dashboard.directory.clinics``) by ``criteria``. Never modifies ``df``.

    ``columns``: ``Columns(df)`` kept from earlier searches of the same table (the result is the same)."""
    cols = columns if columns is not None else Columns(df, keep=False)
    if cols.df is not df:
        raise ValueError("columns were made from another table")
    c = criteria
    n = len(df)
    place = c.place
    radius = c.radius_miles if place is not None else None
    everything = slice(None)
    lat_all = cols.floats("lat", everything)
    lon_all = cols.floats("lon", everything)

    # Distance: a vectorised haversine over the rows that can be inside the radius (a latitude band
    # first when a radius is set); everything after works on the rows inside the radius only.
    base_dist: np.ndarray | None = None
    if place is not None:
        band = _lat_band(radius) if radius is not None else None
        cand = np.arange(n) if band is None else np.flatnonzero(np.abs(lat_all - place.lat) <= band)
        d = haversine_miles(place.lat, place.lon, lat_all[cand], lon_all[cand])
        inside = d <= radius if radius is not None else ~np.isnan(d)
        base = cand[inside]
        base_dist = d[inside]
    else:
        base = np.arange(n)
    m = len(base)

    route_codes = tuple(t.code for t in vocab.ROUTES)
    condition_codes = tuple(t.code for t in vocab.CONDITIONS)

    # Group masks over the rows inside the radius.
    all_true = np.ones(m, dtype=bool)
    none = np.zeros(m, dtype=bool)
    route_has = {code: cols.bool(f"route_{code}", base) for code in route_codes if cols.has(f"route_{code}")}
    cond_has = {code: cols.bool(f"condition_{code}", base) for code in condition_codes if cols.has(f"condition_{code}")}
    if c.routes:
        route_ok = none.copy()
        for code in c.routes & route_has.keys():
            route_ok |= route_has[code]
        route_unknown = cols.ints("route_count", base) == 0
    else:
        route_ok, route_unknown = all_true, none
    if c.conditions:
        cond_ok = none.copy()
        for code in c.conditions & cond_has.keys():
            cond_ok |= cond_has[code]
        cond_unknown = cols.ints("condition_count", base) == 0
    else:
        cond_ok, cond_unknown = all_true, none

    ins_yes = cols.bool("accepts_insurance", base)
    va_yes = cols.bool("va_community_care", base)
    price = cols.floats("self_pay_price_usd", base)
    price_known = ~np.isnan(price)
    price_ok_any = price_known & (price <= c.max_price) if c.max_price is not None else price_known
    ins_ok = ins_yes if c.accepts_insurance else all_true
    va_ok = va_yes if c.va_community_care else all_true
    price_ok = price_ok_any if c.max_price is not None else all_true
    pay_ok = ins_ok & va_ok & price_ok

    is_study = cols.equals("listing_kind", "research_study", base)
    study_ok = all_true if c.include_studies else ~is_study

    match = route_ok & cond_ok & pay_ok & study_ok

    # Facet counts: each group's options counted over rows passing every other group.
    others_for_routes = cond_ok & pay_ok & study_ok
    others_for_conditions = route_ok & pay_ok & study_ok
    rest = route_ok & cond_ok & study_ok
    not_study_filter = route_ok & cond_ok & pay_ok
    facets = Facets(
        routes={
            code: int(np.count_nonzero(route_has[code] & others_for_routes)) if code in route_has else 0
            for code in route_codes
        },
        conditions={
            code: int(np.count_nonzero(cond_has[code] & others_for_conditions)) if code in cond_has else 0
            for code in condition_codes
        },
        payment={
            "accepts_insurance": int(np.count_nonzero(rest & ins_yes & va_ok & price_ok)),
            "va_community_care": int(np.count_nonzero(rest & va_yes & ins_ok & price_ok)),
            "self_pay_price_usd": int(np.count_nonzero(rest & price_ok_any & ins_ok & va_ok)),
        },
        listing_kinds={
            "clinic": int(np.count_nonzero(not_study_filter & ~is_study)),
            "research_study": int(np.count_nonzero(not_study_filter & is_study)),
        },
    )

    # Left out only because a fact is not stated: would match if unknowns counted as matches.
    ins_unknown = ~cols.known("accepts_insurance", base) if c.accepts_insurance else none
    va_unknown = ~cols.known("va_community_care", base) if c.va_community_care else none
    price_unknown = ~price_known if c.max_price is not None else none
    lenient = (
        (route_ok | route_unknown)
        & (cond_ok | cond_unknown)
        & (ins_ok | ins_unknown)
        & (va_ok | va_unknown)
        & (price_ok | price_unknown)
        & study_ok
    )
    missing = lenient & ~match
    left_out = LeftOut(
        total=int(np.count_nonzero(missing)),
        no_route=int(np.count_nonzero(missing & route_unknown)),
        no_condition=int(np.count_nonzero(missing & cond_unknown)),
        insurance_unknown=int(np.count_nonzero(missing & ins_unknown)),
        va_unknown=int(np.count_nonzero(missing & va_unknown)),
        price_unknown=int(np.count_nonzero(missing & price_unknown)),
    )

    hit_pos = base[match]
    hit_dist = base_dist[match] if base_dist is not None else None
    order = _rank(cols, hit_pos, hit_dist)
    results = _frame(df, hit_pos[order], hit_dist[order] if hit_dist is not None else None)
    miss_pos = base[missing]
    miss_dist = base_dist[missing] if base_dist is not None else None
    miss_order = _rank(cols, miss_pos, miss_dist)
    unstated = _frame(df, miss_pos[miss_order], miss_dist[miss_order] if miss_dist is not None else None)
    nearest = results.iloc[:0]
    empty_reason = None
    if len(results) == 0:
        if place is not None and radius is not None:
            nearest = _nearest_beyond(cols, c, lat_all, lon_all, base)
        empty_reason = _empty_reason(c, n, m, nearest, left_out)

    return SearchResult(
        criteria=c,
        results=results,
        facets=facets,
        left_out=left_out,
        within_radius=m,
        nearest_beyond=nearest,
        description=describe(c, len(results)),
        empty_reason=empty_reason,
        notes=left_out.sentences(),
        unstated=unstated,
    )


def unstated_facts(row, criteria: Criteria) -> list[str]:
    """What a row of ``SearchResult.unstated`` does not state among the facts the filters ask about
    ("insurance", "VA community care", "self-pay price", "treatment route", "conditions")."""
    c = criteria

    def missing(value) -> bool:
        return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))

    out = []
    if c.routes and not int(row.get("route_count") or 0):
        out.append("treatment route")
    if c.conditions and not int(row.get("condition_count") or 0):
        out.append("conditions")
    if c.accepts_insurance and missing(row.get("accepts_insurance")):
        out.append("insurance")
    if c.va_community_care and missing(row.get("va_community_care")):
        out.append("VA community care")
    if c.max_price is not None and missing(row.get("self_pay_price_usd")):
        out.append("self-pay price")
    return out


def directory_counts(df: pd.DataFrame) -> dict[str, int]:
    """How many listings in the whole directory state each filterable fact (route and condition codes,
    ``accepts_insurance`` and ``va_community_care`` stated as yes, ``self_pay_price_usd`` stated at all).
    A filter whose count is 0 can never match: the page says "no listing states this yet"."""
    out: dict[str, int] = {}
    for prefix, terms in (("route_", vocab.ROUTES), ("condition_", vocab.CONDITIONS)):
        for t in terms:
            col = f"{prefix}{t.code}"
            out[t.code] = int(df[col].fillna(False).astype(bool).sum()) if col in df.columns else 0
    for key in ("accepts_insurance", "va_community_care"):
        out[key] = int(df[key].fillna(False).astype(bool).sum()) if key in df.columns else 0
    price = "self_pay_price_usd"
    out[price] = int(df[price].notna().sum()) if price in df.columns else 0
    return out


def _nearest_beyond(
    cols: Columns, c: Criteria, lat_all: np.ndarray, lon_all: np.ndarray, inside: np.ndarray
) -> pd.DataFrame:
    """Up to ``NEAREST_BEYOND`` nearest listings outside the radius that meet every other filter."""
    outside = np.ones(len(cols.df), dtype=bool)
    outside[inside] = False
    pos = np.flatnonzero(outside)
    pos = pos[_strict_mask(cols, c, pos)]
    d = haversine_miles(c.place.lat, c.place.lon, lat_all[pos], lon_all[pos])
    keep = ~np.isnan(d)
    pos, d = pos[keep], d[keep]
    if len(pos) > NEAREST_BEYOND:
        part = np.argpartition(d, NEAREST_BEYOND - 1)[:NEAREST_BEYOND]
        pos, d = pos[part], d[part]
    order = _rank(cols, pos, d)
    return _frame(cols.df, pos[order], d[order])


def _strict_mask(cols: Columns, c: Criteria, idx: np.ndarray) -> np.ndarray:
    """Every non-distance filter over rows ``idx`` (used for the nearest matches beyond the radius)."""
    ok = np.ones(len(idx), dtype=bool)
    if c.routes:
        ok &= _any_of(cols, "route_", c.routes, tuple(t.code for t in vocab.ROUTES), idx)
    if c.conditions:
        ok &= _any_of(cols, "condition_", c.conditions, tuple(t.code for t in vocab.CONDITIONS), idx)
    if c.accepts_insurance:
        ok &= cols.bool("accepts_insurance", idx)
    if c.va_community_care:
        ok &= cols.bool("va_community_care", idx)
    if c.max_price is not None:
        price = cols.floats("self_pay_price_usd", idx)
        ok &= ~np.isnan(price) & (price <= c.max_price)
    if not c.include_studies:
        ok &= ~cols.equals("listing_kind", "research_study", idx)
    return ok


def _miles(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def _empty_reason(c: Criteria, total: int, within: int, nearest: pd.DataFrame, left_out: LeftOut) -> str:
    if total == 0:
        return "The directory has no listings to search."
    parts = []
    radius_set = c.place is not None and c.radius_miles is not None
    where = f"within {_miles(c.radius_miles)} miles of {_place_label(c)}" if radius_set else ""
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


def _lower_first(text: str) -> str:
    """Lower-case the first letter of a label unless it starts an acronym ("PTSD", "IV", "CRPS")."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _or_join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _and_join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _place_label(c: Criteria) -> str:
    if c.place is not None and c.place.label:
        return c.place.label
    return c.near.strip() or "the chosen location"


def describe(criteria: Criteria, n: int) -> str:
    """One sentence describing the search, e.g.
    "IV ketamine infusion clinics treating neuropathic (nerve) pain within 100 miles of Tucson, AZ 85719 — 3 found".

    Labels come from ``dashboard.vocab`` in vocabulary order; unknown codes are left out of the sentence
    (they match nothing). The sentence contains text the user typed: escape it before putting it in HTML.
    """
    c = criteria
    route_labels = [_lower_first(t.label) for t in vocab.ROUTES if t.code in c.routes]
    cond_labels = [_lower_first(t.label) for t in vocab.CONDITIONS if t.code in c.conditions]
    noun = "clinics"
    if route_labels:
        subject = f"{_or_join(route_labels)} {noun}"
        subject = subject[0].upper() + subject[1:]
    else:
        subject = noun.capitalize()
    parts = [subject]
    if cond_labels:
        parts.append(f"treating {_or_join(cond_labels)}")
    pay = []
    if c.accepts_insurance:
        pay.append("accepting insurance")
    if c.va_community_care:
        pay.append("taking VA community care")
    if c.max_price is not None:
        pay.append(f"with a stated self-pay price of at most ${c.max_price:,.0f}")
    sentence = " ".join(parts)
    if pay:
        # Commas only set the payment clause apart from a "treating ..." list before it.
        sentence += (", " + _and_join(pay) + ",") if cond_labels else (" " + _and_join(pay))
    if c.place is None:
        sentence += " anywhere in the directory"
    elif c.radius_miles is None:
        sentence += f" at any distance from {_place_label(c)}"
    else:
        sentence += f" within {_miles(c.radius_miles)} miles of {_place_label(c)}"
    if not c.include_studies:
        sentence += " (research studies not shown)"
    return f"{sentence} — {n} found"
