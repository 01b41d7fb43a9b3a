"""Upper bounds for the tests' waits on other processes: a hung run still fails, a slow machine does not.

Bounds, not expected durations: a wait returns as soon as its state is reached, so raising a bound never
slows a passing test. On a 2-core machine under load a CLI run that needs 6 s of CPU took 90 s of
wall-clock time. Browser waits: tests/browser/streamlit_waits.py (PATIENCE_MS). This module
imports nothing, so fixture modules that tests/conftest.py itself imports can use it too.
"""

from __future__ import annotations

SUBPROCESS_TIMEOUT_S = 600  # a command-line run, a helper process, a server start or stop
APPTEST_TIMEOUT_S = 300  # one AppTest script run
SERVICE_TIMEOUT_S = 600  # a live service (a replica restarting, a rerun through nginx) reaching a state
