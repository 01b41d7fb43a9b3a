"""``python -m dashboard serve``: replicas behind nginx with session affinity, restarts, health and a clean stop.

The end-to-end test runs the real command (two replicas, Debian's nginx, loopback only), drives it with
the load benchmark's websocket client for a few seconds, kills a replica with SIGKILL, and stops it all
with SIGTERM. It is skipped when nginx is not installed, unless REQUIRE_NGINX=1 (as in CI).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest

from bench.load_run import Load
from bench.load_servers import cpu_seconds, process_tree, replica_pids
from dashboard.serving.readiness import healthy
from dashboard.serving.supervisor import AFFINITY_COOKIE, free_port, nginx_binary, nginx_config, redact
from dashboard.serving.wsclient import Session
from tests.bounds import SERVICE_TIMEOUT_S, SUBPROCESS_TIMEOUT_S
from tests.serving.serve_process import ServeProcess, alive, needs_nginx


def _run_async(coro):
    """``asyncio.run`` in a thread of its own: a browser test in the same worker (Playwright's sync API)
    may have left an event loop running in this thread, where ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


pytestmark = pytest.mark.servers


# --- the generated nginx configuration ------------------------------------------------------------
def test_nginx_config_routes_websockets_with_cookie_affinity_and_keeps_no_logs(tmp_path: Path) -> None:
    conf = nginx_config("127.0.0.1", 8080, [5001, 5002], tmp_path, as_root=False)
    assert "listen 127.0.0.1:8080;" in conf
    assert "server 127.0.0.1:5001" in conf
    assert "server 127.0.0.1:5002" in conf
    assert "hash $affinity consistent;" in conf
    assert f"$cookie_{AFFINITY_COOKIE}" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "access_log off;" in conf
    assert "proxy_max_temp_file_size 0;" in conf  # downloads (a summary with answers) never spooled to disk
    assert "client_body_buffer_size 2m;" in conf  # a draft upload (with answers) stays in memory
    assert "user " not in conf  # unprivileged: no user switch
    for path_directive in ("pid", "client_body_temp_path", "proxy_temp_path"):
        line = next(x for x in conf.splitlines() if x.strip().startswith(path_directive + " "))
        assert str(tmp_path) in line


@needs_nginx
def test_nginx_accepts_the_generated_configuration(tmp_path: Path) -> None:
    binary = nginx_binary() or "/usr/sbin/nginx"
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_config("127.0.0.1", free_port(), [free_port(), free_port()], tmp_path, os.geteuid() == 0))
    if os.geteuid() == 0:
        tmp_path.chmod(0o711)
    check = subprocess.run(
        [binary, "-p", str(tmp_path), "-c", str(conf), "-e", "stderr", "-t"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_log_lines_lose_query_strings_and_client_addresses() -> None:
    line = (
        "2026/11/26 [error] 7#7: *5 connect() failed (111: Connection refused) while connecting to upstream, "
        'client: 203.0.113.9, server: , request: "GET /?near=85719&radius=50 HTTP/1.1", '
        'upstream: "http://127.0.0.1:5001/?near=85719&radius=50", host: "example.org"'
    )
    out = redact(line)
    assert "85719" not in out
    assert "203.0.113.9" not in out
    assert "connect() failed" in out
    assert 'request: "GET /?[redacted] HTTP/1.1"' in out


# --- the real thing -------------------------------------------------------------------------------
def _new_tabs(url: str, count: int) -> list:
    """``count`` new visitors, each loading the finder with a search, then the questionnaire."""

    async def one(i: int):
        tab = Session(url, timeout=SERVICE_TIMEOUT_S)
        await tab.open("", f"near=8571{i % 10}&radius=100")
        first = await tab.rerun()
        second = await tab.rerun(page="intake", query="")
        await tab.close()
        return first, second

    async def all_tabs():
        return await asyncio.gather(*(one(i) for i in range(count)))

    return [r for pair in _run_async(all_tabs()) for r in pair]


@needs_nginx
def test_two_replicas_behind_nginx_share_load_keep_sessions_survive_a_kill_and_stop_cleanly() -> None:
    serve = ServeProcess(replicas=2)
    try:
        serve.wait_for(lambda: "serving 2 replica(s)" in serve.output(), SERVICE_TIMEOUT_S, "both replicas and nginx")

        # Health through nginx, and the affinity cookie on a first visit only.
        assert healthy(serve.url)
        with urllib.request.urlopen(serve.url + "/?near=85719", timeout=SERVICE_TIMEOUT_S) as resp:
            cookie = resp.headers.get("Set-Cookie", "")
        assert cookie.startswith(f"{AFFINITY_COOKIE}=")
        assert "HttpOnly" in cookie
        request = urllib.request.Request(serve.url + "/", headers={"Cookie": cookie.split(";")[0]})
        with urllib.request.urlopen(request, timeout=SERVICE_TIMEOUT_S) as resp:
            assert resp.headers.get("Set-Cookie") is None

        # A short bounded load through nginx (6 tabs, 3 interactions each): every interaction completes.
        replicas = replica_pids(serve.proc.pid)
        assert len(replicas) == 2
        load = Load(serve.url, sessions=6, bare=False, seed=9, reruns_each=3, timeout=SERVICE_TIMEOUT_S)
        _run_async(asyncio.wait_for(load.run(seconds=None), SERVICE_TIMEOUT_S))
        errors = [s.result for s in load.samples if not s.result.ok]
        assert not errors, errors[:3]
        assert len(load.samples) == 18

        # Affinity: 16 new visitors are spread over both replicas (each did work; all on one: p = 2^-15),
        # and a tab that reconnects (same cookie, same session id) finds its session again.
        before = [cpu_seconds([pid]) for pid in replicas]

        async def reconnects_to_same_session() -> bool:
            tab = Session(serve.url, timeout=SERVICE_TIMEOUT_S)
            await tab.open("about")
            assert (await tab.rerun()).ok
            first = tab.session_id
            await tab.reconnect()
            assert (await tab.rerun()).ok
            await tab.close()
            return tab.session_id == first

        async def tabs(n: int) -> list[bool]:
            return await asyncio.gather(*(reconnects_to_same_session() for _ in range(n)))

        assert all(_run_async(tabs(16)))
        used = [cpu_seconds([pid]) - b for pid, b in zip(replicas, before, strict=True)]
        assert all(u > 0.1 for u in used), f"CPU seconds per replica while 16 tabs came and went: {used}"

        # Kill one replica: new visitors through the same port still get every page.
        tree = process_tree(serve.proc.pid)
        victim = replicas[0]
        os.kill(victim, signal.SIGKILL)
        results = _new_tabs(serve.url, 4)
        assert all(r.ok for r in results), results

        # The supervisor notices and brings it back.
        serve.wait_for(lambda: "restarted" in serve.output(), SERVICE_TIMEOUT_S, "the replica restart")
        serve.wait_for(lambda: len(replica_pids(serve.proc.pid)) == 2, SERVICE_TIMEOUT_S, "two replicas again")
        assert victim not in replica_pids(serve.proc.pid)
        results = _new_tabs(serve.url, 2)
        assert all(r.ok for r in results), results

        # SIGTERM stops nginx and every replica; nothing is left behind.
        tree = sorted(set(tree) | set(process_tree(serve.proc.pid)))
        serve.proc.send_signal(signal.SIGTERM)
        assert serve.proc.wait(timeout=SUBPROCESS_TIMEOUT_S) == 0, serve.output()
        leftovers = [pid for pid in tree if pid != serve.proc.pid and alive(pid)]
        assert not leftovers, leftovers
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex(("127.0.0.1", serve.port)) != 0
    finally:
        serve.stop()
