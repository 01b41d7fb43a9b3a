"""The clinician summary's progress page: a file with check-ins gains a page of its own (PDF) or a section (HTML)
with the table, the chart drawn on the server and the change since the first check-in, its definition numbered
with the summary's other sources; a file without check-ins keeps its two pages exactly; item 9 on a check-in
puts the crisis note on page 1."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pypdf

from dashboard.intake import draft, summary, summary_html, summary_pdf
from dashboard.intake.answers import CheckIn

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "three-checkins.json"
FULL = ROOT / "tests" / "fixtures" / "intake" / "full_draft.json"
TODAY = dt.date(2026, 10, 20)


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_a_full_intake_with_checkins_keeps_its_two_pages_and_adds_the_progress_page() -> None:
    a = draft.parse(FULL.read_bytes())
    without = pages(summary_pdf.render(summary.build(a, TODAY)))
    a.checkins = draft.parse(EXAMPLE.read_bytes()).checkins
    content = summary.build(a, TODAY)
    got = pages(summary_pdf.render(content))
    assert len(without) == 2 and len(got) == 3
    first, second = (re.sub(r"page (\d) of 3", r"page \1 of 2", p) for p in got[:2])
    assert first == without[0]  # page 1 exactly as before
    removed = [x for x in without[1].splitlines() if x not in second.splitlines()]
    added = [x for x in second.splitlines() if x not in without[1].splitlines()]
    assert removed == []  # page 2 as before, and the definition's source among its sources
    assert added[0] == "11. Defining Success in Measurement-Based Care for Depression: A"  # PHQ-9 comes first
    assert "12. Numeric Rating Scale (NRS-11). Canadian Physiotherapy Association," in added
    progress = got[2]
    assert progress.startswith("Patient: Nguyễn Thị Ánh Łucja Müller-Peña")  # the running header
    assert "Progress across check-ins" in progress
    for d in ("2026-10-05", "2026-10-12", "2026-10-19"):
        assert d in progress
    text = progress.replace("\n", " ")
    for source in ("Numeric Rating Scale", "Defining Success in Measurement-Based Care"):
        note = content.endnotes.index(next(t for t in content.endnotes if source in t)) + 1
        assert f"to discuss with your clinician. [{note}]" in text
    assert "This meets the published definition of response" in text
    assert "does not meet the published definition of remission" in text
    images = pypdf.PdfReader(io.BytesIO(summary_pdf.render(content))).pages[2].images
    assert len(images) == 1  # the chart, drawn on the server


def test_the_html_summary_has_the_same_progress_section_with_an_inline_chart() -> None:
    content = summary.build(draft.parse(EXAMPLE.read_bytes()), TODAY)
    html = summary_html.render(content)
    section = html.split('<section class="progress">')[1].split("</section>")[0]
    assert "Progress across check-ins" in section and section.count("<tr>") == 4  # heading row + three
    assert '<img src="data:image/png;base64,' in section  # nothing fetched from elsewhere
    assert "meets the published definition of a clinically meaningful change" in section
    assert "This meets the published definition of response (a PHQ-9 total at least 50% below the first)" in section
    assert "https://psychiatryonline.org/doi/10.1176/appi.ps.201900295" in html  # among the numbered sources


def test_one_checkin_says_a_second_is_needed_for_a_change() -> None:
    a = draft.parse(json.dumps({"schema_version": 3, "checkins": [{"date": "2026-10-05", "nrs": [5, 6, 4]}]}))
    content = summary.build(a, TODAY)
    assert content.progress is not None and content.progress.changes == []
    assert "needs a second one" in pages(summary_pdf.render(content))[-1]


def test_item_9_on_a_checkin_puts_the_crisis_note_on_page_one() -> None:
    a = draft.parse(EXAMPLE.read_bytes())
    assert summary.build(a, TODAY).crisis is False
    a.checkins = [*a.checkins, CheckIn(date=dt.date(2026, 10, 20), phq9=[0] * 8 + [1])]
    content = summary.build(a, TODAY)
    assert content.crisis is True
    assert "988" in pages(summary_pdf.render(content))[0]


def test_no_checkins_no_progress_page() -> None:
    content = summary.build(draft.parse(FULL.read_bytes()), TODAY)
    assert content.progress is None
    assert '<section class="progress">' not in summary_html.render(content)
