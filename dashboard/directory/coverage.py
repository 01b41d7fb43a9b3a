"""What the directory covers: listings per state, the directory's date, and where else to look.

The Data page shows ``state_counts`` as a map and a table; where the nearest listing a search can show
is far away the finder says so (``dashboard.finder.wording.thin_note``) and links ``PUBLIC_LOCATORS``,
the public locators that cover what this directory does not (links only: nothing is fetched from them).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.states import FIFTY_AND_DC, STATES

DC_NAME = "District of Columbia"

# Colour classes of the coverage map (listings per state): at least bins[i] → colours[i]. Light to dark
# blue; the empty class is a warm grey so "none" never looks like "a few".
BINS: tuple[int, ...] = (0, 1, 3, 6, 11)
BIN_LABELS: tuple[str, ...] = ("none", "1–2", "3–5", "6–10", "11 or more")
COLOURS: tuple[str, ...] = ("#e6e1d8", "#c6dbef", "#6baed6", "#2171b5", "#08306b")


@dataclass(frozen=True)
class Locator:
    name: str
    url: str
    covers: str


# Public locators that list what this directory may miss (linked, never fetched).
PUBLIC_LOCATORS: tuple[Locator, ...] = (
    Locator(
        "FindTreatment.gov",
        "https://findtreatment.gov/",
        "SAMHSA's locator; some facilities report ketamine infusion therapy",
    ),
    Locator(
        'SPRAVATO "Find a Center"',
        "https://spravatotreatmentcenter.com/",
        "the manufacturer's list of REMS-certified esketamine treatment centres",
    ),
)


def state_counts(df: pd.DataFrame) -> pd.DataFrame:
    """One row per state, DC and territory (``dashboard.states.STATES``, by name): ``state`` (postal code), ``name``,
    ``fips``, ``listings`` (clinics), ``iv`` and ``esketamine`` (clinics listing that route),
    ``studies`` (recruiting research studies). States with nothing listed are kept, with zeros."""
    kind = df["listing_kind"] if "listing_kind" in df.columns else pd.Series("clinic", index=df.index)
    study = kind.eq("research_study").to_numpy()
    state = df["state"].astype(str).str.upper()

    def per_state(mask) -> pd.Series:
        return state[mask].value_counts()

    clinics = per_state(~study)
    iv = per_state(~study & _flag(df, "route_iv_ketamine"))
    esk = per_state(~study & _flag(df, "route_esketamine_nasal"))
    studies = per_state(study)
    rows = [
        {
            "state": s.code,
            "name": s.name,
            "fips": s.fips,
            "listings": int(clinics.get(s.code, 0)),
            "iv": int(iv.get(s.code, 0)),
            "esketamine": int(esk.get(s.code, 0)),
            "studies": int(studies.get(s.code, 0)),
        }
        for s in STATES
    ]
    return pd.DataFrame(rows).sort_values("name", kind="stable").reset_index(drop=True)


def _flag(df: pd.DataFrame, column: str):
    if column not in df.columns:
        return pd.Series(False, index=df.index).to_numpy()
    return df[column].fillna(False).astype(bool).to_numpy()


def bin_of(n: int) -> int:
    """Index of the colour class of a count."""
    return max(i for i, lower in enumerate(BINS) if n >= lower)


@dataclass(frozen=True)
class Totals:
    """The directory in a few numbers (the Data page's first paragraph)."""

    listings: int  # clinics (research studies not counted)
    studies: int
    states_covered: int  # of the 50 states and DC, those with at least one clinic
    states_empty: tuple[str, ...]  # names of the states (and DC) with no clinic
    compiled_on: str  # the newest compiled_on date in the directory, "" when none
    oldest_compiled_on: str
    dc_covered: bool = False  # DC is counted apart in sentences: "47 states and DC", never "47 of 51"


def summary(df: pd.DataFrame) -> Totals:
    counts = state_counts(df)
    main = counts[counts["state"].isin(FIFTY_AND_DC)]
    dates = sorted(d for d in df.get("compiled_on", pd.Series(dtype=str)).astype(str) if d and d != "nan")
    return Totals(
        listings=int(counts["listings"].sum()),
        studies=int(counts["studies"].sum()),
        states_covered=int((main["listings"] > 0).sum()),
        states_empty=tuple(main.loc[main["listings"] == 0, "name"]),
        dc_covered=bool((main.loc[main["state"] == "DC", "listings"] > 0).any()),
        compiled_on=dates[-1] if dates else "",
        oldest_compiled_on=dates[0] if dates else "",
    )


def _states(n: int) -> str:
    return f"{n} state{'s' if n != 1 else ''}"


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def where_listed(t: Totals) -> str:
    """ "in 47 states and DC": the states with a listing, DC named apart, so it adds up with ``not_listed``."""
    states = t.states_covered - (1 if t.dc_covered else 0)
    return f"in {_states(states)}" + (" and DC" if t.dc_covered else " (none yet in DC)")


def not_listed(t: Totals) -> str:
    """ "No listing yet in 3 states: Alaska, New Hampshire and West Virginia." ('' when every state has one)."""
    if not t.states_empty:
        return ""
    names = [n for n in t.states_empty if n != DC_NAME]
    count = _states(len(names)) + (" and DC" if len(names) != len(t.states_empty) else "")
    return f"No listing yet in {count}: {_names(list(t.states_empty))}."


def va_by_state(facilities: pd.DataFrame) -> dict[str, int]:
    """VA facilities per state code: counted apart from the clinics, never added to their totals."""
    if facilities.empty:
        return {}
    return {str(k): int(v) for k, v in facilities["state"].value_counts().items()}


def va_places(facilities: pd.DataFrame) -> str:
    """ "By state: Arkansas 1, California 2, …" (a sentence, not another column: the per-state table must fit
    a phone without scrolling sideways)."""
    names = {s.code: s.name for s in STATES}
    counts = sorted((names.get(code, code), n) for code, n in va_by_state(facilities).items())
    return ("By state: " + ", ".join(f"{name} {n}" for name, n in counts) + ".") if counts else ""


def va_sentence(facilities: pd.DataFrame) -> str:
    """ "Counted apart from the clinics: 10 VA facilities in 9 states and territories …" ('' when none)."""
    n = len(facilities)
    if not n:
        return ""
    places = facilities["state"].nunique()
    return (
        f"Counted apart from the clinics: {n} VA facilit{'ies' if n != 1 else 'y'} in {places} "
        f"state{'s' if places != 1 else ''} or territor{'ies' if places != 1 else 'y'}, documented by a public "
        "page as offering esketamine or ketamine to veterans enrolled in VA health care."
    )
