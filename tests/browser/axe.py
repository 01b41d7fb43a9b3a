"""Accessibility checks in a real browser: axe-core (npm, fetched by ``make test``) injected into a page.

``serious_violations(page)`` returns the serious and critical rule violations as plain dicts, so a test
can assert there are none and print a readable table when there are.
"""

from __future__ import annotations

from typing import Any

from dashboard.assets import dev_asset_path

AXE_JS = dev_asset_path("axe-core", "axe.min.js")
BLOCKING = ("serious", "critical")


def run_axe(page, context: Any = None) -> list[dict[str, Any]]:
    """Every violation axe-core finds in the page (or in ``context``, a CSS selector or axe context)."""
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: run `python -m dashboard.assets --test` (make test does)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (ctx) => await window.axe.run(ctx || document, {resultTypes: ['violations']})", context
    )
    return [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "help": v["help"],
            "nodes": len(v["nodes"]),
            "targets": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
    ]


def serious_violations(page, context: Any = None) -> list[dict[str, Any]]:
    """Violations axe rates serious or critical (the ones a release must not have)."""
    return [v for v in run_axe(page, context) if v["impact"] in BLOCKING]


def table(violations: list[dict[str, Any]]) -> str:
    """A short text table for assertion messages and closing notes."""
    if not violations:
        return "no violations"
    lines = ["impact   | rule | nodes | help"]
    lines += [f"{v['impact']:<8} | {v['id']} | {v['nodes']} | {v['help']}" for v in violations]
    return "\n".join(lines)
