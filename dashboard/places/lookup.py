"""Resolve what a person types in the location box into a ``Place``: offline first, online only for addresses.

``resolve(text)`` tries ``dashboard.places.gazetteer.resolve_offline`` (5-digit ZIP, "City, ST", "lat, lon"), then
``dashboard.places.names.parse_place`` ("City ST", "City, State name", a city on its own, NYC/LA/DC; an
ambiguous name such as Portland raises ``AmbiguousPlaceError`` with the places to choose from), which
need no network. Only other free text (a street address) goes to an online geocoder, and only when online
geocoding is enabled for the deployment (``config.online_geocoding_enabled()``). The online path uses
geopy's Nominatim with the deployment's user agent, a timeout, a ``RateLimiter`` (at most one request a
second, no retries) and an in-process cache keyed by the normalised text (a page may add
``st.cache_data`` on top).

Every failure is a ``LocationError`` whose message is written for the person who typed the text and
never repeats that text. Nothing here logs the text either: a typed address is personal data.

``Place.precision`` values (what the point stands for):

* ``street``: a house- or building-level match from the address service;
* ``place``: the address service matched something coarser (a street, a neighbourhood, a landmark);
* ``zip``: the centre of a ZIP code (offline, or the service matched only a postcode);
* ``city``: the centre of a city or town;
* ``point``: coordinates typed by the person.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from geopy import exc as geopy_exc

from dashboard import config
from dashboard.places.gazetteer import LocationError, Place, resolve_offline
from dashboard.places.names import AmbiguousPlaceError, CityNotInStateError, parse_place
from dashboard.states import US_STATES, in_us
from dashboard.text import strip_controls

__all__ = [
    "PLACE_PRECISIONS",
    "AddressNotFoundError",
    "AmbiguousPlaceError",
    "LocationError",
    "LookupUnavailableError",
    "OnlineLookupDisabledError",
    "clear_cache",
    "make_geocoder",
    "rate_limited",
    "resolve",
]

PLACE_PRECISIONS: dict[str, str] = {
    "street": "street address",
    "place": "approximate: the area the address service found",
    "zip": "approximate: ZIP code centre",
    "city": "approximate: city centre",
    "point": "the coordinates you entered",
}

TIMEOUT_SECONDS = 5.0
MIN_DELAY_SECONDS = 1.0  # Nominatim's usage policy: at most one request per second
CACHE_SIZE = 512
CACHE_TTL_SECONDS = 24 * 3600.0
MAX_QUERY_CHARS = 200
COUNTRY_CODES = ("us", "pr", "vi", "gu", "mp", "as")  # the states and the territories the directory covers

SUGGEST = "Try a ZIP code or City, ST (for example 85719 or Tucson, AZ) instead."

MSG_DISABLED = (
    "Street addresses are not looked up on this site. Please enter a ZIP code or City, ST "
    "(for example 85719 or Tucson, AZ)."
)
MSG_NOT_FOUND = (
    "No US address matched what you typed. Check the spelling, or enter a ZIP code or City, ST "
    "(for example 85719 or Tucson, AZ)."
)
MSG_OUTSIDE_US = "That address is outside the United States; this directory covers the US only. " + SUGGEST
MSG_UNREACHABLE = "The address lookup service could not be reached. " + SUGGEST
MSG_TIMEOUT = "The address lookup service took too long to answer. " + SUGGEST
MSG_BUSY = "The address lookup service is busy right now. Wait a minute and try again, or use a ZIP code or City, ST."
MSG_REFUSED = "The address lookup service refused the request (this site may not be set up for it). " + SUGGEST
MSG_BAD_QUERY = "The address lookup service could not read that address. " + SUGGEST
MSG_ERROR = "The address lookup service returned an error. " + SUGGEST
MSG_TOO_LONG = f"That is too long for an address (at most {MAX_QUERY_CHARS} characters). " + SUGGEST


class LookupUnavailableError(LocationError):
    """The online address service failed (unreachable, timed out, busy or refused); try offline forms."""


class AddressNotFoundError(LocationError):
    """The address service answered but found no US address."""


class OnlineLookupDisabledError(LocationError):
    """The text is not a ZIP, "City, ST" or coordinates, and this deployment does not look up addresses."""


# ---------------------------------------------------------------------------------------------------------
# Online geocoder (Nominatim behind a RateLimiter), created once per process on first use. The refresh
# commands make their own (any geopy service) with ``make_geocoder``; ``ingest.placing`` rate-limits it.

_default_lock = threading.Lock()
_default_geocoder: Callable[..., Any] | None = None


def make_geocoder(
    service: str = "nominatim", *, user_agent: str | None = None, timeout: float = TIMEOUT_SECONDS
) -> Any:
    """A geopy geocoder by its service name (``nominatim``, ``photon``, ``arcgis``...) with the deployment's
    user agent; no network until it is asked. Its request logs are kept quiet (a URL holds an address)."""
    from geopy.geocoders import get_geocoder_for_service

    _quiet_request_logs()
    return get_geocoder_for_service(service)(user_agent=user_agent or config.user_agent(), timeout=timeout)


def rate_limited(geocoder: Any, min_delay_seconds: float = MIN_DELAY_SECONDS) -> Callable[..., Any]:
    """The finder's address lookup: ``geocoder.geocode`` at most once every ``min_delay_seconds`` and never
    retried (``max_retries=0``): a person waiting on a page is better served by a quick plain message."""
    from geopy.extra.rate_limiter import RateLimiter

    return RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds, max_retries=0, swallow_exceptions=False)


# geopy logs each request URL (which contains the typed address) at DEBUG and HTTP errors at INFO, and
# urllib3 logs request lines at DEBUG. Keep those loggers at WARNING or above so an address never
# reaches a log, whatever level a deployment sets for the root logger.
_URL_LOGGERS = ("geopy", "urllib3", "requests")


def _quiet_request_logs() -> None:
    for name in _URL_LOGGERS:
        log = logging.getLogger(name)
        if log.getEffectiveLevel() < logging.WARNING:
            log.setLevel(logging.WARNING)


def _default() -> Callable[..., Any]:
    global _default_geocoder
    with _default_lock:
        if _default_geocoder is None:
            _default_geocoder = rate_limited(make_geocoder())
        return _default_geocoder


# ---------------------------------------------------------------------------------------------------------
# Cache: LRU with a time-to-live, keyed by (geocoder, normalised text). Found places and "not found"
# answers are cached; service failures are not (the next try may work).

_cache_lock = threading.Lock()
_cache: OrderedDict[tuple[int, str], tuple[float, Any, Place | LocationError]] = OrderedDict()


def clear_cache() -> None:
    """Forget every cached lookup."""
    with _cache_lock:
        _cache.clear()


def _normalise(text: str) -> str:
    return " ".join(text.casefold().replace(",", " , ").split())


def _cache_get(geocoder: Any, key: str) -> Place | LocationError | None:
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get((id(geocoder), key))
        if hit is None:
            return None
        expires, owner, value = hit
        if owner is not geocoder or expires < now:
            del _cache[(id(geocoder), key)]
            return None
        _cache.move_to_end((id(geocoder), key))
        return value


def _cache_put(geocoder: Any, key: str, value: Place | LocationError) -> None:
    # The entry holds the geocoder itself, so its id() cannot be reused by another object while cached.
    with _cache_lock:
        _cache[(id(geocoder), key)] = (time.monotonic() + CACHE_TTL_SECONDS, geocoder, value)
        _cache.move_to_end((id(geocoder), key))
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


# ---------------------------------------------------------------------------------------------------------


_STREET_TYPES = frozenset({"house", "building", "house_number"})
_CITY_TYPES = frozenset({"city", "town", "village", "hamlet", "municipality", "borough"})


def _precision(raw: dict[str, Any]) -> str:
    addresstype = str(raw.get("addresstype") or raw.get("type") or "").lower()
    cls = str(raw.get("class") or raw.get("category") or "").lower()
    address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
    if addresstype in _STREET_TYPES or cls == "building" or (cls == "place" and addresstype == "house"):
        return "street"
    if addresstype == "postcode":
        return "zip"
    if addresstype in _CITY_TYPES:
        return "city"
    if address.get("house_number") and addresstype not in ("road", "street"):
        return "street"  # an amenity or shop matched at its house number
    return "place"


def _state_code(address: dict[str, Any]) -> str:
    iso = str(address.get("ISO3166-2-lvl4") or "")
    if iso.upper().startswith("US-") and iso[3:].upper() in US_STATES:
        return iso[3:].upper()
    code = str(address.get("country_code") or "").upper()
    return code if code in US_STATES else ""  # territories: pr, vi, gu, mp, as


def _place_from(location: Any) -> Place:
    raw = getattr(location, "raw", None)
    raw = raw if isinstance(raw, dict) else {}
    address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
    try:
        lat, lon = float(location.latitude), float(location.longitude)
    except (AttributeError, TypeError, ValueError):
        raise AddressNotFoundError(MSG_NOT_FOUND) from None
    country = str(address.get("country_code") or "").lower()
    if (country and country not in COUNTRY_CODES) or not in_us(lat, lon):
        raise LocationError(MSG_OUTSIDE_US)
    precision = _precision(raw)
    city = str(
        address.get("city") or address.get("town") or address.get("village") or address.get("hamlet") or ""
    ).strip()
    state = _state_code(address)
    postcode = str(address.get("postcode") or "").strip()[:5]
    zip_code = postcode if postcode.isdigit() and len(postcode) == 5 else ""
    street = " ".join(str(address.get(k) or "").strip() for k in ("house_number", "road")).strip()
    first = street if precision == "street" else str(address.get("road") or "").strip() if precision == "place" else ""
    parts = [p for p in (first, city) if p]
    tail = " ".join(p for p in (state, zip_code) if p)
    if parts and tail:
        label = ", ".join(parts) + ", " + tail
    else:
        label = str(getattr(location, "address", "") or "").removesuffix(", United States").strip()
        label = label or f"{lat:.4f}, {lon:.4f}"
    return Place(lat, lon, strip_controls(label)[:200], precision, zip=zip_code, city=city, state=state)


def _lookup(geocode: Callable[..., Any], query: str) -> Any:
    """Call the geocoder, turning each geopy (or socket) failure into a plain LocationError."""
    try:
        return geocode(
            query,
            exactly_one=True,
            timeout=TIMEOUT_SECONDS,
            addressdetails=True,
            country_codes=list(COUNTRY_CODES),
        )
    # Order matters: the specific geopy errors subclass GeocoderServiceError. ``from None`` keeps the
    # original exception (whose text may contain the request URL, and so the address) out of tracebacks.
    except geopy_exc.GeocoderTimedOut:
        raise LookupUnavailableError(MSG_TIMEOUT) from None
    except geopy_exc.GeocoderRateLimited:
        raise LookupUnavailableError(MSG_BUSY) from None
    except geopy_exc.GeocoderQuotaExceeded:
        raise LookupUnavailableError(MSG_BUSY) from None
    except geopy_exc.GeocoderUnavailable:
        raise LookupUnavailableError(MSG_UNREACHABLE) from None
    except (geopy_exc.GeocoderAuthenticationFailure, geopy_exc.GeocoderInsufficientPrivileges):
        raise LookupUnavailableError(MSG_REFUSED) from None
    except geopy_exc.GeocoderQueryError:
        raise LookupUnavailableError(MSG_BAD_QUERY) from None
    except geopy_exc.GeocoderServiceError:
        raise LookupUnavailableError(MSG_ERROR) from None
    except geopy_exc.GeopyError:
        raise LookupUnavailableError(MSG_ERROR) from None
    except TimeoutError:  # raw socket errors that an adapter did not wrap (socket.timeout is TimeoutError)
        raise LookupUnavailableError(MSG_TIMEOUT) from None
    except OSError:  # connection refused/reset, DNS failure, ssl.SSLError
        raise LookupUnavailableError(MSG_UNREACHABLE) from None


def _alias_or_none(text: str) -> Place | None:
    try:
        return parse_place(text)
    except LocationError:
        return None


def resolve(text: str, geocoder: Any = None, online: bool | None = None) -> Place:
    """Resolve a ZIP, a place name ("City, ST", "City ST", "phoenix", "NYC"), "lat, lon" or (online only) a
    street address to a ``Place``.

    ``geocoder``: anything with ``.geocode(query, **kwargs)`` (a geopy geocoder, a test fake) or a
    callable taking the same arguments; default: one rate-limited Nominatim per process.
    ``online``: whether free text may be sent to the geocoder; default ``config.online_geocoding_enabled()``.
    Raises ``LocationError`` (or a subclass: ``OnlineLookupDisabledError``, ``AddressNotFoundError``,
    ``LookupUnavailableError``) with a message for the person; the message never repeats their text.
    """
    text = strip_controls(text or "").strip()
    try:
        place = resolve_offline(text)  # raises LocationError for an unknown ZIP/city or bad coordinates
    except LocationError as strict_error:
        place = _alias_or_none(text)  # "NYC, NY" is no gazetteer city but a short form this module knows
        if place is None:
            raise strict_error from None
    if online is None:
        online = config.online_geocoding_enabled()
    if place is None:
        try:
            place = parse_place(text)  # raises AmbiguousPlaceError ("Portland") or LocationError
        except CityNotInStateError:
            if not online:
                raise  # "Nowhereville AZ was not found" says more than "addresses are not looked up"
    if place is not None:
        return place
    if not online:
        raise OnlineLookupDisabledError(MSG_DISABLED)
    if len(text) > MAX_QUERY_CHARS:
        raise LocationError(MSG_TOO_LONG)
    key = _normalise(text)
    owner = geocoder if geocoder is not None else _default()
    cached = _cache_get(owner, key)
    if isinstance(cached, LocationError):
        raise type(cached)(str(cached))
    if cached is not None:
        return cached
    geocode = owner.geocode if hasattr(owner, "geocode") else owner
    _quiet_request_logs()
    location = _lookup(geocode, text)
    if isinstance(location, list):
        location = location[0] if location else None
    try:
        if location is None:
            raise AddressNotFoundError(MSG_NOT_FOUND)
        place = _place_from(location)
    except LocationError as exc:
        _cache_put(owner, key, exc.with_traceback(None))
        raise
    _cache_put(owner, key, place)
    return place
