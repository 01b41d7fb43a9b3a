"""What strangers type: reports and clinic submissions are validated with plain messages, never crash."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import vocab
from dashboard.directory.clinics import validate_row
from dashboard.submissions import forms, limits
from tests.submissions.data import HOSTILE_TEXTS, TUCSON_FORM

KNOWN = {"known-listing"}


def report(**change):
    return {"listing_id": "known-listing", "problem": "wrong_phone", "description": "The number is 555-0100.", **change}


def test_a_good_report_is_accepted_verbatim():
    text = "Line one\n  indented <b>not markup</b>  "
    checked = forms.check_report(report(description=text, email="me@example.org"), KNOWN)
    assert checked.ok and not checked.is_bot
    assert checked.value.description == text  # stored exactly as typed
    assert checked.value.email == "me@example.org"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"listing_id": "nope"}, "listing_id"),
        ({"problem": "rude_staff"}, "problem"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 1001}, "description"),
        ({"description": "nul\x00byte"}, "description"),
        ({"description": "escape \x1b[31m"}, "description"),
        ({"description": "c1 csi \x9b31m"}, "description"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_reports_get_a_message_for_the_field(change, field):
    checked = forms.check_report(report(**change), KNOWN)
    assert not checked.ok
    assert field in checked.errors and checked.errors[field].endswith(".")


def test_a_description_of_exactly_1000_characters_is_fine_and_email_is_optional():
    checked = forms.check_report(report(description="é" * 1000, email=""), KNOWN)
    assert checked.ok and checked.value.email is None


def test_the_honeypot_marks_a_robot():
    assert forms.check_report(report(website_confirm="http://spam.example"), KNOWN).is_bot
    assert forms.check_clinic({**TUCSON_FORM, "website_confirm": "x"}, set()).is_bot


def test_a_tucson_clinic_submission_is_located_from_its_zip_and_passes_check_data_rules():
    checked = forms.check_clinic(TUCSON_FORM, set())
    assert checked.ok, checked.errors
    cells = checked.value.fields
    assert cells["location_precision"] == "zip"
    assert 32.0 < float(cells["lat"]) < 32.5 and -111.2 < float(cells["lon"]) < -110.6
    assert cells["routes"] == "iv_ketamine;esketamine_nasal"
    assert cells["self_pay_price_usd"] == "450"
    rec, problems = validate_row({**cells, "id": "x", "source_urls": checked.value.source_url})
    assert problems == []
    assert rec["va_community_care"] is True and rec["accepts_insurance"] is False
    assert rec["ketamine_assisted_psychotherapy"] is None  # "not stated" stays unknown


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"source_url": ""}, "source_url"),
        ({"source_url": "ftp://clinic.example.org/page"}, "source_url"),
        ({"source_url": "http://localhost:8501/page"}, "source_url"),
        ({"source_url": "http://192.168.1.10/"}, "source_url"),
        ({"source_url": "https://intranet/page"}, "source_url"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"state": "ZZ"}, "state"),
        ({"zip": "8571"}, "zip"),
        ({"zip": "00000", "city": "Nowhere Special"}, "zip"),
        ({"name": ""}, "name"),
        ({"routes": ["teleportation"]}, "routes"),
        ({"self_pay_price_usd": "cheap"}, "self_pay_price_usd"),
        ({"self_pay_price_usd": "-5"}, "self_pay_price_usd"),
        ({"role": "cousin"}, "role"),
        ({"email": ""}, "email"),
        ({"accepts_insurance": "maybe"}, "accepts_insurance"),
        ({"name": "x" * 201}, "name"),
        ({"listing_id": "gone-listing"}, "listing_id"),
    ],
)
def test_bad_clinic_submissions_name_the_field(change, field):
    checked = forms.check_clinic({**TUCSON_FORM, **change}, set())
    assert not checked.ok
    assert field in checked.errors, checked.errors


def test_an_update_keeps_the_listed_coordinates_when_the_place_is_unchanged():
    current = {"zip": "85712", "city": "Tucson", "state": "AZ", "lat": "32.2401", "lon": "-110.8801"}
    current["location_precision"] = "street"
    checked = forms.check_clinic({**TUCSON_FORM, "listing_id": "known-listing"}, KNOWN, current)
    assert checked.ok
    assert (checked.value.fields["lat"], checked.value.fields["location_precision"]) == ("32.2401", "street")
    moved = forms.check_clinic({**TUCSON_FORM, "listing_id": "known-listing", "zip": "85719"}, KNOWN, current)
    assert moved.value.fields["location_precision"] == "zip"


def test_hostile_text_is_kept_verbatim_not_rewritten():
    for text in HOSTILE_TEXTS:
        checked = forms.check_report(report(description=text), KNOWN)
        assert checked.ok, (text, checked.errors)
        assert checked.value.description == text


text_values = st.one_of(st.text(max_size=1200), st.sampled_from(HOSTILE_TEXTS), st.none(), st.integers())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.sampled_from([*forms.CLINIC_FIELDS, "source_url", "role", "email", "listing_id"]), text_values)
)
def test_any_clinic_form_input_gives_a_submission_or_messages_never_an_exception(raw):
    checked = forms.check_clinic({**TUCSON_FORM, **raw}, KNOWN)
    assert checked.ok or checked.errors
    if checked.ok:
        rec, problems = validate_row({**checked.value.fields, "id": "x", "source_urls": checked.value.source_url})
        assert problems == []


@settings(max_examples=200, deadline=None)
@given(description=text_values, email=text_values, problem=st.sampled_from([*vocab.REPORT_PROBLEMS, "", "x"]))
def test_any_report_input_gives_a_report_or_messages(description, email, problem):
    checked = forms.check_report(report(description=description, email=email, problem=problem), KNOWN)
    assert checked.ok or checked.errors
    if checked.ok:
        assert len(checked.value.description) <= 1000
        assert "\x00" not in checked.value.description


# --- who the client is --------------------------------------------------------------------------------


def test_behind_our_proxy_the_right_most_forwarded_address_counts():
    headers = {"X-Forwarded-For": "6.6.6.6, 203.0.113.9"}  # the browser sent 6.6.6.6; nginx appended the peer
    assert limits.client_address(None, headers, hops=1) == "203.0.113.9"
    assert limits.client_address("127.0.0.1", headers, hops=1) == "203.0.113.9"
    assert limits.client_address("10.0.0.5", headers, hops=2) == "6.6.6.6"


def test_a_direct_public_peer_cannot_choose_its_address_with_a_header():
    assert limits.client_address("93.184.216.34", {"x-forwarded-for": "1.2.3.4"}, hops=1) == "93.184.216.34"
    assert limits.client_address(None, {}, hops=1) == "local"
    assert limits.client_address(None, {"X-Forwarded-For": "1.2.3.4"}, hops=0) == "local"


def test_buckets_never_hold_a_readable_address():
    bucket = limits.bucket_for_client("203.0.113.9")
    assert "203" not in bucket and bucket.startswith("client:") and len(bucket) <= 80
