"""Load over Streamlit's real protocol: ``python -m bench load [--sessions 20] [--soak] [--serve 1,2] ...``.

Many browser tabs at once (``dashboard.wsclient.Session``), each a closed loop (the next interaction is
sent when the previous one has finished, as fast as the server answers), against

* the app, started here the way ``python -m dashboard serve`` starts a replica (``dashboard.replica``),
* and, in the same run, a bare one-line Streamlit page started with the same flags and config file,
  driven by the same client with the same visits (pages and widgets it does not have become plain
  reruns) — the baseline. Rounds alternate app and bare so both see the same machine.

Visits (seeded, so every run replays the same mix):

* finder (60 %): open ``/?near=<ZIP>&radius=..&route=..`` (a shared link: new tab, new session), then
  tick or untick a route or condition box, or type another ZIP into "Search near"; sometimes read About;
* questionnaire (25 %): open ``/intake``, press Next a few times and Back once;
* About (15 %): open ``/about``, then the finder.

An interaction is one ``rerun_script``; its time runs from sending it to ``script_finished``. Only runs
that finished successfully, on the page asked for and without an exception element count; anything else
is an error and fails the run. Widgets the app no longer has (pages get rewritten) are reported as
"fallback" interactions, so a changed page cannot silently shrink the workload.

Modes: the default table (app vs bare per session count; ``--frame`` adds the app's frame with empty
pages, the floor any page of the app starts from); ``--soak`` (sessions × reruns each, server RSS
sampled over time, growth after warm-up); ``--url`` (drive a running server, e.g. ``dashboard serve``);
``--serve 1,2`` (start ``dashboard serve`` with 1 then 2 replicas and compare, optionally killing one
replica mid-run with ``--kill-after``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import vocab
from dashboard.config import PROJECT_ROOT, gc_freeze_enabled
from dashboard.serving.readiness import WARM_PREFIX, healthy
from dashboard.serving.supervisor import free_port, replica_command, streamlit_flags
from dashboard.serving.wsclient import RunResult, Session

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
# ZIP codes spread over the country (resolved offline by the app), so searches hit different listings.
ZIPS = ("85719", "10017", "60601", "98101", "30303", "80202", "02115", "33101", "94103", "78701", "55401",
        "63101", "97201", "84101", "37203", "70112", "20001", "48226", "15222", "96813")  # fmt: skip
RADII = ("25", "50", "100", "250", "500", "any")
ROUTES = tuple(t.code for t in vocab.ROUTES)
CONDITIONS = tuple(t.code for t in vocab.CONDITIONS)
CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


# --- servers and their processes ------------------------------------------------------------------
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


# --- the visits -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One interaction: ``open`` a page in a new tab, ``goto`` another page, or act on the page shown."""

    action: str  # open | goto | toggle | type | next | back
    page: str = ""
    query: str = ""


def finder_query(rng: random.Random) -> str:
    params: list[tuple[str, str]] = [("near", rng.choice(ZIPS)), ("radius", rng.choice(RADII))]
    if rng.random() < 0.6:
        params.append(("route", rng.choice(ROUTES)))
    if rng.random() < 0.4:
        params.append(("condition", rng.choice(CONDITIONS)))
    return urllib.parse.urlencode(params)


VISIT_KINDS = ("finder", "intake", "about")
MIX = (0.60, 0.25, 0.15)  # shares of finder, questionnaire and About visits


def visit(rng: random.Random, kinds: Sequence[str] = VISIT_KINDS) -> list[Step]:
    """One visitor's tab, from opening a link to leaving; ``kinds`` restricts the mix (e.g. finder only)."""
    weights = [w for k, w in zip(VISIT_KINDS, MIX, strict=True) if k in kinds]
    kind = rng.choices([k for k in VISIT_KINDS if k in kinds], weights)[0]
    if kind == "finder":
        steps = [Step("open", "", finder_query(rng))]
        steps += [Step(rng.choice(("toggle", "toggle", "type"))) for _ in range(rng.randint(1, 3))]
        if len(kinds) > 1 and rng.random() < 0.2:
            steps.append(Step("goto", "about"))
        return steps
    if kind == "intake":
        return [Step("open", "intake"), *[Step("next") for _ in range(rng.randint(2, 4))], Step("back")]
    return [Step("open", "about"), *([Step("goto", "", "")] if len(kinds) > 1 else [Step("rerun", "about")])]


