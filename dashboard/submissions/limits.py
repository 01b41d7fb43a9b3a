"""Rate-limit policy and who "the client" is.

Two buckets are counted for every submission: the browser session (a person clicking Send over and
over) and the client address (one machine opening many sessions). Both are counted in the database
(``store.Store.add``), so every replica sees the same counts.

The client address: Streamlit reports the websocket peer as ``None`` for loopback, which is what the
app sees behind a reverse proxy on the same host (nginx, as ``dashboard serve`` runs it). Only then is
``X-Forwarded-For`` believed, and only its right-most entry — the one our own proxy appended; the
entries to its left are whatever the browser sent. A peer that is not loopback or private is the
client itself, and its ``X-Forwarded-For`` is ignored (anyone can send that header).
``CLINIC_FINDER_PROXY_HOPS`` (default 1) says how many proxies of ours append to the header.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

from dashboard import config


@dataclass(frozen=True)
class Limit:
    """At most ``count`` submissions in ``seconds``."""

    count: int
    seconds: int


@dataclass(frozen=True)
class Policy:
    per_session: Limit = Limit(5, 10 * 60)
    per_client: Limit = Limit(20, 60 * 60)


DEFAULT_POLICY = Policy()


class RateLimitedError(Exception):
    """Too many submissions; ``retry_after`` seconds until the oldest counted one leaves the window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many submissions; try again in {retry_after} s")
        self.retry_after = retry_after

    def message(self) -> str:
        minutes = max(1, round(self.retry_after / 60))
        return (
            "You have sent several submissions in a short time. To keep the review queue usable, please wait "
            f"about {minutes} minute{'s' if minutes != 1 else ''} and try again. What you typed is still here."
        )


def _is_internal(address: str | None) -> bool:
    if address is None:
        return True  # Streamlit reports loopback peers as None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local


def client_address(peer: str | None, headers: Mapping[str, str], hops: int | None = None) -> str:
    """The address to count a client by (see the module docstring)."""
    hops = config.proxy_hops() if hops is None else hops
    forwarded = ""
    for key, value in headers.items():
        if key.lower() == "x-forwarded-for":
            forwarded = value
    entries = [e.strip() for e in forwarded.split(",") if e.strip()]
    if hops and _is_internal(peer) and entries:
        return entries[-min(hops, len(entries))]
    return peer or "local"


def bucket_for_client(address: str) -> str:
    """The rate-limit bucket of an address: hashed, so the table never holds a readable address."""
    digest = hashlib.sha256(("kcf-rate-limit:" + address).encode("utf-8", "replace")).hexdigest()
    return "client:" + digest[:40]


def bucket_for_session(session_id: str) -> str:
    return "session:" + hashlib.sha256(session_id.encode("utf-8", "replace")).hexdigest()[:40]
