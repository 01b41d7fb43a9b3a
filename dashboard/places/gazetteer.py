"""The offline gazetteer: ZIP codes, "City, ST" and "lat, lon" resolved to a ``Place`` without any network.

ZIP and city centroids come from the gazetteer shipped in the ``zipcodes`` package, so a patient's location
never leaves the server for them. Looser place names ("Phoenix AZ", "NYC") are ``places.names``; only a
free-text street address needs an online geocoder (``places.lookup``).

Public functions (used by the lookup, the build and the submission form): ``normalise_city`` (canonical
spelling), ``city_key`` (gazetteer lookup key), ``zip_place``, ``city_place``, ``resolve_offline``,
``district_place`` and ``gazetteer()`` (``cities`` is keyed by ``(city_key(name), state)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import zipcodes

from dashboard.states import US_STATES, in_us


class LocationError(ValueError):
    """A location that cannot be resolved; the message is written for the person who typed it."""


@dataclass(frozen=True)
class Place:
    """A resolved location. ``precision`` is street, zip, city, district or point (typed coordinates)."""

    lat: float
    lon: float
    label: str
    precision: str
    zip: str = ""
    city: str = ""
    state: str = ""


_ABBREVIATIONS = {"ST": "SAINT", "STE": "SAINTE", "FT": "FORT", "MT": "MOUNT", "PT": "POINT"}
_APOSTROPHES = "'\u2019\u2018`"


def normalise_city(name: str) -> str:
    """Canonical spelling of a city name: upper case, punctuation gone, abbreviations spelled out.

    "St. Paul", "Saint  Paul" and "saint paul" all give "SAINT PAUL"; "Port St. Lucie" gives
    "PORT SAINT LUCIE" and "Ft. Worth" "FORT WORTH" (St/Ste/Ft/Mt/Pt are expanded wherever they stand).
    Apostrophes are dropped ("Lee's Summit" -> "LEES SUMMIT"); see ``city_key`` for the lookup key
    that also matches the gazetteer's "Coeur D Alene" and "O Fallon".
    """
    text = name.upper()
    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    words = re.sub(r"[^A-Z0-9 ]+", " ", text).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def city_key(name: str) -> str:
    """Lookup key for a city name: ``normalise_city`` without spaces.

    The gazetteer writes an apostrophe sometimes as a space ("Coeur D Alene", "O Fallon") and sometimes
    not at all ("Lees Summit"); without spaces, "Coeur d'Alene", "O'Fallon" and "Lee's Summit" all match.
    """
    return normalise_city(name).replace(" ", "")


@dataclass(frozen=True)
class _Gazetteer:
    zips: dict[str, tuple[float, float, str, str]]
    cities: dict[tuple[str, str], tuple[float, float, str]]  # (city_key, state) -> lat, lon, display name


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (round(sum(p[0] for p in points) / len(points), 4), round(sum(p[1] for p in points) / len(points), 4))


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    """ZIP centroids and city centroids (mean of the city's standard ZIP centroids), built once."""
    zips: dict[str, tuple[float, float, str, str]] = {}
    primary: dict[tuple[str, str], list[tuple[float, float]]] = {}
    primary_any: dict[tuple[str, str], list[tuple[float, float]]] = {}
    acceptable: dict[tuple[str, str], list[tuple[float, float]]] = {}
    names: dict[tuple[str, str], str] = {}
    for z in zipcodes.list_all():
        try:
            lat, lon = float(z["lat"]), float(z["long"])
        except (TypeError, ValueError):
            continue
        if not in_us(lat, lon):
            continue
        state = z["state"]
        zips[z["zip_code"]] = (lat, lon, z["city"].title(), state)
        key = (city_key(z["city"]), state)
        names.setdefault(key, z["city"].title())
        standard = z["zip_code_type"] == "STANDARD" and z.get("active", True)
        (primary if standard else primary_any).setdefault(key, []).append((lat, lon))
        if standard:
            for alias in z.get("acceptable_cities") or []:
                akey = (city_key(alias), state)
                names.setdefault(akey, alias.title())
                acceptable.setdefault(akey, []).append((lat, lon))
    cities: dict[tuple[str, str], tuple[float, float, str]] = {}
    for source in (acceptable, primary_any, primary):  # later sources win: primary city beats alias
        for key, pts in source.items():
            cities[key] = (*_mean(pts), names[key])
    return _Gazetteer(zips=zips, cities=cities)


def zip_place(zip_code: str) -> Place | None:
    """Centroid of a 5-digit ZIP, or None when the gazetteer does not know it."""
    hit = gazetteer().zips.get(zip_code)
    if hit is None:
        return None
    lat, lon, city, state = hit
    return Place(lat, lon, f"{city}, {state} {zip_code}", "zip", zip=zip_code, city=city, state=state)


def city_place(city: str, state: str) -> Place | None:
    """Centroid of a city in a state, case-insensitive ("St." / "Saint", "Ft." / "Fort" spellings, apostrophes
    and postal aliases included); None when the gazetteer does not know the place (never a guess)."""
    hit = gazetteer().cities.get((city_key(city), state.strip().upper()))
    if hit is None:
        return None
    lat, lon, name = hit
    return Place(lat, lon, f"{name}, {state.upper()}", "city", city=name, state=state.upper())


# County districts that are not postal places, so the ZIP gazetteer cannot name them. Each is placed at the
# mean of its towns' ZIP centroids: an area (like a city centre), never a door. Keyed like ``gazetteer().cities``.
# North Kohala is the northern district of Hawaii County (Big Island); its towns are Hawi (96719) and Kapaau (96755).
DISTRICTS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("NORTHKOHALA", "HI"): ("North Kohala", ("96719", "96755")),
}


