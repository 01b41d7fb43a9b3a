"""The served dataset is one frame per dataset version, shared by every session (st.cache_resource: no
per-run copy, which cost every visitor CPU under load). That is only safe while no page changes it: every
page that reads it runs here with searches, selections and the questionnaire's clinic list, and the frame
must be exactly as loaded."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.web import dataset
from tests.apptest import new_app

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def _page(path: str, query: dict[str, str] | None = None) -> AppTest:
    at = new_app()
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if path:
        at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def _cards(at: AppTest) -> list[str]:
    return [b.label for b in at.button if (b.key or "").startswith("show_")]


def test_no_page_changes_the_shared_dataset_frame_or_a_shared_search() -> None:
    df, _ = dataset.clinics()
    before = df.copy(deep=True)
    at = _page("", {"near": "85719", "radius": "100"})
    first = (at.header[0].value, _cards(at))
    at.checkbox(key="route_iv_ketamine").check().run()
    at.text_input(key="near").input("10017").run()
    show = next(b for b in at.button if (b.key or "").startswith("show_"))
    show.click().run()
    assert not at.exception, at.exception
    for path in ("dashboard/web/pages/data.py", "dashboard/web/pages/report.py", "dashboard/web/pages/submit.py"):
        _page(path)
    intake = _page("dashboard/web/pages/intake.py")
    for _ in range(5):  # to Logistics, where the clinic list is drawn from the frame
        intake.button(key="intake_next").click().run()
    assert not intake.exception, intake.exception
    assert dataset.clinics()[0] is df, "every run gets the same frame, not a copy"
    pd.testing.assert_frame_equal(df, before)
    again = _page("", {"near": "85719", "radius": "100"})  # the same search, from the shared cache
    assert (again.header[0].value, _cards(again)) == first
    assert len(first[1]) > 1
