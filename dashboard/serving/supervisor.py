"""Serve the app from several processes behind nginx, and keep them running.

Layout: N app processes ("replicas", ``python -m dashboard.replica``, each a whole Streamlit server) listen
on free loopback ports; nginx listens on the public port and forwards to them, websocket upgrade included.

Session affinity: a Streamlit session lives in the memory of the process that opened it (its widgets, the
questionnaire's answers, uploaded drafts, files prepared for download), so every request of one browser
must reach the same replica. nginx gives each browser a random cookie (``kcf_replica``, a session cookie
holding nothing but a random id; set on the first response) and picks the replica by a consistent hash
of it. Hashing the client address instead would send everyone behind one carrier NAT, VA or hospital
network to a single replica, and would move a phone that switches from Wi-Fi to mobile data to another
replica mid-questionnaire. A browser without the cookie (its first request, a health check) is placed
by a fresh random id. When a replica is down, nginx passes the request to the next one.

Privacy: nginx keeps no access log (request lines carry the finder's query string, i.e. the place a
patient typed); its error log goes to this process, which drops query strings and client addresses
before printing (``redact``); request bodies (a questionnaire draft upload) and responses (a summary being
downloaded) are never buffered to temporary files. Replicas share one generated cookie secret (through
the environment, never the command line) so a browser moved to another replica keeps a valid XSRF token.

A replica counts as started once it answers its health check and has warmed up (``serving.replica``:
every page visited once, heap frozen); nginx starts after all of them. The supervisor restarts a replica
that exits (backing off when one keeps crashing), restarts nginx if it
dies, answers ``/_stcore/health`` through nginx, and on SIGTERM, SIGINT or SIGHUP stops nginx and every
replica before exiting. Children die with it even if it is killed (Linux parent-death signal).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from dashboard.config import APP_SCRIPT, PROJECT_ROOT, gc_freeze_enabled
from dashboard.serving.readiness import WARM_PREFIX, healthy, wait_until

AFFINITY_COOKIE = "kcf_replica"
COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
MAX_BODY_MB = 2  # Streamlit's server.maxUploadSize is 1 MB (a questionnaire draft); a little headroom
CRASH_WINDOW_S = 10.0  # a replica that dies sooner than this after starting is "crash looping"
MAX_BACKOFF_S = 30.0

_QUERY_RE = re.compile(r"\?[^\s\"]*")
_CLIENT_RE = re.compile(r"client: [^,\s]+")


def nginx_binary() -> str | None:
    """Debian's nginx: on PATH, else /usr/sbin/nginx (not on a non-root user's PATH)."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def streamlit_flags(port: int, address: str = "127.0.0.1") -> list[str]:
    """``streamlit run`` flags of an app process: loopback port, headless (the rest is .streamlit/config.toml)."""
    return [
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def replica_command(port: int, app_args: Sequence[str] = (), python: str = sys.executable) -> list[str]:
    """The command of one replica (``--data`` and other app options go after ``--``)."""
    cmd = [python, "-m", "dashboard.replica", "run", str(APP_SCRIPT), *streamlit_flags(port)]
    return [*cmd, "--", *app_args] if app_args else cmd


def redact(line: str) -> str:
    """A log line without query strings (a typed place) or client addresses."""
    return _CLIENT_RE.sub("client: -", _QUERY_RE.sub("?[redacted]", line))


def nginx_config(listen: str, port: int, upstream_ports: Sequence[int], runtime_dir: Path, as_root: bool) -> str:
    """nginx.conf for ``listen:port`` in front of the replicas on ``127.0.0.1:<upstream_ports>``.

    Every path nginx writes (pid, temp dirs) is inside ``runtime_dir``; nothing under /var or /etc.
    """
    rt = runtime_dir
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in upstream_ports)
    # Under root, nginx's workers drop to an unprivileged user; say which (Debian has no "nobody" group).
    user = "user nobody nogroup;\n" if as_root else ""
    return f"""# Generated by `python -m dashboard serve`; rewritten on every start.
{user}worker_processes 1;
pid {rt}/nginx.pid;
error_log stderr error;
daemon off;

events {{
    worker_connections 4096;
}}

http {{
    access_log off;
    server_tokens off;
    client_body_temp_path {rt}/client_body;
    proxy_temp_path {rt}/proxy;
    fastcgi_temp_path {rt}/fastcgi;
    uwsgi_temp_path {rt}/uwsgi;
    scgi_temp_path {rt}/scgi;

    # Uploads (a questionnaire draft, at most 1 MB) stay in memory; downloads are never spooled to disk.
    client_max_body_size {MAX_BODY_MB}m;
    client_body_buffer_size {MAX_BODY_MB}m;
    proxy_max_temp_file_size 0;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        '' '';
    }}
    # Affinity: the browser's random cookie, or a fresh random id (sent back as the cookie).
    map $cookie_{AFFINITY_COOKIE} $affinity {{
        '' $request_id;
        default $cookie_{AFFINITY_COOKIE};
    }}
    map $cookie_{AFFINITY_COOKIE} $affinity_set_cookie {{
        '' "{AFFINITY_COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default '';
    }}

    upstream replicas {{
        hash $affinity consistent;
{servers}
        keepalive 32;
    }}

    server {{
        listen {listen}:{port};
        location / {{
            proxy_pass http://replicas;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            add_header Set-Cookie $affinity_set_cookie always;
        }}
    }}
}}
"""


