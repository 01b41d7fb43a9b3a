"""Real browser: a report filed from a result card reaches `review list --format json` verbatim; the
review page shows nothing but its login form to a visitor and only inert text to a reviewer; a Tucson
clinic accepted with the CLI appears in the running app."""

from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.submissions import auth, forms
from dashboard.submissions.store import Store
from tests.browser.streamlit_waits import rerun, settled
from tests.helpers import run_dashboard
from tests.submissions.data import HOSTILE_TEXTS, TUCSON_FORM

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
SCREENSHOTS = os.environ.get("KCF_SCREENSHOTS")  # set to a folder to keep screenshots of the review page


@pytest.fixture(scope="module")
def site(start_server, tmp_path_factory):
    """An app with its own SQLite database and one reviewer; accepted changes are seen at the next update."""
    folder = tmp_path_factory.mktemp("submissions-site")
    url = f"sqlite:///{folder / 'var' / 'submissions.sqlite3'}"
    secrets = folder / "secrets.toml"
    secrets.write_text(f'[review.reviewers]\nrae = "{auth.hash_password(PASSWORD)}"\n')
    server = start_server(
        env={
            "CLINIC_FINDER_DATABASE_URL": url,
            "CLINIC_FINDER_DIRECTORY_REFRESH_SECONDS": "0",
            "STREAMLIT_SECRETS_FILES": str(secrets),
        }
    )
    server.db_url = url
    return server


def cli(*args: str, url: str):
    return run_dashboard(*args, env={"CLINIC_FINDER_DATABASE_URL": url})


def test_a_report_filed_from_a_result_card_is_listed_verbatim(page, context, site):
    page.goto(f"{site.url}/?near=10017&radius=5")
    settled(page)
    link = page.locator("ul.kcf-results").first.get_by_role("link", name="Report a problem")  # the first result
    expect(link).to_be_visible()
    listing_id = re.search(r"listing=([a-z0-9-]+)", link.get_attribute("href")).group(1)
    with context.expect_page() as opened:
        link.click()
    report = opened.value  # a new tab, tracked by the context (streamlit_waits)
    settled(report)
    expect(report.get_by_role("heading", name="Report a problem with a listing")).to_be_visible()
    expect(report.get_by_text("do not include any health information", exact=False)).to_be_visible()
    report.get_by_text("Wrong phone number").click()  # fields of a form: no rerun until it is sent
    typed = f"Number is now 555-0100 ({uuid.uuid4().hex[:6]})\n" + HOSTILE_TEXTS[0] + "\n" + HOSTILE_TEXTS[1]
    report.get_by_role("textbox", name=re.compile("What should it say instead")).fill(typed)
    if SCREENSHOTS:
        report.screenshot(path=str(Path(SCREENSHOTS) / "report-page-filled.png"))
    with rerun(report):
        report.get_by_role("button", name="Send report").click()
    expect(report.get_by_text("is waiting for a reviewer")).to_be_visible()
    assert report.evaluate("() => window.__pwned") is None

    listed = cli("review", "list", "--format", "json", url=site.db_url)
    assert listed.returncode == 0, listed.stderr
    mine = [r for r in json.loads(listed.stdout) if r["description"] == typed]
    assert len(mine) == 1
    assert (mine[0]["listing_id"], mine[0]["problem"], mine[0]["kind"]) == (listing_id, "wrong_phone", "report")


def test_the_review_page_without_login_shows_no_submission_text(page, site):
    marker = f"PRIVATE{uuid.uuid4().hex[:10]}"
    Store(site.db_url).add(forms.Report(listing_id="x", problem="other", description=marker, email=None))
    page.goto(f"{site.url}/review")
    settled(page)
    expect(page.get_by_role("textbox", name="Reviewer name")).to_be_visible()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert marker not in page.content()
    assert page.get_by_role("button", name="Accept").count() == 0
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "review-page-not-logged-in.png"))


def test_a_reviewer_sees_hostile_submissions_as_inert_text(page, site):
    store = Store(site.db_url)
    payload = HOSTILE_TEXTS[0]
    store.add(forms.Report(listing_id="x", problem="other", description=payload, email="a@example.org"))
    hostile_clinic = {**TUCSON_FORM, "name": 'Clinic <img src=x onerror="window.__pwned=1">', "price_note": "=1+1"}
    store.add(forms.check_clinic(hostile_clinic, set()).value)
    page.goto(f"{site.url}/review")
    settled(page)
    page.get_by_role("textbox", name="Reviewer name").fill("rae")  # a form: sent with its button
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    with rerun(page):
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Logged in as")).to_be_visible()
    # Submissions from other tests share this server's database: pick ours among the settled page's cards.
    expect(page.get_by_text(payload, exact=True).first).to_be_visible()
    expect(page.get_by_text('Clinic <img src=x onerror="window.__pwned=1">', exact=False).first).to_be_visible()
    main = page.locator("[data-testid='stMain']")
    assert main.locator("img[src='x'], script").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    if SCREENSHOTS:
        expect(page.get_by_role("button", name="Download these submissions (CSV)")).to_be_visible()
        expect(page.get_by_role("button", name="Accept").first).to_be_visible()
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / "review-page-hostile-desktop.png"), full_page=True)
        page.get_by_text("New listing", exact=False).first.scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SCREENSHOTS) / "review-page-hostile-clinic-desktop.png"))
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(Path(SCREENSHOTS) / "review-page-hostile-phone.png"), full_page=True)


def test_a_tucson_clinic_accepted_with_the_cli_appears_in_the_running_app(page, site):
    number = Store(site.db_url).add(forms.check_clinic(TUCSON_FORM, set()).value)
    page.goto(f"{site.url}/?near=85712&radius=25")
    settled(page)
    heading = page.get_by_role("heading", name=re.compile(r"Tucson, AZ 85712 — \d+ found"))
    expect(heading).to_be_visible()
    assert page.locator("ul.kcf-results .name", has_text=TUCSON_FORM["name"]).count() == 0
    accepted = cli("review", "accept", str(number), "--reviewer", "Test Reviewer", url=site.db_url)
    assert accepted.returncode == 0, accepted.stderr
    page.reload()
    settled(page)  # the reload's run has finished: its results are the whole answer
    expect(page.locator("ul.kcf-results .name", has_text=TUCSON_FORM["name"])).to_have_count(1)