async def perform(session: Session, step: Step, rng: random.Random, bare: bool) -> tuple[RunResult, str]:
    """Do ``step`` in ``session``; returns the result and what was really done (``fallback`` if not found)."""
    page = "" if bare else step.page
    if step.action == "goto":
        return await session.rerun(page=page, query=step.query), "goto"
    if step.action == "toggle":
        boxes = [
            w
            for w in session.widgets.values()
            if w.kind == "checkbox" and (w.key or "").startswith(("route_", "condition_"))
        ]
        if boxes:
            box = rng.choice(boxes)
            return await session.rerun(widgets={box.id: not bool(box.value)}), "toggle"
    elif step.action == "type":
        near = session.widget("near")
        if near is not None:
            return await session.rerun(widgets={near.id: rng.choice(ZIPS)}), "type"
    elif step.action in ("next", "back"):
        label = "next" if step.action == "next" else "back"
        buttons = [w for w in session.widgets.values() if w.kind == "button" and w.label.strip().lower() == label]
        if buttons:
            return await session.rerun(widgets={buttons[0].id: "trigger"}), step.action
    return await session.rerun(), "rerun" if bare or step.action == "rerun" else "fallback"


# --- running the load -----------------------------------------------------------------------------
@dataclass
class Sample:
    done_at: float
    result: RunResult
    action: str


@dataclass
class LoadResult:
    """Everything one load run measured."""

    target: str
    sessions: int
    seconds: float
    samples: list[Sample]
    rss_peak: int | None
    cpu_per_run: float | None
    rss_curve: list[tuple[float, int, int]] = field(default_factory=list)  # (elapsed s, reruns done, RSS bytes)
    notes: list[str] = field(default_factory=list)
    growth: float | None = None  # soak: RSS growth after warm-up, % (None when too short to judge)

    @property
    def ok(self) -> list[Sample]:
        return [s for s in self.samples if s.result.ok]

    @property
    def errors(self) -> list[Sample]:
        return [s for s in self.samples if not s.result.ok]

    @property
    def throughput(self) -> float:
        return len(self.ok) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        times = sorted(s.result.seconds for s in self.ok)
        if not times:
            return float("nan")
        return times[min(len(times) - 1, max(0, round(q * (len(times) - 1))))]


class Load:
    """``sessions`` closed-loop tabs against ``url`` until ``stop`` or each has done ``reruns_each``."""

    def __init__(
        self,
        url: str,
        sessions: int,
        bare: bool,
        seed: int = 1,
        reruns_each: int | None = None,
        kinds: Sequence[str] = VISIT_KINDS,
        timeout: float = 120.0,
    ) -> None:
        self.url, self.sessions, self.bare, self.seed, self.kinds = url, sessions, bare, seed, tuple(kinds)
        self.reruns_each = reruns_each
        self.timeout = timeout  # s: a rerun slower than this counts as failed ("timeout")
        self.samples: list[Sample] = []
        self.stop = asyncio.Event()
        self.done = 0

    async def _tab_loop(self, index: int) -> None:
        rng = random.Random(self.seed * 1000 + index)
        count = 0
        while not self.stop.is_set():
            steps = visit(rng, self.kinds)
            session = Session(self.url, timeout=self.timeout)
            try:
                await session.open("" if self.bare else steps[0].page, steps[0].query)
            except Exception as exc:  # a tab that cannot even connect is an error, then it tries again
                self.samples.append(
                    Sample(time.monotonic(), RunResult(False, 0.0, "connect failed", "", detail=repr(exc)), "open")
                )
                await asyncio.sleep(0.5)
                continue
            try:
                for i, step in enumerate(steps):
                    if self.stop.is_set():
                        break
                    if i == 0:
                        result, action = await session.rerun(), "open"
                    else:
                        result, action = await perform(session, step, rng, self.bare)
                    self.samples.append(Sample(time.monotonic(), result, action))
                    self.done += 1
                    count += 1
                    if not result.ok and result.status in ("connection lost", "timeout"):
                        break  # the tab reconnects as a new visitor, as a browser would after a reload
                    if self.reruns_each is not None and count >= self.reruns_each:
                        return
            finally:
                await session.close()

    async def run(self, seconds: float | None) -> None:
        self.stop = asyncio.Event()
        tasks = [asyncio.create_task(self._tab_loop(i)) for i in range(self.sessions)]
        if seconds is not None:
            await asyncio.sleep(seconds)
            self.stop.set()
        await asyncio.gather(*tasks)


