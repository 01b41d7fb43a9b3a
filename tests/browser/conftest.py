"""Real-browser fixtures: a live ``streamlit run`` server and Playwright driving Debian's Chromium.

Browser tests are skipped when no Chromium is installed, except when REQUIRE_BROWSER=1 (as in CI),
where a missing browser is a failure: a green run must never hide skipped browser tests.

Every test gets its own browser context, so its own page and its own app session (a new websocket,
new session state); servers are shared per worker, so nothing a test does may depend on what another
test's session did (tests/browser/test_finder_search_browser.py checks that state does not leak).
Waiting for a settled page: tests/browser/streamlit_waits.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import expect

from dashboard.serving.supervisor import free_port
from tests.browser.streamlit_waits import PATIENCE_MS, track
from tests.paths import ROOT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_collection_modifyitems(config, items):
    if chromium_path() or os.environ.get("REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason="no Chromium on PATH (apt-get install chromium); set REQUIRE_BROWSER=1 to fail")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


class _Server:
    """A streamlit process whose output is kept in memory only (never in a file)."""

    def __init__(self, env_extra: dict[str, str] | None = None, args: list[str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "CLINIC_FINDER_ONLINE_GEOCODING": "0", **(env_extra or {})}
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "streamlit_app.py",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ]
        if args:
            cmd += ["--", *args]
        self._chunks: list[str] = []
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._chunks.append(line)

    def log(self) -> str:
        return "".join(self._chunks)

    def wait_healthy(self, timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not become healthy in {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def app_server() -> Iterator[_Server]:
    server = _Server()
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def start_server() -> Iterator[Callable[..., _Server]]:
    """Start an extra server with its own settings (e.g. another dataset); stopped at the end."""
    started: list[_Server] = []

    def start(env: dict[str, str] | None = None, args: list[str] | None = None) -> _Server:
        server = _Server(env, args)
        started.append(server)
        server.wait_healthy()
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def app_url(app_server: _Server) -> str:
    return app_server.url


@pytest.fixture(scope="session")
def server_log(app_server: _Server) -> Callable[[], str]:
    return app_server.log


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.fail("REQUIRE_BROWSER=1 but no Chromium on PATH")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


# Timeouts are upper bounds for states a user would wait for, sized for a busy 2-core machine; they
# never delay a passing test.
expect.set_options(timeout=PATIENCE_MS)


def new_context(browser, **options):
    """A browser context (desktop size unless ``options`` say otherwise, e.g. a phone's viewport) whose
    every page is tracked (``streamlit_waits.settled``) from its creation, also a page made with
    ``context.new_page()`` or opened by a link; waits are bounded by PATIENCE_MS. For a fixture of your
    own; close it when done."""
    ctx = browser.new_context(**{"accept_downloads": True, "viewport": {"width": 1280, "height": 1000}, **options})
    ctx.set_default_timeout(PATIENCE_MS)
    ctx.set_default_navigation_timeout(PATIENCE_MS)
    ctx.on("page", track)
    return ctx


def _new_page(ctx):
    """A page whose app traffic is tracked (``streamlit_waits.settled``); outside requests are recorded
    in ``page.outside_requests``."""
    pg = ctx.new_page()
    track(pg)
    pg.outside_requests = []  # type: ignore[attr-defined]

    def note(request) -> None:
        url = request.url
        if not url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")):
            pg.outside_requests.append(url)  # type: ignore[attr-defined]

    pg.on("request", note)
    return pg


@pytest.fixture
def context(browser):
    """A fresh browser context per test: its own cookies, storage, cache and therefore app session."""
    ctx = new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A fresh page in the test's own context (see ``_new_page``)."""
    pg = _new_page(context)
    yield pg
    pg.close()


@pytest.fixture
def second_page(browser):
    """Another user at the same time: a page in a separate browser context, so a separate app session."""
    ctx = new_context(browser)
    pg = _new_page(ctx)
    yield pg
    ctx.close()
