"""Waiting for a Streamlit page the way a user does: until it has finished updating.

Streamlit reruns the whole script after every interaction. While a rerun is under way the page is in
between: the previous run's elements stay on screen, faded ("stale"), next to the new ones (two "Next"
buttons, two map iframes for a moment); widgets whose code is still loading show a grey skeleton; the
status widget says "Running...". A test that acts or asserts in that window fails now and then, more
often on a busy machine. Never paper over it with sleeps or retries: wait for the settled page.

For test authors (the fixtures in tests/browser/conftest.py ``track`` every page of a test's browser
context, including pages made with ``context.new_page()`` and pages a link opens):

- ``settled(page)`` -- every rerun the browser asked for has finished on the server, and the page shows
  it: connected, not running, status widget gone, nothing stale, no widget still loading, and every
  component (the maps) drawn. A component draws itself after the run: Streamlit keeps its iframe out of
  the layout (``display: none``) until the component says it is ready, then 0 px high until it reports
  its height. The page below a map moves down meanwhile (236 px on the finder), so a click aimed before
  that lands elsewhere (a download that never starts). Call it after
  ``page.goto(...)`` and whenever you are about to pick one of several elements that a rerun replaces.
- ``with rerun(page): <action>`` -- for an action that makes the browser ask for a rerun (clicking a
  widget, Enter in a text box, a click on the map that the map component reports). On leaving the
  block it waits for that request to be sent, for a run that started after it to finish, and then for
  ``settled(page)``. Prefer it to ``action(); settled(page)``: right after a click the browser may not
  have sent the request yet, and the page still looks settled.
- ``served(page)`` -- only the server side of ``settled`` (for a test that keeps the page from settling
  on purpose, e.g. by holding back a widget's code).
- ``map_frame(page)`` -- the finder's map, once the page is settled, there is exactly one map iframe and
  its markers are drawn (at which point streamlit-folium has bound its click handlers: it draws and
  binds in one script).
- ``PATIENCE_MS`` -- the upper bound for any of these waits (and the fixtures' default timeouts). A
  bound, not a delay: a wait returns as soon as its state is reached.

How "finished on the server" is known without polling: ``track`` watches the app's websocket. The
browser sends one ``rerun_script`` message per rerun request; the server answers every run with
``new_session`` at its start and ``script_finished`` at its end (``FINISHED_EARLY_FOR_RERUN`` when a
newer request interrupted it). Every request is served by a run that starts after it was sent, so
"a run started after the last request, and the last run has finished for good" means the server has
caught up with the browser.

One request the browser makes on its own: on the questionnaire page a new session asks the tab for the
copy of the answers it keeps (dashboard/web/questionnaire/tab_storage.py), and the tab replies with a
rerun request a moment after the first run has been drawn. Until that reply has been sent, the page is
still starting up; an action taken in that moment races the reply's run (a message such as "Draft
loaded" could be lost to it). So a session whose run asked the tab has caught up only once the tab's
reply has been sent (and then served, like any request).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import FrameLocator, Page, WebSocket
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

PATIENCE_MS = 180_000
STREAM_PATH = "/_stcore/stream"

# The questionnaire's tab-storage component (dashboard/web/questionnaire/tab_storage.py): its name in a run's delta, the
# data of a run that asks the tab for its copy, and the widget id of the tab's reply.
TAB_COMPONENT = b"kcf_tab_storage"
TAB_ASKS = b'{"mode": "ask"}'
TAB_REPLY_ID = "intake_tab_storage__events"

# The finder's map. Any of these titles (streamlit-folium's own, or the one the page gives it).
MAP_IFRAME = "iframe[title='streamlit_folium.st_folium'], iframe[title='Map of results']"

_PAGE_SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stElementContainer"][data-stale="true"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && [...document.querySelectorAll('iframe[data-testid="stCustomComponentV1"]')]
         .every(f => getComputedStyle(f).display !== 'none' && f.getAttribute('height') !== '0');
}"""


