"""HSDS 3.0 interchange: export of the bundled dataset round-trips; another publisher's tables import."""

from __future__ import annotations

import csv
import json
import math
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import vocab
from dashboard.cli import main
from dashboard.config import DEFAULT_DATA
from dashboard.directory.clinics import COLUMNS, load_clinics, table_records
from dashboard.ingest.base import SOURCE_POINT, RawPages
from dashboard.ingest.csv_source import load_mapping
from dashboard.ingest.hsds import FOLDER_URL, Hsds, row_ranges, source_url_of
from dashboard.ingest.hsds_export import export_tables, write_tables
from dashboard.ingest.hsds_schema import FILES, NO_ROUTE_SERVICE, OLD_FILES, PLACE_ATTRIBUTES, TABLES
from dashboard.ingest.placing import StreetGeocoder
from dashboard.ingest.refresh import run_refresh
from dashboard.text import is_http_url
from tests.ingest.support import FIXTURES, UPSTREAM


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    return a == b


def test_export_of_the_bundled_dataset_round_trips_field_by_field(tmp_path):
    table, report = load_clinics(DEFAULT_DATA)
    assert report.ok
    original = table_records(table)
    write_tables(export_tables(original), tmp_path)
    adapter = Hsds()
    parsed = adapter.parse(adapter.fetch(str(tmp_path)), retrieved="2030-01-01")
    assert not parsed.rejected and not parsed.excluded
    back = {r["id"]: r for r in parsed.records}
    assert set(back) == {r["id"] for r in original}
    for rec in original:
        got = back[rec["id"]]
        lat, lon, precision = got[SOURCE_POINT]
        got = {**got, "lat": lat, "lon": lon, "location_precision": precision}
        for col in COLUMNS:
            want, have = rec[col], got.get(col)
            if col in (
                "ketamine_assisted_psychotherapy",
                "accepts_insurance",
                "va_community_care",
                "self_pay_price_usd",
            ):
                want = None if want is None or (isinstance(want, float) and math.isnan(want)) else want
            assert same(want, have), (rec["id"], col, want, have)


def test_round_trip_through_the_commands_is_byte_identical(tmp_path):
    hsds_dir, out = tmp_path / "hsds", tmp_path / "back.csv"
    assert main(["export-hsds", "--out", str(hsds_dir)]) == 0
    assert sorted(p.name for p in hsds_dir.iterdir()) == sorted([*FILES.values(), "datapackage.json"])
    code = main(["refresh", "--source", "hsds", "--from", str(hsds_dir), "--out", str(out), "--no-online-geocoding"])
    assert code == 0
    assert out.read_bytes() == DEFAULT_DATA.read_bytes()


