"""When an app process is ready for visitors: it answers its health check and has warmed up.

Shared by the supervisor (which waits for every replica before nginx starts), the replica (which waits
for its own server before warming up) and the load benchmark.
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable

HEALTH_PATH = "/_stcore/health"
WARM_PREFIX = "warm-up:"  # every outcome of a replica's warm-up is one line starting with this
WARM_MARK = f"{WARM_PREFIX} froze"  # ...and this one says its heap is frozen


def healthy(url: str, timeout: float = 2.0) -> bool:
    """True when ``url`` + /_stcore/health answers 200."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + HEALTH_PATH, timeout=timeout) as resp:
            return resp.status == 200
    except OSError:
        return False


def wait_until(
    condition: Callable[[], bool],
    timeout: float,
    interval: float = 0.2,
    stopped: Callable[[], bool] = lambda: False,
) -> bool:
    """Poll ``condition`` until it holds (True) or ``timeout`` seconds pass, or ``stopped`` says to give up
    (False). A condition may raise to say it can never hold (a process that exited)."""
    deadline = time.monotonic() + timeout
    while not stopped():
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
    return False
