"""HSDS 3.0 conformance: ``frictionless`` validates the export against the official descriptor, 0 errors.

This is how the specification's own CI checks its examples. The official ``datapackage.json`` (a real
upstream file, kept unedited in tests/fixtures/upstream/) describes 21 tables; an export writes the 9 this
directory uses, so for the check the other 12 are present as empty tables (header row only).
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from frictionless import Package

from dashboard.cli import main
from tests.ingest.support import FIXTURES, UPSTREAM

OFFICIAL = UPSTREAM / "hsds_3.0_datapackage.json"


def errors(descriptor: Path) -> Counter:
    """(table, error type, field) -> count, as ``frictionless validate`` reports them."""
    report = Package(str(descriptor)).validate()
    found: Counter = Counter()
    for task in report.tasks:
        for error in task.errors:
            found[(task.name, error.type, getattr(error, "field_name", ""))] += 1
    return found


def against_the_official_descriptor(folder: Path, work: Path) -> Counter:
    """Validate a folder of HSDS tables with the official descriptor; unwritten tables count as empty."""
    shutil.copytree(folder, work)
    shutil.copy(OFFICIAL, work / "datapackage.json")
    for resource in json.loads(OFFICIAL.read_text())["resources"]:
        path = work / resource["path"]
        if not path.exists():
            with open(path, "w", newline="") as fh:
                csv.writer(fh).writerow([f["name"] for f in resource["schema"]["fields"]])
    return errors(work / "datapackage.json")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hsds") / "export"
    assert main(["export-hsds", "--out", str(out)]) == 0
    return out


def test_the_export_has_zero_errors_against_the_official_descriptor(exported, tmp_path):
    assert against_the_official_descriptor(exported, tmp_path / "check") == Counter()


def test_the_exports_own_datapackage_json_validates(exported):
    assert errors(exported / "datapackage.json") == Counter()


def test_a_us_publishers_folder_in_the_official_layout_is_valid(tmp_path):
    assert against_the_official_descriptor(FIXTURES / "hsds_county", tmp_path / "check") == Counter()


def test_the_check_finds_what_the_old_export_got_wrong(exported, tmp_path):
    """The same check on an export with the old faults (an extra column, empty required fields) fails."""
    broken = tmp_path / "broken"
    shutil.copytree(exported, broken)
    counted = {}
    for name in ("organizations.csv", "attributes.csv"):
        with open(broken / name, newline="") as fh:
            rows = list(csv.DictReader(fh))
        counted[name] = len(rows)
        columns = list(rows[0])
        if name == "organizations.csv":
            rows = [{**r, "description": ""} for r in rows]
        else:
            columns.append("label")
        with open(broken / name, "w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    found = against_the_official_descriptor(broken, tmp_path / "check")
    assert found[("organization", "constraint-error", "description")] == counted["organizations.csv"]
    assert found[("attribute", "extra-label", "")] == 1