async def _sample_rss(
    server: Server, load: Load, started: float, curve: list, every: float, stop: asyncio.Event
) -> None:
    while not stop.is_set():
        curve.append((time.monotonic() - started, load.done, rss_bytes(server.pids())))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)


async def _warm(url: str, bare: bool) -> None:
    """One tab visits every page once, so first-run costs (imports, caches) stay out of the numbers."""
    session = Session(url)
    await session.open("", "near=85719&radius=100")
    await session.rerun()
    if not bare:
        for page in ("intake", "about", ""):
            await session.rerun(page=page, query="")
    await session.close()


def measure(
    server: Server,
    sessions: int,
    seconds: float,
    warmup: float,
    bare: bool,
    kill_after: float | None = None,
    kinds: Sequence[str] = VISIT_KINDS,
) -> LoadResult:
    """Warm, then ``sessions`` tabs for ``warmup + seconds``; only the last ``seconds`` are counted."""

    async def go() -> LoadResult:
        await _warm(server.url, bare)
        load = Load(server.url, sessions, bare, kinds=kinds)
        runner = asyncio.create_task(load.run(warmup + seconds))
        await asyncio.sleep(warmup)
        t0 = time.monotonic()
        cpu0 = cpu_seconds(server.pids())
        curve: list = []
        stop = asyncio.Event()
        sampler = asyncio.create_task(_sample_rss(server, load, t0, curve, 0.5, stop))
        notes: list[str] = []
        if kill_after is not None and server.root_pid:
            await asyncio.sleep(kill_after)
            victims = replica_pids(server.root_pid)
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                notes.append(f"killed replica pid {victims[0]} (SIGKILL) {kill_after:.0f} s into the window")
        await runner
        t1 = time.monotonic()
        cpu1 = cpu_seconds(server.pids())
        stop.set()
        await sampler
        counted = [s for s in load.samples if t0 <= s.done_at <= t1]
        n_ok = sum(1 for s in counted if s.result.ok)
        rss = max((r for _, _, r in curve), default=0) or None
        result = LoadResult(
            server.name, sessions, t1 - t0, counted, rss, (cpu1 - cpu0) / n_ok if n_ok else None, curve, notes
        )
        if kill_after is not None:
            kill_t = t0 + kill_after
            later = [s for s in counted if s.done_at > kill_t + 5 and s.action == "open"]
            result.notes.append(
                f"after the kill: {sum(s.result.ok for s in later)}/{len(later)} new tabs "
                "(opened more than 5 s after it) completed"
            )
        return result

    return asyncio.run(go())


def soak(
    server: Server, sessions: int, reruns_each: int, every: float, kinds: Sequence[str] = VISIT_KINDS
) -> LoadResult:
    """``sessions`` tabs doing ``reruns_each`` interactions each, server RSS sampled every ``every`` s."""

    async def go() -> LoadResult:
        await _warm(server.url, bare=False)
        load = Load(server.url, sessions, bare=False, reruns_each=reruns_each, kinds=kinds)
        t0 = time.monotonic()
        cpu0 = cpu_seconds(server.pids())
        curve: list = []
        stop = asyncio.Event()
        sampler = asyncio.create_task(_sample_rss(server, load, t0, curve, every, stop))
        await load.run(None)
        t1 = time.monotonic()
        cpu1 = cpu_seconds(server.pids())
        curve.append((t1 - t0, load.done, rss_bytes(server.pids())))
        stop.set()
        await sampler
        n_ok = sum(1 for s in load.samples if s.result.ok)
        return LoadResult(
            server.name,
            sessions,
            t1 - t0,
            load.samples,
            max(r for _, _, r in curve),
            (cpu1 - cpu0) / n_ok if n_ok else None,
            curve,
        )

    return asyncio.run(go())


