"""The command line answers in the finder's tiers, on the bundled directory, for the searches that went
wrong: a veteran with nerve pain in Tucson, and PTSD with insurance in New York City. Its CSV is byte for
byte the app's download for the same search."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from dashboard.directory.clinics import load_clinics
from dashboard.finder.criteria import Criteria
from dashboard.finder.downloads import search_csv
from dashboard.finder.search import search
from dashboard.places.lookup import resolve
from tests.bounds import SUBPROCESS_TIMEOUT_S
from tests.helpers import main_json
from tests.paths import ROOT

DATA = ROOT / "data" / "clinics.csv"
TUCSON = ["--near", "85719", "--radius", "100", "--route", "iv_ketamine", "--condition", "neuropathic_pain"]
NYC = ["--near", "NYC", "--radius", "50", "--condition", "ptsd", "--insurance"]


def tier(records: list[dict], name: str) -> list[dict]:
    return [r for r in records if r["tier"] == name]


def tiers_in_order(records: list[dict]) -> bool:
    order = ["confirmed", "to ask", "beyond distance"]
    ranks = [order.index(r["tier"]) for r in records]
    return ranks == sorted(ranks)


def test_tucson_nerve_pain_iv_asks_lighthouse_before_anything_far(capsys):
    out = main_json(capsys, *TUCSON)
    assert tiers_in_order(out)
    assert tier(out, "confirmed") == []
    ask = tier(out, "to ask")
    lighthouse = next(r for r in ask if r["name"] == "Lighthouse Psychiatry" and r["city"] == "Gilbert")
    assert 80 < lighthouse["distance_miles"] < 95
    assert "iv_ketamine" in lighthouse["routes"]
    assert lighthouse["does_not_state"] == ["neuropathic (nerve) pain"]
    for r in ask:
        assert r["distance_miles"] <= 100
        assert "neuropathic (nerve) pain" in r["does_not_state"]
    assert [r["distance_miles"] for r in ask] == sorted(r["distance_miles"] for r in ask)
    beyond = tier(out, "beyond distance")
    assert [r["city"] for r in beyond] == ["Pasadena", "Boulder", "Houston"]
    assert all(r["distance_miles"] > 100 for r in beyond)


def test_new_york_ptsd_with_insurance_asks_the_ptsd_clinics(capsys):
    out = main_json(capsys, *NYC)
    assert tiers_in_order(out)
    assert tier(out, "confirmed") == []
    ask = tier(out, "to ask")
    assert len(ask) >= 4
    assert {"Nushama Psychedelic Wellness Clinic", "Principium Psychiatry (Manhattan)"} <= {r["name"] for r in ask}
    for r in ask:
        assert "ptsd" in r["conditions"]  # a New York list without PTSD has stated its list: not asked
        assert r["does_not_state"] == ["insurance"]
        assert r["distance_miles"] <= 50
    beyond = tier(out, "beyond distance")
    assert beyond[0]["city"] == "Clarksville" and beyond[0]["state"] == "TN"
    assert not {r["city"] for r in ask} & {"Clarksville"}


def test_the_table_heads_each_tier(capsys):
    from dashboard.cli import main as cli_main

    capsys.readouterr()
    assert cli_main(["search", *TUCSON]) == 0
    out = capsys.readouterr().out
    assert re.search(r"within 100 miles of Tucson, AZ 85719 — 0 confirmed, [1-9]\d* to ask\.$", out.splitlines()[0])
    ask_at = out.index("May offer it — don't state")
    lighthouse_at = out.index("Lighthouse Psychiatry")
    beyond_at = out.index("Nearest matches beyond 100 miles:")
    assert ask_at < lighthouse_at < beyond_at < out.index("Pasadena")
    assert "does not state: neuropathic (nerve) pain" in out
    assert "may be incomplete" not in out  # a listing to ask is nearby


def cli_csv(*args: str) -> bytes:
    env = dict(os.environ, CLINIC_FINDER_ONLINE_GEOCODING="0")
    env.pop("CLINIC_FINDER_DATA", None)
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "search", *args, "--data", str(DATA), "--format", "csv"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=SUBPROCESS_TIMEOUT_S,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def bundled():
    return load_clinics(DATA)[0]


@pytest.mark.parametrize(
    ("args", "criteria"),
    [
        (TUCSON, dict(radius_miles=100.0, routes={"iv_ketamine"}, conditions={"neuropathic_pain"})),
        (NYC, dict(radius_miles=50.0, conditions={"ptsd"}, accepts_insurance=True)),
        # Nothing within 25 miles: both write the nearest beyond with the same explanation.
        (["--near", "Dodge City, KS", "--radius", "25"], dict(radius_miles=25.0)),
        # Nothing anywhere: both write the explanation as the one row.
        (
            ["--near", "85719", "--radius", "5", "--route", "im_ketamine", "--condition", "ocd", "--max-price", "1"],
            dict(radius_miles=5.0, routes={"im_ketamine"}, conditions={"ocd"}, max_price=1.0),
        ),
    ],
    ids=["tucson", "nyc", "empty-nearby", "empty-everywhere"],
)
def test_cli_csv_is_the_apps_download_byte_for_byte(bundled, args, criteria):
    near = args[args.index("--near") + 1]
    app = search_csv(search(bundled, Criteria(near=near, place=resolve(near), **criteria)))
    got = cli_csv(*args)
    assert got == app
    assert got.startswith(b"\xef\xbb\xbf")
    assert len(got.decode("utf-8-sig").splitlines()) >= 2  # a header and at least one row, even when empty
