"""The United States as the directory covers it: 50 states, DC and five territories, in one table.

Dataset validation, place names as people type them ("Phoenix, Arizona"), the refresh adapters'
state fields, the coverage map (its boundaries are keyed by FIPS code) and the submission form all
read this table, so a territory added here is known everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class State:
    """``code`` is the USPS postal code; ``fips`` the Census Bureau's state code, which is also the id of
    the us-atlas boundary the map draws; ``other_names`` are further names people use for it."""

    code: str
    fips: str
    name: str
    kind: Literal["state", "district", "territory"] = "state"
    other_names: tuple[str, ...] = ()


STATES: tuple[State, ...] = (
    State("AL", "01", "Alabama"),
    State("AK", "02", "Alaska"),
    State("AZ", "04", "Arizona"),
    State("AR", "05", "Arkansas"),
    State("CA", "06", "California"),
    State("CO", "08", "Colorado"),
    State("CT", "09", "Connecticut"),
    State("DE", "10", "Delaware"),
    State("DC", "11", "District of Columbia", "district"),
    State("FL", "12", "Florida"),
    State("GA", "13", "Georgia"),
    State("HI", "15", "Hawaii"),
    State("ID", "16", "Idaho"),
    State("IL", "17", "Illinois"),
    State("IN", "18", "Indiana"),
    State("IA", "19", "Iowa"),
    State("KS", "20", "Kansas"),
    State("KY", "21", "Kentucky"),
    State("LA", "22", "Louisiana"),
    State("ME", "23", "Maine"),
    State("MD", "24", "Maryland"),
    State("MA", "25", "Massachusetts"),
    State("MI", "26", "Michigan"),
    State("MN", "27", "Minnesota"),
    State("MS", "28", "Mississippi"),
    State("MO", "29", "Missouri"),
    State("MT", "30", "Montana"),
    State("NE", "31", "Nebraska"),
    State("NV", "32", "Nevada"),
    State("NH", "33", "New Hampshire"),
    State("NJ", "34", "New Jersey"),
    State("NM", "35", "New Mexico"),
    State("NY", "36", "New York"),
    State("NC", "37", "North Carolina"),
    State("ND", "38", "North Dakota"),
    State("OH", "39", "Ohio"),
    State("OK", "40", "Oklahoma"),
    State("OR", "41", "Oregon"),
    State("PA", "42", "Pennsylvania"),
    State("RI", "44", "Rhode Island"),
    State("SC", "45", "South Carolina"),
    State("SD", "46", "South Dakota"),
    State("TN", "47", "Tennessee"),
    State("TX", "48", "Texas"),
    State("UT", "49", "Utah"),
    State("VT", "50", "Vermont"),
    State("VA", "51", "Virginia"),
    State("WA", "53", "Washington"),
    State("WV", "54", "West Virginia"),
    State("WI", "55", "Wisconsin"),
    State("WY", "56", "Wyoming"),
    State("AS", "60", "American Samoa", "territory"),
    State("GU", "66", "Guam", "territory"),
    State("MP", "69", "Northern Mariana Islands", "territory"),
    State("PR", "72", "Puerto Rico", "territory"),
    State("VI", "78", "U.S. Virgin Islands", "territory", ("Virgin Islands",)),
)

BY_CODE: dict[str, State] = {s.code: s for s in STATES}
US_STATES: frozenset[str] = frozenset(BY_CODE)
FIFTY_AND_DC: tuple[str, ...] = tuple(s.code for s in STATES if s.kind != "territory")
NOT_STATES: frozenset[str] = frozenset(s.code for s in STATES if s.kind != "state")  # DC and the territories


def name_key(text: str) -> str:
    """A name as it is looked up: upper case, periods and apostrophes dropped ("D.C." → "DC", "L.A." → "LA"),
    one space between words."""
    return " ".join(text.upper().replace(".", "").replace("'", "").split())


# Postal codes by name as people type them (keyed by ``name_key``): "ARIZONA", "US VIRGIN ISLANDS".
STATE_NAMES: dict[str, str] = {name_key(n): s.code for s in STATES for n in (s.name, *s.other_names)}


def state_code(text: str) -> str | None:
    """The postal code for "AZ", "az", "Arizona", "new  mexico" or "D.C."; anything else → None."""
    key = name_key(text)
    if key in US_STATES:
        return key
    return STATE_NAMES.get(key)


# (south, north, west, east) boxes covering the states and territories; generous at the edges.
US_BOXES: tuple[tuple[float, float, float, float], ...] = (
    (24.3, 49.5, -125.0, -66.8),  # contiguous states
    (51.0, 71.6, -180.0, -129.9),  # Alaska
    (51.0, 53.1, 172.0, 180.0),  # Aleutians west of the antimeridian
    (18.8, 22.4, -160.6, -154.6),  # Hawaii
    (17.6, 18.6, -67.4, -64.5),  # Puerto Rico and US Virgin Islands
    (13.2, 20.6, 144.5, 146.1),  # Guam and Northern Mariana Islands
    (-14.6, -11.0, -171.2, -168.1),  # American Samoa
)


def in_us(lat: float, lon: float) -> bool:
    """True when a point falls inside one of the US boxes (states and territories)."""
    return any(s <= lat <= n and w <= lon <= e for s, n, w, e in US_BOXES)