# --- reporting ------------------------------------------------------------------------------------
def fmt_ms(s: float) -> str:
    return "-" if s != s else (f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s")


def fmt_mb(b: int | None) -> str:
    return "-" if not b else f"{b / 1e6:.0f} MB"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


def describe_errors(results: Sequence[LoadResult]) -> list[str]:
    lines = []
    for r in results:
        errors = Counter((s.result.status, s.result.page, s.result.detail[:120]) for s in r.errors)
        for (status, page, detail), n in errors.most_common(5):
            lines.append(f"  {r.target} x{r.sessions}: {n} x {status} on page {page!r} {detail}")
    return lines


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def action_mix(results: Sequence[LoadResult]) -> str:
    counts: Counter[str] = Counter()
    for r in results:
        counts.update(s.action for s in r.samples)
    return ", ".join(f"{k} {v}" for k, v in counts.most_common())


# --- command line ---------------------------------------------------------------------------------
def _kinds(text: str) -> list[str]:
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    unknown = sorted(set(kinds) - set(VISIT_KINDS))
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(f"pages are {', '.join(VISIT_KINDS)}; not {', '.join(unknown) or 'none'}")
    return kinds


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench load", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--sessions", type=_ints, default=None, help="concurrent tabs, or a list: 1,5,20 (default 20; soak 50)"
    )
    p.add_argument("--seconds", type=float, default=30.0, help="measured window per target (default 30)")
    p.add_argument("--warmup", type=float, default=5.0, help="load before the window, not counted (default 5)")
    p.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="alternate app and bare (or the --serve counts) this many times (default 1)",
    )
    p.add_argument("--quick", action="store_true", help="a smoke run: 5 tabs, 8 s windows, short soak")
    p.add_argument("--no-bare", action="store_true", help="skip the bare-page baseline")
    p.add_argument(
        "--frame",
        action="store_true",
        help="also measure the app's frame with empty pages (navigation, crisis sidebar, title, disclaimer)",
    )
    p.add_argument(
        "--pages",
        type=_kinds,
        default=list(VISIT_KINDS),
        help="visits to make: finder,intake,about (default all three, mixed 60/25/15)",
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="OPTION=VALUE",
        help="a streamlit option for both servers, e.g. runner.postScriptGC=true (repeatable)",
    )
    p.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="environment for the app server, e.g. CLINIC_FINDER_GC_FREEZE=0 (repeatable)",
    )
    p.add_argument("--url", help="drive this running server instead of starting one (e.g. dashboard serve's port)")
    p.add_argument("--pid", type=int, help="with --url: process (tree) to measure RSS and CPU of")
    p.add_argument("--serve", type=_ints, help="start `dashboard serve` with these replica counts, e.g. 1,2")
    p.add_argument("--kill-after", type=float, help="with --serve: SIGKILL one replica this many s into the window")
    p.add_argument("--soak", action="store_true", help="sessions x reruns each, RSS sampled (default 50 x 1000)")
    p.add_argument("--reruns", type=int, default=1000, help="soak: interactions per tab (default 1000)")
    p.add_argument("--sample-every", type=float, default=5.0, help="soak: RSS sampling interval in s (default 5)")
    return p


def _overrides(sets: Sequence[str]) -> list[str]:
    out = []
    for item in sets:
        name, _, value = item.partition("=")
        out += [f"--{name.strip()}", value.strip()]
    return out


def _env(items: Sequence[str]) -> dict[str, str]:
    return dict(item.split("=", 1) for item in items)


