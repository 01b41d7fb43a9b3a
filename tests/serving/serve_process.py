"""``python -m dashboard serve`` (nginx in front of replicas) as a test's child process, shared by the
serving tests and the browser test that kills a replica."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from dashboard.serving.supervisor import free_port, nginx_binary
from tests.paths import ROOT

needs_nginx = pytest.mark.skipif(
    nginx_binary() is None and os.environ.get("REQUIRE_NGINX") != "1",
    reason="nginx is not installed (apt-get install nginx); set REQUIRE_NGINX=1 to fail instead",
)


class ServeProcess:
    """``python -m dashboard serve`` as a child process, its output kept in memory."""

    def __init__(self, replicas: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "CLINIC_FINDER_ONLINE_GEOCODING": "0"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "serve", "--replicas", str(replicas), "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())

    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, condition, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.proc.poll() is not None:
                pytest.fail(f"serve exited ({self.proc.returncode}) waiting for {what}:\n{self.output()}")
            time.sleep(0.3)
        pytest.fail(f"timed out waiting for {what}:\n{self.output()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie, ended but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
