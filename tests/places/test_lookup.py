"""Location resolution: offline forms first, a fake online geocoder for addresses (no network)."""

from __future__ import annotations

import socket
import ssl

import pytest
from geopy import exc as geopy_exc
from geopy.extra.rate_limiter import RateLimiter
from geopy.location import Location

from dashboard.places import lookup
from dashboard.places.gazetteer import LocationError
from dashboard.places.lookup import (
    MSG_DISABLED,
    MSG_NOT_FOUND,
    MSG_UNREACHABLE,
    AddressNotFoundError,
    LookupUnavailableError,
    OnlineLookupDisabledError,
    make_geocoder,
    rate_limited,
    resolve,
)

ADDRESS = "1501 N Campbell Ave, Tucson AZ"

HOUSE_RAW = {
    "lat": "32.2406",
    "lon": "-110.9447",
    "class": "place",
    "type": "house",
    "addresstype": "place",
    "address": {
        "house_number": "1501",
        "road": "North Campbell Avenue",
        "city": "Tucson",
        "state": "Arizona",
        "ISO3166-2-lvl4": "US-AZ",
        "postcode": "85724",
        "country": "United States",
        "country_code": "us",
    },
}


def location(raw: dict, address: str = "somewhere, United States") -> Location:
    return Location(address, (float(raw["lat"]), float(raw["lon"]), 0.0), raw)


class FakeGeocoder:
    """Records calls; answers with a fixed result or raises a fixed exception."""

    def __init__(self, answer=None, error: Exception | None = None):
        self.answer = answer
        self.error = error
        self.calls: list[tuple[str, dict]] = []

    def geocode(self, query, **kwargs):
        self.calls.append((query, kwargs))
        if self.error is not None:
            raise self.error
        return self.answer


@pytest.fixture(autouse=True)
def _fresh_cache():
    lookup.clear_cache()
    yield
    lookup.clear_cache()


@pytest.mark.parametrize(
    ("text", "precision"),
    [("85719", "zip"), ("Tucson, AZ", "city"), ("32.22, -110.97", "point"), ("  Tucson, az 85719 ", "zip")],
)
def test_offline_forms_never_call_the_geocoder(text, precision):
    fake = FakeGeocoder(error=AssertionError("must not be called"))
    place = resolve(text, geocoder=fake, online=True)
    assert place.precision == precision
    assert fake.calls == []


@pytest.mark.parametrize("text", ["00000", "Nowhereville, AZ", "Notacity, AZ", "", "   "])
def test_offline_errors_are_location_errors(text):
    fake = FakeGeocoder(error=AssertionError("must not be called"))
    with pytest.raises(LocationError):
        resolve(text, geocoder=fake, online=True)


def test_house_level_result_is_street_precision():
    fake = FakeGeocoder(
        location(HOUSE_RAW, "1501, North Campbell Avenue, Tucson, Pima County, Arizona, 85724, United States")
    )
    place = resolve(ADDRESS, geocoder=fake, online=True)
    assert place.precision == "street"
    assert (place.lat, place.lon) == (32.2406, -110.9447)
    assert place.label == "1501 North Campbell Avenue, Tucson, AZ 85724"
    assert (place.city, place.state, place.zip) == ("Tucson", "AZ", "85724")
    query, kwargs = fake.calls[0]
    assert query == ADDRESS
    assert kwargs["exactly_one"] is True
    assert "us" in kwargs["country_codes"]
    assert kwargs["timeout"] == lookup.TIMEOUT_SECONDS


@pytest.mark.parametrize(
    ("addresstype", "cls", "expected"),
    [
        ("building", "building", "street"),
        ("house", "place", "street"),
        ("road", "highway", "place"),
        ("suburb", "place", "place"),
        ("city", "boundary", "city"),
        ("town", "place", "city"),
        ("postcode", "place", "zip"),
        ("county", "boundary", "place"),
    ],
)
def test_precision_only_street_when_house_level(addresstype, cls, expected):
    raw = dict(HOUSE_RAW, addresstype=addresstype, type=addresstype)
    raw["class"] = cls
    raw["address"] = {k: v for k, v in HOUSE_RAW["address"].items() if k != "house_number"}
    place = resolve("somewhere in tucson", geocoder=FakeGeocoder(location(raw)), online=True)
    assert place.precision == expected
    assert place.precision in lookup.PLACE_PRECISIONS


