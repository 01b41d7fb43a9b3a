"""Hypothesis: hostile submissions, stored as they came, never crash the review page and never render as
markup there (every ``<`` drawn through Markdown is escaped; free text is drawn with st.text)."""

from __future__ import annotations

import re
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.submissions.forms import ClinicSubmission, Report
from dashboard.submissions.store import Store
from tests.apptest import new_app
from tests.submissions.data import HOSTILE_TEXTS, TUCSON_FORM

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")

# What the database can hold (no NUL, no unpaired surrogates); the forms refuse control characters, but
# the page must stay safe even for rows written some other way.
stored_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300),
    st.sampled_from(HOSTILE_TEXTS),
)
UNESCAPED_TAG = re.compile(r"(?<!\\)<[A-Za-z/!]")


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(description=stored_text, name=stored_text, email=stored_text, source=stored_text)
def test_hostile_submissions_render_as_text_on_the_review_page(monkeypatch, description, name, email, source):
    folder = tempfile.mkdtemp(prefix="kcf-prop-")
    try:
        url = f"sqlite:///{folder}/s.sqlite3"
        monkeypatch.setenv("CLINIC_FINDER_DATABASE_URL", url)
        store = Store(url)
        store.add(Report(listing_id=name[:200] or "x", problem="other", description=description, email=email or None))
        fields = {k: v for k, v in TUCSON_FORM.items() if isinstance(v, str)} | {
            "name": name,
            "price_note": description,
        }
        store.add(ClinicSubmission(listing_id=None, fields=fields, source_url=source or "x", role=email, email=email))
        at = new_app()
        at.run()
        at.session_state["reviewer"] = "rae"
        at.switch_page("dashboard/web/pages/review.py").run()
        assert not at.exception, at.exception
        # shown verbatim, except the whitespace around it (a description of only spaces shows as empty)
        assert description.strip() in [t.value.strip() for t in at.text]
        for md in at.markdown:
            if md.value.startswith(("**#", "Submitted by", "Source page")):
                assert not UNESCAPED_TAG.search(md.value), md.value
                assert "](javascript" not in md.value.lower()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
