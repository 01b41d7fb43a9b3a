"""Text from outside (a dataset cell, a typed place, a submission) made safe for where it goes next.

Each rule is decided here once, next to the one pattern it uses:

* **Control characters**: C0 (NUL to US, which includes ESC), DEL and C1 (U+0080 to U+009F, which
  includes CSI). Nobody types them on purpose, a database cannot store NUL, and ESC/CSI start terminal
  escape sequences. Where text goes to a terminal or a single line they become spaces; where it is
  stored, text holding them is refused. Only multi-line text keeps line breaks and tabs.
* **Spreadsheet formulas**: a CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return (or the full-width ``＝ ＋ － ＠``), also after leading whitespace, gets a leading ``'`` so Excel,
  LibreOffice and Google Sheets show it as text (OWASP "CSV injection"). The quote is visible; that is
  the accepted trade-off, and a phone number written "+1 …" gets it too.
* **Links**: only ``http(s)`` addresses are ever accepted as links or made clickable.
* **Missing cells**: None, pandas' NA and NaN all mean "not stated" and read as "".

Markdown escaping belongs to the web pages (``dashboard.web.frame.md_escape``).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

import pandas as pd

CONTROL_CHARACTERS = "\x00-\x1f\x7f-\x9f"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

_URL_RE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


@lru_cache(maxsize=8)
def _controls(keep: str) -> re.Pattern[str]:
    kept = "".join(re.escape(ch) for ch in keep)
    return re.compile(f"(?![{kept}])[{CONTROL_CHARACTERS}]" if kept else f"[{CONTROL_CHARACTERS}]")


def strip_controls(text: str, keep: str = "") -> str:
    """Every control character (see the module docstring) except those in ``keep`` becomes a space."""
    return _controls(keep).sub(" ", text)


def has_controls(text: str, keep: str = "") -> bool:
    """True when ``text`` holds a control character other than those in ``keep``."""
    return _controls(keep).search(text) is not None


def is_missing(value: Any) -> bool:
    """None, pandas' NA and NaN: a cell that states nothing."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def cell_text(value: Any) -> str:
    """A cell as text; a missing one is ""."""
    return "" if is_missing(value) else str(value)


def terminal_safe(value: Any, keep: str = "") -> str:
    """A cell for a terminal: control characters (escape sequences) become spaces, except ``keep``."""
    return strip_controls(cell_text(value), keep)


def neutralise_formula(value: str) -> str:
    """One CSV cell a spreadsheet shows as text, never evaluates (see the module docstring)."""
    if value and (value[0] in FORMULA_PREFIXES or value.lstrip()[:1] in FORMULA_PREFIXES):
        return "'" + value
    return value


def is_http_url(value: str) -> bool:
    """Only http(s) links are ever made clickable, so only those are accepted."""
    return bool(_URL_RE.match(value))
