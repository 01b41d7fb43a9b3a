"""Nothing the tests start may outlive them: a process still alive when the session ends fails the run, by name.

How: the test session (or ``.ci/run`` before it) puts a run mark in the environment; every process the
tests start inherits it — servers, replicas, nginx, PostgreSQL (``runuser`` keeps the environment),
browsers — even after it loses its parent and is re-parented to PID 1, which a walk of the children tree
would miss. At the end, any process carrying the mark that is not this one or one of its ancestors is a
leftover. Hooks for tests/conftest.py, and ``python -m tests.leftovers`` for ``.ci/run`` once ``make test``
returns (it also ends what it finds, so the machine is clean for the next job).
"""

from __future__ import annotations

import contextlib
import os
import sys
import uuid

import psutil
import pytest

MARK = "KCF_TEST_RUN"
EXITING_GRACE_S = 10.0  # a process already told to stop (an xdist worker, a server's last child) may finish


def mark_this_run() -> str:
    """The run's mark, set in the environment for everything started from here on (kept if already set)."""
    return os.environ.setdefault(MARK, uuid.uuid4().hex)


def _ours(proc: psutil.Process, mark: str) -> bool:
    try:
        return proc.environ().get(MARK) == mark
    except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess, OSError):
        return False


def still_alive(mark: str, grace: float = EXITING_GRACE_S) -> list[psutil.Process]:
    """Processes carrying ``mark`` that are not this process or its ancestors, after ``grace`` s to finish."""
    me = psutil.Process()
    spared = {me.pid, *(p.pid for p in me.parents())}
    found = [p for p in psutil.process_iter() if p.pid not in spared and _ours(p, mark)]
    _, alive = psutil.wait_procs(found, timeout=grace) if found else ([], [])
    return [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def describe(proc: psutil.Process) -> str:
    try:
        return f"pid {proc.pid} (parent {proc.ppid()}): {' '.join(proc.cmdline())[:300]}"
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return f"pid {proc.pid}"


def end(procs: list[psutil.Process]) -> None:
    """SIGKILL, so a leftover that ignores SIGTERM (the bug this check exists for) still goes."""
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(procs, timeout=EXITING_GRACE_S)


# --- pytest hooks (imported by tests/conftest.py) --------------------------------------------------------
def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller, before any xdist worker starts
        mark_this_run()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput"):  # each worker's own processes are checked by the controller
        return
    alive = still_alive(os.environ[MARK])
    if not alive:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [describe(p) for p in alive]
    end(alive)
    if reporter is not None:
        reporter.write_sep("=", "processes the tests started are still alive (ended now)", red=True)
        for line in lines:
            reporter.write_line(line)
    else:
        print("\n".join(["processes the tests started are still alive:", *lines]), file=sys.stderr)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def main() -> int:
    """For ``.ci/run``: report and end whatever still carries the run's mark; exit 1 if anything did."""
    mark = os.environ.get(MARK)
    if not mark:
        print(f"{MARK} is not set: nothing to check against", file=sys.stderr)
        return 2
    alive = still_alive(mark)
    for proc in alive:
        print(f"left behind by the tests: {describe(proc)}", file=sys.stderr)
    end(alive)
    if not alive:
        print("no process the tests started is left")
    return 1 if alive else 0


if __name__ == "__main__":
    sys.exit(main())
