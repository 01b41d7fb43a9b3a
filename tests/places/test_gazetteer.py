"""Offline location resolution: ZIP and city centroids from the shipped gazetteer, no network."""

from __future__ import annotations

import numpy as np
import pytest
from geopy.distance import geodesic

from dashboard.places.distance import haversine_miles
from dashboard.places.gazetteer import (
    LocationError,
    city_key,
    city_place,
    district_place,
    normalise_city,
    resolve_offline,
    zip_place,
)


def test_zip_centroid():
    place = zip_place("85719")
    assert place is not None
    assert place.precision == "zip" and place.state == "AZ" and place.city == "Tucson"
    assert place.lat == pytest.approx(32.25, abs=0.05) and place.lon == pytest.approx(-110.95, abs=0.05)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("St. Paul", "SAINT PAUL"), ("Saint  Paul", "SAINT PAUL"), ("st paul", "SAINT PAUL"), ("Ft. Worth", "FORT WORTH")],
)
def test_city_names_normalise(typed, expected):
    assert normalise_city(typed) == expected


@pytest.mark.parametrize(
    ("city", "state"),
    [
        ("St. Paul", "MN"),
        ("Saint Paul", "MN"),
        ("St. Matthews", "KY"),  # a postal alias of Louisville ZIPs
        ("Middleburg Heights", "OH"),
        ("Dayton", "OH"),
    ],
)
def test_city_centroids_resolve_including_saint_spellings_and_aliases(city, state):
    place = city_place(city, state)
    assert place is not None and place.precision == "city" and place.state == state


def test_unknown_city_is_not_guessed():
    assert city_place("North Kohala", "HI") is None  # a county district, not a postal place
    assert city_place("Springfield", "ZZ") is None
    assert district_place("South Kohala", "HI") is None  # only districts listed in DISTRICTS


def test_a_known_county_district_resolves_to_its_centre_and_says_so():
    place = district_place("north kohala", "hi")
    assert place is not None and place.precision == "district" and place.label == "North Kohala, HI"
    assert resolve_offline("North Kohala, HI") == place


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("85719", "zip"),
        ("85719-1234", "zip"),
        ("Tucson, AZ", "city"),
        ("tucson, az 85719", "zip"),
        ("32.2, -110.9", "point"),
    ],
)
def test_resolve_offline_forms(text, precision):
    place = resolve_offline(text)
    assert place is not None and place.precision == precision


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please enter"),
        ("00000", "ZIP code 00000 was not found"),
        ("Nowhereville, AZ", "was not found"),
        ("51.5, -0.12", "outside the United States"),
        ("95, 200", "not valid"),
    ],
)
def test_resolve_offline_plain_errors(text, message):
    with pytest.raises(LocationError, match=message):
        resolve_offline(text)


def test_free_text_is_left_to_the_online_geocoder():
    assert resolve_offline("1600 Pennsylvania Ave, Washington") is None


def test_haversine_matches_geodesic_within_half_a_percent():
    rng = np.random.default_rng(7)
    lats = rng.uniform(25, 49, 200)
    lons = rng.uniform(-124, -67, 200)
    got = haversine_miles(39.0, -95.0, lats, lons)
    want = np.array([geodesic((39.0, -95.0), (a, b)).miles for a, b in zip(lats, lons, strict=True)])
    assert np.all(np.abs(got - want) <= 0.005 * want)


@pytest.mark.parametrize(
    ("city", "state"),
    [
        ("Coeur d'Alene", "ID"),  # the gazetteer writes "Coeur D Alene"
        ("Coeur d\u2019Alene", "ID"),  # a typographic apostrophe
        ("O'Fallon", "MO"),  # "O Fallon"
        ("Lee's Summit", "MO"),  # "Lees Summit"
        ("Port St. Lucie", "FL"),  # "Saint" not only as the first word
        ("Ft. Myers", "FL"),
        ("Ste. Genevieve", "MO"),
        ("SAINT PAUL", "mn"),  # case never matters
        ("winston-salem", "NC"),
    ],
)
def test_city_spellings_as_printed_on_clinic_pages_resolve(city, state):
    place = city_place(city, state)
    assert place is not None and place.state == state.upper()


def test_city_key_ignores_spaces_and_apostrophes_only():
    assert city_key("Coeur d'Alene") == city_key("Coeur D Alene") == "COEURDALENE"
    assert city_key("Port St. Lucie") == city_key("port saint lucie")
    assert city_key("Salem") != city_key("Winston-Salem")
