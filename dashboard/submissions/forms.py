"""What a stranger typed → a validated report or clinic submission, or plain messages per field.

Everything here is untrusted input. Rules:

* Sizes are bounded (a description at most 1,000 characters, every other field far less).
* Text is stored verbatim — never rewritten, never interpreted — except that control characters
  (``dashboard.text``; line breaks and tabs are kept) and unpaired surrogates are refused with a message,
  because no database stores a NUL and nobody types one.
* A clinic submission must name a public ``http(s)`` page of the clinic that states the facts (every
  listing traces to a public source), and its listing facts pass ``clinics.validate_row``: the same rules
  as ``check-data``. Coordinates come from the offline gazetteer (ZIP centre, else city centre).
* The honeypot field is invisible to people; anything in it marks the submission as a bot's.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from dashboard import vocab
from dashboard.directory.clinics import validate_row
from dashboard.places.gazetteer import city_place, zip_place
from dashboard.states import US_STATES
from dashboard.submissions.models import MAX_DESCRIPTION, MAX_EMAIL, MAX_URL
from dashboard.text import cell_text, has_controls, is_http_url

# Field sizes (characters). The database columns are at least this wide.
LIMITS: dict[str, int] = {
    "description": MAX_DESCRIPTION,
    "email": MAX_EMAIL,
    "source_url": MAX_URL,
    "website": MAX_URL,
    "name": 200,
    "street": 200,
    "city": 100,
    "phone": 40,
    "price_note": 300,
    "listing_id": 200,
}
MAX_PRICE_USD = 100_000

# The facts a clinic can submit: the listing's own columns (clinics.COLUMNS) a form shows.
CLINIC_FIELDS: tuple[str, ...] = (
    "name",
    "street",
    "city",
    "state",
    "zip",
    "phone",
    "website",
    "routes",
    "conditions",
    "ketamine_assisted_psychotherapy",
    "accepts_insurance",
    "self_pay_price_usd",
    "price_note",
    "va_community_care",
)
YES_NO_FIELDS: tuple[str, ...] = ("ketamine_assisted_psychotherapy", "accepts_insurance", "va_community_care")
# Answers for a yes/no fact: "" is "not stated" (the listing keeps it unknown).
YES_NO_CHOICES: dict[str, str] = {"": "Not stated", "true": "Yes", "false": "No"}

_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
_ZIP_RE = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class Report:
    """A validated "report a problem"."""

    listing_id: str
    problem: str
    description: str
    email: str | None


@dataclass(frozen=True)
class ClinicSubmission:
    """A validated "add or update your clinic": ``fields`` are the dataset's text cells (no id)."""

    listing_id: str | None  # the listing it updates; None for a new listing
    fields: dict[str, str]
    source_url: str
    role: str
    email: str


@dataclass
class Checked:
    """The result of validating a form: either ``value`` or ``errors`` (field → plain message)."""

    value: Report | ClinicSubmission | None = None
    errors: dict[str, str] = field(default_factory=dict)
    is_bot: bool = False

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.errors


def _text(raw: Mapping[str, Any], key: str) -> str:
    return cell_text(raw.get(key))


def text_problem(value: str, limit: int) -> str | None:
    """Why a piece of text cannot be stored, or None."""
    if len(value) > limit:
        return f"Please keep this to {limit:,} characters (it has {len(value):,})."
    if has_controls(value, keep="\t\n\r"):  # stored as typed: a multi-line text keeps its lines
        return "This contains control characters that cannot be saved; please retype it."
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "This contains characters that cannot be saved; please retype it."
    return None


def email_problem(value: str) -> str | None:
    if not _EMAIL_RE.match(value) or text_problem(value, MAX_EMAIL):
        return "That does not look like an email address (name@example.org)."
    return None


def public_url_problem(value: str) -> str | None:
    """A public http(s) page: not a private, loopback or bare host name."""
    if text_problem(value, MAX_URL) or not is_http_url(value):
        return "Give the full address of a public web page, starting with https:// or http://."
    host = (urlsplit(value).hostname or "").lower()
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        if not ip.is_global:
            return "That address is not a public web page."
    elif "." not in host or host.endswith((".local", ".localhost", ".internal", ".lan")) or host == "localhost":
        return "That address is not a public web page."
    return None


def is_bot(raw: Mapping[str, Any]) -> bool:
    """The honeypot field is hidden from people; only a form-filling robot puts text in it."""
    return bool(_text(raw, "website_confirm").strip())


def check_report(raw: Mapping[str, Any], known_ids: frozenset[str] | set[str]) -> Checked:
    """Validate a "report a problem" form (keys: listing_id, problem, description, email, website_confirm)."""
    out = Checked(is_bot=is_bot(raw))
    listing_id = _text(raw, "listing_id").strip()
    problem = _text(raw, "problem").strip()
    description = _text(raw, "description")
    email = _text(raw, "email").strip()
    if listing_id not in known_ids:
        out.errors["listing_id"] = "Choose the listing this report is about."
    if problem not in vocab.REPORT_PROBLEMS:
        out.errors["problem"] = "Choose what is wrong."
    if not description.strip():
        out.errors["description"] = "Please say briefly what is wrong."
    elif problem_text := text_problem(description, MAX_DESCRIPTION):
        out.errors["description"] = problem_text
    if email and (problem_text := email_problem(email)):
        out.errors["email"] = problem_text
    if not out.errors:
        out.value = Report(listing_id=listing_id, problem=problem, description=description, email=email or None)
    return out