@dataclass
class _Traffic:
    """What the browser and the server have said to each other on the app's websocket."""

    ws: WebSocket | None = None
    requests: int = 0  # rerun_script messages sent by the browser
    runs_started: int = 0  # new_session messages received
    request_pending: bool = False  # a request was sent after the last run started
    running: bool = False  # the last run has started and not finished for good
    tab_asked: bool = False  # a run of this socket's session asked the tab for its copy of the answers
    tab_replied: bool = False  # ...and the tab's reply has been sent

    def new_socket(self, ws: WebSocket | None) -> None:
        """A page load or a reconnect: a new session, whose first run the browser is about to ask for."""
        self.ws = ws
        self.request_pending = True
        self.running = False
        self.tab_asked = False
        self.tab_replied = False

    def on_sent(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        msg = BackMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # not ours to judge; the app itself reports protocol errors
            return
        if msg.WhichOneof("type") == "rerun_script":
            self.requests += 1
            self.request_pending = True
            if any(
                w.id.endswith(TAB_REPLY_ID) and '"restore"' in w.json_trigger_value
                for w in msg.rerun_script.widget_states.widgets
            ):
                self.tab_replied = True

    def on_received(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:
            return
        kind = msg.WhichOneof("type")
        if kind == "delta" and TAB_COMPONENT in payload and TAB_ASKS in payload:
            self.tab_asked = True
        elif kind == "new_session":
            self.runs_started += 1
            self.request_pending = False
            self.running = True
        elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.running = False

    @property
    def caught_up(self) -> bool:
        """The server has served every request the browser sent so far, the tab's reply included."""
        tab_pending = self.tab_asked and not self.tab_replied
        return self.requests > 0 and not self.request_pending and not self.running and not tab_pending


def track(page: Page) -> None:
    """Start watching the app's websocket of ``page`` (before its first ``goto``); idempotent.

    The browser fixtures track every page of a test's context, including pages a link opens."""
    if getattr(page, "_kcf_traffic", None) is not None:
        return
    traffic = _Traffic()
    page._kcf_traffic = traffic  # type: ignore[attr-defined]

    def on_websocket(ws: WebSocket) -> None:
        if not ws.url.split("?")[0].endswith(STREAM_PATH):
            return
        # A page load (goto, reload, a link opening a page) or a reconnect opens a new socket, and the
        # browser then asks for a run on it: until that run has finished, the server has not caught up.
        traffic.new_socket(ws)
        ws.on("framesent", traffic.on_sent)
        ws.on("framereceived", traffic.on_received)

        def on_close(_ws: WebSocket) -> None:
            # Leaving the document (reload, goto) closes the socket: the next page's socket, once it
            # opens, has to be served before the page has caught up.
            if traffic.ws is ws:
                traffic.new_socket(None)

        ws.on("close", on_close)

    page.on("websocket", on_websocket)


def _traffic(page: Page) -> _Traffic:
    traffic = getattr(page, "_kcf_traffic", None)
    if traffic is None:
        raise RuntimeError("call streamlit_waits.track(page) before page.goto (the browser fixtures do)")
    return traffic


def _wait_for_frames(page: Page, condition, what: str, timeout_ms: float) -> None:
    """Let Playwright deliver websocket frames until ``condition()`` holds (event-driven, no polling)."""
    traffic = _traffic(page)
    while not condition():
        ws = traffic.ws
        try:
            if ws is None:  # the page's socket is not open yet (a page load, a reconnect)
                page.wait_for_event(
                    "websocket", lambda w: w.url.split("?")[0].endswith(STREAM_PATH), timeout=timeout_ms
                )
                continue
            # Whatever arrives (either direction) may complete the condition; both are delivered to
            # our listeners before this wait returns.
            with ws.expect_event("framereceived", timeout=timeout_ms):
                pass
        except PlaywrightTimeoutError as exc:
            raise AssertionError(
                f"Streamlit did not get there in {timeout_ms / 1000:.0f} s: {what} "
                f"(requests sent {traffic.requests}, runs started {traffic.runs_started}, "
                f"request pending {traffic.request_pending}, running {traffic.running}, "
                f"tab asked {traffic.tab_asked}, tab replied {traffic.tab_replied})"
            ) from exc
        except PlaywrightError:
            if traffic.ws is ws:  # not the page leaving its socket (see track): a real error
                raise


def settled(page: Page, timeout_ms: float = PATIENCE_MS) -> None:
    """Wait until the server has served every rerun the browser asked for and the page shows the result."""
    served(page, timeout_ms)
    page.wait_for_function(_PAGE_SETTLED_JS, timeout=timeout_ms)


def served(page: Page, timeout_ms: float = PATIENCE_MS) -> None:
    """Wait until the server has served every rerun the browser asked for (not for the page to show it).

    Only for pages that cannot settle on purpose (a test holding back a widget's code); else ``settled``.
    """
    _wait_for_frames(page, lambda: _traffic(page).caught_up, "the server finishing the requested reruns", timeout_ms)


@contextlib.contextmanager
def rerun(page: Page, timeout_ms: float = PATIENCE_MS, *, settle: bool = True) -> Iterator[None]:
    """The action in the block makes the browser ask for a rerun; on leaving, wait until it is served
    and (unless ``settle=False``) the page has settled."""
    traffic = _traffic(page)
    before = traffic.requests
    yield
    if traffic.requests == before and traffic.ws is not None:
        try:
            with traffic.ws.expect_event("framesent", lambda payload: traffic.requests > before, timeout=timeout_ms):
                pass
        except PlaywrightTimeoutError as exc:
            raise AssertionError(
                f"the action did not make the browser ask for a rerun in {timeout_ms / 1000:.0f} s"
            ) from exc
    if settle:
        settled(page, timeout_ms)
    else:
        served(page, timeout_ms)


def map_frame(page: Page, timeout_ms: float = PATIENCE_MS) -> FrameLocator:
    """The finder's one map iframe, settled, with its markers drawn and streamlit-folium listening."""
    settled(page, timeout_ms)
    frames = page.locator(MAP_IFRAME)
    frames.first.wait_for(timeout=timeout_ms)
    count = frames.count()
    assert count == 1, f"{count} map iframes on a settled page"
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".leaflet-container").wait_for(timeout=timeout_ms)
    return frame
