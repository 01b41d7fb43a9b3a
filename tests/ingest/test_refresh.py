"""The refresh and export-hsds commands end to end, from the fixtures, with a fake geocoder and no network."""

from __future__ import annotations

import pytest

import dashboard.commands.refresh as refresh_command
from dashboard.cli import main
from dashboard.directory.clinics import load_clinics
from dashboard.ingest.http import FetchError, Response
from dashboard.ingest.placing import StreetGeocoder
from dashboard.ingest.refresh import run_refresh
from tests.ingest.support import (
    FIXTURES,
    FT_KETAMINE,
    FT_REAL,
    FakeGeocoder,
    FakeHttp,
    findtreatment_pages,
    serve_saved_pages,
)

DAY = "2026-11-25"
SOURCES = {
    "findtreatment": ["--from", str(FT_KETAMINE)],
    "clinicaltrials": ["--from", str(FIXTURES / "clinicaltrials_pages.json")],
    "csv": ["--from", str(FIXTURES / "community.csv"), "--mapping", str(FIXTURES / "community_mapping.toml")],
    "hsds": ["--from", str(FIXTURES / "hsds_county"), "--mapping", str(FIXTURES / "hsds_county_mapping.json")],
}


@pytest.fixture
def fake_geocoder(monkeypatch):
    """Every geocoder the refresh command builds is this fake (which counts its calls)."""
    fakes: list[FakeGeocoder] = []

    def make(service="nominatim", **kwargs):
        fakes.append(FakeGeocoder())
        return fakes[-1]

    monkeypatch.setattr(refresh_command, "make_geocoder", make)
    return fakes


def refresh(source, out, *extra):
    return main(["refresh", "--source", source, *SOURCES[source], "--out", str(out), "--retrieved", DAY,
                 "--geocoder-delay", "0", *extra])  # fmt: skip


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_refresh_from_each_fixture_passes_check_data(source, tmp_path, fake_geocoder, capsys):
    out = tmp_path / "clinics.csv"
    assert refresh(source, out) == 0
    printed = capsys.readouterr().out
    assert "added" in printed and "check-data:" in printed
    assert main(["check-data", str(out)]) == 0
    table, report = load_clinics(out)
    assert report.ok and len(table) > 0
    kinds = set(table["listing_kind"])
    assert kinds == ({"research_study"} if source == "clinicaltrials" else {"clinic"})


def test_only_the_ketamine_facility_of_the_real_page_is_listed(tmp_path, fake_geocoder, capsys):
    out = tmp_path / "ft.csv"
    assert refresh("findtreatment", out) == 0
    table = load_clinics(out)[0]
    assert list(table["name"]) == ["Empowering Families Program (mental health facility)"]
    row = table.iloc[0]
    assert row["location_precision"] == "street" and row["street"] == "901 Preston Avenue, Suite 201"
    assert (row["lat"], row["lon"]) == (38.0374836, -78.488558)
    assert row["accepts_insurance"] and row["routes"] == ("iv_ketamine",) and row["conditions"] == ("ptsd",)
    printed = capsys.readouterr().out
    assert "parsed: 1 listing(s), 29 left out by design, 0 rejected" in printed
    assert "University of Virginia Medical Center: Treatment Approaches do not include" in printed
    assert fake_geocoder[0].calls == []  # the locator's own point: no geocoder request


def test_the_real_page_without_ketamine_writes_nothing_and_says_why(tmp_path, fake_geocoder, capsys):
    out = tmp_path / "ft.csv"
    code = main(["refresh", "--source", "findtreatment", "--from", str(FT_REAL), "--out", str(out)])
    assert code == 1 and not out.exists()
    err = capsys.readouterr().err
    assert "parsed: 0 listing(s), 30 left out by design, 0 rejected" in err
    assert "no listings at all; nothing was written" in err and "Traceback" not in err


