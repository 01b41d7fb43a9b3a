"""Load over Streamlit's real protocol: ``python -m bench load [--sessions 20] [--soak] [--serve 1,2] ...``.

Many browser tabs at once (``dashboard.serving.wsclient.Session``), each a closed loop (the next interaction is
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
import os
import resource
import sys
from collections import Counter
from collections.abc import Sequence

from bench.load_run import LoadResult, measure, soak
from bench.load_servers import Server, start_app, start_bare, start_frame, start_serve
from bench.load_visits import VISIT_KINDS


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