def test_export_uses_the_official_file_names_columns_and_required_fields(tmp_path):
    records = table_records(load_clinics(DEFAULT_DATA)[0])
    tables = export_tables(records)
    assert tables == export_tables(records)  # UUIDv5 ids: the same export every time
    assert len(tables["organization"]) == len(tables["location"]) == len(records)
    # One service (and one service_at_location) per route, named for it; one when no route is listed.
    assert (
        len(tables["service"]) == len(tables["service_at_location"]) == sum(max(1, len(r["routes"])) for r in records)
    )
    assert all(r["location_type"] == "physical" for r in tables["location"])
    loc_ids = {r["id"] for r in tables["location"]}
    svc_ids = {r["id"] for r in tables["service"]}
    assert all(r["location_id"] in loc_ids and r["service_id"] in svc_ids for r in tables["service_at_location"])
    write_tables(tables, tmp_path)
    official = {r["name"]: r for r in json.loads((UPSTREAM / "hsds_3.0_datapackage.json").read_text())["resources"]}
    for name, columns in TABLES.items():
        assert FILES[name] == official[name]["path"]
        assert columns == tuple(f["name"] for f in official[name]["schema"]["fields"])  # no column the schema lacks
        with open(tmp_path / FILES[name], newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert tuple(rows[0]) == columns if rows else True
        required = [f["name"] for f in official[name]["schema"]["fields"] if f["constraints"].get("required")]
        assert all(row[f] for row in rows for f in required), name


def test_our_datapackage_json_states_the_official_schemas_of_the_tables_written(tmp_path):
    write_tables(export_tables([]), tmp_path)
    ours = {r["name"]: r for r in json.loads((tmp_path / "datapackage.json").read_text())["resources"]}
    official = {r["name"]: r for r in json.loads((UPSTREAM / "hsds_3.0_datapackage.json").read_text())["resources"]}
    assert set(ours) == set(TABLES)
    for name, resource in ours.items():
        want = official[name]
        assert resource["path"] == want["path"]
        assert resource["schema"]["primaryKey"] == want["schema"]["primaryKey"]
        for mine, theirs in zip(resource["schema"]["fields"], want["schema"]["fields"], strict=True):
            assert mine == {k: theirs[k] for k in ("name", "type", "format", "constraints") if k in theirs}, name
        # Every official foreign key among the written tables; keys to tables never written are left out.
        keys = [fk for fk in want["schema"].get("foreignKeys", []) if fk["reference"]["resource"] in TABLES]
        assert resource["schema"].get("foreignKeys", []) == keys


def test_city_and_state_only_listings_have_no_address_row_and_keep_their_place(tmp_path):
    records = table_records(load_clinics(DEFAULT_DATA)[0])
    tables = export_tables(records)
    with_address = [r for r in records if r["street"] and r["zip"]]
    assert 0 < len(tables["address"]) == len(with_address) < len(records)
    tucson = next(r for r in records if r["city"] == "Tucson" and not r["street"])
    loc = next(r for r in tables["location"] if r["external_identifier"] == tucson["id"])
    assert loc["description"] == "Tucson, AZ; street address not listed"
    assert loc["latitude"] and loc["longitude"]
    place_terms = {t["id"]: t["code"] for t in tables["taxonomy_term"] if t["code"] in PLACE_ATTRIBUTES}
    place = {place_terms[a["taxonomy_term_id"]]: a["value"] for a in tables["attribute"]
             if a["link_id"] == loc["id"] and a["taxonomy_term_id"] in place_terms}  # fmt: skip
    assert place == {"city": "Tucson", "state": "AZ"}


def test_old_singular_file_names_still_import(tmp_path):
    records = table_records(load_clinics(DEFAULT_DATA)[0])[:5]
    write_tables(export_tables(records), tmp_path)
    for name, file in FILES.items():
        (tmp_path / file).rename(tmp_path / OLD_FILES[name])
    adapter = Hsds()
    parsed = adapter.parse(adapter.fetch(str(tmp_path)), retrieved="2030-01-01")
    assert [r["id"] for r in parsed.records] == [r["id"] for r in records]


def test_import_another_publishers_tables_in_the_official_layout():
    adapter = Hsds(load_mapping(FIXTURES / "hsds_county_mapping.json"))
    parsed = adapter.parse(adapter.fetch(str(FIXTURES / "hsds_county")), retrieved="2026-11-25")
    riverbend, canyon = parsed.records
    assert riverbend["name"] == "Riverbend Psychiatry - Downtown"
    # The physical address wins over the postal one listed first.
    assert riverbend["street"] == "300 River Street, Suite 4" and riverbend["zip"] == "83702"
    assert riverbend["city"] == "Boise" and riverbend["state"] == "ID"
    assert riverbend["routes"] == ("iv_ketamine",) and riverbend["conditions"] == ("depression",)
    assert riverbend["phone"] == "208-555-0133" and riverbend["website"] == "https://riverbend.example"
    # The service's own URL is cited before the folder's source_url; Canyon's service has none: its website.
    assert riverbend["source_urls"] == ("https://riverbend.example/ketamine",)
    assert canyon["source_urls"] == ("https://canyon.example",)
    assert riverbend["price_note"] == "Sliding scale available"
    # Only a postal address: its town, state and ZIP place the listing; a PO box is never the street.
    assert (canyon["street"], canyon["city"], canyon["state"], canyon["zip"]) == ("", "Twin Falls", "ID", "83303")
    assert canyon["routes"] == ()  # "Spravato" names the service as ketamine-related; no route term is given
    assert "not about ketamine" in str(parsed.excluded[0])  # the food pantry
    assert parsed.rejected == []


def test_a_link_to_a_missing_service_and_a_location_without_any_place_are_rejected(tmp_path):
    for f in (FIXTURES / "hsds_county").iterdir():
        (tmp_path / f.name).write_text(f.read_text())
    with open(tmp_path / "service_at_location.csv", "a") as fh:
        fh.write("00000000-0000-4000-8000-000000000044,00000000-0000-4000-8000-000000000099,"
                 "00000000-0000-4000-8000-000000000021,\n")  # fmt: skip
    addresses = (tmp_path / "addresses.csv").read_text().splitlines()
    (tmp_path / "addresses.csv").write_text("\n".join(a for a in addresses if "Twin Falls" not in a) + "\n")
    adapter = Hsds(load_mapping(FIXTURES / "hsds_county_mapping.json"))
    parsed = adapter.parse(adapter.fetch(str(tmp_path)), retrieved="2026-11-25")
    reasons = [str(r) for r in parsed.rejected]
    assert any("not in the tables" in r for r in reasons)
    assert any("no physical or postal address" in r for r in reasons)
    assert [r["name"] for r in parsed.records] == ["Riverbend Psychiatry - Downtown"]


def test_missing_required_table_fails_the_fetch(tmp_path):
    (tmp_path / "organizations.csv").write_text("id,name\n")
    geo = StreetGeocoder(None)
    outcome = run_refresh("hsds", str(tmp_path), tmp_path / "o.csv", geocoder=geo, source_url="https://x.example")
    assert not outcome.ok and "no such file" in outcome.summary and "services.csv" in outcome.summary
    assert not (tmp_path / "o.csv").exists()


cells = st.text(alphabet='abc,"\n 12-ketamine', max_size=30)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(TABLES)), cells, max_size=len(TABLES)))
def test_import_never_crashes_on_arbitrary_tables(tables):
    texts = {name: f"{','.join(TABLES[name])}\n{body}" for name, body in tables.items()}
    result = Hsds().parse(RawPages("https://x.example", "test", [texts]), retrieved="2026-01-01")
    for rec in result.records:
        assert rec["name"] and rec["city"] and len(rec["state"]) == 2


