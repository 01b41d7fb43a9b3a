"""Where the directory is thin: listings per state, the directory's date, and when to point elsewhere.

The Data page shows ``state_counts`` as a map and a table; the finder shows ``thin_note`` when the
nearest listing it can show is more than ``THIN_MILES`` away, with links to the public locators that
cover what this directory does not (links only: nothing is fetched from them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from dashboard.search import DISTANCE_COLUMN, SearchResult

THIN_MILES = 100.0

# Postal code → (FIPS code, name): the 50 states, DC and the territories the directory accepts. FIPS codes
# are the U.S. Census Bureau's state codes, the ids of the us-atlas boundaries the map draws.
STATES: dict[str, tuple[str, str]] = {
    "AL": ("01", "Alabama"),
    "AK": ("02", "Alaska"),
    "AZ": ("04", "Arizona"),
    "AR": ("05", "Arkansas"),
    "CA": ("06", "California"),
    "CO": ("08", "Colorado"),
    "CT": ("09", "Connecticut"),
    "DE": ("10", "Delaware"),
    "DC": ("11", "District of Columbia"),
    "FL": ("12", "Florida"),
    "GA": ("13", "Georgia"),
    "HI": ("15", "Hawaii"),
    "ID": ("16", "Idaho"),
    "IL": ("17", "Illinois"),
    "IN": ("18", "Indiana"),
    "IA": ("19", "Iowa"),
    "KS": ("20", "Kansas"),
    "KY": ("21", "Kentucky"),
    "LA": ("22", "Louisiana"),
    "ME": ("23", "Maine"),
    "MD": ("24", "Maryland"),
    "MA": ("25", "Massachusetts"),
    "MI": ("26", "Michigan"),
    "MN": ("27", "Minnesota"),
    "MS": ("28", "Mississippi"),
    "MO": ("29", "Missouri"),
    "MT": ("30", "Montana"),
    "NE": ("31", "Nebraska"),
    "NV": ("32", "Nevada"),
    "NH": ("33", "New Hampshire"),
    "NJ": ("34", "New Jersey"),
    "NM": ("35", "New Mexico"),
    "NY": ("36", "New York"),
    "NC": ("37", "North Carolina"),
    "ND": ("38", "North Dakota"),
    "OH": ("39", "Ohio"),
    "OK": ("40", "Oklahoma"),
    "OR": ("41", "Oregon"),
    "PA": ("42", "Pennsylvania"),
    "RI": ("44", "Rhode Island"),
    "SC": ("45", "South Carolina"),
    "SD": ("46", "South Dakota"),
    "TN": ("47", "Tennessee"),
    "TX": ("48", "Texas"),
    "UT": ("49", "Utah"),
    "VT": ("50", "Vermont"),
    "VA": ("51", "Virginia"),
    "WA": ("53", "Washington"),
    "WV": ("54", "West Virginia"),
    "WI": ("55", "Wisconsin"),
    "WY": ("56", "Wyoming"),
    "AS": ("60", "American Samoa"),
    "GU": ("66", "Guam"),
    "MP": ("69", "Northern Mariana Islands"),
    "PR": ("72", "Puerto Rico"),
    "VI": ("78", "U.S. Virgin Islands"),
}
FIFTY_AND_DC = tuple(code for code, (fips, _) in STATES.items() if int(fips) <= 56)

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
    """One row per state, DC and territory (``STATES`` order by name): ``state`` (postal code), ``name``,
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
            "state": code,
            "name": name,
            "fips": fips,
            "listings": int(clinics.get(code, 0)),
            "iv": int(iv.get(code, 0)),
            "esketamine": int(esk.get(code, 0)),
            "studies": int(studies.get(code, 0)),
        }
        for code, (fips, name) in STATES.items()
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
class Summary:
    listings: int  # clinics (research studies not counted)
    studies: int
    states_covered: int  # of the 50 states and DC, those with at least one clinic
    states_empty: tuple[str, ...]  # names of the states (and DC) with no clinic
    compiled_on: str  # the newest compiled_on date in the directory, "" when none
    oldest_compiled_on: str


def summary(df: pd.DataFrame) -> Summary:
    counts = state_counts(df)
    main = counts[counts["state"].isin(FIFTY_AND_DC)]
    dates = sorted(d for d in df.get("compiled_on", pd.Series(dtype=str)).astype(str) if d and d != "nan")
    return Summary(
        listings=int(counts["listings"].sum()),
        studies=int(counts["studies"].sum()),
        states_covered=int((main["listings"] > 0).sum()),
        states_empty=tuple(main.loc[main["listings"] == 0, "name"]),
        compiled_on=dates[-1] if dates else "",
        oldest_compiled_on=dates[0] if dates else "",
    )


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
