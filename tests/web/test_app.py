"""AppTest smoke tests: the app starts on the finder, every page renders, crisis lines are everywhere."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import new_app

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def app() -> AppTest:
    return new_app()


def sidebar_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.sidebar.markdown)


def test_finder_is_the_first_page_and_lists_clinics():
    at = app().run()
    assert not at.exception
    assert at.title[0].value.startswith("Find a")
    assert "988" in sidebar_text(at) and "838255" in sidebar_text(at) and "911" in sidebar_text(at)


@pytest.mark.parametrize("page", ["dashboard/web/pages/about.py", "dashboard/web/pages/intake.py"])
def test_every_page_renders_with_crisis_lines(page):
    at = app().run()
    at.switch_page(page).run()
    assert not at.exception
    assert "988" in sidebar_text(at)


def test_about_page_cites_sources():
    at = app().run()
    at.switch_page("dashboard/web/pages/about.py").run()
    text = " ".join(m.value for m in at.markdown)
    assert "off-label" in text and "REMS" in text
    assert text.count("](http") >= 10
    assert "[[S" not in text and "[S1" not in text  # references by name, not bare "[S127]" tags
    assert "[SPRAVATO: Limitations of use (Janssen Pharmaceuticals)](http://www.spravato.com/trd)" in text
    assert "api.fda.gov" not in text and ".json" not in text  # the FDA record is named, not opened as JSON
    assert "FDA National Drug Code Directory: ketamine hydrochloride injection" in text


def test_about_page_never_reads_as_if_esketamine_were_not_approved():
    at = app().run()
    at.switch_page("dashboard/web/pages/about.py").run()
    text = " ".join(m.value for m in at.markdown)
    assert "Ketamine is not FDA-approved to treat depression in any form" not in text
    assert "Esketamine (SPRAVATO, above) is the only ketamine medicine FDA-approved for depression" in text
    assert "Racemic ketamine" in text


def test_rejected_rows_show_a_notice(tmp_path, monkeypatch):
    from tests.helpers import GOOD, csv_text

    path = tmp_path / "mixed.csv"
    path.write_text(csv_text(GOOD, {**GOOD, "id": "broken", "name": ""}))
    monkeypatch.setenv("CLINIC_FINDER_DATA", str(path))
    at = app().run()
    assert not at.exception
    assert any("1 row of the dataset had problems" in w.value for w in at.warning)


def test_unreadable_dataset_shows_an_error_not_a_crash(tmp_path, monkeypatch):
    path = tmp_path / "garbage.csv"
    path.write_bytes(b"\xff\xfe\x00\x01")
    monkeypatch.setenv("CLINIC_FINDER_DATA", str(path))
    at = app().run()
    assert not at.exception
    assert any("Could not read" in e.value for e in at.error)
