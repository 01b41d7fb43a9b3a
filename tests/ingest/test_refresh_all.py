"""``refresh-all``: curated listings + every public source -> the served file, atomically and only when valid.

Never the network: a fake transport answers for the public sources, and "offline" is a real connection
refused on a loopback port nobody listens on.
"""

from __future__ import annotations

import json
import socket

import pytest

import dashboard.ingest.refresh_all as refresh_all
from dashboard.cli import main
from dashboard.directory.clinics import load_clinics
from dashboard.ingest.http import FetchError, Response
from dashboard.ingest.refresh_all import run_refresh_all
from tests.ingest.support import FIXTURES, FakeHttp, findtreatment_pages, json_response, params
from tests.paths import ROOT

DAY, LATER = "2026-11-27", "2026-12-04"
CURATED = ROOT / "data" / "sources" / "public_listings.jsonl"
FT_ID = "findtreatment-033f7e25c70d2822"


def public_sources(url: str) -> Response | Exception:
    """The derived FindTreatment page (3 pages of 10 real rows) and the ClinicalTrials.gov fixture pages."""
    if "findtreatment.gov" in url:
        return json_response(findtreatment_pages()[int(params(url).get("page", "1")) - 1])
    if "clinicaltrials.gov" in url:
        pages = json.loads((FIXTURES / "clinicaltrials_pages.json").read_text())
        return json_response(pages[1] if "pageToken" in params(url) else pages[0])
    return FetchError(f"could not reach {url}: ConnectionError")


def refresh(into, curated=CURATED, day=DAY, answer=public_sources, **kw):
    return run_refresh_all(into, curated=curated, retrieved=day, client=FakeHttp(answer), sleep=lambda s: None, **kw)


