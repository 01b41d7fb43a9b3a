"""The check-in page in AppTest: a dated check-in added to the one Answers model, the crisis contacts at once on
an item 9 answer (while writing, and for any check-in in the file), a draft with check-ins uploaded (a damaged
one named), the table, chart and change since the first check-in, removal, and no answer written anywhere."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.content import safety
from dashboard.intake import draft, summary, summary_html, summary_pdf
from dashboard.web.questionnaire import flow
from tests.bounds import APPTEST_TIMEOUT_S
from tests.paths import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "three-checkins.json"
PAGE = "dashboard/web/pages/checkins.py"

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def open_checkins() -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=APPTEST_TIMEOUT_S)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def crisis_shown(at: AppTest) -> int:
    return sum(safety.CRISIS_HEADLINE in e.value for e in at.error)


def answers(at: AppTest):
    return at.session_state["intake_answers"]


def upload(at: AppTest, data: bytes) -> None:
    at.file_uploader(key="intake_upload").set_value(("d.json", data, "application/json")).run()
    assert not at.exception, at.exception


def test_the_page_is_registered_and_empty_at_first() -> None:
    at = open_checkins()
    assert at.title[0].value == "Treatment check-ins"
    assert any("No check-in yet" in m.value for m in at.markdown)
    assert at.get("vega_lite_chart") == []
    assert crisis_shown(at) == 0


def test_a_checkin_is_added_with_its_date_scores_session_and_side_effects() -> None:
    at = open_checkins()
    at.date_input(key="ck:date").set_value(dt.date(2026, 10, 5)).run()
    for i in range(9):
        at.radio(key=f"ck:phq9.{i}").set_value(1)
    at.radio(key="ck:nrs.0").set_value(7)
    at.number_input(key="ck:session.number").set_value(2)
    at.selectbox(key="ck:session.route").set_value("iv_ketamine")
    at.text_area(key="ck:side_effects").input("Tired that evening")
    at.run()
    at.button(key="ck_add").click().run()
    assert not at.exception, at.exception
    (c,) = answers(at).checkins
    assert c.date == dt.date(2026, 10, 5) and c.phq9 == [1] * 8 + [1] and c.nrs == [7, None, None]
    assert c.session.number == 2 and c.session.route == "iv_ketamine" and c.side_effects == "Tired that evening"
    assert any("Check-in of 2026-10-05 added" in s.value for s in at.success)
    assert at.radio(key="ck:phq9.0").value is None  # the form is cleared for the next one
    assert len(at.get("vega_lite_chart")) == 1


def test_a_checkin_with_only_a_date_is_not_added() -> None:
    at = open_checkins()
    at.button(key="ck_add").click().run()
    assert answers(at).checkins == []
    assert any("only a date" in w.value for w in at.warning)


def test_item_9_above_not_at_all_brings_the_crisis_contacts_at_once_and_keeps_them() -> None:
    at = open_checkins()
    at.radio(key="ck:phq9.8").set_value(1).run()
    assert crisis_shown(at) == 1  # before the check-in is added: as soon as the answer is given
    at.button(key="ck_add").click().run()
    assert answers(at).checkins[0].phq9[8] == 1
    assert crisis_shown(at) == 1  # now for the check-in in the file, at the top
    at.radio(key="ck:phq9.8").set_value(0).run()
    assert crisis_shown(at) == 1


def test_an_uploaded_draft_shows_table_chart_and_change_and_names_a_damaged_checkin() -> None:
    doc = json.loads(EXAMPLE.read_bytes())
    doc["checkins"].append({"date": "2026-10-26", "phq9": [9] * 9})
    at = open_checkins()
    upload(at, json.dumps(doc).encode())
    assert len(answers(at).checkins) == 3
    assert any("Check-in 4 (dated 2026-10-26) has an invalid value at phq9.0" in w.value for w in at.warning)
    table = at.table[0].value
    assert list(table.index) == ["2026-10-05", "2026-10-12", "2026-10-19"]
    assert len(at.get("vega_lite_chart")) == 1
    changes = [m.value for m in at.markdown if "published definition" in m.value]
    assert any("Pain now" in m and "meets the published definition" in m for m in changes)


def test_a_checkin_can_be_removed() -> None:
    at = open_checkins()
    upload(at, EXAMPLE.read_bytes())
    at.selectbox(key="ck_remove_which").set_value(1).run()
    at.button(key="ck_remove").click().run()
    assert [c.date.isoformat() for c in answers(at).checkins] == ["2026-10-05", "2026-10-19"]


def test_the_tab_copy_section_count_is_the_questionnaires() -> None:
    source = (ROOT / "dashboard" / "web" / "pages" / "intake.py").read_text(encoding="utf-8")
    sections = source.split("SECTIONS: tuple[Section, ...] = (")[1].split("\n)")[0]
    assert sections.count("Section(") == flow.SECTION_COUNT


def test_checkins_write_no_answer_anywhere(caplog, capfd) -> None:
    """Add check-ins with marker strings, build the summary, then search files touched since, temp dir and logs."""
    marker = f"MARKER{uuid.uuid4().hex[:12]}"
    start = time.time() - 1
    at = open_checkins()
    upload(at, EXAMPLE.read_bytes())
    for i in range(9):
        at.radio(key=f"ck:phq9.{i}").set_value(2)
    at.text_area(key="ck:side_effects").input(f"{marker}sideeffect").run()
    at.button(key="ck_add").click().run()
    assert not at.exception
    assert any(c.side_effects == f"{marker}sideeffect" for c in answers(at).checkins)
    # the summary's PDF is made when its button is pressed: make it here, in memory, as the button would
    content = summary.build(answers(at))
    assert summary_pdf.render(content).startswith(b"%PDF")
    assert marker in summary_html.render(content)
    assert marker in draft.to_json(answers(at))
    hits = []
    for root in (ROOT, Path(tempfile.gettempdir())):
        for dirpath, dirnames, filenames in os.walk(root):  # symlinks (.venv) are not followed
            dirnames[:] = [d for d in dirnames if d != ".git"]
            for name in filenames:
                path = Path(dirpath) / name
                try:
                    if path.stat().st_mtime >= start and marker.encode() in path.read_bytes():
                        hits.append(path)
                except OSError:
                    continue
    assert hits == []
    out, err = capfd.readouterr()
    assert marker not in out and marker not in err
    assert marker not in caplog.text
