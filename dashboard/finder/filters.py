"""The finder's filters, each declared once: what it matches, what its options count, how it is said.

Like datasette's ``Filter``, which returns its where-clause and its human clause together, every record
in ``FILTERS`` gives everything about one filter, and ``search``, the facet counts, the left-out counts,
the nearest matches beyond the radius, ``directory_counts``, ``unstated_facts`` and the sentences in
``dashboard.finder.wording`` all iterate the same records. A new filter is one more record (and the
``Criteria`` field it reads).

Semantics
---------
* A filter has **options** (a route code, "accepts insurance", a price at or below the maximum, ...);
  a search **chooses** some of them. A listing passes a filter when it has *any* chosen option; a filter
  with nothing chosen lets every listing through. Filters combine with *all of*.
* **Routes**, **conditions**: one option per vocabulary code, read from the loader's boolean columns
  (``route_<code>``, ``condition_<code>``), never as substrings ("depression" is inside three other
  codes). Unknown codes match nothing.
* **Payment**: insurance, VA community care and the maximum price are three filters, so every chosen
  payment constraint must hold. An unknown payment fact (an empty cell) never satisfies one.
* **Research studies**: excluding them chooses the option "clinic".

Facet counts (``SearchResult.facets``)
--------------------------------------
The count beside an option is the number of listings (inside the radius) that have it and pass every
*other* filter, so ticking one route does not zero the others. For payment this is the number of
results there would be with that one constraint switched on and every other choice unchanged; the price
option counts listings that state a price at or below ``max_price`` (any stated price when no maximum).

Left-out counts (``SearchResult.left_out``)
-------------------------------------------
Listings are not hidden silently because a fact is missing. Each filter names the column that states
its ``Fact``; a listing is "left out" when it is not in the results but would be if every unknown fact
among the filters in use counted as a match (a route filter is in use and the listing lists no route; a
maximum price and no price stated; ...). ``left_out.total`` counts such listings once; the per-fact
counts may overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from dashboard import vocab
from dashboard.finder.columns import Columns
from dashboard.finder.criteria import Criteria
from dashboard.text import is_missing

Slot = Literal["kind", "qualifier", "payment", "aside"]  # where a filter's phrase goes in the search sentence


def or_join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def lower_first(text: str) -> str:
    """Lower-case the first letter of a label unless it starts an acronym ("PTSD", "IV", "CRPS")."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


@dataclass(frozen=True)
class Fact:
    """The fact a filter asks about: the column that states it, and how its absence is said.

    ``stated_by`` "count": stated when the count column is above 0 (a listing that lists no route states
    no route); "value": stated when the cell is not missing. ``label`` names it on a card ("not stated:
    insurance"); ``prompt`` and ``sentence`` are the words for one listing and for several.
    """

    column: str
    stated_by: Literal["count", "value"]
    label: str
    prompt: tuple[str, str]  # "2 more listings don't state ..."
    sentence: tuple[str, str]  # "... is not shown because it ..."

    def unknown(self, cols: Columns, idx: np.ndarray) -> np.ndarray:
        """Rows ``idx`` that do not state the fact."""
        if self.stated_by == "count":
            return cols.ints(self.column, idx) == 0
        return ~cols.known(self.column, idx)

    def unstated_in(self, row: Mapping[str, Any]) -> bool:
        """Whether one row (a mapping with the loader's columns) does not state the fact."""
        if self.stated_by == "count":
            return not int(row.get(self.column) or 0)
        return is_missing(row.get(self.column))


