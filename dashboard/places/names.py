"""Place names the way people type them, resolved offline: "Phoenix AZ", "phoenix, arizona", "NYC", "Kansas City".

``dashboard.places.gazetteer.resolve_offline`` reads the strict forms (a ZIP, "lat, lon", "City, ST"). This module reads
the looser ones on top of the same gazetteer, so they never go to an online address service:

* a state after the city, with or without a comma, as a code or a name: "Phoenix AZ", "Phoenix, Arizona",
  "kansas city kansas" (case, extra spaces and periods do not matter; "St."/"Saint" and "Ft."/"Fort" are
  the gazetteer's ``city_key``);
* common short forms: NYC, LA, DC ("Washington DC" is already a city and state);
* a city on its own: "phoenix" is Phoenix, AZ, because every other Phoenix is a village. When two or more
  places of that name are sizeable ("Portland": Oregon and Maine; "Kansas City": Missouri and Kansas) the
  answer is :class:`AmbiguousPlaceError` listing them, never a guess.

How big a place is: the gazetteer has no population, so the number of ZIP codes it gives the city stands in
for it (Phoenix, AZ has 81; every other Phoenix has 1). A city on its own resolves only when exactly one
place of that name has at least ``SIZEABLE_ZIPS`` ZIP codes and at least ``DOMINANCE`` times as many as any
other. Text with digits (other than a trailing ZIP) or more than a few words is not a place name here:
``parse_place`` returns None and the caller may try an address lookup.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from dashboard.places.gazetteer import (
    LocationError,
    Place,
    city_key,
    city_place,
    district_names,
    district_place,
    gazetteer,
    zip_place,
)
from dashboard.states import STATE_NAMES, name_key, state_code

__all__ = ["AmbiguousPlaceError", "CityNotInStateError", "parse_place"]

SIZEABLE_ZIPS = 5
DOMINANCE = 4
MAX_CITY_WORDS = 5  # the longest city name in the gazetteer ("Seymour Johnson A F B", NC)
MAX_CHOICES = 5

_LONGEST_STATE = max(len(name.split()) for name in STATE_NAMES)
# More words than the longest city and the longest state name together is no place name (an address, a
# sentence): it goes to the address lookup. "Ft L J Mcnair, District of Columbia" is eight words.
MAX_WORDS = MAX_CITY_WORDS + _LONGEST_STATE

# Short forms people type for a few big cities: (city, state) as the gazetteer knows them.
ALIASES: dict[str, tuple[str, str]] = {
    "NYC": ("New York", "NY"),
    "NEW YORK CITY": ("New York", "NY"),
    "LA": ("Los Angeles", "CA"),
    "DC": ("Washington", "DC"),
    "WASHINGTON DC": ("Washington", "DC"),
}
_COUNTRY_SUFFIXES = ("UNITED STATES OF AMERICA", "UNITED STATES", "USA", "US")

_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z .,'\-]*$")
_TRAILING_ZIP_RE = re.compile(r"^(.*[A-Za-z].*?)[\s,]+(\d{5})(?:-\d{4})?$")


class AmbiguousPlaceError(LocationError):
    """The name fits several sizeable places; ``choices`` are "City, ST" strings to pick from, largest first."""

    def __init__(self, message: str, choices: tuple[str, ...]) -> None:
        super().__init__(message)
        self.choices = choices


class CityNotInStateError(LocationError):
    """A state is named but the words before it are not a city there ("Mayo Clinic Rochester MN" may still be
    an address an online lookup knows; with no online lookup this is the message to show)."""


@lru_cache(maxsize=1)
def _by_name() -> dict[str, tuple[tuple[str, int], ...]]:
    """City lookup key (``city_key``) → ((state, ZIP codes), ...) largest first; built once from the gazetteer."""
    g = gazetteer()
    zips: dict[tuple[str, str], int] = defaultdict(int)
    for _lat, _lon, city, state in g.zips.values():
        zips[(city_key(city), state)] += 1
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for name, state in g.cities:
        out[name].append((state, zips.get((name, state), 0)))
    return {name: tuple(sorted(v, key=lambda sv: (-sv[1], sv[0]))) for name, v in out.items()}


def _city_in_state(city: str, state: str) -> Place | None:
    alias = ALIASES.get(name_key(city))
    if alias and alias[1] == state:
        city = alias[0]
    return city_place(city, state) or district_place(city, state)


def _split_state(words: list[str]) -> list[tuple[str, str]]:
    """Every (city, state code) reading of words ending in a state code or name, longest state name first."""
    out = []
    for n in range(min(_LONGEST_STATE, len(words) - 1), 0, -1):
        code = state_code(" ".join(words[-n:]))
        if code:
            out.append((" ".join(words[:-n]), code))
    return out


def _bare_city(name: str) -> Place | None:
    """A city given without a state: the one sizeable place of that name, else AmbiguousPlaceError."""
    alias = ALIASES.get(name_key(name))
    if alias:
        return city_place(*alias)
    candidates = _by_name().get(city_key(name), ())
    # a borough or district of this name in a state where no city has it: "Queens", "Manhattan" (New York's)
    districts = [s for s in district_names().get(city_key(name), ()) if s not in {c[0] for c in candidates}]
    if districts and not candidates and len(districts) == 1:
        return district_place(name, districts[0])
    if districts:
        label = district_place(name, districts[0])
        shown = [f"{label.city if label else name.strip().title()}, {s}" for s in districts]
        listed = [c for c in candidates if c[1] >= 2] or list(candidates)  # villages only when nothing else
        shown += [f"{(city_place(name, st) or label).city}, {st}" for st, _ in listed[: MAX_CHOICES - len(shown)]]
        choices = tuple(shown)
        raise AmbiguousPlaceError(
            f"More than one place is called {name.strip().title()}: {'; '.join(choices)}. Choose one, or type "
            f"it with its state (for example {choices[0]}).",
            choices,
        )
    if not candidates or (state_code(name) and candidates[0][1] < SIZEABLE_ZIPS):
        return None  # nothing, or a state name that is also a village ("Indiana", PA): not a guess to make
    if len(candidates) == 1:
        return city_place(name, candidates[0][0])
    (top_state, top), (_, second) = candidates[0], candidates[1]
    if top >= SIZEABLE_ZIPS and second < SIZEABLE_ZIPS and top >= DOMINANCE * max(second, 1):
        return city_place(name, top_state)
    listed = [c for c in candidates if c[1] >= 2] or list(candidates)
    shown = listed[: max(2, MAX_CHOICES)]
    place_name = city_place(name, shown[0][0])
    label = place_name.city if place_name else name.strip().title()
    choices = tuple(f"{label}, {state}" for state, _ in shown)
    raise AmbiguousPlaceError(
        f"More than one place is called {label}: {'; '.join(choices)}. Choose one, or type the city with its "
        f"state (for example {choices[0]}).",
        choices,
    )


def parse_place(text: str) -> Place | None:
    """Resolve a place name offline. None: not a place name this module reads (for example a street address).

    Raises ``AmbiguousPlaceError`` when a city on its own fits several sizeable places,
    ``CityNotInStateError`` when a state is named but the words before it are no city there, and
    ``LocationError`` when the text is only a state.
    """
    text = " ".join((text or "").split())
    if not text or len(text) > 100:
        return None
    zip_code = None
    if m := _TRAILING_ZIP_RE.match(text):
        text, zip_code = m.group(1).strip(" ,"), m.group(2)
    if not _NAME_RE.match(text):
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    while len(parts) > 1 and name_key(parts[-1]) in _COUNTRY_SUFFIXES:
        parts.pop()
    if not parts or len(parts) > 2:
        return None
    words = " ".join(parts).split()
    if len(words) > MAX_WORDS:
        return None

    readings: list[tuple[str, str]] = []
    if len(parts) == 2:
        code = state_code(parts[1])
        if code is None:
            return None  # "Main Street, Springfield": not a city and state
        readings.append((parts[0], code))
    else:
        readings.extend(_split_state(words))
    for city, code in readings:
        place = _city_in_state(city, code)
        if place is not None:
            return (zip_place(zip_code) or place) if zip_code else place

    whole = " ".join(words)
    if len(parts) == 1:
        place = _bare_city(whole)
        if place is not None:
            return (zip_place(zip_code) or place) if zip_code else place
    if zip_code and (place := zip_place(zip_code)):
        return place
    if state_code(whole):
        raise LocationError(
            "That is a state. Enter a city in it with the state (for example Phoenix, AZ) or a ZIP code."
        )
    if readings:
        city, code = readings[0]
        raise CityNotInStateError(
            f"{city.strip().title()}, {code} was not found. Check the spelling, or try a ZIP code."
        )
    return None
