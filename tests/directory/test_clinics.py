"""Loading and validating the clinics dataset: bad rows are reported, good rows still load."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import vocab
from dashboard.config import DEFAULT_DATA
from dashboard.directory.clinics import COLUMNS, REQUIRED_COLUMNS, load_clinics, parse_clinics, row_dicts, rows_by_id
from tests.helpers import GOOD, csv_text


def test_bundled_dataset_loads_cleanly(project_root):
    df, report = load_clinics(project_root / "data" / "clinics.csv")
    assert report.ok, report.problems[:5]
    assert len(df) >= 100
    assert df["id"].is_unique
    assert df["source_urls"].map(len).min() >= 1
    assert set(df["location_precision"]) <= set(vocab.PRECISIONS)


def test_good_row_is_typed():
    df, report = parse_clinics(csv_text(GOOD))
    assert report.ok
    row = df.iloc[0]
    assert row["routes"] == ("iv_ketamine", "esketamine_nasal")
    assert bool(row["route_iv_ketamine"]) and not bool(row["route_im_ketamine"])
    assert bool(row["condition_depression"]) and not bool(row["condition_treatment_resistant_depression"])
    assert bool(row["accepts_insurance"]) is True
    assert row["va_community_care"] is pd_na()
    assert row["self_pay_price_usd"] == 450.0
    assert row["listing_kind"] == "clinic"


def pd_na():
    import pandas as pd

    return pd.NA


BAD_ROWS = [
    ({"name": ""}, "name", "missing name"),
    ({"id": "Bad Id!"}, "id", "slug"),
    ({"routes": "iv_ketamine;teleportation"}, "routes", "teleportation"),
    ({"conditions": "depressio"}, "conditions", "depressio"),
    ({"lat": "51.5", "lon": "-0.12"}, "lat", "outside the United States"),
    ({"lat": "abc"}, "lat", "not a number"),
    ({"lon": ""}, "lon", "missing lon"),
    ({"lat": "nan"}, "lat", "finite"),
    ({"state": "XX"}, "state", "not a US state"),
    ({"zip": "8571"}, "zip", "5-digit"),
    ({"location_precision": "rooftop"}, "location_precision", "must be one of"),
    ({"accepts_insurance": "maybe"}, "accepts_insurance", "expected true, false or empty"),
    ({"self_pay_price_usd": "-5"}, "self_pay_price_usd", "negative"),
    ({"self_pay_price_usd": "cheap"}, "self_pay_price_usd", "not a number"),
    ({"source_urls": ""}, "source_urls", "missing source URL"),
    ({"source_urls": "javascript:alert(1)"}, "source_urls", "http(s)"),
    ({"website": "javascript:alert(1)"}, "website", "http(s)"),
    ({"source_date": "last year"}, "source_date", "not a date"),
]


@pytest.mark.parametrize(("change", "column", "reason"), BAD_ROWS)
def test_bad_row_is_reported_and_good_rows_still_load(change, column, reason):
    other = {**GOOD, "id": "other-clinic", "name": "Other"}
    df, report = parse_clinics(csv_text(GOOD, {**GOOD, "id": "bad-row", **change}, other))
    assert list(df["id"]) == ["good-clinic-tucson-az", "other-clinic"]
    assert report.rejected_rows == [3]
    assert any(p.column == column and reason in p.reason for p in report.problems), report.problems
    assert not report.ok and report.file_error is None


def test_duplicate_id_keeps_first_and_reports_second():
    df, report = parse_clinics(csv_text(GOOD, {**GOOD, "name": "Copy"}))
    assert list(df["name"]) == ["Good Clinic"]
    assert report.problems[0].row == 3
    assert "duplicate id" in report.problems[0].reason


def test_row_with_wrong_number_of_fields_is_reported():
    text = csv_text(GOOD) + "only,three,fields\n"
    df, report = parse_clinics(text)
    assert len(df) == 1
    assert report.problems[0].row == 3 and report.problems[0].column == "(row)"


def test_optional_columns_may_be_absent_or_present():
    df, report = parse_clinics(csv_text(GOOD, columns=COLUMNS))
    assert report.ok and df.iloc[0]["listing_kind"] == "clinic"
    df, report = parse_clinics(csv_text({**GOOD, "listing_kind": "research_study"}, columns=COLUMNS))
    assert report.ok and df.iloc[0]["listing_kind"] == "research_study"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"id,name\nx,y\n", "missing required column"),
        (b"a\x00b", "binary"),
    ],
)
def test_unreadable_files_give_one_plain_reason(content, message):
    df, report = parse_clinics(content)
    assert df.empty
    assert report.file_error and message in report.file_error


def test_missing_file_and_folder(tmp_path):
    assert load_clinics(tmp_path / "nope.csv")[1].file_error == "no such file"
    assert "folder" in load_clinics(tmp_path)[1].file_error


def test_empty_table_still_has_every_column():
    df, _ = parse_clinics(b"")
    for t in vocab.ROUTES:
        assert f"route_{t.code}" in df.columns


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_loader(data):
    df, report = parse_clinics(data)
    assert report.file_error or report.rows_loaded == len(df)


# NUL bytes make the whole file unreadable (tested above), so rows here are NUL-free text.
cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({c: cell for c in REQUIRED_COLUMNS}), max_size=8))
def test_arbitrary_rows_never_crash_and_every_row_is_accounted_for(rows):
    df, report = parse_clinics(csv_text(*rows))
    assert report.file_error is None
    non_blank = report.rows_read
    assert len(df) + len(report.rejected_rows) == non_blank
    assert df["id"].is_unique


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(sorted(vocab.ROUTE_CODES)), max_size=5))
def test_valid_route_lists_round_trip(codes):
    df, report = parse_clinics(csv_text({**GOOD, "routes": ";".join(codes)}))
    assert report.ok
    assert set(df.iloc[0]["routes"]) == set(codes)


def test_row_dicts_are_the_records_pandas_gives():
    """The finder's cards read rows with row_dicts; they must see what to_dict("records") would give."""
    bundled, _ = load_clinics(DEFAULT_DATA)
    sparse, report = parse_clinics(csv_text({**GOOD, "accepts_insurance": "", "self_pay_price_usd": "", "phone": ""}))
    assert report.ok
    for df in (bundled, bundled.iloc[5:9], sparse, bundled.iloc[:0]):
        expected, got = df.to_dict("records"), row_dicts(df)
        assert len(got) == len(expected)
        for want, have in zip(expected, got, strict=True):
            assert list(have) == list(want)
            for column, value in want.items():
                if isinstance(value, float) and math.isnan(value):
                    assert math.isnan(have[column]), column
                else:
                    assert have[column] == value and type(have[column]) is type(value), column
    assert row_dicts(sparse)[0]["accepts_insurance"] is None


def test_rows_by_id_gives_each_listing_as_its_csv_cells():
    df, report = parse_clinics(csv_text(GOOD, {**GOOD, "id": "second", "phone": ""}))
    assert report.ok
    rows = rows_by_id(df)
    assert list(rows) == ["good-clinic-tucson-az", "second"]
    assert {k: rows["good-clinic-tucson-az"][k] for k in GOOD} == GOOD
    assert rows["second"]["phone"] == ""
