"""The load benchmark's visits: a seeded mix of finder searches and filter changes, questionnaire
sections and the About page, each step one rerun over Streamlit's protocol (see bench/load.py)."""

from __future__ import annotations

import random
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard import vocab
from dashboard.serving.wsclient import RunResult, Session

# ZIP codes spread over the country (resolved offline by the app), so searches hit different listings.
ZIPS = ("85719", "10017", "60601", "98101", "30303", "80202", "02115", "33101", "94103", "78701", "55401",
        "63101", "97201", "84101", "37203", "70112", "20001", "48226", "15222", "96813")  # fmt: skip
RADII = ("25", "50", "100", "250", "500", "any")
ROUTES = tuple(t.code for t in vocab.ROUTES)
CONDITIONS = tuple(t.code for t in vocab.CONDITIONS)


@dataclass(frozen=True)
class Step:
    """One interaction: ``open`` a page in a new tab, ``goto`` another page, or act on the page shown."""

    action: str  # open | goto | toggle | type | next | back
    page: str = ""
    query: str = ""


def finder_query(rng: random.Random) -> str:
    params: list[tuple[str, str]] = [("near", rng.choice(ZIPS)), ("radius", rng.choice(RADII))]
    if rng.random() < 0.6:
        params.append(("route", rng.choice(ROUTES)))
    if rng.random() < 0.4:
        params.append(("condition", rng.choice(CONDITIONS)))
    return urllib.parse.urlencode(params)


VISIT_KINDS = ("finder", "intake", "about")
MIX = (0.60, 0.25, 0.15)  # shares of finder, questionnaire and About visits


def visit(rng: random.Random, kinds: Sequence[str] = VISIT_KINDS) -> list[Step]:
    """One visitor's tab, from opening a link to leaving; ``kinds`` restricts the mix (e.g. finder only)."""
    weights = [w for k, w in zip(VISIT_KINDS, MIX, strict=True) if k in kinds]
    kind = rng.choices([k for k in VISIT_KINDS if k in kinds], weights)[0]
    if kind == "finder":
        steps = [Step("open", "", finder_query(rng))]
        steps += [Step(rng.choice(("toggle", "toggle", "type"))) for _ in range(rng.randint(1, 3))]
        if len(kinds) > 1 and rng.random() < 0.2:
            steps.append(Step("goto", "about"))
        return steps
    if kind == "intake":
        return [Step("open", "intake"), *[Step("next") for _ in range(rng.randint(2, 4))], Step("back")]
    return [Step("open", "about"), *([Step("goto", "", "")] if len(kinds) > 1 else [Step("rerun", "about")])]


async def perform(session: Session, step: Step, rng: random.Random, bare: bool) -> tuple[RunResult, str]:
    """Do ``step`` in ``session``; returns the result and what was really done (``fallback`` if not found)."""
    page = "" if bare else step.page
    if step.action == "goto":
        return await session.rerun(page=page, query=step.query), "goto"
    if step.action == "toggle":
        boxes = [
            w
            for w in session.widgets.values()
            if w.kind == "checkbox" and (w.key or "").startswith(("route_", "condition_"))
        ]
        if boxes:
            box = rng.choice(boxes)
            return await session.rerun(widgets={box.id: not bool(box.value)}), "toggle"
    elif step.action == "type":
        near = session.widget("near")
        if near is not None:
            return await session.rerun(widgets={near.id: rng.choice(ZIPS)}), "type"
    elif step.action in ("next", "back"):
        label = "next" if step.action == "next" else "back"
        buttons = [w for w in session.widgets.values() if w.kind == "button" and w.label.strip().lower() == label]
        if buttons:
            return await session.rerun(widgets={buttons[0].id: "trigger"}), step.action
    return await session.rerun(), "rerun" if bare or step.action == "rerun" else "fallback"
