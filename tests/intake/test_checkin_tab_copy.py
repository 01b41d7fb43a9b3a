"""The tab's own copy keeps check-ins across a reload: they are part of the draft JSON the tab mirrors, a
restored copy brings them back, and a damaged check-in in the copy is named and left out, the rest restored."""

from __future__ import annotations

import json
from pathlib import Path

from dashboard.intake import draft, tab_copy

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "three-checkins.json"


def test_the_tab_mirrors_the_checkins_and_a_new_session_restores_them() -> None:
    a = draft.parse(EXAMPLE.read_bytes())
    sent = tab_copy.instruction(a, 2, asked=True)
    assert sent["mode"] == "save" and len(json.loads(sent["draft"])["checkins"]) == 3
    reply = tab_copy.read_reply({"draft": sent["draft"], "section": "2"}, sections=7)
    assert reply.problem is None and reply.dropped == ""
    assert reply.answers == a


def test_a_file_with_only_checkins_is_kept_in_the_tab_not_cleared() -> None:
    only = draft.parse(json.dumps({"schema_version": 3, "checkins": [{"date": "2026-10-05", "nrs": [3, 4, 2]}]}))
    assert tab_copy.instruction(only, 0, asked=True)["mode"] == "save"


def test_a_damaged_checkin_in_the_tabs_copy_is_named_and_the_rest_restored() -> None:
    doc = json.loads(EXAMPLE.read_bytes())
    doc["checkins"][0]["nrs"] = [99, 0, 0]
    reply = tab_copy.read_reply({"draft": json.dumps(doc)}, sections=7)
    assert reply.problem is None
    assert [c.date.isoformat() for c in reply.answers.checkins] == ["2026-10-12", "2026-10-19"]
    assert reply.dropped.startswith("Check-in 1 (dated 2026-10-05) has an invalid value at nrs.0")
