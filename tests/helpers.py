"""Helpers shared by tests of several packages, kept once here instead of copied into each test file:
a good clinic row and a CSV writer for variations of it, the questionnaire's section titles as a user
reads them, the privacy scan for an answer left on disk, and the CLI as a separate process."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from dashboard.cli import main as cli_main
from dashboard.directory.clinics import REQUIRED_COLUMNS
from tests.bounds import SUBPROCESS_TIMEOUT_S
from tests.paths import ROOT

# One valid listing; tests vary it with {**GOOD, "field": value} so each row says only what it changes.
GOOD = {
    "id": "good-clinic-tucson-az",
    "name": "Good Clinic",
    "street": "",
    "city": "Tucson",
    "state": "AZ",
    "zip": "85719",
    "lat": "32.2474",
    "lon": "-110.9491",
    "location_precision": "zip",
    "phone": "520-555-0100",
    "website": "https://example.org",
    "routes": "iv_ketamine;esketamine_nasal",
    "conditions": "depression;crps",
    "ketamine_assisted_psychotherapy": "",
    "accepts_insurance": "true",
    "self_pay_price_usd": "450",
    "price_note": "",
    "va_community_care": "",
    "source_urls": "https://example.org/ketamine",
    "source_kind": "clinic_website",
    "source_date": "",
    "compiled_on": "2026-11-25",
}

# Markup that breaks out of a script or an attribute if any output forgets to escape it.
HOSTILE_MARKUP = '</script><img src=x onerror="alert(1)">&amp;'

# The questionnaire's sections in order, as their headings read.
INTAKE_SECTIONS = (
    "About you",
    "Reason for the visit",
    "Treatment history",
    "Questionnaires",
    "Health and safety",
    "Logistics",
    "Your summary",
)


def csv_text(*rows: dict[str, str], columns: Iterable[str] = REQUIRED_COLUMNS) -> str:
    """A clinics CSV holding ``rows`` (fields not in ``columns`` are dropped)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def files_holding(marker: str, since: float, roots: Iterable[Path] | None = None) -> list[Path]:
    """Files under ``roots`` (the project and the temp folder) written since ``since`` that contain
    ``marker``: an answer typed with the marker must be in none of them. The browser's own profile and
    downloads are the patient's side, not the server's, so Playwright's folders are not searched."""
    import tempfile

    hits = []
    for root in roots if roots is not None else (ROOT, Path(tempfile.gettempdir())):
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d != ".git" and not d.startswith("playwright")]
            for name in filenames:
                path = Path(dirpath) / name
                try:
                    if path.is_file() and path.stat().st_mtime >= since and marker.encode() in path.read_bytes():
                        hits.append(path)
                except OSError:
                    continue
    return hits


def run_dashboard(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m dashboard ARGS`` in a fresh interpreter from the project folder, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT_S,
    )


def main_json(capsys, *args: str) -> list[dict] | dict:
    """The same command in-process (much faster than a new interpreter); online geocoding is off (conftest)."""
    capsys.readouterr()
    code = cli_main(["search", *args, "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)
