"""One app process that freezes its warm heap: ``python -m dashboard.replica run streamlit_app.py [flags]``.

Why: Streamlit runs ``gc.collect(2)`` after every script run unless ``runner.postScriptGC`` is off (it is
off in ``.streamlit/config.toml``). Even then CPython's own full collections keep walking every object
alive — streamlit, pandas, pyarrow, folium, pydantic models, the cached dataset and maps: half a million
objects that live as long as the process — while every session waits on the GIL. ``gc.freeze()`` moves
the objects alive at that moment into a permanent generation that no collection scans again.

When: once the heap is warm, i.e. after every page has run once, since pages import most of that on
their first run. So this process starts Streamlit (in this same process, through its own command line)
and a background thread that waits for the server, opens one tab to it (``dashboard.serving.wsclient``), visits
every page, closes the tab, and only then collects and freezes. It prints ``warm-up: froze ...``
(``readiness.WARM_MARK``), which ``dashboard serve`` and ``bench load`` wait for before sending people.

Whose objects: a Streamlit session (``AppSession``) lives in reference cycles, so only the cycle collector
frees it, and a frozen object is never collected. Freezing while a visitor's session exists would keep it,
with every answer typed into it later, in memory until the process ends. So the freeze happens only when
the server knows no session other than the warm-up tab's own (checked through Streamlit's session manager;
if that cannot be read, or visitors keep arriving, it does not freeze at all). Never from inside a page.

``streamlit run streamlit_app.py`` still works as before, without the freeze. ``CLINIC_FINDER_GC_FREEZE=0``
turns it off here too (for measuring, or if it ever misbehaves).

Stopping: SIGTERM (a service manager, ``docker stop``, a supervisor that died and left its parent-death
signal) must end this process. Two things stood in the way and are handled here: a supervisor that dies
leaves stdout/stderr as pipes nobody reads, and Streamlit's stop begins by printing "Stopping..." — the
BrokenPipeError that raised inside the event loop ended the stop, and the process idled forever. So the
output goes quiet instead of raising once its reader is gone, and a stop that has not finished
``STOP_GRACE_S`` after the signal ends the process anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from dashboard.config import APP_SCRIPT, flag_value, gc_freeze_enabled
from dashboard.serving.readiness import WARM_MARK, WARM_PREFIX, healthy, wait_until

QUIET_WAIT_S = 300.0  # how long to wait for a moment with no visitor before giving up on the freeze
STOP_GRACE_S = 5.0  # after SIGTERM/SIGINT, how long Streamlit's own stop may take before the process ends anyway


async def visit_every_page(url: str, first_query: str = "near=85719&radius=100") -> tuple[str, int]:
    """One tab opens the app, then every page it lists; returns (its session id, pages visited).

    Raises RuntimeError when a page fails: a broken app is not "warm".
    """
    from dashboard.serving.wsclient import Session

    tab = Session(url, timeout=300)
    await tab.open("", first_query)
    try:
        first = await tab.rerun()
        if not first.ok:
            raise RuntimeError(f"first page: {first.status} {first.detail}")
        pages = [p for p in tab.page_hashes if p != ""]
        for page in [*pages, ""]:
            result = await tab.rerun(page=page, query="")
            if not result.ok:
                raise RuntimeError(f"page {page!r}: {result.status} {result.detail}")
        return tab.session_id, len(pages) + 1
    finally:
        await tab.close()


def other_sessions(own_id: str) -> int | None:
    """How many sessions besides ``own_id`` the server holds (connected or kept for reconnecting).

    None when Streamlit's session manager cannot be read (then nobody can say it is safe to freeze).
    """
    try:
        from streamlit.runtime import Runtime

        manager = Runtime.instance()._session_mgr  # no public listing; guarded, never assumed
        return sum(1 for info in manager.list_sessions() if info.session.id != own_id)
    except Exception:
        return None


def warm_then_freeze(
    url: str,
    say: Callable[[str], None] = print,
    count_others: Callable[[str], int | None] = other_sessions,
    quiet_wait: float = QUIET_WAIT_S,
    poll: float = 2.0,
) -> bool:
    """Wait for the server at ``url``, visit every page, then freeze when no visitor's session exists.

    Returns True when it froze. Every outcome is one line through ``say`` starting with ``WARM_PREFIX``.
    """
    if not wait_until(lambda: healthy(url), 600, interval=0.5):
        say(f"{WARM_PREFIX} the server never answered; not freezing")
        return False
    try:
        own_id, pages = asyncio.run(visit_every_page(url))
    except Exception as exc:
        say(f"{WARM_PREFIX} a page failed ({exc.__class__.__name__}: {exc}); not freezing")
        return False
    return freeze_when_alone(own_id, pages, say, count_others, quiet_wait, poll)


def freeze_when_alone(
    own_id: str,
    pages: int,
    say: Callable[[str], None],
    count_others: Callable[[str], int | None] = other_sessions,
    quiet_wait: float = QUIET_WAIT_S,
    poll: float = 2.0,
    freeze: Callable[[], None] = gc.freeze,
) -> bool:
    """Freeze as soon as the server holds no session but ``own_id``; give up after ``quiet_wait`` s."""
    give_up = time.monotonic() + quiet_wait
    while True:
        others = count_others(own_id)
        if others == 0:
            gc.collect()  # no garbage into the permanent generation...
            others = count_others(own_id)
            if others == 0:  # ...and still nobody else's session
                freeze()
                say(f"{WARM_MARK} {gc.get_freeze_count()} objects after visiting {pages} pages")
                return True
        if others is None:
            say(f"{WARM_PREFIX} cannot list Streamlit's sessions; not freezing")
            return False
        if time.monotonic() > give_up:
            say(f"{WARM_PREFIX} {others} visitor session(s) kept the server busy for {quiet_wait:.0f} s; not freezing")
            return False
        time.sleep(poll)


class QuietWhenUnread:
    """A text stream that discards output once nobody reads it, instead of raising into the caller.

    Everything but writing and flushing is the wrapped stream's (encoding, fileno, isatty...), so click
    and logging treat it as the stream it wraps. On the first broken pipe the file descriptor itself is
    pointed at /dev/null, so the interpreter's own flush at exit and any other writer of it go quiet too.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except (BrokenPipeError, ConnectionResetError):
            self._go_quiet()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (BrokenPipeError, ConnectionResetError):
            self._go_quiet()

    def _go_quiet(self) -> None:
        devnull = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        with contextlib.suppress(OSError, ValueError):
            os.dup2(devnull.fileno(), self._stream.fileno())
        self._stream = devnull

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def end_after_grace(grace: float = STOP_GRACE_S, exit_now: Callable[[int], None] = os._exit) -> threading.Timer:
    """Start the last-resort clock of a stop: if the process is still here after ``grace`` s, it ends."""

    def give_up() -> None:
        print(f"replica: the stop did not finish within {grace:.0f} s of the signal; exiting", file=sys.stderr)
        sys.stderr.flush()
        exit_now(0)

    timer = threading.Timer(grace, give_up)
    timer.daemon = True
    timer.start()
    return timer