def test_not_found():
    fake = FakeGeocoder(None)
    with pytest.raises(AddressNotFoundError) as err:
        resolve(ADDRESS, geocoder=fake, online=True)
    assert str(err.value) == MSG_NOT_FOUND
    assert "ZIP code or City, ST" in str(err.value)
    assert "Campbell" not in str(err.value)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (geopy_exc.GeocoderTimedOut("Service timed out"), "took too long"),
        (
            geopy_exc.GeocoderUnavailable("HTTPSConnectionPool(host='nominatim...'): q=1501+N+Campbell"),
            "could not be reached",
        ),
        (geopy_exc.GeocoderRateLimited("Too many requests", retry_after=10), "busy"),
        (geopy_exc.GeocoderQuotaExceeded("quota"), "busy"),
        (geopy_exc.GeocoderInsufficientPrivileges("403 for q=1501 Campbell"), "refused"),
        (geopy_exc.GeocoderAuthenticationFailure("401"), "refused"),
        (geopy_exc.GeocoderQueryError("400 Bad Request"), "could not read"),
        (geopy_exc.GeocoderServiceError("500 Campbell"), "returned an error"),
        (geopy_exc.GeocoderParseError("bad json"), "returned an error"),
        (TimeoutError("timed out"), "took too long"),
        (ssl.SSLError("certificate verify failed"), "could not be reached"),
        (socket.gaierror("Name or service not known"), "could not be reached"),
        (ConnectionRefusedError("refused"), "could not be reached"),
    ],
)
def test_service_failures_become_plain_messages(error, words):
    with pytest.raises(LookupUnavailableError) as err:
        resolve(ADDRESS, geocoder=FakeGeocoder(error=error), online=True)
    message = str(err.value)
    assert words in message
    assert "ZIP code or City, ST" in message
    assert "Campbell" not in message  # never repeats the typed address
    assert err.value.__cause__ is None
    assert err.value.__suppress_context__


def test_unreachable_message_is_the_documented_one():
    with pytest.raises(LocationError, match="could not be reached") as err:
        resolve(ADDRESS, geocoder=FakeGeocoder(error=geopy_exc.GeocoderUnavailable("x")), online=True)
    assert str(err.value) == MSG_UNREACHABLE


def test_online_off_never_calls_the_geocoder():
    fake = FakeGeocoder(location(HOUSE_RAW))
    with pytest.raises(OnlineLookupDisabledError) as err:
        resolve(ADDRESS, geocoder=fake, online=False)
    assert str(err.value) == MSG_DISABLED
    assert fake.calls == []


def test_online_default_follows_config(monkeypatch):
    monkeypatch.setenv("CLINIC_FINDER_ONLINE_GEOCODING", "0")
    fake = FakeGeocoder(location(HOUSE_RAW))
    with pytest.raises(OnlineLookupDisabledError):
        resolve(ADDRESS, geocoder=fake)
    monkeypatch.setenv("CLINIC_FINDER_ONLINE_GEOCODING", "1")
    assert resolve(ADDRESS, geocoder=fake).precision == "street"
    assert len(fake.calls) == 1


@pytest.mark.parametrize(
    ("lat", "lon", "country"),
    [(51.5074, -0.1278, "gb"), (43.6532, -79.3832, "ca"), (19.4326, -99.1332, "mx"), (51.5074, -0.1278, "")],
)
def test_results_outside_the_us_are_rejected(lat, lon, country):
    raw = {"lat": str(lat), "lon": str(lon), "addresstype": "house", "address": {"country_code": country}}
    with pytest.raises(LocationError, match="outside the United States"):
        resolve("10 Downing Street", geocoder=FakeGeocoder(location(raw)), online=True)