def compare(args: argparse.Namespace) -> list[LoadResult]:
    """App vs bare at each session count, ``rounds`` times, alternating; prints one table."""
    overrides = _overrides(args.set)
    results: list[LoadResult] = []
    print(f"machine: {os.cpu_count()} cores, load average {load_average()} (1/5/15 min) at start", file=sys.stderr)
    app = frame = bare = None
    try:
        app = start_app(overrides, _env(args.env))
        frame = start_frame(overrides) if args.frame else None
        bare = None if args.no_bare else start_bare(overrides)
        for rnd in range(args.rounds):
            for n in args.sessions:
                for server, is_bare in ((app, False), (frame, False), (bare, True)):
                    if server is None:
                        continue
                    print(f"round {rnd + 1}: {server.name} x{n} ...", file=sys.stderr, flush=True)
                    results.append(measure(server, n, args.seconds, args.warmup, bare=is_bare, kinds=args.pages))
    finally:
        for server in (app, frame, bare):
            if server is not None:
                server.stop()
    rows = []
    for r in results:
        base = _bare_of(results, r)
        ratio = f"{r.throughput / base.throughput:.2f}x" if base and r.target != "bare" and base.throughput else "-"
        cpu = "-" if r.cpu_per_run is None else f"{r.cpu_per_run * 1000:.0f} ms"
        rows.append(
            [
                r.target,
                str(r.sessions),
                str(len(r.ok)),
                f"{r.throughput:.1f}",
                fmt_ms(r.percentile(0.5)),
                fmt_ms(r.percentile(0.95)),
                fmt_mb(r.rss_peak),
                cpu,
                str(len(r.errors)),
                ratio,
            ]
        )
    print_table(
        ("server", "sessions", "reruns", "reruns/s", "p50", "p95", "server RSS", "CPU/rerun", "errors", "app/bare"),
        rows,
    )
    print(f"\nload average at end: {load_average()}; client CPU {_client_cpu():.0f} s; mix: {action_mix(results)}")
    for line in describe_errors(results):
        print(line)
    return results


def _bare_of(results: list[LoadResult], r: LoadResult) -> LoadResult | None:
    """The bare run measured right after ``r`` (same round, same session count)."""
    i = next(i for i, x in enumerate(results) if x is r)
    return next((b for b in results[i:] if b.target == "bare" and b.sessions == r.sessions), None)


