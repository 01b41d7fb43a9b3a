"""``python -m dashboard search``: run as a subprocess, offline, checked against an independent reference."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from geopy.distance import geodesic

from dashboard.cli import main as cli_main
from tests.bounds import SUBPROCESS_TIMEOUT_S
from tests.helpers import main_json
from tests.paths import FIXTURES, ROOT

DATA = ROOT / "data" / "clinics.csv"
FIXTURE = FIXTURES / "clinics_small.csv"
TUCSON_85719 = (32.2474, -110.9491)  # the gazetteer's centroid of ZIP 85719
REQUIRED_KEYS = {
    "id",
    "name",
    "city",
    "state",
    "lat",
    "lon",
    "distance_miles",
    "routes",
    "conditions",
    "phone",
    "website",
    "location_precision",
    "source_urls",
}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CLINIC_FINDER_ONLINE_GEOCODING="0", PYTHONIOENCODING="utf-8")
    env.pop("CLINIC_FINDER_DATA", None)
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "search", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=SUBPROCESS_TIMEOUT_S,
    )


def run_json(*args: str) -> list[dict]:
    proc = run_cli(*args, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout)


def main_exit(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    try:
        code = cli_main(["search", *args])
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    return code, capsys.readouterr().err


def raw_rows(path: Path = DATA) -> list[dict[str, str]]:
    """The dataset read with the csv module only (independent of the loader)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def haversine(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 3958.7613 * math.asin(math.sqrt(a))


def test_json_sorted_and_matches_geodesic():
    out = run_json("--near", "85719", "--radius", "any")
    assert len(out) == len(raw_rows())
    assert set(out[0]) >= REQUIRED_KEYS
    distances = [r["distance_miles"] for r in out]
    assert distances == sorted(distances)
    for r in out:
        ref = geodesic(TUCSON_85719, (r["lat"], r["lon"])).miles
        assert math.isclose(r["distance_miles"], ref, rel_tol=0.005, abs_tol=0.01), (r["id"], r["distance_miles"], ref)
        assert isinstance(r["routes"], list)
        assert isinstance(r["conditions"], list)
        assert isinstance(r["source_urls"], list)
        assert r["source_urls"]


CASES = [
    ("85719", "500", ["iv_ketamine"], ["ptsd"]),
    ("85719", "any", [], ["depression"]),
    ("85719", "500", ["esketamine_nasal", "im_ketamine"], []),
    ("New York, NY", "100", ["esketamine_nasal"], []),
    ("New York, NY", "250", [], ["crps", "migraine"]),
    ("Chicago, IL", "500", ["iv_ketamine"], ["treatment_resistant_depression", "bipolar_depression"]),
    ("40.7128, -74.0060", "50", [], []),
]


@pytest.mark.parametrize(("near", "radius", "routes", "conditions"), CASES)
def test_filters_honoured_exactly(capsys, near, radius, routes, conditions):
    args = ["--near", near, "--radius", radius]
    for r in routes:
        args += ["--route", r]
    for c in conditions:
        args += ["--condition", c]
    out = confirmed(main_json(capsys, *args))

    origin = _origin(near)
    limit = math.inf if radius == "any" else float(radius)
    expected = set()
    for row in raw_rows():
        row_routes = set(filter(None, row["routes"].split(";")))
        row_conditions = set(filter(None, row["conditions"].split(";")))
        if routes and not row_routes & set(routes):
            continue
        if conditions and not row_conditions & set(conditions):
            continue
        if haversine(*origin, float(row["lat"]), float(row["lon"])) > limit:
            continue
        expected.add(row["id"])

    got = [r["id"] for r in out]
    assert len(got) == len(set(got))
    assert set(got) == expected  # nothing missing, nothing extra
    for r in out:
        assert r["distance_miles"] <= limit + 0.01
        if routes:
            assert set(r["routes"]) & set(routes)
        if conditions:
            assert set(r["conditions"]) & set(conditions)
        ref = geodesic(origin, (r["lat"], r["lon"])).miles
        assert math.isclose(r["distance_miles"], ref, rel_tol=0.005, abs_tol=0.01)
    assert [r["distance_miles"] for r in out] == sorted(r["distance_miles"] for r in out)


def confirmed(records: list[dict]) -> list[dict]:
    """The confirmed tier of the JSON output (the listings stating everything chosen)."""
    return [r for r in records if r["tier"] == "confirmed"]


def _origin(near: str) -> tuple[float, float]:
    # Independent of the app: the zipcodes package for ZIPs and typed coordinates as typed; city centroids
    # are the app's own definition (mean of the city's ZIP centroids), so take them from the gazetteer.
    import zipcodes

    if near.isdigit():
        z = zipcodes.matching(near)[0]
        return float(z["lat"]), float(z["long"])
    if "," in near and near.replace(",", "").replace(".", "").replace("-", "").replace(" ", "").isdigit():
        lat, lon = near.split(",")
        return float(lat), float(lon)
    from dashboard.places.gazetteer import resolve_offline

    place = resolve_offline(near)
    return place.lat, place.lon


def test_depression_does_not_match_other_depression_codes(capsys):
    out = confirmed(main_json(capsys, "--near", "85719", "--radius", "any", "--condition", "depression"))
    assert out
    assert all("depression" in r["conditions"] for r in out)
    only_other = [
        row["id"]
        for row in raw_rows()
        if "depression" not in row["conditions"].split(";") and "depression" in row["conditions"]
    ]
    assert only_other
    assert not {r["id"] for r in out} & set(only_other)


def test_nothing_confirmed_lists_the_other_tiers_exit_0():
    proc = run_cli("--near", "85719", "--radius", "5", "--route", "im_ketamine", "--format", "json")
    assert proc.returncode == 0
    out = json.loads(proc.stdout)
    assert not confirmed(out)
    tiers = [r["tier"] for r in out]
    assert tiers == sorted(tiers, key=["to ask", "beyond distance"].index)
    assert tiers.count("beyond distance") == 3
    assert all(r["does_not_state"] == ["intramuscular ketamine injection"] for r in out if r["tier"] == "to ask")


def test_nothing_at_all_is_an_empty_list_exit_0():
    proc = run_cli("--near", "85719", "--radius", "5", "--route", "im_ketamine", "--data", str(FIXTURE),
                   "--condition", "ocd", "--format", "json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


@pytest.mark.parametrize("near", ["00000", "1 Main Street, Springfield"])
def test_bad_location_exits_2_with_one_plain_line(near):
    proc = run_cli("--near", near, "--format", "json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Error" not in lines[0]  # a sentence for a person, not an exception name


@pytest.mark.parametrize(
    "near",
    ["00000", "Notacity, AZ", "1 Main Street, Springfield", "", "51.5, -0.12", "99, 999", "<script>alert(1)</script>"],
)
def test_bad_locations_in_process(capsys, near):
    code, err = main_exit(capsys, "--near", near, "--format", "json")
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "Error" not in err


def test_bad_argument_exits_2_with_one_line():
    proc = run_cli("--near", "85719", "--route", "depression")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--route", "depression"],
        ["--condition", "depress"],
        ["--route", "iv"],
        ["--radius", "1"],
        ["--radius", "lots"],
        ["--radius", "nan"],
        ["--max-price", "-5"],
    ],
)
def test_bad_arguments_in_process(capsys, args):
    code, err = main_exit(capsys, "--near", "85719", *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err


def test_unreadable_dataset_exits_2(capsys, tmp_path):
    code, err = main_exit(capsys, "--near", "85719", "--data", str(tmp_path / "missing.csv"))
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_payment_filters_and_studies_on_fixture(capsys):
    base = ["--near", "85719", "--radius", "any", "--data", str(FIXTURE)]
    ids = lambda *more: {r["id"] for r in confirmed(main_json(capsys, *base, *more))}  # noqa: E731
    assert ids("--insurance", "--va") == {"tucson-iv", "new-york-multi"}
    assert ids("--max-price", "500") == {"tucson-iv", "phoenix-im-oral"}
    assert ids("--condition", "crps") == {"tucson-crps-study"}
    assert ids("--condition", "crps", "--no-studies") == set()
    study = confirmed(main_json(capsys, *base, "--condition", "crps"))[0]
    assert (study["listing_kind"], study["study_id"]) == ("research_study", "NCT01234567")


def test_csv_output_neutralises_formulas():
    proc = run_cli("--near", "Flagstaff, AZ", "--radius", "25", "--data", str(FIXTURE), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("\ufeff")  # the app's download has the BOM too: one writer
    rows = list(csv.reader(io.StringIO(proc.stdout.removeprefix("\ufeff"))))
    assert rows[0][0] == "name"
    (row,) = rows[1:]
    assert row[0].startswith("'=HYPERLINK(")
    assert row[3] == "'@SUM(1+1)"
    assert row[8] == "'+1 928 555 0110"
    for cell in row:
        assert not cell or cell[0] not in "=+-@\t\r"


def test_table_output(capsys):
    assert cli_main(["search", "--near", "85719", "--radius", "25", "--data", str(FIXTURE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Clinics within 25 miles of Tucson, AZ 85719 — 5 found.")
    assert "address not listed — call to confirm" in out
    assert "[study]" in out
