"""check-data warns about slips in valid rows (the row is kept, the check passes): the same source cited
twice, an encoded space in a source URL, a price note about the VA beside an empty VA field."""

from __future__ import annotations

import pytest

from dashboard.directory.clinics import parse_clinics
from tests.directory.test_check_data_cli import check
from tests.helpers import GOOD, csv_text


def warnings_for(**changes: str) -> list[str]:
    df, report = parse_clinics(csv_text({**GOOD, **changes}))
    assert report.ok and len(df) == 1, report.problems  # a warning never drops the listing
    return [str(w) for w in report.warnings]


def test_a_clean_row_has_no_warning():
    assert warnings_for() == []


@pytest.mark.parametrize(
    "urls",
    [
        "https://example.org/ketamine;https://example.org/ketamine",
        "https://example.org/ketamine;https://example.org/ketamine/",
        "https://example.org/ketamine;http://EXAMPLE.org/ketamine",
    ],
)
def test_the_same_source_twice_is_a_warning_and_cited_once(urls):
    [warning] = warnings_for(source_urls=urls)
    assert "column source_urls: the same source is cited more than once" in warning
    df, _ = parse_clinics(csv_text({**GOOD, "source_urls": "https://example.org/a;https://example.org/a"}))
    assert df.iloc[0]["source_urls"] == ("https://example.org/a",)


def test_two_pages_of_one_site_are_two_sources():
    assert warnings_for(source_urls="https://example.org/a;https://example.org/b;https://example.org/a?x=1") == []


def test_an_encoded_space_in_a_source_url_is_a_warning():
    [warning] = warnings_for(source_urls="https://example.org/%20faq/")
    assert "encoded space (%20) in a source URL: https://example.org/%20faq/" in warning


@pytest.mark.parametrize(
    "note",
    [
        "In the VA community care network",
        "Works with the U.S. Department of Veteran Affairs",
        "Older page: part of the VA Choice network",
        "accepts Community Care referrals",
    ],
)
def test_a_price_note_about_the_va_beside_an_empty_va_field_is_a_warning(note):
    [warning] = warnings_for(price_note=note)
    assert "column va_community_care: empty, but the price note mentions the VA" in warning
    assert warnings_for(price_note=note, va_community_care="true") == []
    assert warnings_for(price_note=note, va_community_care="false") == []  # stated either way: nothing to flag


def test_words_that_only_contain_va_are_not_the_va():
    assert warnings_for(price_note="Valium-free protocol; Nevada and Virginia patients welcome") == []


def test_check_data_lists_warnings_and_still_passes(project_root, tmp_path):
    path = tmp_path / "slips.csv"
    path.write_text(csv_text({**GOOD, "source_urls": "https://example.org/a;https://example.org/a/"}))
    result = check(path, project_root)
    assert result.returncode == 0
    assert "warning (row kept): row 2, column source_urls: the same source is cited more than once" in result.stdout
    assert "every row is valid" in result.stdout and "1 warning to review" in result.stdout


def test_bundled_dataset_passes_and_its_warnings_are_the_known_ones(project_root):
    """Boulder Mind Care keeps its /%20faq/ source: the stored copy of that page is at exactly that address."""
    result = check(project_root / "data" / "clinics.csv", project_root)
    assert result.returncode == 0
    warned = [line for line in result.stdout.splitlines() if line.startswith("warning")]
    assert any("bouldermindcare.com/%20faq/" in line for line in warned)
    assert not any("cited more than once" in line for line in warned)
