"""Deployment settings, read from the environment (and ``--data`` on the command line) in one place."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = PROJECT_ROOT / "data" / "clinics.csv"
DEFAULT_VA_DATA = PROJECT_ROOT / "data" / "sources" / "va_facilities.jsonl"
APP_SCRIPT = PROJECT_ROOT / "streamlit_app.py"
STATIC_DIR = PROJECT_ROOT / "static"
# Streamlit serves ./static at /app/static when server.enableStaticServing is on; the URL must be
# absolute because the map is drawn inside a component iframe.
STATIC_URL = "/app/static"

DATA_ENV = "CLINIC_FINDER_DATA"
VA_DATA_ENV = "CLINIC_FINDER_VA_DATA"
ONLINE_GEOCODING_ENV = "CLINIC_FINDER_ONLINE_GEOCODING"
TILE_URL_ENV = "CLINIC_FINDER_TILE_URL"
USER_AGENT_ENV = "CLINIC_FINDER_USER_AGENT"

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
DEFAULT_USER_AGENT = "ketamine-clinic-finder/0.1 (open-source clinic directory)"


def _flag_value(argv: list[str], flag: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == flag and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(flag + "="):
            return arg.split("=", 1)[1]
    return None


def data_path(argv: list[str] | None = None) -> Path:
    """Dataset path: ``--data PATH`` (after ``--`` for streamlit), else $CLINIC_FINDER_DATA, else the bundled file."""
    argv = sys.argv[1:] if argv is None else argv
    chosen = _flag_value(argv, "--data") or os.environ.get(DATA_ENV)
    return Path(chosen).expanduser() if chosen else DEFAULT_DATA


def va_data_path() -> Path:
    """VA facilities file: $CLINIC_FINDER_VA_DATA, else the bundled one (kept apart from the clinics: VA
    medical centres serve enrolled veterans and are never mixed into the clinic search)."""
    chosen = os.environ.get(VA_DATA_ENV)
    return Path(chosen).expanduser() if chosen else DEFAULT_VA_DATA


def _truthy(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


def online_geocoding_enabled() -> bool:
    """Street addresses go to an online geocoder only when this is on (default on; set 0 to turn off)."""
    return _truthy(os.environ.get(ONLINE_GEOCODING_ENV), default=True)


def tile_url() -> str:
    return os.environ.get(TILE_URL_ENV) or DEFAULT_TILE_URL


def user_agent() -> str:
    return os.environ.get(USER_AGENT_ENV) or DEFAULT_USER_AGENT
