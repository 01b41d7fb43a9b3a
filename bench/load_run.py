"""Running the load benchmark: sessions in closed loops against one server, rounds alternating app and
bare page, and the soak (RSS over time); the results that the table in bench/load.py reports."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.load_servers import Server, cpu_seconds, replica_pids, rss_bytes
from bench.load_visits import VISIT_KINDS, perform, visit
from dashboard.serving.wsclient import RunResult, Session


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