def _codes(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, set, frozenset)):
        return [str(v) for v in value]
    return [p.strip() for p in str(value or "").split(";") if p.strip()]


def _locate(cells: dict[str, str]) -> tuple[str, str, str] | None:
    """Coordinates and precision from the offline gazetteer: the ZIP centre, else the city centre."""
    place = zip_place(cells["zip"]) if _ZIP_RE.match(cells["zip"]) else None
    if place is None and cells["city"] and cells["state"]:
        place = city_place(cells["city"], cells["state"])
    if place is None:
        return None
    return f"{place.lat:.4f}", f"{place.lon:.4f}", place.precision


def check_clinic(
    raw: Mapping[str, Any], known_ids: frozenset[str] | set[str], current: Mapping[str, str] | None = None
) -> Checked:
    """Validate an "add or update your clinic" form.

    ``raw`` keys: the ``CLINIC_FIELDS`` (routes/conditions as lists of codes, yes/no facts as "", "true",
    "false"), ``listing_id`` (empty for a new listing), ``source_url``, ``role``, ``email``,
    ``website_confirm``. ``current``: the listing being updated, as text cells; when its ZIP and city are
    unchanged its coordinates are kept (they may be street-level).
    """
    out = Checked(is_bot=is_bot(raw))
    listing_id = _text(raw, "listing_id").strip() or None
    if listing_id is not None and listing_id not in known_ids:
        out.errors["listing_id"] = "That listing is not in the directory any more; submit it as a new clinic."

    cells: dict[str, str] = {}
    for key in CLINIC_FIELDS:
        if key in ("routes", "conditions"):
            cells[key] = ";".join(dict.fromkeys(_codes(raw.get(key))))
            continue
        value = _text(raw, key).strip()
        if key in LIMITS and (msg := text_problem(value, LIMITS[key])):
            out.errors[key] = msg
        cells[key] = value
    cells["state"] = cells["state"].upper()
    if cells["state"] and cells["state"] not in US_STATES:
        out.errors["state"] = "Choose a US state or territory."
    for key in YES_NO_FIELDS:
        if cells[key] not in YES_NO_CHOICES:
            out.errors[key] = "Choose yes, no or not stated."
    if cells["self_pay_price_usd"]:
        try:
            price = float(cells["self_pay_price_usd"].replace("$", "").replace(",", ""))
            if not math.isfinite(price) or not 0 <= price <= MAX_PRICE_USD:
                raise ValueError
            cells["self_pay_price_usd"] = f"{price:g}"
        except ValueError:
            out.errors["self_pay_price_usd"] = "Give the price as a number of dollars, or leave it empty."
    if cells["zip"] and not _ZIP_RE.match(cells["zip"]):
        out.errors["zip"] = "A ZIP code has 5 digits."

    source_url = _text(raw, "source_url").strip()
    if not source_url:
        out.errors["source_url"] = "Give the public page of your clinic that states these facts."
    elif msg := public_url_problem(source_url):
        out.errors["source_url"] = msg
    if cells["website"] and (msg := public_url_problem(cells["website"])):
        out.errors["website"] = msg
    role = _text(raw, "role").strip()
    if role not in vocab.SUBMITTER_ROLES:
        out.errors["role"] = "Say how you are connected to the clinic."
    email = _text(raw, "email").strip()
    if not email:
        out.errors["email"] = "Give an email address so a reviewer can check with you."
    elif msg := email_problem(email):
        out.errors["email"] = msg

    if "zip" not in out.errors and "city" not in out.errors and "state" not in out.errors:
        keep = (
            current is not None
            and current.get("zip", "") == cells["zip"]
            and current.get("city", "").lower() == cells["city"].lower()
            and current.get("state", "") == cells["state"]
        )
        if keep:
            cells["lat"], cells["lon"] = current["lat"], current["lon"]
            cells["location_precision"] = current["location_precision"]
        else:
            located = _locate(cells)
            if located is None and cells["city"] and cells["state"]:
                out.errors["zip"] = "We could not find this ZIP code or city; please check them."
            elif located is not None:
                cells["lat"], cells["lon"], cells["location_precision"] = located

    # The same rules as check-data, on the row this submission would become (placeholders for the
    # bookkeeping columns review fills in).
    probe = {**cells, "id": listing_id or "new-listing", "source_urls": source_url or "https://example.org"}
    _, problems = validate_row(probe)
    for column, reason in problems:
        key = column if column in CLINIC_FIELDS else ("zip" if column in ("lat", "lon") else column)
        if key == "source_urls":
            continue  # reported above with a friendlier message
        out.errors.setdefault(key, _friendly(column, reason))
    if not out.errors:
        out.value = ClinicSubmission(listing_id=listing_id, fields=cells, source_url=source_url, role=role, email=email)
    return out


def _friendly(column: str, reason: str) -> str:
    messages = {
        "name": "Give the clinic's name.",
        "city": "Give the city.",
        "state": "Choose a US state or territory.",
        "lat": "Give a ZIP code or city we can find on the map.",
        "lon": "Give a ZIP code or city we can find on the map.",
        "website": "The website must be an address starting with https:// or http://.",
    }
    return messages.get(column, reason[:1].upper() + reason[1:] + ".")
