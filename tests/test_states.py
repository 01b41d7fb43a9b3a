"""One table of US states and territories: codes, names as typed, FIPS ids of the map's boundaries."""

from __future__ import annotations

import json

import pytest

from dashboard import states
from dashboard.assets import VENDOR_DIR


def test_fifty_states_dc_and_five_territories():
    kinds = [s.kind for s in states.STATES]
    assert kinds.count("state") == 50 and kinds.count("district") == 1 and kinds.count("territory") == 5
    assert len(states.US_STATES) == len(states.STATES) == 56
    assert len({s.fips for s in states.STATES}) == 56
    assert len(states.FIFTY_AND_DC) == 51 and "PR" not in states.FIFTY_AND_DC
    assert {"DC", "PR", "VI", "GU", "MP", "AS"} == states.NOT_STATES


def test_every_fips_id_is_a_boundary_the_map_draws():
    """Every FIPS id we colour exists in the vendored us-atlas file, under the same name."""
    path = VENDOR_DIR / "us-atlas" / "states-10m.json"
    geometries = json.loads(path.read_text())["objects"]["states"]["geometries"]
    atlas = {g["id"]: g["properties"]["name"] for g in geometries}
    for s in states.STATES:
        assert s.fips in atlas, s.code
        if s.code not in ("MP", "VI"):  # "Commonwealth of the Northern Mariana Islands", "United States Virgin Islands"
            assert atlas[s.fips] == s.name


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("az", "AZ"),
        ("AZ", "AZ"),
        ("Arizona", "AZ"),
        ("New  Mexico", "NM"),
        ("D.C.", "DC"),
        ("district of columbia", "DC"),
        ("U.S. Virgin Islands", "VI"),
        ("virgin islands", "VI"),
        ("Hawai'i", "HI"),
        ("Tucson", None),
        ("", None),
        ("XX", None),
    ],
)
def test_state_code(text, code):
    assert states.state_code(text) == code


def test_every_name_reads_back_as_its_code():
    for s in states.STATES:
        for name in (s.name, *s.other_names, s.code, s.name.lower()):
            assert states.state_code(name) == s.code, name
    assert set(states.STATE_NAMES.values()) == states.US_STATES


@pytest.mark.parametrize(
    ("lat", "lon", "inside"),
    [
        (32.2, -110.9, True),  # Tucson
        (61.2, -149.9, True),  # Anchorage
        (51.9, 176.6, True),  # Adak, west of the antimeridian
        (21.3, -157.8, True),  # Honolulu
        (18.4, -66.1, True),  # San Juan
        (13.4, 144.8, True),  # Guam
        (-14.3, -170.7, True),  # Pago Pago
        (51.5, -0.1, False),  # London
        (19.4, -99.1, False),  # Mexico City
    ],
)
def test_in_us(lat, lon, inside):
    assert states.in_us(lat, lon) is inside
