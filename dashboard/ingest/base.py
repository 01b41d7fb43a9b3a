"""The one small interface every source adapter implements, and helpers they share.

An adapter turns whatever a public source publishes into records in the project's schema
(``dashboard.directory.clinics.COLUMNS``) plus a list of rejections with reasons. It never fills in a missing
fact: an unknown value stays empty. Places are attached later by :mod:`dashboard.ingest.placing`,
so an adapter only passes on coordinates the source itself gave (``_source_point``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from dashboard import states

# Private keys a parsed record may carry into the pipeline; they never reach the CSV.
SOURCE_POINT = "_source_point"  # (lat, lon, precision) as given by the source
CARRIED = "_carried"  # a re-imported project export: its bookkeeping fields are kept as they are


@dataclass(frozen=True)
class Rejected:
    """Something in the source that did not become a listing, and why (``where`` locates it)."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class RawPages:
    """What a fetch returned: decoded pages (anything JSON can hold, or text for CSV) and where from.

    ``source_url`` is the public address the listings will cite (never a local file path).
    ``origin`` is what was actually read: the URL or the local file.
    """

    source_url: str
    origin: str
    pages: list[Any] = field(default_factory=list)


@dataclass
class ParseResult:
    records: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    excluded: list[Rejected] = field(default_factory=list)  # valid entries left out on purpose (e.g. TMS-only)
    notes: list[str] = field(default_factory=list)
    complete: bool = True  # False when a page could not be read, so absence proves nothing


class Adapter(Protocol):
    """What reads one public source of listings: ``fetch`` gets raw pages, ``parse`` turns them into records."""

    name: str
    source_kind: str
    default_url: str

    def fetch(self, from_: str, *, source_url: str | None = None, **options: Any) -> RawPages: ...

    def parse(self, raw: RawPages, *, retrieved: str) -> ParseResult: ...


def slug(*parts: str, limit: int = 200) -> str:
    """Lowercase ASCII slug of the parts joined by hyphens: letters, digits and single hyphens only."""
    text = " ".join(p for p in parts if p)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("&", " and ").replace("'", "")
    out = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return out[:limit].rstrip("-")


def listing_id(name: str, city: str, state: str) -> str:
    """Stable id for a listing: the slug of name, city and state."""
    return slug(name, city, state)


def state_code(value: Any) -> str:
    """USPS code for a state given as a code or a name (``dashboard.states.state_code``); "" when it is not a
    US state or territory."""
    return states.state_code(text_of(value)) or ""


_ZIP_RE = re.compile(r"^\s*(\d{5})(?:-?\d{4})?\s*$")


def zip5(value: Any) -> str:
    """The 5-digit ZIP from "12345" or "12345-6789"; "" for anything else (never guessed)."""
    m = _ZIP_RE.match(text_of(value))
    return m.group(1) if m else ""


def text_of(value: Any) -> str:
    """A source value as trimmed text; None, numbers-as-NaN, lists and objects become ""."""
    if value is None or isinstance(value, (dict, list, tuple, bool)):
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def float_of(value: Any) -> float | None:
    """A finite float from a number or numeric text, else None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def website_of(value: Any) -> str:
    """An http(s) website; a bare host name ("www.x.org") gets "http://" (the scheme the site will redirect
    from); anything else that is not a web address is dropped, including a scheme with no host ("http://",
    which FindTreatment sends for "no website")."""
    text = text_of(value)
    if not text or " " in text:
        return ""
    if re.match(r"^https?://", text, re.IGNORECASE):
        return text if re.match(r"^https?://[^/\s]+", text, re.IGNORECASE) else ""  # "http://" alone is no site
    if re.match(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?$", text):
        return "http://" + text
    return ""


def get_path(obj: Any, *keys: str) -> Any:
    """``obj[k1][k2]...`` or None when any step is missing or not an object."""
    for key in keys:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj
