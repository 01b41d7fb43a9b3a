"""``python -m dashboard check-data``: exit 0 valid, 1 some rows rejected, 2 unreadable; never a traceback."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import GOOD, csv_text


def check(path, cwd):
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "check-data", str(path)], cwd=cwd, capture_output=True, text=True
    )


def test_bundled_dataset_is_valid(project_root):
    result = check(project_root / "data" / "clinics.csv", project_root)
    assert result.returncode == 0
    assert "every row is valid" in result.stdout


def test_bad_rows_are_listed_with_reasons(project_root, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        csv_text(
            GOOD,
            {**GOOD, "id": "no-name", "name": ""},
            {**GOOD, "id": "bad-route", "routes": "iv_ketamine;magic"},
            {**GOOD, "id": "in-london", "lat": "51.5", "lon": "-0.1"},
        )
    )
    result = check(path, project_root)
    assert result.returncode == 1
    assert "row 3, column name: missing name" in result.stdout
    assert "row 4, column routes: unknown code(s): magic" in result.stdout
    assert "row 5, column lat:" in result.stdout and "outside the United States" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_garbage_exits_2_with_one_plain_line(project_root, tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 4)
    result = check(path, project_root)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_missing_file_exits_2(project_root, tmp_path):
    result = check(tmp_path / "missing.csv", project_root)
    assert result.returncode == 2 and "no such file" in result.stderr
