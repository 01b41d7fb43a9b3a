"""`python -m dashboard intake`: JSON on stdout, files on request, one plain stderr line and exit 2 on bad drafts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.cli import main
from tests.bounds import SUBPROCESS_TIMEOUT_S
from tests.paths import FIXTURES, ROOT

FIXTURE = FIXTURES / "intake" / "full_draft.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["intake", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, doc: object) -> str:
    p = tmp_path / "draft.json"
    p.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return str(p)


def test_full_draft(capsys, tmp_path):
    pdf, html, fh = tmp_path / "s.pdf", tmp_path / "s.html", tmp_path / "qr.json"
    code, out, err = run(capsys, str(FIXTURE), "--pdf", str(pdf), "--html", str(html), "--fhir", str(fh))
    assert code == 0, err
    result = json.loads(out)
    assert set(result) == {"scores", "flags", "crisis"}
    assert result["scores"]["phq9"] == {"total": 14, "band": "moderate", "missing": 0}
    assert result["scores"]["gad7"] == {"total": 10, "band": "moderate", "missing": 0}
    assert result["scores"]["peg"]["mean"] == 6.0
    assert result["scores"]["pcl5"]["total"] == 31
    assert result["crisis"] is True
    assert all(set(f) == {"code", "text", "source"} for f in result["flags"])
    assert result["flags"][0]["code"] == "phq9_item9"
    assert (
        pdf.read_bytes().startswith(b"%PDF")
        and "<html" in html.read_text()
        and "QuestionnaireResponse" in fh.read_text()
    )


@pytest.mark.parametrize(
    ("phq9", "total", "band", "missing", "crisis"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "minimal", 0, False),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal", 0, False),
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild", 0, False),
        ([1, 1, 1, 1, 1, 1, 1, 1, 1], 9, "mild", 0, True),
        ([2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "moderate", 0, False),
        ([2, 2, 2, 2, 2, 2, 2, 0, 0], 14, "moderate", 0, False),
        ([3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "moderately severe", 0, False),
        ([3, 3, 3, 3, 3, 3, 1, 0, 0], 19, "moderately severe", 0, False),
        ([3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe", 0, False),
        ([3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "severe", 0, True),
        ([3, 3, 3, 3, 3, 3, 3, 3, None], None, None, 1, False),
        ([None, None, 0, 0, 0, 0, 0, 0, 2], None, None, 2, True),
    ],
)
def test_phq9_table(capsys, tmp_path, phq9, total, band, missing, crisis):
    code, out, _ = run(capsys, write(tmp_path, {"schema_version": 1, "instruments": {"phq9": phq9}}))
    assert code == 0
    result = json.loads(out)
    assert result["scores"]["phq9"] == {"total": total, "band": band, "missing": missing}
    assert result["crisis"] is crisis


@pytest.mark.parametrize(
    ("gad7", "total", "band"),
    [([0] * 7, 0, "minimal"), ([1, 1, 1, 1, 0, 0, 0], 4, "minimal"), ([1, 1, 1, 1, 1, 0, 0], 5, "mild"),
     ([3, 3, 3, 0, 0, 0, 0], 9, "mild"), ([3, 3, 3, 1, 0, 0, 0], 10, "moderate"), ([2] * 7, 14, "moderate"),
     ([3, 3, 3, 3, 3, 0, 0], 15, "severe"), ([3] * 7, 21, "severe")],
)  # fmt: skip
def test_gad7_table(capsys, tmp_path, gad7, total, band):
    _, out, _ = run(capsys, write(tmp_path, {"schema_version": 1, "instruments": {"gad7": gad7}}))
    assert json.loads(out)["scores"]["gad7"] == {"total": total, "band": band, "missing": 0}


def test_peg_and_pcl5(capsys, tmp_path):
    doc = {"schema_version": 1, "instruments": {"peg": [5, 6, 6], "pcl5": [4] * 19 + [None]}}
    _, out, _ = run(capsys, write(tmp_path, doc))
    scores = json.loads(out)["scores"]
    assert scores["peg"]["mean"] == pytest.approx(5.67) and scores["peg"]["missing"] == 0
    assert scores["pcl5"]["total"] is None and scores["pcl5"]["missing"] == 1


@pytest.mark.parametrize(
    "content",
    ["", "nope", "[]", '{"schema_version": 9}', '{"schema_version": 1, "x": {}}', "[" * 100000,
     '{"schema_version": 1, "instruments": {"phq9": [9,9,9,9,9,9,9,9,9]}}'],
)  # fmt: skip
def test_bad_draft_exit_2_one_line(capsys, tmp_path, content):
    code, out, err = run(capsys, write(tmp_path, content))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err


def test_missing_file_and_too_big(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path / "nope.json"))
    assert code == 2 and err.count("\n") == 1
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2_000_000)
    code, _, err = run(capsys, str(big))
    assert code == 2 and "1 MB" in err


def test_template(capsys):
    code, out, _ = run(capsys, "--template")
    assert code == 0
    doc = json.loads(out)
    assert doc["schema_version"] == 3 and doc["instruments"]["phq9"] == [None] * 9
    assert doc["about"]["completed_by"] is None and doc["screening"]["units"] is None


def test_subprocess_entry_point(tmp_path):
    bad = write(tmp_path, "{not json")
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "intake", bad],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT_S,
    )
    assert proc.returncode == 2 and proc.stdout == "" and proc.stderr.strip().count("\n") == 0
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "intake", str(FIXTURE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT_S,
    )
    assert proc.returncode == 0 and json.loads(proc.stdout)["crisis"] is True
