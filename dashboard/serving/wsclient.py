"""One browser tab's conversation with a Streamlit server, over Streamlit's own websocket protocol.

Used by the load benchmark (``bench/load.py``), which needs the server to do exactly the work a browser
causes, and by an app process warming itself up before it freezes its heap (``dashboard.serving.replica``).
It imports Streamlit's protobufs (not its UI) and ``websockets`` (a dependency of Streamlit).
This client sends what the 1.67 frontend sends (read from ``streamlit/web/server/starlette/starlette_websocket.py``,
``streamlit/runtime/app_session.py`` and the ``BackMsg``/``ClientState`` protobufs it uses):

1. ``GET`` the page (``/intake``, ``/?near=...``), as a browser loads ``index.html`` first; cookies it sets
   (``_streamlit_xsrf``, a load balancer's affinity cookie) are kept and sent with everything after it.
2. A websocket to ``/_stcore/stream`` with the subprotocols ``streamlit``, the XSRF cookie's value (or the
   frontend's ``PLACEHOLDER_AUTH_TOKEN``) and, when reconnecting, the previous session id.
3. For every interaction a ``BackMsg.rerun_script`` carrying the query string, the page (its url path on
   the first visit, its script hash once the server has listed the pages), the widget states, the hashes
   of large messages already received (the server then sends a short reference instead) and the
   browser context. A run is over at ``ForwardMsg.script_finished``; ``FINISHED_EARLY_FOR_RERUN`` (an
   ``st.rerun()`` in the page) means the next run is part of the same interaction.

A run counts as successful only when it finished successfully, ran the page that was asked for, and
drew no exception element: a broken page must not look fast.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

XSRF_COOKIE = "_streamlit_xsrf"
PLACEHOLDER_TOKEN = "PLACEHOLDER_AUTH_TOKEN"  # what the frontend sends when it has no XSRF cookie
MAX_CACHED_MESSAGE_AGE = 2  # Streamlit's global.maxCachedMessageAge: runs a browser keeps a message hash
WIDGET_KINDS = ("checkbox", "text_input", "selectbox", "button", "radio", "number_input", "text_area")


class ProtocolError(Exception):
    """The server answered something a browser would not accept (closed socket, unknown reference)."""


@dataclass
class RunResult:
    """What one interaction (one ``rerun_script`` and the runs it caused) produced."""

    ok: bool
    seconds: float
    status: str  # "finished", "exception", "compile error", "page not found", "wrong page", "timeout", ...
    page: str  # url path of the page that ran ("" for a single-page app)
    elements: int = 0
    detail: str = ""


@dataclass
class Widget:
    """A widget the page drew, as the browser knows it: its id, kind, label and shown value."""

    id: str
    kind: str
    label: str
    value: Any = None
    options: list[str] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        """The ``key=`` the page gave the widget (Streamlit ids end in ``-<key>``), else None."""
        key = self.id.split("-", 2)[-1] if self.id.startswith("$$ID-") else None
        return None if key == "None" else key


def _widget_from_element(element: Any) -> Widget | None:
    kind = element.WhichOneof("type")
    if kind not in WIDGET_KINDS:
        return None
    proto = getattr(element, kind)
    if not proto.id:
        return None
    value: Any = None
    if kind in ("checkbox", "text_input", "text_area"):
        value = proto.value if proto.set_value else proto.default
    options = list(getattr(proto, "options", []) or [])
    return Widget(id=proto.id, kind=kind, label=proto.label, value=value, options=[str(o) for o in options])


def _set_widget_value(state: Any, value: Any) -> None:
    if value == "trigger":
        state.trigger_value = True
    elif isinstance(value, bool):
        state.bool_value = value
    elif isinstance(value, int):
        state.int_value = value
    elif isinstance(value, float):
        state.double_value = value
    elif isinstance(value, str):
        state.string_value = value
    else:
        raise TypeError(f"unsupported widget value {value!r}")


class Session:
    """One tab: ``await open(path, query)``, then ``await rerun(...)`` per interaction, then ``close()``."""

    def __init__(self, base_url: str, timeout: float = 120.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.session_id = ""
        self.page = ""  # url path of the page shown now
        self.query = ""
        self.page_hashes: dict[str, str] = {}  # url path -> page script hash, from the server's page list
        self.widgets: dict[str, Widget] = {}  # widget id -> widget, from the latest run
        self._sent_values: dict[str, Any] = {}  # widget id -> value the "user" set (sent with every rerun)
        self._cache: dict[str, int] = {}  # hash of a large message -> run it was last seen in
        self._runs = 0
        self._ws: Any = None

    # --- connection -------------------------------------------------------------------------------
    def _http_get(self, url: str) -> int:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        with opener.open(url, timeout=self.timeout) as resp:
            resp.read()
            return resp.status

    def _cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.cookies)

    def _xsrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == XSRF_COOKIE), "") or PLACEHOLDER_TOKEN

    async def open(self, page: str = "", query: str = "", load_html: bool = True) -> None:
        """Load the page's HTML (cookies) and open the websocket, as a browser does for a new tab."""
        self.page, self.query = page, query
        if load_html:
            url = f"{self.base_url}/{page}" + (f"?{query}" if query else "")
            await asyncio.to_thread(self._http_get, url)
        await self._connect()

    async def _connect(self) -> None:
        parts = urllib.parse.urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        uri = f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream"
        subprotocols = ["streamlit", self._xsrf()] + ([self.session_id] if self.session_id else [])
        headers = {"Origin": f"{parts.scheme}://{parts.netloc}"}
        cookie = self._cookie_header()
        if cookie:
            headers["Cookie"] = cookie
        self._ws = await asyncio.wait_for(
            connect(uri, subprotocols=subprotocols, additional_headers=headers, max_size=None, open_timeout=None),
            self.timeout,
        )

    async def reconnect(self) -> None:
        """Close the socket and open a new one asking for the same session (what a tab does after a blip)."""
        await self.close()
        await self._connect()

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    # --- interactions ------------------------------------------------------------------------------
    def widget(self, key: str) -> Widget | None:
        """The widget drawn with ``key=key`` in the latest run, if any."""
        return next((w for w in self.widgets.values() if w.key == key), None)

    def _client_state(self, msg: BackMsg, page: str, query: str, widgets: dict[str, Any]) -> None:
        cs = msg.rerun_script
        cs.query_string = query
        if page in self.page_hashes:
            cs.page_script_hash = self.page_hashes[page]
        else:
            cs.page_name = page  # first visit: the server resolves the url path
        for wid, value in widgets.items():
            _set_widget_value(cs.widget_states.widgets.add(id=wid), value)
        cs.cached_message_hashes.extend(
            h for h, seen in self._cache.items() if self._runs - seen < MAX_CACHED_MESSAGE_AGE
        )
        cs.context_info.timezone = "America/Phoenix"
        cs.context_info.timezone_offset = 420
        cs.context_info.locale = "en-US"
        cs.context_info.url = f"{self.base_url}/{page}" + (f"?{query}" if query else "")
        cs.context_info.is_embedded = False
        cs.context_info.color_scheme = "light"

    async def rerun(
        self, page: str | None = None, query: str | None = None, widgets: dict[str, Any] | None = None
    ) -> RunResult:
        """One interaction: go to ``page`` with ``query`` (default: stay) and/or set widget values.

        ``widgets`` maps widget ids to new values (``"trigger"`` for a button press). Values set earlier
        are sent again, as the browser sends every widget's current value; a page change forgets them.
        """
        if page is not None and page != self.page:
            self._sent_values.clear()
            self.widgets.clear()
        page = self.page if page is None else page
        query = self.query if query is None else query
        changed = dict(widgets or {})
        self._sent_values.update({k: v for k, v in changed.items() if v != "trigger"})
        sent = {**self._sent_values, **changed}
        msg = BackMsg()
        self._client_state(msg, page, query, sent)
        self._runs += 1
        started = time.perf_counter()
        try:
            await self._ws.send(msg.SerializeToString())
            result = await asyncio.wait_for(self._read_until_finished(page), self.timeout)
        except TimeoutError:
            return RunResult(False, time.perf_counter() - started, "timeout", page)
        except Exception as exc:  # a dropped connection is a failed interaction, not a crash of the client
            return RunResult(False, time.perf_counter() - started, "connection lost", page, detail=repr(exc))
        result.seconds = time.perf_counter() - started
        self.page, self.query = page, query
        for wid, value in changed.items():  # what the user set is what the page now shows
            if wid in self.widgets and value != "trigger":
                self.widgets[wid].value = value
        return result

    async def _read_until_finished(self, page: str) -> RunResult:
        elements = 0
        exception = ""
        not_found = False
        ran_hash = ""
        widgets: dict[str, Widget] = {}
        while True:
            raw = await self._ws.recv()
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            if fwd.metadata.cacheable and fwd.hash:
                self._cache[fwd.hash] = self._runs
            kind = fwd.WhichOneof("type")
            if kind == "ref_hash":
                if fwd.ref_hash not in self._cache:
                    raise ProtocolError(f"server referred to a message this tab never received: {fwd.ref_hash}")
                self._cache[fwd.ref_hash] = self._runs
                elements += 1
            elif kind == "new_session":
                ns = fwd.new_session
                if ns.initialize.session_id:
                    self.session_id = ns.initialize.session_id
                elements, exception, widgets = 0, "", {}
            elif kind == "navigation":
                self._note_pages(fwd.navigation.app_pages)
                ran_hash = fwd.navigation.page_script_hash
            elif kind == "page_not_found":
                not_found = True
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                elements += 1
                if element.WhichOneof("type") == "exception":
                    exception = f"{element.exception.type}: {element.exception.message}".strip(": ")
                widget = _widget_from_element(element)
                if widget is not None:
                    widgets[widget.id] = widget
            elif kind == "session_event" and fwd.session_event.WhichOneof("type") == "script_compilation_exception":
                exc = fwd.session_event.script_compilation_exception
                return RunResult(False, 0.0, "compile error", page, elements, f"{exc.type}: {exc.message}")
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun(): the interaction goes on with the next run
                if status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    continue  # a fragment's own run, not the one this interaction asked for
                self.widgets = widgets
                ran_page = self._page_of(ran_hash)
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    return RunResult(False, 0.0, "compile error", ran_page, elements)
                if not_found:
                    return RunResult(False, 0.0, "page not found", ran_page, elements)
                if exception:
                    return RunResult(False, 0.0, "exception", ran_page, elements, exception)
                if self.page_hashes and page and ran_page != page:
                    return RunResult(False, 0.0, "wrong page", ran_page, elements, f"asked for {page!r}")
                return RunResult(True, 0.0, "finished", ran_page, elements)

    def _note_pages(self, app_pages: Any) -> None:
        for p in app_pages:  # from st.navigation: the default page's url path is ""
            self.page_hashes[p.url_pathname] = p.page_script_hash

    def _page_of(self, page_hash: str) -> str:
        return next((path for path, h in self.page_hashes.items() if h == page_hash), "")
