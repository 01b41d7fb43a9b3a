"""The load benchmark's servers: the app (started as ``dashboard serve`` starts a replica), the bare
baseline page and the app's empty frame, ``dashboard serve`` itself, and the processes' memory and CPU."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.config import PROJECT_ROOT, gc_freeze_enabled
from dashboard.serving.readiness import WARM_PREFIX, healthy
from dashboard.serving.supervisor import free_port, replica_command, streamlit_flags

BARE_SOURCE = 'import streamlit as st\n\nst.write("Hello")\n'
# The app's frame with nothing in it (``--frame``): the same page config, navigation, page style and crisis
# sidebar as streamlit_app.py, and pages that show only their title and the medical disclaimer. What any page
# of the app costs before it draws its own content; a page cannot be cheaper than this.
FRAME_SOURCE = """\
import streamlit as st

from dashboard.web import dataset, frame
from dashboard.content import safety

st.set_page_config(page_title="Ketamine Clinic Finder", layout="wide")


def _page(title):
    def draw():
        st.title(title, anchor=False)
        st.caption(safety.MEDICAL_DISCLAIMER)

    return draw


pages = [
    st.Page(_page("Find a clinic"), title="Find a clinic", default=True, url_path="finder"),
    st.Page(_page("Pre-visit questionnaire"), title="Pre-visit questionnaire", url_path="intake"),
    st.Page(_page("About ketamine routes"), title="About ketamine routes", url_path="about"),
]
navigation = st.navigation(pages)
frame.page_style()
frame.crisis_sidebar()
navigation.run()
"""
CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class Server:
    """A server this benchmark started (or was pointed at), and the process tree it runs in."""

    name: str
    url: str
    proc: subprocess.Popen[str] | None = None
    root_pid: int | None = None
    workdir: tempfile.TemporaryDirectory[str] | None = None
    lines: list[str] = field(default_factory=list)  # its output, kept in memory only

    def pids(self) -> list[int]:
        return process_tree(self.root_pid) if self.root_pid else []

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.workdir is not None:
            self.workdir.cleanup()


def spawn_server(
    name: str,
    cmd: list[str],
    url: str,
    env_extra: dict[str, str],
    ready: Callable[[list[str]], bool] | None = None,
    timeout: float = 300.0,
) -> Server:
    """Start ``cmd`` and wait until ``url`` is healthy and ``ready(output lines so far)`` says so."""
    env = {**os.environ, "CLINIC_FINDER_ONLINE_GEOCODING": "0", **env_extra}
    proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    server = Server(name, url, proc, proc.pid)
    threading.Thread(target=_keep_lines, args=(proc, server.lines), daemon=True).start()
    deadline = time.monotonic() + timeout
    while not (healthy(url) and (ready is None or ready(server.lines))):
        if proc.poll() is not None or time.monotonic() > deadline:
            server.stop()
            tail = "\n".join(server.lines[-20:])
            raise RuntimeError(f"{name} did not start (exit code {proc.returncode}): {' '.join(cmd)}\n{tail}")
        time.sleep(0.3)
    return server


def _keep_lines(proc: subprocess.Popen[str], lines: list[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line.rstrip())


def _warmed(lines: list[str]) -> bool:
    return any(line.startswith(WARM_PREFIX) for line in lines)


def start_app(overrides: Sequence[str] = (), env: dict[str, str] | None = None) -> Server:
    """The app as a replica of ``dashboard serve`` runs it (warm-up, frozen heap, production flags)."""
    port = free_port()
    cmd = [*replica_command(port), *overrides]
    env = env or {}
    ready = _warmed if gc_freeze_enabled({**os.environ, **env}) else None
    return spawn_server("app", cmd, f"http://127.0.0.1:{port}", env, ready)


def start_script(name: str, source: str, overrides: Sequence[str] = (), env: dict[str, str] | None = None) -> Server:
    """A baseline page (``source``) with the app's flags, run from the project folder (same config.toml,
    and ``dashboard`` importable)."""
    workdir = tempfile.TemporaryDirectory(prefix=f"kcf-{name}-")
    script = Path(workdir.name) / f"{name}.py"
    script.write_text(source, encoding="utf-8")
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), *streamlit_flags(port), *overrides]
    server = spawn_server(name, cmd, f"http://127.0.0.1:{port}", {"PYTHONPATH": str(PROJECT_ROOT), **(env or {})})
    server.workdir = workdir
    return server


def start_bare(overrides: Sequence[str] = (), env: dict[str, str] | None = None) -> Server:
    """The one-line Streamlit page every figure is compared with."""
    return start_script("bare", BARE_SOURCE, overrides, env)


def start_frame(overrides: Sequence[str] = (), env: dict[str, str] | None = None) -> Server:
    """The app's frame with empty pages (FRAME_SOURCE): the floor any page of the app starts from."""
    return start_script("frame", FRAME_SOURCE, overrides, env)


def start_serve(replicas: int, overrides_env: dict[str, str] | None = None) -> Server:
    """``python -m dashboard serve --replicas N`` on a free port (its whole tree is measured)."""
    port = free_port()
    cmd = [sys.executable, "-m", "dashboard", "serve", "--replicas", str(replicas), "--port", str(port)]
    serving = f"serving {replicas} replica(s)"
    return spawn_server(
        f"serve x{replicas}",
        cmd,
        f"http://127.0.0.1:{port}",
        overrides_env or {},
        lambda lines: any(serving in line for line in lines),
        timeout=600,
    )


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(children.get(pid, []))
    return out


def rss_bytes(pids: Sequence[int]) -> int:
    """Resident memory of these processes (VmRSS summed)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status", encoding="utf-8") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU time these processes have used so far."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def replica_pids(serve_root: int) -> list[int]:
    """The app processes of a ``dashboard serve`` tree (not nginx, not the supervisor)."""
    out = []
    for pid in process_tree(serve_root):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"dashboard.replica" in f.read():
                    out.append(pid)
        except OSError:
            continue
    return out
