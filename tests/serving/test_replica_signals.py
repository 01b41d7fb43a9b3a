"""A replica ends on SIGTERM within seconds whatever it is doing: warming up, frozen and idle, or orphaned
with nobody left reading its output (what a service manager, ``docker stop`` or a crashed supervisor does)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from dashboard.serving import readiness
from dashboard.serving.supervisor import free_port, streamlit_flags
from tests.bounds import SUBPROCESS_TIMEOUT_S
from tests.paths import ROOT

pytestmark = pytest.mark.servers
EXIT_WITHIN_S = 10  # what the issue asks of a replica's SIGTERM path

# Its second page holds the warm-up until the test creates the gate file: "warming up" on demand.
GATED_APP = textwrap.dedent(
    """
    import time
    from pathlib import Path
    import streamlit as st

    GATE = Path(__file__).with_name("gate")

    def home():
        st.write("home")

    def other():
        Path(__file__).with_name("warming").touch()
        while not GATE.exists():
            time.sleep(0.05)
        st.write("other")

    st.navigation([st.Page(home, title="Home", default=True), st.Page(other, title="Other", url_path="other")]).run()
    """
)


class Replica:
    """``python -m dashboard.replica run APP`` with its output on a pipe this test reads (or abandons)."""

    def __init__(self, app: Path) -> None:
        cmd = [sys.executable, "-m", "dashboard.replica", "run", str(app), *streamlit_flags(free_port())]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []

    def read_until(self, prefix: str) -> None:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + SUBPROCESS_TIMEOUT_S
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())
            if line.startswith(prefix):
                return
            assert time.monotonic() < deadline, self.lines
        raise AssertionError(f"the replica ended before printing {prefix!r}: {self.lines}")

    def abandon_output(self) -> None:
        """Close the only reader of its stdout/stderr, as a supervisor that died would."""
        assert self.proc.stdout is not None
        self.proc.stdout.close()

    def exits_after_sigterm(self) -> bool:
        self.proc.send_signal(signal.SIGTERM)
        try:
            psutil.Process(self.proc.pid).wait(timeout=EXIT_WITHIN_S)
        except psutil.NoSuchProcess:
            pass
        except psutil.TimeoutExpired:
            return False
        return True

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=SUBPROCESS_TIMEOUT_S)
        if self.proc.stdout and not self.proc.stdout.closed:
            self.proc.stdout.close()


@pytest.fixture
def gated_app(tmp_path: Path) -> Path:
    app = tmp_path / "app.py"
    app.write_text(GATED_APP, encoding="utf-8")
    return app


def _until(path: Path) -> None:
    """Wait for the app to reach its gated page (a file it writes), bounded."""
    deadline = time.monotonic() + SUBPROCESS_TIMEOUT_S
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


def test_a_replica_sigtermed_while_warming_up_exits(gated_app: Path) -> None:
    replica = Replica(gated_app)
    try:
        _until(gated_app.with_name("warming"))  # the warm-up tab is inside the second page right now
        assert replica.exits_after_sigterm(), replica.lines
    finally:
        replica.kill()


def test_a_frozen_idle_replica_exits_on_sigterm(gated_app: Path) -> None:
    gated_app.with_name("gate").touch()
    replica = Replica(gated_app)
    try:
        replica.read_until(readiness.WARM_MARK)
        assert replica.exits_after_sigterm(), replica.lines
    finally:
        replica.kill()


def test_a_replica_whose_output_reader_is_gone_exits_on_sigterm(gated_app: Path) -> None:
    gated_app.with_name("gate").touch()
    replica = Replica(gated_app)
    try:
        replica.read_until(readiness.WARM_MARK)
        replica.abandon_output()
        assert replica.exits_after_sigterm(), replica.lines
    finally:
        replica.kill()


def test_a_replica_orphaned_while_warming_with_its_output_gone_exits_on_sigterm(gated_app: Path) -> None:
    replica = Replica(gated_app)
    try:
        _until(gated_app.with_name("warming"))
        replica.abandon_output()
        assert replica.exits_after_sigterm(), replica.lines
    finally:
        replica.kill()


def test_output_whose_reader_is_gone_goes_quiet_instead_of_raising() -> None:
    import io
    import os

    from dashboard.serving.replica import QuietWhenUnread

    read_end, write_end = os.pipe()
    stream = QuietWhenUnread(io.TextIOWrapper(io.FileIO(write_end, "w"), encoding="utf-8"))
    os.close(read_end)
    assert stream.write("  Stopping...\n") == len("  Stopping...\n")
    stream.flush()
    stream.write("and after\n")
    stream.flush()
    assert stream.encoding == "utf-8"  # click and logging still see the stream it wraps


def test_a_stop_that_does_not_finish_ends_the_process_after_the_grace() -> None:
    import threading

    from dashboard.serving.replica import end_after_grace

    ended = threading.Event()
    codes: list[int] = []
    end_after_grace(0.05, lambda code: (codes.append(code), ended.set()))
    assert ended.wait(SUBPROCESS_TIMEOUT_S)
    assert codes == [0]


# A page that leaves a thread which never ends: Streamlit's stop finishes, then the interpreter waits on it.
STUCK_APP = textwrap.dedent(
    """
    import threading
    import streamlit as st

    @st.cache_resource
    def never_ends() -> threading.Thread:
        thread = threading.Thread(target=threading.Event().wait, name="never-ends", daemon=False)
        thread.start()
        return thread

    never_ends()
    st.write("home")
    """
)


def test_a_replica_whose_stop_cannot_finish_still_ends_after_the_grace(tmp_path: Path) -> None:
    """The last-resort clock is armed in the real process (Streamlit's handler wrapped), not only unit-tested."""
    app = tmp_path / "app.py"
    app.write_text(STUCK_APP, encoding="utf-8")
    replica = Replica(app)
    try:
        replica.read_until(readiness.WARM_MARK)  # the warm-up's first page run started the thread
        assert replica.exits_after_sigterm(), replica.lines
        assert replica.proc.stdout is not None
        rest = replica.proc.stdout.read()
        assert "the stop did not finish within" in rest, rest
    finally:
        replica.kill()
