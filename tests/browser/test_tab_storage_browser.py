"""No lost answers: the questionnaire answers kept in the browser tab survive the death of the server process
that held the session. Real parts: ``python -m dashboard serve`` (Debian's nginx in front of two replicas, on
free loopback ports), Chromium, SIGKILL of the replica serving the tab, a reload through nginx, and every
answer found again. "Start over" clears the tab's copy; a damaged copy gives one plain message and restores
nothing. (The answers never reach the server's disk: the copy lives in the tab's sessionStorage.)"""

from __future__ import annotations

import json
import os
import signal
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.load_servers import replica_pids
from tests.bounds import SERVICE_TIMEOUT_S
from tests.browser.streamlit_waits import PATIENCE_MS, rerun, settled
from tests.serving.serve_process import ServeProcess, alive, needs_nginx

pytestmark = pytest.mark.browser

STORED = "kcf-intake-draft"
RESTORED = "Your answers were restored from this browser tab"
SECTIONS = ("About you", "Reason for the visit", "Treatment history", "Questionnaires", "Health and safety")
TEXTS = {  # section -> (label, typed answer)
    "About you": [("Patient's name", "Alex Example"), ("Preferred language", "Portuguese")],
    "Reason for the visit": [
        ("In your own words", "Low mood since the spring."),
        ("How long has this been going on?", "Two years"),
    ],
    "Treatment history": [("Psychotherapy (what kind, how long)", "CBT, one year")],
    "Health and safety": [("Allergies (medicines, foods, latex…) and what happened", "Penicillin: a rash")],
}
RADIO = ("Treatment history", "ECT (electroconvulsive therapy)", "Yes")


def _type(page, label: str, value: str) -> None:
    box = page.get_by_label(label, exact=True)
    with rerun(page):
        box.fill(value)
        box.press("Tab")  # leaving the field sends it, as a user moving on does


def _radio(page, label: str, option: str):
    return page.get_by_role("radiogroup", name=label).get_by_role("radio", name=option, exact=True)


def _next(page, title: str) -> None:
    with rerun(page):
        page.locator(".st-key-intake-nav-top").get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_role("heading", name=title, level=2, exact=True)).to_be_visible()


def _back(page, title: str) -> None:
    with rerun(page):
        page.locator(".st-key-intake-nav-top").get_by_role("button", name="Back", exact=True).click()
    expect(page.get_by_role("heading", name=title, level=2, exact=True)).to_be_visible()


def _wait_until_cleared(page) -> None:
    page.wait_for_function(f"() => window.sessionStorage.getItem({json.dumps(STORED)}) === null", timeout=PATIENCE_MS)


def _fill_four_sections(page) -> None:
    for i, title in enumerate(SECTIONS):
        if i:
            _next(page, title)
        for label, value in TEXTS.get(title, []):
            _type(page, label, value)
        if title == RADIO[0]:
            with rerun(page):
                page.get_by_role("radiogroup", name=RADIO[1]).get_by_text(RADIO[2], exact=True).click()


def _find_every_answer(page) -> None:
    """From the last filled section back to the first, every answer is on screen again."""
    for i in range(len(SECTIONS) - 1, -1, -1):
        title = SECTIONS[i]
        if i < len(SECTIONS) - 1:
            _back(page, title)
        for label, value in TEXTS.get(title, []):
            expect(page.get_by_label(label, exact=True)).to_have_value(value)
        if title == RADIO[0]:
            expect(_radio(page, RADIO[1], RADIO[2])).to_be_checked()


def _active_sessions(pid: int) -> int:
    """How many sessions replica ``pid`` holds with an open websocket, as the replica itself counts them
    (Streamlit's ``active_sessions`` gauge, asked of the replica directly, not through nginx)."""
    args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    port = int(args[args.index(b"--server.port") + 1])
    url = f"http://127.0.0.1:{port}/_stcore/metrics?families=active_sessions"
    try:
        with urllib.request.urlopen(url, timeout=SERVICE_TIMEOUT_S) as resp:
            text = resp.read().decode()
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ConnectionRefusedError):
            return 0  # a replica the supervisor is restarting is not listening yet: it holds no session
        raise
    return sum(int(line.split()[-1]) for line in text.splitlines() if line.startswith("active_sessions"))