@dataclass(frozen=True)
class Filter:
    """One filter. ``facet`` is the ``Facets`` field its option counts go to, ``left_out`` the ``LeftOut``
    field counting listings that do not state its ``fact``, ``slot`` where its phrase goes in the search
    sentence. Subclasses say what its options are and which a search chooses."""

    facet: str
    slot: Slot
    fact: Fact | None
    left_out: str = ""

    def chosen(self, c: Criteria) -> frozenset[str]:
        """The options this search asks for; empty when it does not use the filter."""
        raise NotImplementedError

    def options(self, cols: Columns, c: Criteria, idx: np.ndarray, keys: Iterable[str] | None = None) -> dict:
        """Option → boolean mask over rows ``idx`` (only ``keys`` when given)."""
        raise NotImplementedError

    def phrase(self, c: Criteria) -> str:
        """Its words in the search sentence ("treating CRPS"), "" when the search does not use it."""
        raise NotImplementedError

    def passes(self, options: Mapping[str, np.ndarray], c: Criteria, n: int) -> np.ndarray | None:
        """Of ``n`` rows, those having any chosen option; None when the filter lets everything through."""
        chosen = self.chosen(c)
        if not chosen:
            return None
        mask = np.zeros(n, dtype=bool)
        for key in sorted(chosen):
            if key in options:
                mask |= options[key]
        return mask

    def unknown(self, cols: Columns, c: Criteria, idx: np.ndarray) -> np.ndarray | None:
        """Rows that would pass if an unstated fact counted as a match; None when that cannot happen."""
        return self.fact.unknown(cols, idx) if self.fact is not None and self.chosen(c) else None


@dataclass(frozen=True)
class Codes(Filter):
    """Any of the chosen vocabulary codes (routes, conditions), one boolean column per code."""

    field: str = ""  # the Criteria field holding the chosen codes
    terms: tuple[vocab.Term, ...] = ()
    prefix: str = ""  # of the loader's boolean columns: "route_", "condition_"
    verb: str = ""  # before the labels in the sentence ("treating"); none: the labels qualify "clinics"

    def chosen(self, c: Criteria) -> frozenset[str]:
        return getattr(c, self.field)

    def options(self, cols: Columns, c: Criteria, idx: np.ndarray, keys: Iterable[str] | None = None) -> dict:
        wanted = set(keys) if keys is not None else None
        out = {}
        for t in self.terms:
            if wanted is not None and t.code not in wanted:
                continue
            col = self.prefix + t.code
            out[t.code] = cols.bool(col, idx) if cols.has(col) else np.zeros(len(idx), dtype=bool)
        return out

    def phrase(self, c: Criteria) -> str:
        chosen = self.chosen(c)
        labels = or_join([lower_first(t.label) for t in self.terms if t.code in chosen])
        return f"{self.verb} {labels}" if labels and self.verb else labels


@dataclass(frozen=True)
class StatedYes(Filter):
    """Only listings that state the fact as yes (insurance, VA community care)."""

    field: str = ""  # the Criteria flag
    column: str = ""
    words: str = ""

    def chosen(self, c: Criteria) -> frozenset[str]:
        return frozenset([self.column]) if getattr(c, self.field) else frozenset()

    def options(self, cols: Columns, c: Criteria, idx: np.ndarray, keys: Iterable[str] | None = None) -> dict:
        if not cols.has(self.column):
            return {self.column: np.zeros(len(idx), dtype=bool)}
        return {self.column: cols.bool(self.column, idx)}

    def phrase(self, c: Criteria) -> str:
        return self.words if self.chosen(c) else ""


@dataclass(frozen=True)
class MaxPrice(Filter):
    """A stated self-pay price at or below ``Criteria.max_price`` (the option: any stated price without one)."""

    column: str = "self_pay_price_usd"

    def chosen(self, c: Criteria) -> frozenset[str]:
        return frozenset([self.column]) if c.max_price is not None else frozenset()

    def options(self, cols: Columns, c: Criteria, idx: np.ndarray, keys: Iterable[str] | None = None) -> dict:
        if not cols.has(self.column):
            return {self.column: np.zeros(len(idx), dtype=bool)}
        price = cols.floats(self.column, idx)
        stated = ~np.isnan(price)
        return {self.column: stated & (price <= c.max_price) if c.max_price is not None else stated}

    def phrase(self, c: Criteria) -> str:
        return f"with a stated self-pay price of at most ${c.max_price:,.0f}" if c.max_price is not None else ""


@dataclass(frozen=True)
class Studies(Filter):
    """Recruiting research studies shown or not (``Criteria.include_studies``); a listing's kind is always
    stated, so nothing is left out by it."""

    def chosen(self, c: Criteria) -> frozenset[str]:
        return frozenset() if c.include_studies else frozenset(["clinic"])

    def options(self, cols: Columns, c: Criteria, idx: np.ndarray, keys: Iterable[str] | None = None) -> dict:
        study = cols.equals("listing_kind", "research_study", idx)
        return {"clinic": ~study, "research_study": study}

    def phrase(self, c: Criteria) -> str:
        return "" if c.include_studies else "(research studies not shown)"


