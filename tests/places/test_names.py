"""Place names as people type them resolve offline; ambiguous names ask instead of guessing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dashboard.places.gazetteer import LocationError, city_place, gazetteer
from dashboard.places.lookup import MSG_DISABLED, OnlineLookupDisabledError, resolve
from dashboard.places.names import (
    MAX_WORDS,
    SIZEABLE_ZIPS,
    AmbiguousPlaceError,
    CityNotInStateError,
    _by_name,
    parse_place,
)
from dashboard.states import STATE_NAMES


class NoNetwork:
    """A geocoder that fails the test if anything reaches it."""

    def geocode(self, query, **kwargs):
        raise AssertionError(f"sent to the online lookup: {query!r}")


PHOENIX = city_place("Phoenix", "AZ")


@pytest.mark.parametrize(
    "text",
    ["Phoenix AZ", "phoenix az", "Phoenix, Arizona", "phoenix arizona", "PHOENIX", "phoenix", "  Phoenix ,  AZ. "],
)
def test_loose_forms_of_phoenix_resolve_offline(text):
    assert resolve(text, geocoder=NoNetwork(), online=True) == PHOENIX


@pytest.mark.parametrize(
    ("text", "city", "state"),
    [
        ("NYC", "New York", "NY"),
        ("nyc", "New York", "NY"),
        ("New York City", "New York", "NY"),
        ("NYC, NY", "New York", "NY"),
        ("LA", "Los Angeles", "CA"),
        ("L.A.", "Los Angeles", "CA"),
        ("LA, CA", "Los Angeles", "CA"),
        ("DC", "Washington", "DC"),
        ("D.C.", "Washington", "DC"),
        ("Washington DC", "Washington", "DC"),
        ("Washington, D.C.", "Washington", "DC"),
        ("Washington, District of Columbia", "Washington", "DC"),
        ("St. Louis", "Saint Louis", "MO"),
        ("st louis mo", "Saint Louis", "MO"),
        ("Ft. Worth", "Fort Worth", "TX"),
        ("fort worth, texas", "Fort Worth", "TX"),
        ("Kansas City, Kansas", "Kansas City", "KS"),
        ("kansas city mo", "Kansas City", "MO"),
        ("Baton Rouge LA", "Baton Rouge", "LA"),  # LA after a city is Louisiana
        ("Juneau", "Juneau", "AK"),
        ("Tucson, Arizona, USA", "Tucson", "AZ"),
        ("Salt Lake City UT", "Salt Lake City", "UT"),
        ("new  mexico  city nm", None, None),
    ],
)
def test_abbreviations_and_spellings(text, city, state):
    if city is None:
        with pytest.raises(LocationError):
            resolve(text, geocoder=NoNetwork(), online=False)
        return
    assert resolve(text, geocoder=NoNetwork(), online=True) == city_place(city, state)


def test_a_trailing_zip_wins_over_the_city_centre():
    place = resolve("Tucson AZ 85719", geocoder=NoNetwork(), online=True)
    assert (place.zip, place.precision) == ("85719", "zip")


@pytest.mark.parametrize(("text", "states"), [("Portland", {"OR", "ME"}), ("Kansas City", {"MO", "KS"})])
def test_ambiguous_names_ask_which_one(text, states):
    with pytest.raises(AmbiguousPlaceError) as info:
        resolve(text, geocoder=NoNetwork(), online=True)
    chosen = {c.rsplit(", ", 1)[1] for c in info.value.choices}
    assert states <= chosen
    assert all(c in str(info.value) for c in info.value.choices)
    for choice in info.value.choices:  # every choice offered resolves on its own
        assert resolve(choice, online=False).label == choice


def test_a_dominant_city_is_not_ambiguous():
    """Phoenix: one large city and villages; the rule (not a hard-coded answer) picks the large one."""
    candidates = _by_name()["PHOENIX"]
    assert candidates[0][0] == "AZ" and candidates[0][1] >= SIZEABLE_ZIPS
    assert all(n < SIZEABLE_ZIPS for _, n in candidates[1:])


@pytest.mark.parametrize("text", ["Arizona", "indiana", "West Virginia"])
def test_a_state_alone_asks_for_a_city(text):
    with pytest.raises(LocationError, match="That is a state"):
        resolve(text, geocoder=NoNetwork(), online=True)


def test_an_unknown_city_in_a_named_state():
    with pytest.raises(CityNotInStateError, match="Nowhereville, AZ was not found"):
        resolve("Nowhereville AZ", online=False)


@pytest.mark.parametrize("text", ["1 Main Street, Springfield", "Main Street, Springfield", "Empire State Building"])
def test_addresses_are_not_place_names(text):
    assert parse_place(text) is None
    with pytest.raises(OnlineLookupDisabledError, match=MSG_DISABLED[:30]):
        resolve(text, online=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_any_text_gives_a_place_none_or_a_plain_location_error(text):
    try:
        result = parse_place(text)
    except LocationError as exc:
        message = str(exc)
    else:
        message = "ok"
        assert result is None or (-90 <= result.lat <= 90 and result.state)
    assert message


CITY_KEYS = sorted(gazetteer().cities)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=len(CITY_KEYS) - 1))
def test_loose_forms_match_the_strict_form(index):
    """For any gazetteer city: "City ST", "city, state name" and upper/lower case give the "City, ST" place."""
    city_key, state = CITY_KEYS[index]
    name = gazetteer().cities[(city_key, state)][2]
    assume(name.replace(" ", "").replace("-", "").replace("'", "").replace(".", "").isalpha())  # "29 Palms"
    strict = resolve(f"{name}, {state}", online=False)
    full = next(n for n, c in STATE_NAMES.items() if c == state)
    for form in (f"{name} {state}", f"{name.lower()}, {full.lower()}", f"{name.upper()} {full}"):
        assert parse_place(form) == strict, form


def test_every_gazetteer_city_with_its_full_state_name_is_within_the_word_limit():
    """The deterministic form of the property above: no city is turned away for its length."""
    full_name = {code: name for name, code in STATE_NAMES.items()}
    longest = max(
        len(entry[2].split()) + len(full_name[state].split())
        for (_, state), entry in gazetteer().cities.items()
        if state in full_name  # armed forces "states" (AE, AP, AA) have no name to type
    )
    assert longest <= MAX_WORDS
    assert parse_place("ft l j mcnair, district of columbia") == resolve("Ft L J Mcnair, DC", online=False)
    assert parse_place("Seymour Johnson A F B, North Carolina") == resolve("Seymour Johnson A F B, NC", online=False)


# New York City's boroughs: the post office calls Manhattan "New York" and Queens by its neighbourhoods.
@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Queens", "Queens, NY"),
        ("queens, new york", "Queens, NY"),
        ("Queens NY", "Queens, NY"),
        ("Manhattan, NY", "Manhattan, NY"),
        ("manhattan ny", "Manhattan, NY"),
        ("the Bronx", "Bronx, NY"),
        ("The Bronx, NY", "Bronx, NY"),
        ("Bronx", "Bronx, NY"),
        ("Brooklyn", "Brooklyn, NY"),
        ("Staten Island", "Staten Island, NY"),
    ],
)
def test_new_york_boroughs_resolve_offline(text, label):
    place = resolve(text, geocoder=NoNetwork())
    assert place.label == label
    assert 40.49 < place.lat < 40.92 and -74.26 < place.lon < -73.70  # inside New York City


def test_manhattan_asks_with_new_yorks_first_and_still_offers_kansas():
    with pytest.raises(AmbiguousPlaceError) as info:
        parse_place("Manhattan")
    assert info.value.choices[:2] == ("Manhattan, NY", "Manhattan, KS")
    for choice in info.value.choices:  # every choice offered resolves as typed
        assert resolve(choice, geocoder=NoNetwork()).label == choice
    assert parse_place("Manhattan, KS") == city_place("Manhattan", "KS")


def test_borough_centres_lie_in_their_borough():
    """Each centre is the mean of the borough's ZIP centroids: Midtown for Manhattan, central Queens."""
    manhattan = parse_place("Manhattan, NY")
    queens = parse_place("Queens")
    assert manhattan.precision == queens.precision == "district"
    assert 40.70 < manhattan.lat < 40.88 and -74.02 < manhattan.lon < -73.91
    assert 40.54 < queens.lat < 40.80 and -73.96 < queens.lon < -73.70
