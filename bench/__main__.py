"""Run every benchmark module and print one table: ``python -m bench [--quick] [NAME ...]``.

``python -m bench load ...`` is the load benchmark over Streamlit's websocket protocol (``bench.load``).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time

import bench
from bench.common import Row


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["load"]:
        from bench import load

        return load.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="only these modules (e.g. search map pdf)")
    parser.add_argument("--quick", action="store_true", help="fewer repeats and smaller sizes (a smoke run)")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    started = time.perf_counter()
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        short = info.name.removeprefix("bench_")
        if args.names and short not in args.names:
            continue
        module = importlib.import_module(f"bench.{info.name}")
        print(f"running {short} ...", file=sys.stderr, flush=True)
        rows.extend(module.run(quick=args.quick))
    print_table(rows)
    print(f"\ntotal bench time: {time.perf_counter() - started:.1f} s")
    return 0 if all(r.ok is not False for r in rows) else 1


def print_table(rows: list[Row]) -> None:
    headers = ("benchmark", "measured", "baseline (same run)", "ratio", "target", "met")
    cells = [
        (r.bench, r.measured, r.baseline, r.ratio, r.target, {True: "yes", False: "NO", None: "-"}[r.ok]) for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-+-".join("-" * w for w in widths))
    for c in cells:
        print(" | ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)))


if __name__ == "__main__":
    sys.exit(main())