FILTERS: tuple[Filter, ...] = (
    Codes(
        facet="routes",
        slot="kind",
        left_out="no_route",
        fact=Fact(
            "route_count",
            "count",
            "treatment route",
            prompt=("a treatment route", "a treatment route"),
            sentence=("does not list a treatment route", "do not list a treatment route"),
        ),
        field="routes",
        terms=vocab.ROUTES,
        prefix="route_",
    ),
    Codes(
        facet="conditions",
        slot="qualifier",
        left_out="no_condition",
        fact=Fact(
            "condition_count",
            "count",
            "conditions",
            prompt=("the conditions it treats", "the conditions they treat"),
            sentence=("does not list the conditions it treats", "do not list the conditions they treat"),
        ),
        field="conditions",
        terms=vocab.CONDITIONS,
        prefix="condition_",
        verb="treating",
    ),
    StatedYes(
        facet="payment",
        slot="payment",
        left_out="insurance_unknown",
        fact=Fact(
            "accepts_insurance",
            "value",
            "insurance",
            prompt=("whether it takes insurance", "whether they take insurance"),
            sentence=("does not say whether it accepts insurance", "do not say whether they accept insurance"),
        ),
        field="accepts_insurance",
        column="accepts_insurance",
        words="accepting insurance",
    ),
    StatedYes(
        facet="payment",
        slot="payment",
        left_out="va_unknown",
        fact=Fact(
            "va_community_care",
            "value",
            "VA community care",
            prompt=("whether it takes VA community care", "whether they take VA community care"),
            sentence=(
                "does not say whether it takes VA community care",
                "do not say whether they take VA community care",
            ),
        ),
        field="va_community_care",
        column="va_community_care",
        words="taking VA community care",
    ),
    MaxPrice(
        facet="payment",
        slot="payment",
        left_out="price_unknown",
        fact=Fact(
            "self_pay_price_usd",
            "value",
            "self-pay price",
            prompt=("a self-pay price", "a self-pay price"),
            sentence=("does not list a self-pay price", "do not list a self-pay price"),
        ),
    ),
    Studies(facet="listing_kinds", slot="aside", fact=None),
)


def in_use(c: Criteria) -> int:
    """How many options the search has chosen ("Filters · 3 active")."""
    return sum(len(f.chosen(c)) for f in FILTERS)


def all_of(masks: Iterable[np.ndarray | None], n: int) -> np.ndarray:
    """Rows passing every mask given (None lets everything through)."""
    out = np.ones(n, dtype=bool)
    for mask in masks:
        if mask is not None:
            out &= mask
    return out


def strict_mask(cols: Columns, c: Criteria, idx: np.ndarray) -> np.ndarray:
    """Rows ``idx`` passing every filter (the nearest matches beyond the radius); only chosen options are read."""
    masks = (f.passes(f.options(cols, c, idx, f.chosen(c)), c, len(idx)) for f in FILTERS)
    return all_of(masks, len(idx))


def unstated_facts(row: Mapping[str, Any], criteria: Criteria) -> list[str]:
    """What a row of ``SearchResult.unstated`` does not state among the facts the filters in use ask about
    ("treatment route", "conditions", "insurance", "VA community care", "self-pay price")."""
    return [f.fact.label for f in FILTERS if f.fact is not None and f.chosen(criteria) and f.fact.unstated_in(row)]


def directory_counts(df: pd.DataFrame) -> dict[str, int]:
    """How many listings in the whole directory have each filter option (route and condition codes,
    ``accepts_insurance`` and ``va_community_care`` stated as yes, ``self_pay_price_usd`` stated at all).
    An option whose count is 0 can never match: the page says "no listing states this yet"."""
    cols, idx, c = Columns(df, keep=False), np.arange(len(df)), Criteria()
    return {
        key: int(np.count_nonzero(mask))
        for f in FILTERS
        if f.fact is not None
        for key, mask in f.options(cols, c, idx).items()
    }
