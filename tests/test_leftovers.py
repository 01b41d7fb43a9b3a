"""The session-end check is real: a test that leaves a process behind fails the run, and the process is named."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil

from tests.bounds import SUBPROCESS_TIMEOUT_S
from tests.leftovers import MARK
from tests.paths import ROOT

LEAKY = textwrap.dedent(
    """
    import subprocess

    def test_starts_a_process_and_forgets_it():
        subprocess.Popen(["sleep", "987"], start_new_session=True)
    """
)
TIDY = LEAKY.replace('subprocess.Popen(["sleep", "987"], start_new_session=True)', 'subprocess.run(["true"])')
CONFTEST = "from tests.leftovers import pytest_configure, pytest_sessionfinish  # noqa: F401\n"


def _run(tmp_path: Path, test: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (tmp_path / "test_it.py").write_text(test, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != MARK}  # a run of its own, never this run's processes
    env["PYTHONPATH"] = str(ROOT)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", str(tmp_path)]
    return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT_S)


def test_a_process_left_behind_fails_the_run_and_is_named(tmp_path: Path) -> None:
    run = _run(tmp_path, LEAKY)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 passed" in run.stdout  # the test itself passed: the check is what failed the run
    assert "still alive" in run.stdout and "sleep 987" in run.stdout, run.stdout
    # The very process it named is gone (a zombie waiting for its reaper counts as ended); asked by pid, not by
    # name, because another test run on the same machine may have a "sleep 987" of its own.
    pid = int(re.search(r"pid (\d+) \(parent \d+\): sleep 987", run.stdout).group(1))
    assert not _running(pid), "the check also ends what it finds"


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_tidy_run_passes(tmp_path: Path) -> None:
    run = _run(tmp_path, TIDY)
    assert run.returncode == 0, run.stdout + run.stderr