def test_trial_sites_are_their_own_kind(tmp_path, fake_geocoder):
    out = tmp_path / "ct.csv"
    assert refresh("clinicaltrials", out) == 0
    table = load_clinics(out)[0]
    assert set(table["listing_kind"]) == {"research_study"}
    assert set(table["study_id"]) == {"NCT01234567", "NCT07654321"}
    assert all(u[0].startswith("https://clinicaltrials.gov/study/NCT") for u in table["source_urls"])


def test_rerun_is_byte_identical_and_makes_no_geocoder_requests(tmp_path, fake_geocoder, capsys):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    cache = tmp_path / "geo.json"
    assert refresh("csv", first, "--geocode-cache", str(cache)) == 0
    assert len(fake_geocoder[0].calls) == 3
    assert refresh("csv", second, "--geocode-cache", str(cache)) == 0
    assert fake_geocoder[1].calls == []
    assert first.read_bytes() == second.read_bytes()
    assert "geocoder requests 0, cache hits 3" in capsys.readouterr().out
    # Merging the same inputs into the result changes nothing either.
    third = tmp_path / "c.csv"
    assert refresh("csv", third, "--geocode-cache", str(cache), "--merge-into", str(second)) == 0
    assert third.read_bytes() == second.read_bytes()
    assert fake_geocoder[2].calls == []


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_source_reruns_byte_identical_with_no_new_requests(source, tmp_path, fake_geocoder):
    cache = tmp_path / "geo.json"
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    assert refresh(source, a, "--geocode-cache", str(cache)) == 0
    assert refresh(source, b, "--geocode-cache", str(cache)) == 0
    assert refresh(source, c, "--geocode-cache", str(cache), "--merge-into", str(b)) == 0
    assert a.read_bytes() == b.read_bytes() == c.read_bytes()
    assert fake_geocoder[1].calls == [] and fake_geocoder[2].calls == []


def test_default_cache_file_sits_beside_out(tmp_path, fake_geocoder):
    out = tmp_path / "x.csv"
    assert refresh("csv", out) == 0
    assert (tmp_path / "x.csv.geocache.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv", "x.csv.geocache.json"]


