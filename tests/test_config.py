"""Every setting is declared once (dashboard/config.py SETTINGS), read only there, and documented in the
README's Configuration table; a bad value falls back to the default instead of stopping the app."""

from __future__ import annotations

import ast
import re

import pytest

from dashboard import config
from tests.paths import DASHBOARD, ROOT

NAME = re.compile(r"CLINIC_FINDER_[A-Z_]+")


def _readme_table() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Configuration", 1)[1].split("\n## ", 1)[0]


def _names_in_code() -> dict[str, set[str]]:
    """Each string constant in the package that is a ``CLINIC_FINDER_*`` name (a key to read or set; help
    texts and docstrings may mention the names), with the modules holding it."""
    found: dict[str, set[str]] = {}
    for path in DASHBOARD.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and NAME.fullmatch(node.value):
                found.setdefault(node.value, set()).add(str(path.relative_to(DASHBOARD)))
    return found


def test_every_setting_is_declared_in_config_and_nowhere_else():
    declared = {s.name for s in config.SETTINGS}
    found = _names_in_code()
    assert set(found) == declared
    assert {name: where for name, where in found.items() if where != {"config.py"}} == {}


def test_the_readme_table_lists_exactly_the_declared_settings():
    rows = {m for line in _readme_table().splitlines() if line.startswith("| `") for m in NAME.findall(line)}
    assert rows == {s.name for s in config.SETTINGS}


def test_no_module_but_config_reads_the_environment_for_a_setting():
    """Modules may pass os.environ on to a child process; reading a value from it is config's job."""
    readers = []
    for path in DASHBOARD.rglob("*.py"):
        if path.name == "config.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                target = ast.unparse(node.func)
                if target in ("os.environ.get", "os.getenv"):
                    readers.append(f"{path.relative_to(DASHBOARD)}:{node.lineno}")
    assert readers == []


@pytest.mark.parametrize(
    ("env", "value", "read", "expected"),
    [
        ("PROXY_HOPS_ENV", "2", config.proxy_hops, 2),
        ("PROXY_HOPS_ENV", "many", config.proxy_hops, config.DEFAULT_PROXY_HOPS),
        ("PROXY_HOPS_ENV", "-3", config.proxy_hops, 0),
        ("PROXY_HOPS_ENV", "", config.proxy_hops, config.DEFAULT_PROXY_HOPS),
        ("DIRECTORY_REFRESH_ENV", "-1", config.directory_refresh_seconds, 0.0),
        ("DIRECTORY_REFRESH_ENV", " 0.5 ", config.directory_refresh_seconds, 0.5),
        ("ONLINE_GEOCODING_ENV", "off", config.online_geocoding_enabled, False),
        ("ONLINE_GEOCODING_ENV", "", config.online_geocoding_enabled, True),
        ("GC_FREEZE_ENV", "no", config.gc_freeze_enabled, False),
        ("DATABASE_URL_ENV", "  postgresql://db/x  ", config.database_url_setting, "postgresql://db/x"),
    ],
)
def test_values_are_read_and_bad_ones_fall_back(monkeypatch, env, value, read, expected):
    monkeypatch.setenv(getattr(config, env), value)
    assert read() == expected


def test_flag_value_reads_both_spellings():
    assert config.flag_value(["--data", "x.csv"], "--data") == "x.csv"
    assert config.flag_value(["--server.port=9"], "--server.port") == "9"
    assert config.flag_value(["--data"], "--data") is None
