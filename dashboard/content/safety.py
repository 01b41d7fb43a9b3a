"""Crisis resources shown on every page and brought forward by suicide-related answers.

Wording follows the reference (intake_content.md §4); it is app text, not a quote. It never rates risk.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.content import citations


@dataclass(frozen=True)
class CrisisAction:
    """One thing a person can do now, as a link a phone can follow: what the label says is what the link does."""

    label: str
    href: str  # tel:, sms: or https: link


@dataclass(frozen=True)
class CrisisLine:
    name: str
    how: str  # the whole sentence, for paper and plain text
    actions: tuple[CrisisAction, ...]  # the same, as links (a call is tel:, a text is sms:)


CRISIS_HEADLINE = (
    "If you are thinking about suicide or are in crisis, help is available now, 24/7, free and confidential."
)
CRISIS_LINES: tuple[CrisisLine, ...] = (
    CrisisLine(
        "988 Suicide & Crisis Lifeline",
        "Call or text 988, or chat at 988lifeline.org",
        (
            CrisisAction("Call 988", "tel:988"),
            CrisisAction("Text 988", "sms:988"),
            CrisisAction("Chat at 988lifeline.org", "https://988lifeline.org/"),
        ),
    ),
    CrisisLine(
        "Veterans Crisis Line",
        "Call 988 and press 1, or text 838255",
        (CrisisAction("Call 988 and press 1", "tel:988"), CrisisAction("Text 838255", "sms:838255")),
    ),
    CrisisLine(
        "Emergency",
        "Call 911 if you are in immediate danger",
        (CrisisAction("Call 911 if you are in immediate danger", "tel:911"),),
    ),
)
# The one-tap contacts pinned to the top of the screen on a phone, short enough for one or two lines there.
CRISIS_PINNED: tuple[CrisisAction, ...] = (
    CrisisAction("Call 988", "tel:988"),
    CrisisAction("Veterans: 988, press 1", "tel:988"),
    CrisisAction("Call 911", "tel:911"),
)
CRISIS_SHORT = (
    "In crisis? Call or text 988 (Veterans: call 988 and press 1, or text 838255). Immediate danger: call 911."
)
# The sources of the wording above live in the one source register (dashboard/content/citations.py).
CRISIS_SOURCES: tuple[str, ...] = tuple(s.url for s in citations.CRISIS if s.url)

MEDICAL_DISCLAIMER = (
    "This tool organises information; it is not medical advice. It does not diagnose, does not decide who can "
    "have a treatment, and never tells you to start or stop a medicine. Decisions belong to you and your clinician."
)
