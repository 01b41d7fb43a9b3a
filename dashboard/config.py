"""Deployment settings: every ``CLINIC_FINDER_*`` variable is declared in ``SETTINGS`` and read here, nowhere else.

A setting is a name, its default as the README shows it, and what it does; README's *Configuration* table
lists each one (tests/test_config.py checks both ways). A bad value never stops the app: it falls back to the
default, because a typo in a deployment's environment should not take the directory offline."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
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
DATABASE_URL_ENV = "CLINIC_FINDER_DATABASE_URL"
DIRECTORY_REFRESH_ENV = "CLINIC_FINDER_DIRECTORY_REFRESH_SECONDS"
PROXY_HOPS_ENV = "CLINIC_FINDER_PROXY_HOPS"
GC_FREEZE_ENV = "CLINIC_FINDER_GC_FREEZE"

DEFAULT_DIRECTORY_REFRESH_SECONDS = 15.0
DEFAULT_PROXY_HOPS = 1

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
DEFAULT_USER_AGENT = "ketamine-clinic-finder/0.1 (open-source clinic directory)"


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable
    default: str  # as a reader of the README sees it
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(DATA_ENV, "data/clinics.csv", "the dataset to serve (or `-- --data PATH` after `streamlit run`)"),
    Setting(VA_DATA_ENV, "data/sources/va_facilities.jsonl", "the VA facilities file (kept apart from the clinics)"),
    Setting(ONLINE_GEOCODING_ENV, "1", "0 turns off street-address lookups (ZIP, city and coordinates still work)"),
    Setting(USER_AGENT_ENV, "project name", "the user agent sent to Nominatim"),
    Setting(TILE_URL_ENV, "OpenStreetMap tiles", "map tile URL template; `none`: no tiles"),
    Setting(DATABASE_URL_ENV, "sqlite:///var/clinic_finder.sqlite3", "reports and submissions"),
    Setting(DIRECTORY_REFRESH_ENV, "15", "how often each process checks for newly accepted changes (seconds)"),
    Setting(PROXY_HOPS_ENV, "1", "proxies of ours that append to X-Forwarded-For"),
    Setting(GC_FREEZE_ENV, "1", "0: replicas skip the warm-up's gc.freeze()"),
)


def _env(name: str, environ: Mapping[str, str] | None = None) -> str:
    return (os.environ if environ is None else environ).get(name, "").strip()


def flag_value(argv: list[str], flag: str) -> str | None:
    """The value of ``--flag VALUE`` or ``--flag=VALUE`` in ``argv``, or None."""
    for i, arg in enumerate(argv):
        if arg == flag and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(flag + "="):
            return arg.split("=", 1)[1]
    return None


def data_path(argv: list[str] | None = None) -> Path:
    """Dataset path: ``--data PATH`` (after ``--`` for streamlit), else $CLINIC_FINDER_DATA, else the bundled file."""
    argv = sys.argv[1:] if argv is None else argv
    chosen = flag_value(argv, "--data") or os.environ.get(DATA_ENV)
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


def database_url_setting() -> str:
    """The configured database URL as given ("" when unset; submissions.db maps it to a driver)."""
    return _env(DATABASE_URL_ENV)


def directory_refresh_seconds() -> float:
    """How often a process re-checks the database for accepted changes (never negative)."""
    try:
        return max(0.0, float(_env(DIRECTORY_REFRESH_ENV) or DEFAULT_DIRECTORY_REFRESH_SECONDS))
    except ValueError:
        return DEFAULT_DIRECTORY_REFRESH_SECONDS


def proxy_hops() -> int:
    """Proxies of ours in front of the app, each appending one address to X-Forwarded-For."""
    try:
        return max(0, int(_env(PROXY_HOPS_ENV) or DEFAULT_PROXY_HOPS))
    except ValueError:
        return DEFAULT_PROXY_HOPS


def gc_freeze_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """On unless 0/false/no/off; ``environ`` is a child process's environment when the supervisor asks."""
    return _truthy(_env(GC_FREEZE_ENV, environ), default=True)
