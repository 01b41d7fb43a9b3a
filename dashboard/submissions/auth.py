"""Reviewer login: argon2 password hashes from the deployment's secrets, and a lockout shared by replicas.

Secrets (``.streamlit/secrets.toml`` or the platform's secret store)::

    [review.reviewers]
    alice = "$argon2id$v=19$m=65536,t=3,p=4$..."   # python -m dashboard review hash-password

    [review]
    allowed_emails = ["alice@example.org"]           # who may review after an OIDC login (st.login)

Five failed attempts for one reviewer name lock that name for 15 minutes, counted in the database so
every replica enforces the same lock. An unknown name is counted like a known one and costs the same
argon2 work, so the form does not tell which names exist.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboard.submissions.store import Store, utcnow

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
MAX_NAME = 100
MAX_PASSWORD = 1024

_hasher = PasswordHasher()
# Verified against when the name is unknown, so both paths cost one argon2 verification.
_DUMMY_HASH = _hasher.hash("not a reviewer password")


def hash_password(password: str) -> str:
    """The argon2id hash to put in the secrets (never store the password itself)."""
    return _hasher.hash(password)


def reviewers_from_secrets(secrets: Mapping[str, Any]) -> dict[str, str]:
    """``{name: hash}`` from ``[review.reviewers]``; anything malformed is ignored."""
    review = secrets.get("review") if hasattr(secrets, "get") else None
    table = review.get("reviewers") if isinstance(review, Mapping) else None
    if not isinstance(table, Mapping):
        return {}
    return {str(k): str(v) for k, v in table.items() if isinstance(v, str) and v.startswith("$argon2")}


def allowed_emails(secrets: Mapping[str, Any]) -> frozenset[str]:
    review = secrets.get("review") if hasattr(secrets, "get") else None
    emails = review.get("allowed_emails") if isinstance(review, Mapping) else None
    if not isinstance(emails, (list, tuple)):
        return frozenset()
    return frozenset(str(e).strip().lower() for e in emails if str(e).strip())


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str
    locked_until: datetime | None = None


WRONG = "That reviewer name or password is not right."


def _locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return (
        f"Too many failed attempts for this reviewer. Login is locked for {minutes} more "
        f"minute{'s' if minutes != 1 else ''}."
    )


def login(
    store: Store, reviewers: Mapping[str, str], name: str, password: str, *, now: datetime | None = None
) -> Outcome:
    """Check a reviewer's password, honouring and updating the shared lockout."""
    now = now or utcnow()
    name = name.strip()
    if not name or len(name) > MAX_NAME or len(password) > MAX_PASSWORD:
        return Outcome(False, WRONG)
    state = store.login_state(name)
    if state.locked_until is not None and state.locked_until > now:
        return Outcome(False, _locked_message(state.locked_until, now), state.locked_until)
    stored = reviewers.get(name)
    try:
        good = _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        good = False
    if good:
        store.login_succeeded(name)
        return Outcome(True, "")
    state = store.login_failed(name, max_failures=MAX_FAILURES, lock_seconds=LOCK_SECONDS, now=now)
    if state.locked_until is not None and state.locked_until > now:
        return Outcome(False, _locked_message(state.locked_until, now), state.locked_until)
    return Outcome(False, WRONG)