# ------------------------------------------------------------ the official HSDS 3.0 example publication

OFFICIAL_EXAMPLE = UPSTREAM / "hsds_3.0_example_csv"


def official_example(tmp_path: Path, edits: dict[tuple[str, str], str]) -> Path:
    """A copy of the official example folder with some cells of its one data row changed (file, column)."""
    folder = tmp_path / "example"
    shutil.copytree(OFFICIAL_EXAMPLE, folder)
    for (file, column), value in edits.items():
        with open(folder / file, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        rows[0][column] = value
        with open(folder / file, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


# The example as a US ketamine service: what its placeholders ("Community Counselling", "MyState",
# "ABC 1234") cannot be. Everything else, its URLs and its faults included, stays as published.
AS_KETAMINE = {
    ("services.csv", "name"): "Ketamine infusion",
    ("addresses.csv", "state_province"): "RI",
    ("addresses.csv", "postal_code"): "02906",
}


def parse_folder(folder: Path, source_url: str | None = None):
    adapter = Hsds()
    return adapter.parse(adapter.fetch(str(folder), source_url=source_url), retrieved="2026-12-07")


def test_the_official_example_folder_is_read_and_each_bad_row_is_named_by_row_and_column():
    parsed = parse_folder(OFFICIAL_EXAMPLE)
    assert parsed.complete and parsed.records == []
    # Its one service is counselling, left out by design, not refused as an unreadable folder.
    assert [str(e) for e in parsed.excluded] == [
        "service_at_location.csv row 2: service 'Community Counselling' is not about ketamine"
    ]
    where = {r.where for r in parsed.rejected}
    assert where == {"locations.csv row 2, column organization_id", "attributes.csv row 2, column link_id"}
    assert "985e4a42-bd9f-4edc-911d-0243a4640aca" in str(parsed.rejected[0])


def test_the_official_examples_placeholder_address_is_named_cell_by_cell(tmp_path):
    parsed = parse_folder(official_example(tmp_path, {("services.csv", "name"): "Ketamine infusion"}))
    assert parsed.records == []
    assert [str(r) for r in parsed.rejected if r.where.startswith("addresses.csv")] == [
        "addresses.csv row 2, column state_province: 'MyState' is not a US state or territory "
        "(for service_at_location.csv row 2)",
        "addresses.csv row 2, column postal_code: 'ABC 1234' is not a US ZIP code (for service_at_location.csv row 2)",
    ]


def test_the_official_example_as_a_ketamine_service_loads_citing_the_services_url(tmp_path):
    parsed = parse_folder(official_example(tmp_path, AS_KETAMINE))
    (rec,) = parsed.records
    assert rec["name"] == "MyCity Civic Center"
    assert (rec["street"], rec["city"], rec["state"], rec["zip"]) == ("", "MyCity", "RI", "02906")  # a postal address
    assert rec["source_urls"] == ("http://example.com/counselling",)
    assert rec["website"] == "http://example.com"
    assert "source URL from services.csv url: service_at_location.csv row(s) 2" in parsed.notes
    # The location's dangling organization_id and its latitude of 100 are named; the listing still loads.
    assert [str(r) for r in parsed.rejected if r.where.startswith("locations.csv")] == [
        "locations.csv row 2, column organization_id: '985e4a42-bd9f-4edc-911d-0243a4640aca' matches no row of "
        "organizations.csv; the reference is ignored",
        "locations.csv row 2, column latitude: '100' is not a latitude (-90 to 90); the point is ignored",
    ]


@pytest.mark.parametrize(
    ("blank", "want_url", "want_from"),
    [
        ((), "http://example.com/counselling", "services.csv url"),
        ((("services.csv", "url"),), "http://example.com", "organizations.csv website"),
        ((("services.csv", "url"), ("organizations.csv", "website")), "http://example.com", "locations.csv url"),
        ((("services.csv", "url"), ("organizations.csv", "website"), ("locations.csv", "url")),
         "https://publisher.example/hsds", FOLDER_URL),
    ],
)  # fmt: skip
def test_the_source_url_is_the_services_then_the_organizations_then_the_locations_then_the_folders(
    tmp_path, blank, want_url, want_from
):
    folder = official_example(tmp_path, {**AS_KETAMINE, **dict.fromkeys(blank, "")})
    parsed = parse_folder(folder, source_url="https://publisher.example/hsds")
    assert [r["source_urls"] for r in parsed.records] == [(want_url,)]
    assert f"source URL from {want_from}: service_at_location.csv row(s) 2" in parsed.notes


def test_a_row_with_no_url_anywhere_is_rejected_with_where_it_looked(tmp_path):
    blank = dict.fromkeys([("services.csv", "url"), ("organizations.csv", "website"), ("locations.csv", "url")], "")
    parsed = parse_folder(official_example(tmp_path, {**AS_KETAMINE, **blank}))
    assert parsed.records == []
    reasons = [str(r) for r in parsed.rejected if r.where == "service_at_location.csv row 2"]
    assert reasons == [
        "service_at_location.csv row 2: no http(s) source URL: none on the service (url), its organization "
        "(website) or its location (url), and no --source-url"
    ]


def test_refresh_loads_the_official_example_and_says_which_url_each_row_cited(tmp_path, capsys):
    blank = dict.fromkeys([("services.csv", "url"), ("organizations.csv", "website"), ("locations.csv", "url")], "")
    folder, out = official_example(tmp_path, {**AS_KETAMINE, **blank}), tmp_path / "out.csv"
    args = ["refresh", "--source", "hsds", "--from", str(folder), "--out", str(out), "--no-online-geocoding"]
    assert main([*args, "--source-url", "https://publisher.example/hsds"]) == 0
    printed = capsys.readouterr().out
    assert "source URL from --source-url: service_at_location.csv row(s) 2" in printed
    assert "locations.csv row 2, column organization_id" in printed
    (row,) = load_clinics(out)[0].to_dict("records")
    assert row["source_urls"] == ("https://publisher.example/hsds",) and row["zip"] == "02906"


def test_row_ranges_name_every_row_briefly():
    assert row_ranges([2, 3, 4, 7, 9, 10]) == "2-4, 7, 9-10"
    assert row_ranges([]) == ""


url_texts = st.one_of(
    st.sampled_from(["", "http://", "https://a.example/x", "www.b.example", "ftp://c.example", "no url", "http://d e"]),
    st.text(max_size=20),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(url_texts, max_size=3), url_texts, url_texts, url_texts, url_texts)
def test_the_chosen_source_url_is_always_http_and_the_first_usable_one(own, service, website, location, folder):
    rows = {"service": {"url": service}, "organization": {"website": website}, "location": {"url": location}}
    urls, used = source_url_of(own, rows, folder)
    assert all(is_http_url(u) for u in urls)
    assert bool(urls) == bool(used)
    if used == FOLDER_URL:
        assert urls == (folder,)
    elif used == "services.csv url":
        assert urls[0].endswith(service.strip().split("://")[-1])


# ------------------------------------------------------------ what the export says in HSDS's own terms


def test_each_service_is_named_for_its_route_one_service_per_route():
    records = table_records(load_clinics(DEFAULT_DATA)[0])
    tables = export_tables(records)
    names = {r["name"] for r in tables["service"]}
    assert names == {*(t.label for t in vocab.ROUTES), NO_ROUTE_SERVICE}
    two = next(r for r in records if set(r["routes"]) == {"iv_ketamine", "esketamine_nasal"})
    loc = next(r["id"] for r in tables["location"] if r["external_identifier"] == two["id"])
    at_loc = {s["service_id"] for s in tables["service_at_location"] if s["location_id"] == loc}
    assert sorted(s["name"] for s in tables["service"] if s["id"] in at_loc) == [
        "Esketamine nasal spray (Spravato)",
        "IV ketamine infusion",
    ]


def test_prices_and_payment_facts_are_cost_options_of_every_service_of_the_listing():
    records = table_records(load_clinics(DEFAULT_DATA)[0])
    tables = export_tables(records)
    priced = [r for r in records if r["self_pay_price_usd"] == r["self_pay_price_usd"] and r["self_pay_price_usd"]]
    assert priced
    for rec in priced:
        loc = next(r["id"] for r in tables["location"] if r["external_identifier"] == rec["id"])
        services = {s["service_id"] for s in tables["service_at_location"] if s["location_id"] == loc}
        prices = [c for c in tables["cost_option"] if c["service_id"] in services and c["option"] == "Self-pay price"]
        assert len(prices) == len(services)
        assert {(float(c["amount"]), c["currency"]) for c in prices} == {(rec["self_pay_price_usd"], "USD")}
    insured = sum(1 for r in records if r["accepts_insurance"] is not None)
    listed = {
        (c["service_id"], c["amount_description"]) for c in tables["cost_option"] if c["option"] == "Accepts insurance"
    }
    assert {d for _, d in listed} == {"Accepts insurance: yes", "Accepts insurance: no"}
    assert len({sid for sid, _ in listed}) >= insured
    # Payment facts live only there now: no attribute of those names.
    codes = {t["code"] for t in tables["taxonomy_term"]}
    assert not codes & {"self_pay_price_usd", "accepts_insurance", "va_community_care"}


def test_metadata_says_when_each_listing_entered_the_directory():
    records = table_records(load_clinics(DEFAULT_DATA)[0])
    tables = export_tables(records)
    by_loc = {r["id"]: r["external_identifier"] for r in tables["location"]}
    compiled = {r["id"]: r["compiled_on"] for r in records}
    assert len(tables["metadata"]) == sum(1 for r in records if r["compiled_on"]) + sum(
        1 for r in records if r["last_seen"]
    )
    for m in tables["metadata"]:
        assert m["resource_type"] == "location" and m["last_action_type"] == "create"
        assert m["last_action_date"] == compiled[by_loc[m["resource_id"]]]
        assert m["replacement_value"] == by_loc[m["resource_id"]]


def test_a_publisher_with_one_service_per_route_is_one_listing_with_both_routes(tmp_path):
    records = [r for r in table_records(load_clinics(DEFAULT_DATA)[0]) if len(r["routes"]) >= 2][:3]
    write_tables(export_tables(records), tmp_path)
    parsed = parse_folder(tmp_path)
    assert [(r["id"], r["routes"]) for r in parsed.records] == [(r["id"], r["routes"]) for r in records]
    sal_rows = sum(len(r["routes"]) for r in records)
    assert f"source URL from source_urls attributes: service_at_location.csv row(s) 2-{sal_rows + 1}" in parsed.notes
