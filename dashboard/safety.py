"""Crisis resources shown on every page and brought forward by suicide-related answers.

Wording follows the reference (intake_content.md §4); it is app text, not a quote. It never rates risk.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import sources


@dataclass(frozen=True)
class CrisisLine:
    name: str
    how: str
    href: str  # tel: or sms: link a phone can follow


CRISIS_HEADLINE = (
    "If you are thinking about suicide or are in crisis, help is available now, 24/7, free and confidential."
)
CRISIS_LINES: tuple[CrisisLine, ...] = (
    CrisisLine("988 Suicide & Crisis Lifeline", "Call or text 988, or chat at 988lifeline.org", "tel:988"),
    CrisisLine("Veterans Crisis Line", "Dial 988 then press 1, or text 838255", "sms:838255"),
    CrisisLine("Emergency", "Call 911 if you are in immediate danger", "tel:911"),
)
CRISIS_SHORT = (
    "In crisis? Call or text 988 (Veterans: dial 988 then press 1, or text 838255). Immediate danger: call 911."
)
# The sources of the wording above live in the one source register (dashboard/sources.py).
CRISIS_SOURCES: tuple[str, ...] = tuple(s.url for s in sources.CRISIS if s.url)

MEDICAL_DISCLAIMER = (
    "This tool organises information; it is not medical advice. It does not diagnose, does not decide who can "
    "have a treatment, and never tells you to start or stop a medicine. Decisions belong to you and your clinician."
)
