"""What only a real browser shows for check-ins: three check-ins on three dates draw three points per score in
the chart, the downloaded PDF's progress page lists all three (rendered to PNG to be looked at), a reload
brings the check-ins back from the tab's own copy, and a check-in's item 9 answer brings the crisis contacts
forward at once."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect

from dashboard.content import safety
from tests.bounds import SUBPROCESS_TIMEOUT_S
from tests.browser.axe import serious_violations, table
from tests.browser.conftest import new_context
from tests.browser.streamlit_waits import rerun, settled

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "three-checkins.json"
DATES = ("2026-10-05", "2026-10-12", "2026-10-19")
SCORES = ("PHQ-9 total", "PEG mean", "Pain now", "Worst pain, past week", "Least pain, past week")


def open_checkins(page, app_url: str) -> None:
    page.goto(f"{app_url}/checkins")
    settled(page)
    expect(page.get_by_role("heading", name="Treatment check-ins")).to_be_visible()


def upload(page, data: bytes) -> None:
    page.get_by_text("Resume a saved draft, or start over").click()  # an expander: opens in the browser
    with rerun(page):
        page.locator('input[type="file"]').set_input_files(
            {"name": "checkins.json", "mimeType": "application/json", "buffer": data}
        )


def points(page, score: str):
    """The chart's marks for one score: Vega writes each point's description as its accessible label."""
    return page.locator(f'[data-testid="stVegaLiteChart"] [aria-label^="{score}, "]')


def test_three_checkins_chart_three_points_per_score_and_the_pdf_lists_them(page, app_url, tmp_path) -> None:
    open_checkins(page, app_url)
    upload(page, EXAMPLE.read_bytes())
    expect(page.get_by_role("heading", name="Scores over time")).to_be_visible()
    for score in SCORES:
        expect(points(page, score)).to_have_count(3)
    labels = [points(page, "PHQ-9 total").nth(i).get_attribute("aria-label") for i in range(3)]
    assert sorted(labels) == [f"PHQ-9 total, {d}: {v}" for d, v in zip(DATES, (14, 10, 6), strict=True)]
    expect(page.get_by_text("meets the published definition of a clinically meaningful change").first).to_be_visible()
    expect(page.get_by_text("This meets the published definition of response")).to_be_visible()

    button = page.get_by_role("button", name="Download PDF summary")
    with page.expect_download() as info:
        button.click()
    data = Path(info.value.path()).read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    last = reader.pages[-1].extract_text()
    assert "Progress across check-ins" in last
    for d in DATES:
        assert d in last
    assert "Change since the first check-in" in last
    assert "meets the published definition of response" in " ".join(last.split())
    assert "Dizzy for an hour after the infusion." in last

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm (poppler-utils) is needed to render the progress page")
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(data)
    n = len(reader.pages)
    subprocess.run(
        [pdftoppm, "-f", str(n), "-l", str(n), "-r", "80", "-png", "-singlefile", str(pdf), str(tmp_path / "progress")],
        check=True,
        timeout=SUBPROCESS_TIMEOUT_S,
    )
    png = (tmp_path / "progress.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000  # a drawn page, not a blank one

    # the tab's own copy keeps the check-ins across a reload
    page.reload()
    expect(page.get_by_text("Your answers were restored from this browser tab")).to_be_visible()
    settled(page)
    for score in SCORES:
        expect(points(page, score)).to_have_count(3)


def test_item_9_on_a_checkin_brings_the_crisis_contacts_at_once_and_the_checkin_is_added(page, app_url) -> None:
    open_checkins(page, app_url)
    headline = page.get_by_text(safety.CRISIS_HEADLINE)
    expect(headline).to_have_count(0)
    group = page.locator('[data-testid="stRadio"]').filter(has_text="better off dead")
    with rerun(page):
        group.get_by_text("Several days", exact=True).click()
    expect(headline).to_be_visible()  # before anything is added: the answer alone brings it
    with rerun(page):
        page.get_by_role("button", name="Add this check-in").click()
    expect(page.get_by_text(f"Check-in of {dt.date.today().isoformat()} added")).to_be_visible()  # dated today
    expect(headline).to_be_visible()  # the check-in in the file keeps it in view
    expect(page.locator('[data-testid="stTable"]')).to_contain_text("item 9: 1")


def test_checkins_leave_no_answer_on_the_server(page, app_url, server_log) -> None:
    """A check-in typed into the real server (side effects with a marker), shown back, summarised as a PDF:
    the marker is in no file the server touched since, and not in its output."""
    marker = f"MARK{uuid.uuid4().hex[:12]}"
    start = time.time() - 1
    open_checkins(page, app_url)
    upload(page, EXAMPLE.read_bytes())
    group = page.locator('[data-testid="stRadio"]').filter(has_text="Your pain right now")
    with rerun(page):
        group.get_by_text("5", exact=True).click()
    box = page.get_by_label("Side effects you noticed since the session (optional)")
    with rerun(page):
        box.fill(f"{marker}sideeffect")
        box.press("Tab")
    with rerun(page):
        page.get_by_role("button", name="Add this check-in").click()
    expect(page.get_by_text(f"side effects: {marker}sideeffect")).to_be_visible()  # it reached the server
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF summary").click()
    assert marker in "".join(p.extract_text() for p in pypdf.PdfReader(info.value.path()).pages)
    hits = []
    for root in (ROOT, Path(tempfile.gettempdir())):
        for dirpath, dirnames, filenames in os.walk(root):
            # the browser's own profile and downloads are the patient's side, not the server's
            dirnames[:] = [d for d in dirnames if d != ".git" and not d.startswith("playwright")]
            for name in filenames:
                path = Path(dirpath) / name
                try:
                    if path.stat().st_mtime >= start and marker.encode() in path.read_bytes():
                        hits.append(str(path))
                except OSError:
                    continue
    assert hits == []
    assert marker not in server_log()


@pytest.mark.parametrize("size", [{"width": 390, "height": 844}, {"width": 1280, "height": 1000}])
def test_the_checkin_page_has_no_serious_violation_and_its_headings_in_order(browser, app_url, size, tmp_path) -> None:
    ctx = new_context(browser, viewport=size, is_mobile=size["width"] < 500)
    try:
        page = ctx.new_page()
        open_checkins(page, app_url)
        upload(page, EXAMPLE.read_bytes())
        expect(points(page, "PHQ-9 total")).to_have_count(3)
        settled(page)
        violations = serious_violations(page)
        assert violations == [], table(violations) + str([v["targets"] for v in violations])
        levels = page.evaluate(
            """() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
                  .filter(h => h.getClientRects().length && getComputedStyle(h).visibility !== 'hidden')
                  .map(h => Number(h.tagName[1]))"""
        )
        assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
        page.get_by_role("heading", name="Your check-ins").scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / f"checkins-{size['width']}.png"))  # to look at
    finally:
        ctx.close()
