"""``serve``: run the app as N replicas behind nginx on one port, restarting any that die.

Stops everything on SIGTERM or Ctrl-C. Exit status 0 after a clean stop; 2 when it cannot start
(no nginx, a port in use, a replica that never becomes healthy), as one plain line on stderr.
"""

from __future__ import annotations

import argparse
import sys

from dashboard.serving.supervisor import Supervisor


def _replicas(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= n <= 64:
        raise argparse.ArgumentTypeError("between 1 and 64 replicas")
    return n


def _port(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= n <= 65535:
        raise argparse.ArgumentTypeError("a port is between 1 and 65535")
    return n


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the app from N processes behind nginx (session affinity, restarts, health)",
        description=__doc__,
    )
    p.add_argument("--replicas", type=_replicas, default=2, help="app processes to run (default 2)")
    p.add_argument("--port", type=_port, default=8501, help="port nginx listens on (default 8501)")
    p.add_argument(
        "--host", default="127.0.0.1", help="address nginx listens on (default 127.0.0.1; 0.0.0.0 for every interface)"
    )
    p.add_argument("--nginx", default=None, help="nginx binary (default: nginx on PATH, else /usr/sbin/nginx)")
    p.add_argument(
        "--data", default=None, help="dataset file for every replica (default: $CLINIC_FINDER_DATA or bundled)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    app_args = ["--data", args.data] if args.data else []
    try:
        supervisor = Supervisor(args.replicas, args.port, host=args.host, app_args=app_args, nginx=args.nginx)
    except (RuntimeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    supervisor.handle_signals()
    try:
        supervisor.start()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return supervisor.run()