def free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_offline_one_plain_line_nonzero_exit_and_the_served_file_untouched(tmp_path, capsys):
    served = tmp_path / "clinics.csv"
    served.write_bytes((ROOT / "data" / "clinics.csv").read_bytes())
    before = served.read_bytes(), served.stat().st_mtime_ns
    nobody = f"http://127.0.0.1:{free_loopback_port()}"  # connection refused: the network is unreachable
    code = main(["refresh-all", "--into", str(served), "--findtreatment-url", f"{nobody}/locator?sType=mh",
                 "--clinicaltrials-url", f"{nobody}/api/v2/studies", "--timeout", "5"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("refresh-all failed: findtreatment: could not reach http://127.0.0.1:")
    assert err.rstrip().endswith(f"nothing was changed ({served} is as it was)")
    assert (served.read_bytes(), served.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clinics.csv"]  # no temporary file left behind


def test_a_source_failing_after_another_succeeded_still_changes_nothing(tmp_path):
    served = tmp_path / "clinics.csv"
    served.write_text("not even a dataset\n")

    def ct_down(url):
        return Response(503, "", {}) if "clinicaltrials.gov" in url else public_sources(url)

    outcome = refresh(served, answer=ct_down)
    assert not outcome.ok and len(outcome.lines) == 1
    assert outcome.lines[0].startswith("refresh-all failed: clinicaltrials: HTTP 503")
    assert served.read_text() == "not even a dataset\n"


def test_first_run_builds_curated_plus_public_sources_and_reports_them_added(tmp_path):
    served = tmp_path / "clinics.csv"
    outcome = refresh(served)
    assert outcome.ok and outcome.written, outcome.summary
    table, report = load_clinics(served)
    assert report.ok
    curated = {json.loads(line)["id"] for line in CURATED.read_text().splitlines()}
    ids = set(table["id"])
    assert curated <= ids  # every curated listing is placed
    ft = table[table["id"] == FT_ID].iloc[0]
    assert ft["location_precision"] == "street" and ft["source_kind"] == "samhsa_findtreatment"
    studies = table[table["listing_kind"] == "research_study"]
    assert len(studies) == 4
    assert len(outcome.changes.added) == len(table) and not outcome.changes.gone
    assert f"changed: added {len(table)}, updated 0, gone 0 (unchanged 0)" in outcome.summary
    assert f"  added {FT_ID}: Empowering Families Program (mental health facility) (Charlottesville, VA)" in (
        outcome.lines
    )


def test_a_weekly_rerun_with_nothing_new_changes_no_fact_and_keeps_dates(tmp_path):
    served = tmp_path / "clinics.csv"
    assert refresh(served).ok
    first = load_clinics(served)[0].set_index("id")
    again = refresh(served, day=LATER)
    assert again.ok and not again.changes.any, again.summary
    assert "changed: added 0, updated 0, gone 0" in again.summary
    second = load_clinics(served)[0].set_index("id")
    assert second.loc[FT_ID, "compiled_on"] == first.loc[FT_ID, "compiled_on"] == DAY  # facts unchanged
    assert second.loc[FT_ID, "last_seen"] == LATER  # seen again
    # The same day twice: byte-identical, so the file is not even rewritten.
    assert refresh(served, day=LATER).written is False


def test_updated_and_gone_are_reported_against_the_served_file(tmp_path):
    served = tmp_path / "clinics.csv"
    assert refresh(served).ok
    lines = served.read_text().splitlines()
    # Tamper with the served copy: one listing that no source has, one fact changed.
    header, rows = lines[0], lines[1:]
    stale = rows[0].replace(rows[0].split(",")[0], "a-clinic-that-closed", 1)
    changed = [r.replace(",Charlottesville,VA,", ",Charlottesville,VA,", 1) for r in rows]
    ft_row = next(i for i, r in enumerate(changed) if r.startswith(FT_ID))
    changed[ft_row] = changed[ft_row].replace("434-971-8454", "434-000-0000")
    served.write_text("\n".join([header, stale, *changed]) + "\n")
    outcome = refresh(served, day=LATER)
    assert outcome.ok
    assert [r["id"] for r in outcome.changes.gone] == ["a-clinic-that-closed"]
    ((rec, columns),) = outcome.changes.updated
    assert rec["id"] == FT_ID and columns == ["phone"]
    assert f"  updated {FT_ID}: Empowering Families Program (mental health facility) (Charlottesville, VA): phone" in (
        outcome.lines
    )


def test_curated_facts_win_and_both_sources_stay_on_record(tmp_path):
    curated = tmp_path / "curated.jsonl"
    # Test data: a curated listing of the derived fixture's facility with a different phone.
    curated.write_text(json.dumps({
        "id": "empowering-families-program-charlottesville-va", "name": "Empowering Families Program",
        "street": "901 Preston Avenue, Suite 201", "city": "Charlottesville", "state": "VA", "zip": "22903",
        "phone": "434-555-0100", "routes": ["esketamine_nasal"], "conditions": ["depression"],
        "source_urls": ["https://clinic.example/ketamine"], "source_kind": "public_web_compilation",
        "compiled_on": "2026-11-26",
    }) + "\n")  # fmt: skip
    served = tmp_path / "clinics.csv"
    outcome = refresh(served, curated=curated)
    assert outcome.ok, outcome.summary
    table = load_clinics(served)[0]
    rec = table[table["id"] == "empowering-families-program-charlottesville-va"].iloc[0]
    assert FT_ID not in set(table["id"])  # matched to the curated listing, not added twice
    assert rec["phone"] == "434-555-0100" and rec["name"] == "Empowering Families Program"  # curated wins
    assert rec["routes"] == ("esketamine_nasal", "iv_ketamine") and rec["accepts_insurance"]  # gaps filled
    assert set(rec["source_urls"]) == {"https://clinic.example/ketamine", "https://findtreatment.gov/"
                                       "locator/exportsAsJson/v2?sType=mh&sCodes=KIT&limitType=2&limitValue="
                                       "6437376&sAddr=39.8283%2C-98.5795&pageSize=100&sort=0"}  # fmt: skip
    prov = json.loads(rec["provenance"])
    assert prov["phone"]["source"] == "https://clinic.example/ketamine"
    assert prov["phone"]["offered"][0]["value"] == "434-971-8454"
    assert "conflict: empowering-families-program-charlottesville-va phone" in outcome.summary


def test_an_invalid_result_is_never_served(tmp_path, monkeypatch):
    served = tmp_path / "clinics.csv"
    served.write_text("old\n")
    real = refresh_all.parse_clinics

    def failing(text, source=""):
        table, report = real(text.replace(",VA,", ",ZZ,", 1), source)
        return table, report

    monkeypatch.setattr(refresh_all, "parse_clinics", failing)
    outcome = refresh(served)
    assert not outcome.ok and "does not pass check-data" in outcome.summary
    assert "row " in outcome.summary and "column state" in outcome.summary
    assert served.read_text() == "old\n"


def test_dry_run_writes_nothing(tmp_path):
    served = tmp_path / "clinics.csv"
    outcome = refresh(served, dry_run=True)
    assert outcome.ok and not served.exists() and "dry run" in outcome.summary


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--retrieved", "yesterday"], "YYYY-MM-DD"), (["--findtreatment-url", "ftp://x"], "http(s)")],
)
def test_usage_errors(tmp_path, capsys, args, message):
    assert main(["refresh-all", "--into", str(tmp_path / "c.csv"), *args]) == 2
    assert message in capsys.readouterr().err