def _load_prctl() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl  # Linux (glibc/musl); looked up once, before forking
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the supervisor dies, so nothing is orphaned."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGTERM))


@dataclass
class Child:
    """One supervised process: a replica or nginx."""

    name: str
    command: list[str]
    port: int
    env: dict[str, str]
    proc: subprocess.Popen[str] | None = None
    started_at: float = 0.0
    restarts: int = 0
    next_start: float = 0.0
    backoff: float = 0.0
    warm: str = ""  # the replica's warm-up outcome line, once printed
    threads: list[threading.Thread] = field(default_factory=list)


class Supervisor:
    """Starts the replicas and nginx, keeps them up, and stops them all (``start``, ``run``, ``stop``)."""

    def __init__(
        self,
        replicas: int,
        port: int,
        host: str = "127.0.0.1",
        app_args: Sequence[str] = (),
        nginx: str | None = None,
        out: TextIO | None = None,
        poll_interval: float = 0.5,
    ) -> None:
        if replicas < 1:
            raise ValueError("at least one replica")
        binary = nginx or nginx_binary()
        if binary is None:
            raise RuntimeError("nginx not found: apt-get install nginx (or pass --nginx PATH)")
        self.host, self.port, self.nginx_path = host, port, binary
        self.out = out or sys.stderr
        self.poll_interval = poll_interval
        self.runtime_dir = Path(tempfile.mkdtemp(prefix="kcf-serve-"))
        self._stopping = threading.Event()
        self._print_lock = threading.Lock()
        env = {**os.environ, COOKIE_SECRET_ENV: secrets.token_hex(32)}
        self.replicas = [
            Child(f"replica {i + 1}", replica_command(p, app_args), p, env)
            for i, p in enumerate(free_port() for _ in range(replicas))
        ]
        conf = self.runtime_dir / "nginx.conf"
        self.nginx = Child(
            "nginx", [binary, "-p", str(self.runtime_dir), "-c", str(conf), "-e", "stderr"], port, dict(os.environ)
        )

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"

    def say(self, message: str) -> None:
        with self._print_lock:
            print(message, file=self.out, flush=True)

    # --- children ---------------------------------------------------------------------------------
    def _forward(self, child: Child, stream: TextIO) -> None:
        for line in stream:
            if line.startswith(WARM_PREFIX):
                child.warm = line.strip()
            self.say(f"[{child.name}] {redact(line.rstrip())}")

    def _spawn(self, child: Child) -> None:
        child.proc = subprocess.Popen(
            child.command,
            cwd=PROJECT_ROOT,
            env=child.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # Ctrl-C reaches the supervisor only; it stops the children in order
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - only sets the parent-death signal
        )
        child.started_at = time.monotonic()
        child.warm = ""
        assert child.proc.stdout is not None
        reader = threading.Thread(target=self._forward, args=(child, child.proc.stdout), daemon=True)
        reader.start()
        child.threads = [reader]

    def _write_nginx_config(self) -> None:
        as_root = os.geteuid() == 0
        if as_root:  # the workers (nobody) must reach their temp dirs inside the runtime dir
            self.runtime_dir.chmod(0o711)
        text = nginx_config(self.host, self.port, [r.port for r in self.replicas], self.runtime_dir, as_root)
        (self.runtime_dir / "nginx.conf").write_text(text, encoding="utf-8")
        check = subprocess.run([*self.nginx.command, "-t", "-q"], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejected its configuration: {redact(check.stderr.strip())}")

    def _wait(self, what: Callable[[], bool], timeout: float, label: str) -> None:
        if wait_until(what, timeout, stopped=self._stopping.is_set):
            return
        if self._stopping.is_set():
            raise RuntimeError("stopped while starting")
        raise RuntimeError(f"{label} did not become healthy within {timeout:.0f} s")

    def start(self, timeout: float = 120.0) -> None:
        """Start every replica, wait until each is healthy, then start nginx and wait for it."""
        try:
            for r in self.replicas:
                self._spawn(r)
                self.say(f"{r.name}: 127.0.0.1:{r.port} (pid {r.proc.pid if r.proc else '?'})")
            for r in self.replicas:
                self._wait(lambda r=r: self._replica_ready(r), timeout, r.name)
            self._write_nginx_config()
            self._spawn(self.nginx)
            self._wait(lambda: healthy(self.url), 30, "nginx")
        except BaseException:
            self.stop()
            raise
        self.say(f"serving {len(self.replicas)} replica(s) at {self.url} (nginx pid {self.nginx.proc.pid})")

    def _replica_ready(self, r: Child) -> bool:
        """Healthy, and warmed up (heap frozen, or said why not) unless the freeze is turned off."""
        if r.proc is not None and r.proc.poll() is not None:
            raise RuntimeError(f"{r.name} exited while starting (code {r.proc.returncode})")
        warm = bool(r.warm) or not gc_freeze_enabled(r.env)
        return warm and healthy(f"http://127.0.0.1:{r.port}")

    def poll(self) -> None:
        """Restart whatever has exited (replicas with a back-off when they crash right after starting)."""
        now = time.monotonic()
        for child in [*self.replicas, self.nginx]:
            proc = child.proc
            if proc is None or proc.poll() is None or self._stopping.is_set():
                continue
            if child.next_start == 0.0:
                code = proc.returncode
                how = f"signal {-code}" if code < 0 else f"code {code}"
                quick = now - child.started_at < CRASH_WINDOW_S
                child.backoff = min(MAX_BACKOFF_S, max(1.0, child.backoff * 2)) if quick else 0.0
                child.next_start = now + child.backoff
                self.say(f"{child.name} exited ({how}); restarting" + (f" in {child.backoff:.0f} s" if quick else ""))
            if now >= child.next_start:
                child.next_start = 0.0
                child.restarts += 1
                self._spawn(child)
                self.say(f"{child.name} restarted (pid {child.proc.pid if child.proc else '?'})")

    def request_stop(self, *_args: object) -> None:
        self._stopping.set()

    def handle_signals(self) -> None:
        """SIGTERM, SIGINT (Ctrl-C) and SIGHUP stop everything (call from the main thread, before ``start``)."""
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self.request_stop)

    def run(self) -> int:
        """Supervise until asked to stop, then stop everything. Call after ``start``."""
        try:
            while not self._stopping.wait(self.poll_interval):
                self.poll()
        finally:
            self.stop()
        return 0

    def stop(self, timeout: float = 15.0) -> None:
        """Stop nginx first (no new requests), then the replicas; kill whatever outlives ``timeout``."""
        self._stopping.set()
        children = [c for c in [self.nginx, *self.replicas] if c.proc is not None and c.proc.poll() is None]
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                child.proc.terminate()  # type: ignore[union-attr]
        deadline = time.monotonic() + timeout
        for child in children:
            assert child.proc is not None
            try:
                child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{child.name} did not stop in time; killing it")
                child.proc.kill()
                child.proc.wait()
        for child in [self.nginx, *self.replicas]:
            for t in child.threads:
                t.join(timeout=2)
        shutil.rmtree(self.runtime_dir, ignore_errors=True)