def bound_streamlit_stop(grace: float = STOP_GRACE_S) -> None:
    """Have SIGTERM and SIGINT start ``end_after_grace`` before Streamlit's own handler asks the server to stop.

    Streamlit installs its handlers when its server starts, replacing any installed earlier, so the
    wrapping happens right after that, through the function it uses (looked up, never assumed). Without
    it, a handler of our own is installed now: it starts the clock, then lets Python's default act.
    """
    try:
        from streamlit.web import bootstrap
    except ImportError:
        bootstrap = None
    set_up = getattr(bootstrap, "_set_up_signal_handler", None)
    if not callable(set_up):
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(
                sig, lambda signum, frame: (end_after_grace(grace), signal.default_int_handler(signum, frame))
            )
        return

    def set_up_then_bound(server: Any) -> None:
        set_up(server)
        for sig in (signal.SIGTERM, signal.SIGINT):
            streamlit_handler = signal.getsignal(sig)

            def handler(signum: int, frame: Any, inner: Any = streamlit_handler) -> None:
                end_after_grace(grace)
                if callable(inner):
                    inner(signum, frame)

            signal.signal(sig, handler)

    bootstrap._set_up_signal_handler = set_up_then_bound


def main(argv: Sequence[str] | None = None) -> int:
    """Start the warm-up thread (unless turned off), then Streamlit with ``argv`` (default: run the app)."""
    sys.stdout = QuietWhenUnread(sys.stdout)  # before Streamlit's logging and click take hold of them
    sys.stderr = QuietWhenUnread(sys.stderr)
    bound_streamlit_stop()
    args = list(sys.argv[1:] if argv is None else argv) or ["run", str(APP_SCRIPT)]
    sys.argv = ["streamlit", *args]  # what the app's settings (``--data`` after ``--``) read
    if gc_freeze_enabled():
        host = flag_value(args, "--server.address") or "127.0.0.1"
        host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
        url = f"http://{host}:{flag_value(args, '--server.port') or '8501'}"

        def say(line: str) -> None:
            print(line, flush=True)

        threading.Thread(target=warm_then_freeze, args=(url, say), name="warm-up", daemon=True).start()
    from streamlit.web import cli

    return cli.main(args=args, prog_name="streamlit", standalone_mode=True) or 0


if __name__ == "__main__":
    sys.exit(main())
