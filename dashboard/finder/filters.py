"""The finder's filters, each declared once: what it matches, what its options count, how it is said.

Like datasette's ``Filter``, which returns its where-clause and its human clause together, every record
in ``FILTERS`` gives everything about one filter, and ``search``, the tiers, the facet counts,
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

Three answers per fact (the tiers)
----------------------------------
For each filter in use a listing **states** a chosen option, **states the opposite**, or **does not
say**. A listing that states every chosen fact is *confirmed*; one that states the opposite of any is
excluded; the rest are *to ask* ("May offer it — ask them"), each naming what it does not state.

* Yes/no facts (insurance, VA community care): ``true`` states it, ``false`` the opposite, empty says
  nothing. A maximum price: a stated price at or below it, a stated price above it, no price.
* Routes: a listing that lists any route has stated its treatments (a route list is a clinic's menu:
  Spravato needs a certified site, an infusion a monitored chair), so not listing a chosen route is the
  opposite; a listing that lists no route does not say.
* Conditions: a list speaks only for its kind (``vocab.CONDITION_GROUPS``). A page that lists the
  mental-health conditions it treats has said nothing about pain, so for a pain condition it does not
  say; a page that lists mental-health conditions but not PTSD has stated its list, and is excluded
  for PTSD.

Facet counts (``SearchResult.facets``)
--------------------------------------
The count beside an option is how many results (confirmed plus to ask, inside the radius) the search
would give with that option added to what is already chosen, every other choice unchanged: ticking one
condition never makes the others read 0. Research studies count the studies among those results.
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
    no route); "value": stated when the cell is not missing. ``label`` names it on a card ("does not
    state: insurance").
    """

    column: str
    stated_by: Literal["count", "value"]
    label: str

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
    """One filter. ``facet`` is the ``Facets`` field its option counts go to, ``fact`` what a listing may
    leave unsaid (None: always stated), ``slot`` where its phrase goes in the search sentence.
    Subclasses say what its options are and which a search chooses."""

    facet: str
    slot: Slot
    fact: Fact | None
    adds: bool = True  # its facet counts the results with the option added; False: the results having it

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

    def silent(self, cols: Columns, options: Mapping[str, np.ndarray], keys: Iterable[str], idx: np.ndarray) -> dict:
        """Option → rows ``idx`` that do not say whether they have it (never true where they state it)."""
        if self.fact is None:
            return {key: np.zeros(len(idx), dtype=bool) for key in keys}
        unknown = self.fact.unknown(cols, idx)
        return {key: unknown for key in keys}

    def answers(
        self, cols: Columns, c: Criteria, idx: np.ndarray, options: Mapping[str, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """(states a chosen option, does not say) over rows ``idx``; what is neither states the opposite.
        None when the search does not use the filter."""
        states = self.passes(options, c, len(idx))
        if states is None:
            return None
        silent = np.zeros(len(idx), dtype=bool)
        for mask in self.silent(cols, options, sorted(self.chosen(c)), idx).values():
            silent |= mask
        return states, silent & ~states

    def reach(self, cols: Columns, idx: np.ndarray, options: Mapping[str, np.ndarray]) -> dict:
        """Option → rows that would not be excluded were it chosen alone (the facet counts' building block:
        choosing a set of options excludes a row only when every option in it would)."""
        silent = self.silent(cols, options, list(options), idx)
        return {key: mask | silent[key] for key, mask in options.items()}

    def not_stated(self, row: Mapping[str, Any], c: Criteria) -> list[str]:
        """What one row, which states no chosen option, does not say among them ("insurance")."""
        return [self.fact.label] if self.fact is not None and self.fact.unstated_in(row) else []


@dataclass(frozen=True)
class Codes(Filter):
    """Any of the chosen vocabulary codes (routes, conditions), one boolean column per code."""

    field: str = ""  # the Criteria field holding the chosen codes
    terms: tuple[vocab.Term, ...] = ()
    prefix: str = ""  # of the loader's boolean columns: "route_", "condition_"
    verb: str = ""  # before the labels in the sentence ("treating"); none: the labels qualify "clinics"
    by_group: bool = False  # a listed code speaks only for its own group (conditions), else for all (routes)

    def chosen(self, c: Criteria) -> frozenset[str]:
        return getattr(c, self.field)

    def _group(self, code: str) -> str:
        return next((t.group for t in self.terms if t.code == code), "") if self.by_group else ""

    def silent(self, cols: Columns, options: Mapping[str, np.ndarray], keys: Iterable[str], idx: np.ndarray) -> dict:
        """A listing says nothing about a code when it lists no code of that code's group (of any, for
        routes). Every code's column is read: ``options`` must hold them all."""
        known = {t.code for t in self.terms}
        keys = list(keys)
        if not self.by_group:
            silent = super().silent(cols, options, keys, idx)
            return {k: m if k in known else np.zeros(len(idx), dtype=bool) for k, m in silent.items()}
        quiet: dict[str, np.ndarray] = {}
        for group in {self._group(k) for k in keys}:
            listed = np.zeros(len(idx), dtype=bool)
            for t in self.terms:
                if t.group == group and t.code in options:
                    listed |= options[t.code]
            quiet[group] = ~listed
        return {k: quiet[self._group(k)] if k in known else np.zeros(len(idx), dtype=bool) for k in keys}

    def not_stated(self, row: Mapping[str, Any], c: Criteria) -> list[str]:
        listed = {t.code for t in self.terms if _yes(row.get(self.prefix + t.code))}
        if listed & self.chosen(c):
            return []
        if not self.by_group:
            return [lower_first(t.label) for t in self.terms if t.code in self.chosen(c)] if not listed else []
        groups = {self._group(code) for code in listed}
        return [lower_first(t.label) for t in self.terms if t.code in self.chosen(c) and t.group not in groups]

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
    stated, so no listing is "to ask" because of it."""

    def chosen(self, c: Criteria) -> frozenset[str]:
        return frozenset() if c.include_studies else frozenset(["clinic"])

    def options(self, cols: Columns, c: Criteria, idx: np.ndarray, keys: Iterable[str] | None = None) -> dict:
        study = cols.equals("listing_kind", "research_study", idx)
        return {"clinic": ~study, "research_study": study}

    def phrase(self, c: Criteria) -> str:
        return "" if c.include_studies else "(research studies not shown)"

    def reach(self, cols: Columns, idx: np.ndarray, options: Mapping[str, np.ndarray]) -> dict:
        return dict(options)


FILTERS: tuple[Filter, ...] = (
    Codes(
        facet="routes",
        slot="kind",
        fact=Fact("route_count", "count", "treatment route"),
        field="routes",
        terms=vocab.ROUTES,
        prefix="route_",
    ),
    Codes(
        facet="conditions",
        slot="qualifier",
        fact=Fact("condition_count", "count", "conditions"),
        field="conditions",
        terms=vocab.CONDITIONS,
        prefix="condition_",
        verb="treating",
        by_group=True,
    ),
    StatedYes(
        facet="payment",
        slot="payment",
        fact=Fact(
            "accepts_insurance",
            "value",
            "insurance",
        ),
        field="accepts_insurance",
        column="accepts_insurance",
        words="accepting insurance",
    ),
    StatedYes(
        facet="payment",
        slot="payment",
        fact=Fact(
            "va_community_care",
            "value",
            "VA community care",
        ),
        field="va_community_care",
        column="va_community_care",
        words="taking VA community care",
    ),
    MaxPrice(
        facet="payment",
        slot="payment",
        fact=Fact(
            "self_pay_price_usd",
            "value",
            "self-pay price",
        ),
    ),
    # The count beside "include studies" is the studies among the results, shown or not.
    Studies(facet="listing_kinds", slot="aside", fact=None, adds=False),
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


def _yes(value: Any) -> bool:
    return not is_missing(value) and bool(value)


def unstated_facts(row: Mapping[str, Any], criteria: Criteria) -> list[str]:
    """What a row of the "to ask" tier (``SearchResult.to_ask``) does not state among the options the
    search chose, in filter order ("IV ketamine infusion", "neuropathic (nerve) pain", "insurance",
    "VA community care", "self-pay price"). The same rule as the vectorised ``Filter.answers``."""
    return [label for f in FILTERS if f.chosen(criteria) for label in f.not_stated(row, criteria)]


def fact_labels() -> list[str]:
    """Every label ``unstated_facts`` can give, in filter order (to list several rows' facts in one order)."""
    return [
        label
        for f in FILTERS
        if f.fact is not None
        for label in ([lower_first(t.label) for t in f.terms] if isinstance(f, Codes) else [f.fact.label])
    ]


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
