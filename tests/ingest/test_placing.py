"""Placing records: source points, street geocoding with a cache (fake geocoder), offline centroids."""

from __future__ import annotations

import json

from geopy.exc import GeocoderUnavailable

from dashboard.ingest.base import SOURCE_POINT
from dashboard.ingest.placing import PLACE_HOW, StreetGeocoder, is_house_level, normalise_address, place_records
from tests.ingest.support import FakeGeocoder


def rec(**kw):
    base = {"id": "x", "name": "X", "street": "", "city": "Tucson", "state": "AZ", "zip": ""}
    base.update(kw)
    return base


def test_house_level_match_is_street_precision(tmp_path):
    fake = FakeGeocoder()
    geo = StreetGeocoder(fake, cache_path=tmp_path / "c.json", min_delay_seconds=0)
    placed = place_records([rec(street="45 E Broadway Blvd", zip="85701")], geo)
    (r,) = placed.records
    assert (r["lat"], r["lon"], r["location_precision"]) == (32.2217, -110.9686, "street")
    assert r[PLACE_HOW] == "geocoder:nominatim"
    assert fake.calls == ["45 E Broadway Blvd, Tucson, AZ 85701, USA"]


def test_street_level_only_match_falls_back_to_the_zip_centroid(tmp_path):
    geo = StreetGeocoder(FakeGeocoder(), cache_path=tmp_path / "c.json", min_delay_seconds=0)
    (r,) = place_records([rec(street="Main Street", city="Mesa", zip="85201")], geo).records
    assert r["location_precision"] == "zip"


def test_cache_means_a_rerun_makes_no_requests(tmp_path):
    cache = tmp_path / "c.json"
    records = [rec(street="45 E Broadway Blvd", zip="85701"), rec(id="y", street="9 Nowhere Rd", zip="85701")]
    first = FakeGeocoder()
    geo = StreetGeocoder(first, cache_path=cache, min_delay_seconds=0)
    a = place_records(records, geo)
    geo.save()
    assert len(first.calls) == 2
    stored = json.loads(cache.read_text())
    assert any(v is None for v in stored.values())  # a "no match" is remembered too
    second = FakeGeocoder()
    geo2 = StreetGeocoder(second, cache_path=cache, min_delay_seconds=0)
    b = place_records(records, geo2)
    assert second.calls == [] and geo2.stats.cache_hits == 2
    assert a.records == b.records


def test_offline_uses_zip_then_city_centroids_and_rejects_the_unknown():
    geo = StreetGeocoder(None)
    placed = place_records(
        [rec(street="1 Main St", zip="85701"), rec(id="c", city="Phoenix"), rec(id="z", city="Atlantis", state="AZ")],
        geo,
    )
    assert [r["location_precision"] for r in placed.records] == ["zip", "city"]
    assert "place not found" in str(placed.rejected[0])
    assert geo.stats.requests == 0


def test_source_points():
    geo = StreetGeocoder(None)
    street_point = rec(street="1 A St", zip="85719", **{SOURCE_POINT: (32.234, -110.944, "street")})
    far_point = rec(id="far", street="1 A St", zip="85719", **{SOURCE_POINT: (40.7, -74.0, "street")})
    city_point = rec(id="cp", city="Springfield", state="IL", **{SOURCE_POINT: (39.8, -89.64, "city")})
    placed = place_records([street_point, far_point, city_point], geo)
    got = {r["id"]: (r["location_precision"], r[PLACE_HOW]) for r in placed.records}
    assert got == {"x": ("street", "source"), "far": ("zip", "zip centroid"), "cp": ("city", "source")}
    assert any("far from the ZIP" in n for n in placed.notes)


def test_unreachable_geocoder_switches_to_centroids_for_the_rest_of_the_run(tmp_path):
    class Down:
        calls = 0

        def geocode(self, query, **kw):
            Down.calls += 1
            raise GeocoderUnavailable("no network")

    geo = StreetGeocoder(Down(), cache_path=tmp_path / "c.json", min_delay_seconds=0)
    placed = place_records([rec(street="1 A St", zip="85701"), rec(id="y", street="2 B St", zip="85701")], geo)
    assert [r["location_precision"] for r in placed.records] == ["zip", "zip"]
    assert Down.calls == 2 and "unavailable" in geo.stats.offline_reason
    geo.save()
    assert not (tmp_path / "c.json").exists()  # failures are not cached


def test_normalise_address_drops_suites():
    assert (
        normalise_address("115 East 57th Street Suite 1210", "New York", "NY", "")
        == "115 East 57th Street, New York, NY, USA"
    )
    assert normalise_address("211 East 43rd Street, Ste 2300", "New York", "NY", "10017") == (
        "211 East 43rd Street, New York, NY 10017, USA"
    )


def test_is_house_level_reads_the_common_result_shapes():
    class Loc:
        def __init__(self, raw):
            self.raw = raw

    assert is_house_level(Loc({"address": {"house_number": "5"}}))
    assert is_house_level(Loc({"properties": {"housenumber": "5"}}))
    assert is_house_level(Loc({"attributes": {"Addr_type": "PointAddress"}}))
    assert not is_house_level(Loc({"addresstype": "road", "address": {"road": "Main"}}))
    assert not is_house_level(None)