def test_findtreatment_and_csv_of_the_same_clinic_merge_into_one_listing(tmp_path, fake_geocoder, capsys):
    # A community list (test data) naming the derived fixture's facility, with facts of its own.
    community = tmp_path / "community.csv"
    community.write_text(
        (FIXTURES / "community.csv").read_text().splitlines()[0]
        + '\nEmpowering Families Program,"901 Preston Avenue, Suite 201",Charlottesville,VA,22903,434-971-8454,,'
        "IV Ketamine|Spravato,Depression,Yes,$450,https://healthdept.example/ketamine-list\n"
    )
    ft, both = tmp_path / "ft.csv", tmp_path / "both.csv"
    assert refresh("findtreatment", ft) == 0
    assert main(["refresh", "--source", "csv", "--from", str(community), "--mapping",
                 str(FIXTURES / "community_mapping.toml"), "--merge-into", str(ft), "--out", str(both),
                 "--retrieved", DAY, "--geocoder-delay", "0"]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "merged 1" in printed
    table = load_clinics(both)[0]
    assert len(table) == 1
    row = table.iloc[0]
    assert set(row["source_urls"]) == {
        "https://findtreatment.gov/locator/exportsAsJson/v2",
        "https://healthdept.example/ketamine-list",
    }
    assert row["routes"] == ("iv_ketamine", "esketamine_nasal")
    assert row["conditions"] == ("ptsd", "depression")
    assert row["self_pay_price_usd"] == 450
    assert row["location_precision"] == "street"  # the locator's point beats the CSV's ZIP centroid
    assert row["source_kind"] == "samhsa_findtreatment"  # the first source's kind; both are in source_urls


def test_offline_refresh_uses_centroids_only(tmp_path, fake_geocoder, capsys):
    out = tmp_path / "o.csv"
    assert refresh("csv", out, "--no-online-geocoding") == 0
    assert fake_geocoder == []
    table = load_clinics(out)[0]
    assert set(table["location_precision"]) <= {"zip", "city"}


def test_html_error_page_writes_nothing(tmp_path, fake_geocoder, capsys):
    out = tmp_path / "o.csv"
    code = main(
        ["refresh", "--source", "findtreatment", "--from", str(FIXTURES / "error_page.html"), "--out", str(out)]
    )
    assert code == 1 and not out.exists()
    err = capsys.readouterr().err
    assert "HTML page instead of JSON" in err and "nothing was written" in err


def test_invalid_merge_target_writes_nothing(tmp_path, fake_geocoder, capsys):
    broken = tmp_path / "broken.csv"
    broken.write_text((FIXTURES.parent.parent.parent / "data" / "clinics.csv").read_text().replace(",AZ,", ",ZZ,", 1))
    out = tmp_path / "o.csv"
    assert refresh("csv", out, "--merge-into", str(broken)) == 1
    assert not out.exists()
    assert "not valid" in capsys.readouterr().err


def test_merge_into_the_bundled_dataset_keeps_every_listing(tmp_path, fake_geocoder):
    bundled = FIXTURES.parent.parent.parent / "data" / "clinics.csv"
    out = tmp_path / "o.csv"
    assert refresh("findtreatment", out, "--merge-into", str(bundled)) == 0
    before, after = load_clinics(bundled)[0], load_clinics(out)[0]
    assert set(before["id"]) <= set(after["id"])
    assert main(["check-data", str(out)]) == 0


def test_a_source_with_nothing_usable_writes_nothing(tmp_path, fake_geocoder, capsys):
    out = tmp_path / "o.csv"
    code = main(
        [
            "refresh",
            "--source",
            "clinicaltrials",
            "--from",
            str(FIXTURES / "clinicaltrials_empty.json"),
            "--out",
            str(out),
        ]
    )
    assert code == 1 and not out.exists()


def test_bad_mapping_is_a_usage_error(tmp_path, fake_geocoder, capsys):
    bad = tmp_path / "m.json"
    bad.write_text("[]")
    code = main(
        [
            "refresh",
            "--source",
            "csv",
            "--from",
            str(FIXTURES / "community.csv"),
            "--mapping",
            str(bad),
            "--out",
            str(tmp_path / "o.csv"),
        ]
    )
    assert code == 2


FT_URL = "https://findtreatment.gov/locator/exportsAsJson/v2?sType=mh&limitType=0&limitValue=5"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (lambda url: Response(429, "", {"Retry-After": "30"}), "HTTP 429"),
        (lambda url: Response(503, "", {}), "HTTP 503"),
        (lambda url: FetchError(f"timed out after 30 s waiting for {url}"), "timed out"),
        (lambda url: Response(200, "<html><body>Maintenance</body></html>", {}), "HTML page instead of JSON"),
    ],
)
def test_live_fetch_failures_write_nothing(tmp_path, answer, message):
    out = tmp_path / "o.csv"
    fake = FakeHttp(answer)
    outcome = run_refresh(
        "findtreatment",
        FT_URL,
        out,
        geocoder=StreetGeocoder(None),
        fetch_options={"client": fake, "sleep": lambda s: None},
    )
    assert not outcome.ok and message in outcome.summary and "nothing was written" in outcome.summary
    assert not out.exists()


def test_live_url_refresh_cites_the_search_url(tmp_path):
    pages = findtreatment_pages()
    out = tmp_path / "o.csv"
    outcome = run_refresh(
        "findtreatment",
        FT_URL,
        out,
        geocoder=StreetGeocoder(None),
        retrieved=DAY,
        fetch_options={"client": serve_saved_pages(pages, "page"), "sleep": lambda s: None},
    )
    assert outcome.ok
    table = load_clinics(out)[0]
    assert set(u for urls in table["source_urls"] for u in urls) == {FT_URL}


def test_source_url_must_be_a_web_address(tmp_path, capsys):
    code = main(["refresh", "--source", "csv", "--from", str(FIXTURES / "community.csv"), "--source-url", "file.csv",
                 "--out", str(tmp_path / "o.csv")])  # fmt: skip
    assert code == 2
