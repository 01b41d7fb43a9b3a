"""Every multi-select in the app goes through dashboard.web.pick, which never offers "Select N matches"."""

from __future__ import annotations

import ast

from tests.paths import DASHBOARD


def multiselect_calls() -> list[tuple[str, int, bool]]:
    """(file, line, whether it passes select_all=False) for every ``….multiselect(`` call in the app."""
    out = []
    for path in sorted(DASHBOARD.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "multiselect":
                off = any(
                    k.arg == "select_all" and isinstance(k.value, ast.Constant) and k.value.value is False
                    for k in node.keywords
                )
                out.append((str(path.relative_to(DASHBOARD)), node.lineno, off))
    return out


def test_the_only_multiselect_is_the_shared_picker_and_it_turns_select_all_off():
    calls = multiselect_calls()
    assert [(f, off) for f, _, off in calls] == [("web/pick.py", True)], calls
