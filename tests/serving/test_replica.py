"""An app process freezes its warm heap once every page has run, and never while a visitor's session exists."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dashboard import config
from dashboard.serving import readiness, replica
from dashboard.serving.supervisor import free_port, streamlit_flags
from tests.bounds import SUBPROCESS_TIMEOUT_S
from tests.paths import ROOT

pytestmark = pytest.mark.servers
TWO_PAGES = textwrap.dedent(
    """
    import streamlit as st

    def home():
        st.write("home")

    def other():
        st.write("other")

    st.navigation([st.Page(home, title="Home", default=True), st.Page(other, title="Other", url_path="other")]).run()
    """
)
BROKEN_SECOND_PAGE = TWO_PAGES.replace('st.write("other")', 'raise ValueError("boom")')


def test_freeze_can_be_turned_off() -> None:
    assert config.gc_freeze_enabled({})
    assert config.gc_freeze_enabled({config.GC_FREEZE_ENV: "1"})
    for off in ("0", "false", "No", " off "):
        assert not config.gc_freeze_enabled({config.GC_FREEZE_ENV: off})


def test_freezes_only_when_no_other_session_is_left() -> None:
    counts = iter([2, 1, 0, 0])
    frozen: list[bool] = []
    said: list[str] = []
    done = replica.freeze_when_alone(
        "mine", 3, said.append, lambda _id: next(counts), quiet_wait=60, poll=0.01, freeze=lambda: frozen.append(True)
    )
    assert done
    assert frozen == [True]
    assert said[-1].startswith(readiness.WARM_MARK)
    assert "3 pages" in said[-1]


def test_a_visitor_arriving_during_the_collection_postpones_the_freeze() -> None:
    counts = iter([0, 1, 0, 0])  # nobody, then someone appears while collecting, then gone
    frozen: list[bool] = []
    assert replica.freeze_when_alone("mine", 1, print, lambda _id: next(counts), 60, 0.01, lambda: frozen.append(True))
    assert frozen == [True]


def test_gives_up_rather_than_freezing_a_busy_server() -> None:
    said: list[str] = []
    frozen: list[bool] = []
    done = replica.freeze_when_alone("mine", 1, said.append, lambda _id: 4, 0.2, 0.05, lambda: frozen.append(True))
    assert not done
    assert not frozen
    # it gave up after the 0.2 s it was given (not a default wait), said so, and froze nothing
    assert said[-1].endswith("kept the server busy for 0 s; not freezing"), said


def test_without_a_readable_session_list_it_does_not_freeze() -> None:
    assert replica.other_sessions("anyone") is None  # no Streamlit runtime in this process
    said: list[str] = []
    assert not replica.freeze_when_alone("mine", 1, said.append, replica.other_sessions, 1, 0.01, lambda: None)
    assert "not freezing" in said[-1]


def _replica_output(app: Path, wait_for: str, timeout: float = SUBPROCESS_TIMEOUT_S) -> str:
    port = free_port()
    cmd = [sys.executable, "-m", "dashboard.replica", "run", str(app), *streamlit_flags(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + timeout
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip())
            if line.startswith(wait_for) or time.monotonic() > deadline:
                break
    finally:
        proc.terminate()
        proc.wait(timeout=SUBPROCESS_TIMEOUT_S)
    return "\n".join(lines)


def test_a_replica_visits_every_page_then_freezes(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text(TWO_PAGES, encoding="utf-8")
    out = _replica_output(app, readiness.WARM_PREFIX)
    assert "warm-up: froze" in out, out
    assert "after visiting 2 pages" in out


def test_a_replica_whose_page_fails_does_not_freeze(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text(BROKEN_SECOND_PAGE, encoding="utf-8")
    out = _replica_output(app, readiness.WARM_PREFIX)
    assert "warm-up: a page failed" in out, out
    assert "not freezing" in out