# City districts people type for their city that the postal gazetteer does not name as a place. New York
# City's boroughs are each a county, so their ZIP codes are the gazetteer's own (``county`` in the zipcodes
# data) and each is placed at the mean of its standard ZIP centroids. Manhattan's post office name is
# "New York", Queens's are its neighbourhoods (Flushing, Jamaica, …); Brooklyn, Bronx and Staten Island
# are postal cities already and resolve as cities (these entries also give "the Bronx").
BOROUGHS: dict[tuple[str, str], tuple[str, str]] = {
    ("MANHATTAN", "NY"): ("Manhattan", "New York County"),
    ("QUEENS", "NY"): ("Queens", "Queens County"),
    ("THEBRONX", "NY"): ("Bronx", "Bronx County"),
    ("BRONX", "NY"): ("Bronx", "Bronx County"),
    ("BROOKLYN", "NY"): ("Brooklyn", "Kings County"),
    ("STATENISLAND", "NY"): ("Staten Island", "Richmond County"),
}


@lru_cache(maxsize=1)
def _county_zips() -> dict[tuple[str, str], tuple[str, ...]]:
    """(county, state) → its active standard ZIP codes, for the boroughs' centres."""
    out: dict[tuple[str, str], list[str]] = {}
    for z in zipcodes.list_all():
        if z["zip_code_type"] == "STANDARD" and z.get("active", True) and z.get("county"):
            out.setdefault((z["county"], z["state"]), []).append(z["zip_code"])
    return {k: tuple(v) for k, v in out.items()}


def district_names() -> dict[str, tuple[str, ...]]:
    """District lookup key → the states that have a district of that name (for a name typed on its own)."""
    out: dict[str, list[str]] = {}
    for key, state in (*DISTRICTS, *BOROUGHS):
        out.setdefault(key, []).append(state)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def district_place(name: str, state: str) -> Place | None:
    """Centre of a known county district or city borough (precision ``district``), or None; see ``DISTRICTS``
    and ``BOROUGHS``."""
    state = state.strip().upper()
    key = (city_key(name), state)
    if key in BOROUGHS:
        label, county = BOROUGHS[key]
        hit: tuple[str, tuple[str, ...]] | None = (label, _county_zips().get((county, state), ()))
    else:
        hit = DISTRICTS.get(key)
    if hit is None:
        return None
    label, zip_codes = hit
    points = [(p.lat, p.lon) for p in map(zip_place, zip_codes) if p is not None]
    if not points:
        return None
    lat, lon = _mean(points)
    return Place(lat, lon, f"{label}, {state}", "district", city=label, state=state)


_ZIP_RE = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")
_LATLON_RE = re.compile(r"^\s*([-+]?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$")
_CITY_STATE_RE = re.compile(r"^\s*([^,]+?)\s*,\s*([A-Za-z]{2})\.?(?:\s+(\d{5})(?:-\d{4})?)?\s*$")


def resolve_offline(text: str) -> Place | None:
    """Resolve a ZIP, "lat, lon" or "City, ST" without any network; None means "not one of those forms".

    Raises LocationError when the text is one of those forms but names no known place.
    """
    text = (text or "").strip()
    if not text:
        raise LocationError("Please enter a ZIP code, a city and state (for example Tucson, AZ), or an address.")
    if m := _ZIP_RE.match(text):
        place = zip_place(m.group(1))
        if place is None:
            raise LocationError(f"ZIP code {m.group(1)} was not found. Check the number, or try City, ST.")
        return place
    if m := _LATLON_RE.match(text):
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise LocationError("Those coordinates are not valid latitude and longitude.")
        if not in_us(lat, lon):
            raise LocationError("Those coordinates are outside the United States; this directory covers the US only.")
        return Place(lat, lon, f"{lat:.4f}, {lon:.4f}", "point")
    if m := _CITY_STATE_RE.match(text):
        city, state, zip_code = m.group(1), m.group(2).upper(), m.group(3)
        if state in US_STATES:
            if zip_code and (place := zip_place(zip_code)):
                return place
            place = city_place(city, state) or district_place(city, state)
            if place is None:
                raise LocationError(f"{city.strip()}, {state} was not found. Check the spelling, or try a ZIP code.")
            return place
    return None