def test_us_territory_is_accepted():
    raw = {
        "lat": "18.4655",
        "lon": "-66.1057",
        "addresstype": "city",
        "address": {"city": "San Juan", "country_code": "pr", "postcode": "00901"},
    }
    place = resolve("downtown san juan puerto rico", geocoder=FakeGeocoder(location(raw)), online=True)
    assert place.state == "PR"
    assert place.label == "San Juan, PR 00901"


def test_cache_hit_means_one_call():
    fake = FakeGeocoder(location(HOUSE_RAW))
    first = resolve(ADDRESS, geocoder=fake, online=True)
    second = resolve("  1501 n campbell ave ,  TUCSON az ", geocoder=fake, online=True)
    assert first == second
    assert len(fake.calls) == 1


def test_not_found_is_cached_but_failures_are_not():
    nothing = FakeGeocoder(None)
    for _ in range(2):
        with pytest.raises(AddressNotFoundError):
            resolve(ADDRESS, geocoder=nothing, online=True)
    assert len(nothing.calls) == 1
    down = FakeGeocoder(error=geopy_exc.GeocoderUnavailable("down"))
    for _ in range(2):
        with pytest.raises(LookupUnavailableError):
            resolve(ADDRESS, geocoder=down, online=True)
    assert len(down.calls) == 2


def test_cache_is_per_geocoder():
    a = FakeGeocoder(location(HOUSE_RAW))
    b = FakeGeocoder(None)
    resolve(ADDRESS, geocoder=a, online=True)
    with pytest.raises(AddressNotFoundError):
        resolve(ADDRESS, geocoder=b, online=True)
    assert len(b.calls) == 1


def test_callable_geocoder_and_list_answers():
    calls = []

    def geocode_fn(query, **kwargs):
        calls.append(query)
        return [location(HOUSE_RAW)]

    assert resolve(ADDRESS, geocoder=geocode_fn, online=True).precision == "street"
    assert calls == [ADDRESS]


def test_too_long_text_is_not_sent():
    fake = FakeGeocoder(location(HOUSE_RAW))
    with pytest.raises(LocationError, match="too long"):
        resolve("x" * 500, geocoder=fake, online=True)
    assert fake.calls == []


def test_the_finders_geocoder_is_rate_limited_nominatim_with_user_agent():
    g = rate_limited(make_geocoder(user_agent="test-agent/1.0 (tests)"))
    assert isinstance(g, RateLimiter)
    assert g.min_delay_seconds == 1.0
    assert g.max_retries == 0
    assert g.swallow_exceptions is False
    nominatim = g.func.__self__
    assert type(nominatim).__name__ == "Nominatim"
    assert nominatim.headers["User-Agent"] == "test-agent/1.0 (tests)"
    assert nominatim.timeout == lookup.TIMEOUT_SECONDS


def test_make_geocoder_uses_config_user_agent(monkeypatch):
    monkeypatch.setenv("CLINIC_FINDER_USER_AGENT", "my-deployment/2 (ops@example.org)")
    assert make_geocoder().headers["User-Agent"] == "my-deployment/2 (ops@example.org)"


def test_make_geocoder_by_service_name_quiets_request_logs(monkeypatch):
    import logging

    monkeypatch.setattr(logging.getLogger("geopy"), "level", logging.NOTSET)
    g = make_geocoder("photon", user_agent="test-agent/1.0 (tests)", timeout=3.0)
    assert type(g).__name__ == "Photon" and g.timeout == 3.0
    assert logging.getLogger("geopy").getEffectiveLevel() >= logging.WARNING


def test_request_urls_are_not_logged(monkeypatch, caplog):
    import logging

    for name in ("geopy", "urllib3"):
        monkeypatch.setattr(logging.getLogger(name), "level", logging.NOTSET)
    caplog.set_level(logging.DEBUG)
    fake = FakeGeocoder(location(HOUSE_RAW))
    resolve(ADDRESS, geocoder=fake, online=True)
    for name in ("geopy", "urllib3"):
        assert logging.getLogger(name).getEffectiveLevel() >= logging.WARNING
    logging.getLogger("geopy").debug("Nominatim.geocode: https://nominatim.example/search?q=%s", ADDRESS)
    assert "Campbell" not in caplog.text
