"""Place parsed records on the map: source coordinates, street geocoding, then offline centroids.

Order for each record (the first that works wins):

1. coordinates the source gave at street (or ZIP) precision, e.g. FindTreatment rows with a street
   address -> ``street``; a re-imported project export keeps its own points and precisions;
2. the street address through an online geocoder (geopy; Nominatim unless another geopy service is
   named), **only** when the result is matched at house-number level -> ``street``;
3. the ZIP centroid -> ``zip``; 4. a city-level point the source gave (ClinicalTrials.gov geoPoint)
   -> ``city``; 5. the city (or county district) centroid -> ``city`` (``district``). Otherwise the record
   is rejected: never a guessed place.

Every online answer (including "no match") is kept in a JSON cache file keyed by the geocoder and the
normalised address, so a rerun makes no repeat requests. Requests go through geopy's ``RateLimiter``
(1 per second by default, Nominatim's policy). If the geocoder is unreachable, the rest of the run
uses centroids and the summary says so. Point sanity: a geocoded point more than 60 miles from the
record's ZIP/city centroid is not trusted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dashboard.directory.build import locate_listing
from dashboard.ingest.base import CARRIED, SOURCE_POINT, Rejected
from dashboard.places.distance import haversine_miles
from dashboard.states import in_us
from dashboard.vocab import PRECISIONS

MAX_OFFSET_MILES = 60.0
PLACE_HOW = "_place_how"  # how the place was found; becomes the provenance of lat/lon
_UNIT_RE = re.compile(r"\s*(,|\b)\s*(suite|ste\.?|unit|#|floor|fl\.?|room|rm\.?|bldg\.?|building)\s*[\w-]*\s*$", re.I)


def normalise_address(street: str, city: str, state: str, zip_code: str) -> str:
    """The query sent to the geocoder (suite/unit parts dropped) and, lower-cased, the cache key."""
    parts = [p.strip() for p in street.split(",") if p.strip()]
    parts = [p for p in (_UNIT_RE.sub("", p).strip() for p in parts) if p]
    line = ", ".join(parts)
    tail = f"{state} {zip_code}".strip()
    return re.sub(r"\s+", " ", ", ".join(x for x in (line, city, tail, "USA") if x)).strip()


def is_house_level(location: Any) -> bool:
    """True when a geopy result was matched to a house number (Nominatim, Photon, ArcGIS, Google shapes)."""
    raw = getattr(location, "raw", None)
    if not isinstance(raw, dict):
        return False
    address = raw.get("address")
    if isinstance(address, dict) and address.get("house_number"):
        return True
    if raw.get("addresstype") in ("house", "building") or raw.get("type") == "house":
        return True
    props = raw.get("properties")
    if isinstance(props, dict) and props.get("housenumber"):
        return True
    attrs = raw.get("attributes")
    if isinstance(attrs, dict) and attrs.get("Addr_type") in ("PointAddress", "StreetAddress"):
        return True
    types = raw.get("types")
    return isinstance(types, list) and "street_address" in types


@dataclass
class GeocodeStats:
    requests: int = 0
    cache_hits: int = 0
    street: int = 0
    zip: int = 0
    city: int = 0
    district: int = 0
    offline_reason: str = ""


class StreetGeocoder:
    """Street geocoding with a persistent cache. ``geocoder`` is any object with ``geocode(query, **kw)``."""

    def __init__(
        self,
        geocoder: Any | None,
        *,
        service: str = "nominatim",
        cache_path: Path | None = None,
        min_delay_seconds: float = 1.0,
        timeout: float = 10.0,
    ) -> None:
        self.service = service
        self.cache_path = cache_path
        self.cache: dict[str, Any] = {}
        self.stats = GeocodeStats()
        self._dirty = False
        self._geocode: Callable[..., Any] | None = None
        self.timeout = timeout
        if cache_path and cache_path.exists():
            try:
                loaded = json.loads(cache_path.read_text(encoding="utf-8"))
                self.cache = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                self.cache = {}
        if geocoder is not None:
            from geopy.extra.rate_limiter import RateLimiter

            self._geocode = RateLimiter(
                geocoder.geocode,
                min_delay_seconds=min_delay_seconds,
                max_retries=1,  # one retry, then the run falls back to centroids
                error_wait_seconds=5.0 if min_delay_seconds > 0 else 0.0,
                swallow_exceptions=False,
            )

    @property
    def online(self) -> bool:
        return self._geocode is not None

    def lookup(self, query: str) -> dict[str, Any] | None:
        """Cached answer for a query: {"lat", "lon", "house_level", "matched"} or None for "no match"."""
        key = f"{self.service}|{query.lower()}"
        if key in self.cache:
            self.stats.cache_hits += 1
            return self.cache[key]
        if self._geocode is None:
            return None
        from geopy.exc import GeopyError

        kwargs: dict[str, Any] = {"exactly_one": True, "timeout": self.timeout}
        if self.service == "nominatim":
            kwargs.update(addressdetails=True, country_codes="us")
        self.stats.requests += 1
        try:
            location = self._geocode(query, **kwargs)
        except (GeopyError, OSError) as exc:
            self.stats.offline_reason = (
                f"{self.service} geocoder unavailable ({exc.__class__.__name__}); used centroids"
            )
            self._geocode = None
            return None
        answer = None
        if location is not None:
            answer = {
                "lat": round(float(location.latitude), 6),
                "lon": round(float(location.longitude), 6),
                "house_level": is_house_level(location),
                "matched": str(getattr(location, "address", ""))[:300],
            }
        self.cache[key] = answer
        self._dirty = True
        return answer

    def save(self) -> None:
        if self.cache_path and self._dirty:
            tmp = self.cache_path.with_name(self.cache_path.name + ".tmp")
            tmp.write_text(json.dumps(self.cache, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            tmp.replace(self.cache_path)
            self._dirty = False


@dataclass
class Placed:
    records: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _near(lat: float, lon: float, ref: tuple[float, float, str] | None) -> bool:
    if ref is None:
        return True
    return float(haversine_miles(lat, lon, np.array([ref[0]]), np.array([ref[1]]))[0]) <= MAX_OFFSET_MILES


def place_records(records: list[dict[str, Any]], geocoder: StreetGeocoder) -> Placed:
    """Attach lat, lon and location_precision to each record, or reject it when no place is known."""
    out = Placed()
    for rec in records:
        rec = dict(rec)
        point = rec.pop(SOURCE_POINT, None)
        centroid = locate_listing(rec)
        placed: tuple[float, float, str, str] | None = None  # lat, lon, precision, how
        if point and rec.get(CARRIED) and point[2] in PRECISIONS:
            placed = (point[0], point[1], point[2], "source")  # a project export coming back: as it was
        elif point and point[2] in ("street", "zip") and _near(point[0], point[1], centroid):
            placed = (point[0], point[1], point[2], "source")
        elif point and point[2] in ("street", "zip"):
            out.notes.append(f"{rec['id']}: source coordinates are far from the ZIP/city; not used")
        if placed is None and rec.get("street"):
            query = normalise_address(rec["street"], rec["city"], rec["state"], rec.get("zip", ""))
            answer = geocoder.lookup(query)
            if answer and answer.get("house_level"):
                lat, lon = answer["lat"], answer["lon"]
                if in_us(lat, lon) and _near(lat, lon, centroid):
                    placed = (lat, lon, "street", f"geocoder:{geocoder.service}")
        if placed is None and centroid and centroid[2] == "zip":
            placed = (*centroid, "zip centroid")
        if placed is None and point and point[2] == "city" and _near(point[0], point[1], centroid):
            placed = (point[0], point[1], "city", "source")
        if placed is None and centroid:
            placed = (*centroid, f"{centroid[2]} centroid")
        if placed is None:
            out.rejected.append(
                Rejected(
                    rec["id"], f"place not found: {rec.get('city')}, {rec.get('state')} {rec.get('zip') or ''}".strip()
                )
            )
            continue
        rec["lat"], rec["lon"], rec["location_precision"], how = placed
        rec[PLACE_HOW] = how
        setattr(geocoder.stats, placed[2], getattr(geocoder.stats, placed[2]) + 1)
        out.records.append(rec)
    if geocoder.stats.offline_reason:
        out.notes.append(geocoder.stats.offline_reason)
    return out
