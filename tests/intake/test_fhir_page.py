"""The questionnaire page offers the FHIR export (a Bundle) and, beside it, the published Questionnaire; the
clinic record number is an optional field of "About you" that reaches the answers."""

from __future__ import annotations

import pytest

from tests.apptest import new_app

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def test_record_number_field_and_both_fhir_downloads():
    at = new_app()
    at.run()
    at.switch_page("dashboard/web/pages/intake.py")
    at.run()
    at.text_input(key="ik:about.clinic_record_number").input("MRN-42").run()
    assert at.session_state["intake_answers"].about.clinic_record_number == "MRN-42"
    at.session_state["intake_section"] = 6
    at.run()
    assert not at.exception, at.exception
    labels = [b.label for b in at.get("download_button")]
    assert "Download FHIR export (Bundle)" in labels
    assert "Download FHIR Questionnaire" in labels
