"""The copy of the questionnaire answers kept in the patient's own browser tab (sessionStorage).

Streamlit keeps a session's answers in one server process's memory. When that process goes away (a
deploy, a crash, a replica restarted behind nginx) or the tab is reloaded, the browser starts a new
session and the answers would be gone. So the tab keeps a copy: after every run the page hands the
browser the answers as the same JSON as the "Save draft" file, and a new session asks the tab for it
once. The server never stores it anywhere.

This module is the logic, without Streamlit: what to tell the tab after a run (``instruction``) and
how to read what the tab sends back (``read_reply``), which goes through the draft parser, so a
damaged or hostile stored value is refused with one plain message and changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dashboard.intake import draft
from dashboard.intake.answers import Answers


@dataclass(frozen=True)
class Reply:
    """What a new session learned from the tab: answers to restore (or none), the section, or a problem."""

    answers: Answers | None = None
    section: int | None = None
    problem: str | None = None
    dropped: str = ""  # the check-ins left out because they were damaged, named


def instruction(answers: Answers, section: int, asked: bool) -> dict[str, Any]:
    """The component's data for this run.

    Until the tab has answered the one question of a new session ("do you hold answers?"), nothing is
    written: an empty new session must not overwrite the answers it is about to restore. After that the
    tab mirrors the answers; an empty form (fresh, or after "Start over") clears the tab's copy.
    """
    if not asked:
        return {"mode": "ask"}
    text = draft.to_json(answers)
    if text == draft.template():
        return {"mode": "clear"}
    return {"mode": "save", "draft": text, "section": int(section)}


def read_reply(value: Any, sections: int) -> Reply:
    """The tab's reply to "ask": ``{"draft": text or "", "section": text or null}`` from the component.

    Anything else (a missing or empty copy, a value of the wrong shape) restores nothing; a copy that
    the draft parser refuses gives its plain message. The section is used only when it is a whole
    number of a section that exists.
    """
    if not isinstance(value, dict):
        return Reply()
    text = value.get("draft")
    if not isinstance(text, str) or not text.strip():
        return Reply()
    try:
        loaded = draft.parse_loaded(text)
    except draft.DraftError as err:
        return Reply(problem=f"The answers kept in this browser tab could not be restored: {err}")
    return Reply(answers=loaded.answers, section=_section(value.get("section"), sections), dropped=loaded.note)


def _section(raw: Any, sections: int) -> int | None:
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        return None
    text = str(raw).strip()
    if not re.fullmatch(r"[0-9]{1,3}", text):  # ASCII digits only: "２" or "1e3" is not a section
        return None
    index = int(text)
    return index if 0 <= index < sections else None