def _client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_soak(args: argparse.Namespace) -> list[LoadResult]:
    sessions = args.sessions[0]
    reruns = args.reruns
    if args.quick:
        sessions, reruns = min(sessions, 10), min(reruns, 30)
    print(f"soak: {sessions} tabs x {reruns} interactions; load average {load_average()}", file=sys.stderr)
    server = start_app(_overrides(args.set), _env(args.env))
    try:
        result = soak(server, sessions, reruns, args.sample_every, kinds=args.pages)
    finally:
        server.stop()
    curve = result.rss_curve
    warm_index = next((i for i, (_, done, _) in enumerate(curve) if done >= 0.1 * sessions * reruns), 0)
    base = curve[warm_index][2]
    step = max(1, len(curve) // 24)  # about 25 rows, always with the first and the last sample
    shown = [*curve[:-1:step], curve[-1]]
    print_table(
        ("elapsed", "reruns done", "server RSS", "vs warm"),
        [[f"{t:.0f} s", str(done), fmt_mb(rss), f"{(rss - base) / base * 100:+.1f}%"] for t, done, rss in shown],
    )
    growth = (curve[-1][2] - base) / base * 100
    half = next((rss for _, done, rss in curve if done >= 0.5 * sessions * reruns), base)
    second_half = (curve[-1][2] - half) / half * 100
    print(
        f"\nRSS after 10% of the reruns: {fmt_mb(base)}; at the end: {fmt_mb(curve[-1][2])}; growth {growth:+.1f}% "
        f"(target < 10%); over the second half {second_half:+.1f}%; peak {fmt_mb(result.rss_peak)}"
    )
    if sessions * reruns < 5000:
        print(
            "(a short soak: the app's caches - maps per result set, places - are still filling; judge growth on "
            "the full one)"
        )
    print(
        f"{len(result.ok)} reruns ok, {len(result.errors)} errors, {result.throughput:.1f} reruns/s, "
        f"p50 {fmt_ms(result.percentile(0.5))}, p95 {fmt_ms(result.percentile(0.95))}; load average {load_average()}"
    )
    for line in describe_errors([result]):
        print(line)
    result.growth = growth if sessions * reruns >= 5000 else None
    return [result]


def run_serve(args: argparse.Namespace) -> list[LoadResult]:
    """``dashboard serve`` with each replica count, all started first, measured in alternating rounds.

    Alternating (x1, x2, x1, x2, ...) gives every count the same share of a noisy machine; the ratio is
    against the first count measured in the same round.
    """
    results = []
    print(f"machine: {os.cpu_count()} cores, load average {load_average()} at start", file=sys.stderr)
    servers: list[Server] = []
    try:
        for replicas in args.serve:
            servers.append(start_serve(replicas))
        for rnd in range(args.rounds):
            for server in servers:
                for n in args.sessions:
                    print(f"round {rnd + 1}: {server.name}: {n} tabs ...", file=sys.stderr, flush=True)
                    results.append(
                        measure(server, n, args.seconds, args.warmup, False, args.kill_after, kinds=args.pages)
                    )
    finally:
        for server in servers:
            server.stop()
    rows = []
    per_round = len(servers) * len(args.sessions)
    for i, r in enumerate(results):
        first = (i // per_round) * per_round
        ref = next(b for b in results[first : first + per_round] if b.sessions == r.sessions)
        cpu = "-" if r.cpu_per_run is None else f"{r.cpu_per_run * 1000:.0f} ms"
        rows.append(
            [
                r.target,
                str(r.sessions),
                str(len(r.ok)),
                f"{r.throughput:.1f}",
                fmt_ms(r.percentile(0.5)),
                fmt_ms(r.percentile(0.95)),
                fmt_mb(r.rss_peak),
                cpu,
                str(len(r.errors)),
                f"{r.throughput / ref.throughput:.2f}x" if ref.throughput else "-",
            ]
        )
    print_table(
        (
            "through nginx",
            "sessions",
            "reruns",
            "reruns/s",
            "p50",
            "p95",
            "RSS (all)",
            "CPU/rerun",
            "errors",
            f"vs {results[0].target}",
        ),
        rows,
    )
    print(f"\nload average at end: {load_average()}; mix: {action_mix(results)}")
    for r in results:
        for note in r.notes:
            print(f"  {r.target} x{r.sessions}: {note}")
    for line in describe_errors(results):
        print(line)
    return results


def run_url(args: argparse.Namespace) -> list[LoadResult]:
    server = Server("url", args.url.rstrip("/"), root_pid=args.pid)
    results = [measure(server, n, args.seconds, args.warmup, bare=False, kinds=args.pages) for n in args.sessions]
    rows = [
        [
            args.url,
            str(r.sessions),
            str(len(r.ok)),
            f"{r.throughput:.1f}",
            fmt_ms(r.percentile(0.5)),
            fmt_ms(r.percentile(0.95)),
            fmt_mb(r.rss_peak),
            "-" if r.cpu_per_run is None else f"{r.cpu_per_run * 1000:.0f} ms",
            str(len(r.errors)),
        ]
        for r in results
    ]
    print_table(("server", "sessions", "reruns", "reruns/s", "p50", "p95", "RSS", "CPU/rerun", "errors"), rows)
    for line in describe_errors(results):
        print(line)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.sessions is None:
        args.sessions = [50] if args.soak else [20]
    if args.quick and not args.soak:
        args.sessions, args.seconds, args.warmup = [5], 8.0, 2.0
    if args.soak:
        results = run_soak(args)
    elif args.serve:
        results = run_serve(args)
    elif args.url:
        results = run_url(args)
    else:
        results = compare(args)
    expected_losses = args.kill_after is not None
    errors = [s for r in results for s in r.errors if not (expected_losses and s.result.status == "connection lost")]
    grew = [r for r in results if r.growth is not None and r.growth >= 10.0]
    return 1 if errors or grew else 0


if __name__ == "__main__":
    sys.exit(main())
