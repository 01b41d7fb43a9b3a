"""``python -m dashboard serve`` leaves nothing behind when it is killed outright: its replicas and nginx end
too (the supervisor's SIGTERM path is the end of tests/serving/test_supervisor.py's end-to-end test)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time

import psutil
import pytest

from dashboard.serving.supervisor import free_port, nginx_binary
from tests.bounds import SERVICE_TIMEOUT_S
from tests.paths import ROOT

pytestmark = pytest.mark.servers
CHILDREN_END_WITHIN_S = 15  # the parent-death signal, then each replica's own bounded stop

needs_nginx = pytest.mark.skipif(
    nginx_binary() is None and os.environ.get("REQUIRE_NGINX") != "1",
    reason="nginx is not installed (apt-get install nginx); set REQUIRE_NGINX=1 to fail instead",
)


@needs_nginx
def test_killing_serve_with_sigkill_ends_both_replicas_and_nginx() -> None:
    env = {**os.environ, "CLINIC_FINDER_ONLINE_GEOCODING": "0"}
    cmd = [sys.executable, "-m", "dashboard", "serve", "--replicas", "2", "--port", str(free_port())]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    children: list[psutil.Process] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + SERVICE_TIMEOUT_S
        for line in proc.stdout:  # read while it starts, so its output never blocks it
            lines.append(line.rstrip())
            if "serving 2 replica(s)" in line or time.monotonic() > deadline:
                break
        assert any("serving 2 replica(s)" in line for line in lines), lines
        children = psutil.Process(proc.pid).children(recursive=True)
        names = sorted(" ".join(c.cmdline()[:3]) for c in children)
        assert sum("dashboard.replica" in n for n in names) == 2, names
        assert any("nginx" in n for n in names), names

        proc.kill()  # the supervisor gets no chance to stop anything itself
        proc.wait(timeout=SERVICE_TIMEOUT_S)
        proc.stdout.close()  # and nobody reads what its children print any more
        _, alive = psutil.wait_procs(children, timeout=CHILDREN_END_WITHIN_S)
        assert not alive, [(p.pid, p.cmdline()) for p in alive]
    finally:
        for child in children:  # a failed run must not leave them behind either
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=SERVICE_TIMEOUT_S)
