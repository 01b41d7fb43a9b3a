"""The chart of each score over time, as one Vega-Lite spec (Altair) drawn by the page and by the server.

One spec serves both: the check-in page hands it to ``st.altair_chart`` and the printed summary renders
the same spec to PNG on the server with ``vl-convert-python``. That renderer was chosen over matplotlib
because it draws the very chart the patient saw (one definition, no second plotting code to keep in
step), it is one wheel with no system libraries and needs no network, and it is warm in ~30 ms.

One panel per scale (PHQ-9 0–27, GAD-7 0–21, pain 0–10), each behind its published severity bands
(PHQ-9 and GAD-7 total bands, the 0–10 rating bands; the PEG has none of its own and is drawn on the
0–10 panel). Every point carries a description ("PHQ-9 total, 2026-10-05: 18"), which Vega writes as
the point's accessible label: screen readers read it, and the tests count the points by it.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import altair as alt
from pydantic import TypeAdapter

from dashboard.intake.answers import Answers, CheckIn
from dashboard.intake.progress import MEASURES, Point, points

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "DejaVu Sans"
WIDTH = 520
HEIGHT = 150
BAND_SHADES = ("#f3f6f9", "#e4ebf2", "#d3dde8", "#c1cfdd", "#afc1d3")  # light to darker: one hue, no verdict


def _panels(found: list[Point]) -> list[str]:
    shown = {p.measure.panel for p in found}
    return list(dict.fromkeys(m.panel for m in MEASURES if m.panel in shown))


def _bands(panel: str) -> list[dict[str, object]]:
    measure = next(m for m in MEASURES if m.panel == panel)
    rows = []
    for i, b in enumerate(measure.bands):
        low = max(0.0, b.low - 0.5)
        high = min(float(measure.high), b.high + 0.5)
        span = str(b.low) if b.low == b.high else f"{b.low}–{b.high}"
        rows.append({"low": low, "high": high, "mid": (low + high) / 2, "band": f"{b.label} {span}",
                     "shade": BAND_SHADES[min(i, len(BAND_SHADES) - 1)]})  # fmt: skip
    return rows


def _name(kind: str, panel: str) -> str:
    return f"{kind}-{''.join(ch for ch in panel if ch.isalnum())}"


def _datasets(found: list[Point], panels: list[str]) -> dict[str, list[dict[str, object]]]:
    """Every panel's points and bands, by the names its layers refer to."""
    out: dict[str, list[dict[str, object]]] = {}
    for panel in panels:
        out[_name("bands", panel)] = _bands(panel)
        out[_name("points", panel)] = [
            {
                "date": p.date.isoformat(),
                "score": p.measure.label,
                "value": p.value,
                "label": f"{p.measure.label}, {p.date.isoformat()}: {p.value:g}",
            }
            for p in found
            if p.measure.panel == panel
        ]
    return out


def _panel(panel: str, found: list[Point], dates: alt.Scale, ticks: list[str] | None) -> alt.LayerChart:
    high = next(m.high for m in MEASURES if m.panel == panel)
    order = [m.label for m in MEASURES if m.panel == panel]
    y = alt.Scale(domain=[0, high], nice=False)
    # named datasets filled in once at the top level: Altair deep-copies every subchart it layers or stacks,
    # and inline values (or a DataFrame) made that copy grow with every check-in
    data = alt.NamedData(name=_name("points", panel))
    band_rows = _bands(panel)
    bands = alt.NamedData(name=_name("bands", panel))
    shade = (
        alt.Chart(bands)
        .mark_rect(opacity=1)
        .encode(y=alt.Y("low:Q", scale=y, title=panel), y2="high:Q", fill=alt.Fill("shade:N", scale=None, legend=None))
    )
    names = (
        alt.Chart(bands)
        .mark_text(align="left", dx=6, fontSize=9, color="#333")
        .encode(y=alt.Y("mid:Q", scale=y), x=alt.value(WIDTH), text="band:N")
    )
    axis = alt.Axis(format="%Y-%m-%d", labelAngle=-30, values=ticks) if ticks else alt.Axis(format="%Y-%m-%d")
    x = alt.X("date:T", scale=dates, title="Check-in date", axis=axis)
    colour = alt.Color(
        "score:N",
        title=None,
        scale=alt.Scale(domain=order),
        legend=alt.Legend(orient="top", direction="horizontal"),
    )
    line = alt.Chart(data).mark_line(strokeWidth=2).encode(x=x, y=alt.Y("value:Q", scale=y), color=colour)
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=60, opacity=1)
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=y),
            color=colour,
            shape=alt.Shape("score:N", legend=None),
            description="label:N",
            tooltip=["label:N"],
        )
    )
    layers = [shade, names, line, dots] if band_rows else [line, dots]
    return alt.layer(*layers).properties(width=WIDTH, height=HEIGHT)


def chart(answers: Answers) -> alt.VConcatChart | None:
    """The chart of every score over time, or None when no check-in holds a score."""
    found = points(answers)
    if not found:
        return None
    days = sorted({p.date for p in found})
    dates = alt.Scale(domain=[days[0].isoformat(), days[-1].isoformat()], padding=12)
    ticks = [d.isoformat() for d in days] if len(days) <= 8 else None  # each check-in's own date, while they fit
    names = _panels(found)
    panels = [_panel(name, found, dates, ticks) for name in names]
    return (
        alt.vconcat(*panels, spacing=18)
        .properties(datasets=_datasets(found, names))
        .resolve_scale(color="independent", shape="independent")
        .configure(font=FONT)
        .configure_axis(labelFontSize=9, titleFontSize=10)
        .configure_legend(labelFontSize=9, titleFontSize=9)
    )


_CHECKINS = TypeAdapter(list[CheckIn])


def spec(answers: Answers) -> str | None:
    """The chart's Vega-Lite JSON (data inlined), or None.

    Kept per set of check-ins: building it through Altair costs tens of milliseconds of the server's one
    Python thread, and the summary and the check-in page ask for it on every run. Not validated against
    the Vega-Lite schema each time (as long again): the spec comes from the same code every time, and the
    tests validate it (``chart(...).to_dict()``)."""
    return _spec(_CHECKINS.dump_json(answers.checkins).decode("utf-8")) if answers.checkins else None


@functools.lru_cache(maxsize=32)
def _spec(checkins_json: str) -> str | None:
    c = chart(Answers(checkins=_CHECKINS.validate_json(checkins_json)))
    return None if c is None else json.dumps(c.to_dict(validate=False), separators=(",", ":"))


def clear_caches() -> None:
    """Forget every kept spec and image (the benchmark times real builds)."""
    _spec.cache_clear()
    png.cache_clear()
    svg.cache_clear()


@functools.lru_cache(maxsize=1)
def _fonts() -> None:
    import vl_convert

    vl_convert.register_font_directory(str(FONT_DIR))


@functools.lru_cache(maxsize=16)
def png(vega_lite: str, scale: float = 2.0) -> bytes:
    """The chart as PNG, rendered on the server with the app's own font (same spec, same drawing)."""
    import vl_convert

    _fonts()
    return vl_convert.vegalite_to_png(json.loads(vega_lite), scale=scale)


@functools.lru_cache(maxsize=16)
def svg(vega_lite: str) -> str:
    """The chart as SVG text (what the tests read: one labelled mark per point)."""
    import vl_convert

    _fonts()
    return vl_convert.vegalite_to_svg(json.loads(vega_lite))