def _serving_replica(replicas: list[int]) -> list[int]:
    """The replicas holding a session with an open websocket: the one holding this tab's (the test's
    browser is the only visitor). Counting open TCP connections instead said "both" whenever nginx kept
    an idle keep-alive connection to the other replica (its own health check at start, any request
    placed there before the tab had its affinity cookie)."""
    return [pid for pid in replicas if _active_sessions(pid) > 0]


@needs_nginx
def test_answers_survive_the_replica_serving_them_being_killed_and_start_over_clears_them(page) -> None:
    serve = ServeProcess(replicas=2)
    try:
        serve.wait_for(lambda: "serving 2 replica(s)" in serve.output(), SERVICE_TIMEOUT_S, "both replicas and nginx")
        page.goto(f"{serve.url}/intake")
        expect(page.get_by_role("heading", name="About you", level=2, exact=True)).to_be_visible()
        settled(page)
        _fill_four_sections(page)
        # the tab keeps a copy of the answers (written by the page's script once the last run has arrived)
        page.wait_for_function(
            f"() => (window.sessionStorage.getItem({json.dumps(STORED)}) || '').includes('Penicillin: a rash')"
        )

        replicas = replica_pids(serve.proc.pid)
        serving = _serving_replica(replicas)
        assert len(replicas) == 2 and len(serving) == 1, (replicas, serving)
        victim = serving[0]
        os.kill(victim, signal.SIGKILL)
        serve.wait_for(lambda: not alive(victim), SERVICE_TIMEOUT_S, "the killed replica to be gone")

        page.reload()
        expect(page.get_by_text(RESTORED)).to_be_visible()
        expect(page.get_by_role("heading", name="Health and safety", level=2, exact=True)).to_be_visible()
        settled(page)
        now_serving = _serving_replica(replica_pids(serve.proc.pid))
        assert now_serving and victim not in now_serving, "a process that never saw these answers serves the tab"
        _find_every_answer(page)

        # Start over: the answers and the tab's copy are gone, and a reload restores nothing.
        page.get_by_text("Resume a saved draft, or start over").click()
        with rerun(page):
            page.get_by_role("button", name="Start over (clear all answers)").click()
        _wait_until_cleared(page)
        expect(page.get_by_label("Patient's name", exact=True)).to_have_value("")
        page.reload()
        expect(page.get_by_role("heading", name="About you", level=2, exact=True)).to_be_visible()
        settled(page)
        expect(page.get_by_text(RESTORED)).to_have_count(0)
        expect(page.get_by_label("Patient's name", exact=True)).to_have_value("")
    finally:
        serve.stop()


def test_a_damaged_copy_in_the_tab_gives_one_plain_message_and_restores_nothing(page, app_url: str) -> None:
    hostile = json.dumps({"schema_version": 2, "about": {"name": "<img src=x onerror=alert(1)>", "shoe_size": 44}})
    # The damaged copy is in the tab before the page's own script runs, as after a reload; written once, by
    # the tab's first document. (Written into a loaded page, it raced the page's first exchange with the tab,
    # which clears an empty form's copy: on a busy machine the copy was gone before the reload.)
    page.add_init_script(
        f"""if (!sessionStorage.getItem("kcf-test-seeded")) {{
              sessionStorage.setItem("kcf-test-seeded", "1");
              sessionStorage.setItem({json.dumps(STORED)}, {json.dumps(hostile)});
            }}"""
    )
    page.goto(f"{app_url}/intake")
    message = page.get_by_text("The answers kept in this browser tab could not be restored")
    expect(message).to_be_visible()
    settled(page)
    expect(message).to_contain_text("Your current answers were kept.")
    expect(page.get_by_label("Patient's name", exact=True)).to_have_value("")
    # the damaged copy is dropped, so the next reload is quiet
    _wait_until_cleared(page)
    page.reload()
    expect(page.get_by_role("heading", name="About you", level=2, exact=True)).to_be_visible()
    settled(page)  # after something of the reloaded page is drawn: the new page's websocket is being watched
    expect(page.get_by_text("could not be restored")).to_have_count(0)
