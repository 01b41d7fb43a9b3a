"""Printable HTML view of the intake summary: one self-contained page with print CSS, same content as the PDF.

Every string that came from the patient (or a draft) is escaped with ``html.escape``; the page loads
nothing from elsewhere, so opening or printing it tells no one anything. The running header (patient,
date of birth, date) sits in the ``thead`` of one outer table, which browsers repeat on every printed page.
All CSS is scoped to ``.intake-summary``, so the same markup can be previewed inside the app (``fragment``)
without restyling the page around it.
"""

from __future__ import annotations

import base64
import datetime as dt
from html import escape

from dashboard.intake.answers import Answers
from dashboard.intake.summary import Block, Summary, Table, build

CSS = """
.intake-summary { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt; color: #111; }
.intake-summary .title { font-size: 16pt; font-weight: 700; margin: .2em 0 .3em 0; }
.intake-summary .part { font-size: 12pt; font-weight: 700; border-bottom: 1px solid #999; margin: 1em 0 .3em 0; }
.intake-summary table { border-collapse: collapse; }
.intake-summary table.data { width: 100%; margin: .2em 0 .4em 0; }
.intake-summary table.data th, .intake-summary table.data td { text-align: left; vertical-align: top; padding: 2px 6px;
  border-bottom: 1px solid #bbb; }
.intake-summary table.data th { background: #ececec; }
.intake-summary table.data tr.strong td { font-weight: 700; }
.intake-summary table.pairs th { text-align: left; vertical-align: top; padding: 1px 8px 1px 0; font-weight: 700; }
.intake-summary table.pairs td { vertical-align: top; padding: 1px 14px 1px 0; }
.intake-summary .side { display: flex; gap: 1.2em; flex-wrap: wrap; align-items: flex-start; }
.intake-summary .side > table.data { flex: 1 1 20em; width: auto; }
.intake-summary .page { width: 100%; }
.intake-summary .runhead { display: flex; justify-content: space-between; gap: 1em; border-bottom: 1px solid #999;
  font-size: 9pt; padding-bottom: 3px; margin-bottom: 6px; }
.intake-summary .runhead strong { font-size: 10pt; }
.intake-summary .muted { color: #444; font-size: 9pt; }
.intake-summary .crisis { border: 2px solid #b00; padding: .5em; margin: .6em 0; }
.intake-summary .lead { margin: .15em 0; font-size: 11pt; }
.intake-summary ul.topics { margin: .2em 0 .2em 1.2em; padding: 0; }
.intake-summary ol.notes { font-size: 8.5pt; margin: .2em 0 .2em 1.6em; padding: 0; }
.intake-summary .progress img { max-width: 100%; height: auto; }
@media print {
  body { margin: 0; }
  .intake-summary { font-size: 9.5pt; }
  .intake-summary .part { break-after: avoid; }
  .intake-summary tr, .intake-summary li { break-inside: avoid; }
  .intake-summary .progress { break-before: page; }
  @page { size: letter; margin: 12mm; }
}
"""


def _table(t: Table, cls: str = "data") -> str:
    e = escape
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in t.columns)
    rows = []
    for i, cells in enumerate(t.rows):
        strong = ' class="strong"' if i in t.strong else ""
        rows.append(f"<tr{strong}>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _pairs(rows: list[tuple[str, str]], per_line: int) -> str:
    e = escape
    lines = []
    for i in range(0, len(rows), per_line):
        cells = "".join(f'<th scope="row">{e(k)}</th><td>{e(v)}</td>' for k, v in rows[i : i + per_line])
        lines.append(f"<tr>{cells}</tr>")
    return f'<table class="pairs"><tbody>{"".join(lines)}</tbody></table>'


def _block(b: Block, level: int) -> str:
    e = escape
    out = [f'<h{level} class="part">{e(b.title)}</h{level}>']
    if b.tables:
        tables = "".join(_table(t) for t in b.tables)
        out.append(f'<div class="side">{tables}</div>' if b.side_by_side else tables)
    if b.rows:
        out.append(_pairs(b.rows, 2 if b.grid else 1))
    if b.items:
        items = []
        for text, notes in b.items:
            marks = " [" + ", ".join(f'<a href="#note-{n}">{n}</a>' for n in notes) + "]" if notes else ""
            items.append(f"<li>{e(text)}{marks}</li>")
        out.append(f'<ul class="topics">{"".join(items)}</ul>')
    if b.is_empty and b.empty:
        out.append(f'<p class="muted">{e(b.empty)}</p>')
    return "\n".join(out)


def _progress(summary: Summary, level: int) -> str:
    """The check-ins: table, the chart as an inline image (nothing fetched), the change since the first."""
    page = summary.progress
    if page is None:
        return ""
    from dashboard.intake import progress_chart

    e = escape
    out = [f'<section class="progress"><h{level} class="part">{e(page.title)}</h{level}>']
    out.append(f'<p class="muted">{e(page.note)}</p>')
    out.append(_table(page.table))
    if page.chart:
        png = base64.b64encode(progress_chart.png(page.chart)).decode("ascii")
        alt = "Chart of each score over time, one point per check-in, behind the published severity bands."
        out.append(f'<img src="data:image/png;base64,{png}" alt="{e(alt)}" width="700">')
    out.append(f'<h{level + 1} class="part">Change since the first check-in</h{level + 1}>')
    if page.changes:
        items = []
        for text, notes in page.changes:
            marks = " [" + ", ".join(f'<a href="#note-{n}">{n}</a>' for n in notes) + "]" if notes else ""
            items.append(f"<li>{e(text)}{marks}</li>")
        out.append(f'<ul class="topics">{"".join(items)}</ul>')
    else:
        out.append(f'<p class="muted">{e(page.single)}</p>')
    out.append("</section>")
    return "\n".join(out)


def _content(summary: Summary, level: int) -> list[str]:
    """Running header and body; ``level`` is the heading level of the title (parts are one below)."""
    e = escape
    h = summary.header
    part = level + 1
    out = [
        '<table class="page" role="presentation"><thead><tr><td>',
        f'<div class="runhead"><strong>Patient: {e(h.patient)}</strong>'
        f"<span>Date of birth: {e(h.date_of_birth)} · Prepared: {e(h.date)}</span></div>",
        "</td></tr></thead><tbody><tr><td>",
        f'<h{level} class="title">{e(summary.title)}</h{level}>',
        f'<p class="lead"><strong>Completed by:</strong> {e(summary.completed_by)}</p>',
        f'<p class="lead"><strong>Clinic:</strong> {e(summary.clinic)}</p>',
        f'<p class="muted">{e(summary.about_note)}</p>',
    ]
    if summary.crisis:
        lines = "".join(f"<li>{e(x)}</li>" for x in summary.crisis_lines)
        out.append(f'<div class="crisis"><p><strong>{e(summary.crisis_note)}</strong></p><ul>{lines}</ul></div>')
    out.extend(_block(b, part) for b in summary.blocks)
    if summary.progress:
        out.append(_progress(summary, part))
    if summary.endnotes:
        notes = "".join(f'<li id="note-{n}">{e(t)}</li>' for n, t in enumerate(summary.endnotes, start=1))
        out.append(f'<h{part} class="part">Sources (numbered as cited above)</h{part}><ol class="notes">{notes}</ol>')
    if summary.notices:
        out.append(f'<h{part} class="part">Questionnaire notices</h{part}>')
        out.extend(f'<p class="muted">{e(n)}</p>' for n in summary.notices)
    out.append(f"<p><strong>{e(summary.crisis_short)}</strong></p>")
    out.append("</td></tr></tbody></table>")
    return out


def render(summary: Summary) -> str:
    """The summary as one HTML document (all dynamic text escaped)."""
    e = escape
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{e(summary.title)}: {e(summary.header.patient)}</title><style>{CSS}</style></head>",
            '<body><div class="intake-summary">',
            *_content(summary, 1),
            "</div></body></html>",
        ]
    )


def fragment(summary: Summary) -> str:
    """The same content to preview inside a page whose own headings are h1 and h2 (scoped CSS, h3 title)."""
    return "\n".join([f"<style>{CSS}</style>", '<div class="intake-summary">', *_content(summary, 3), "</div>"])


def render_answers(answers: Answers, today: dt.date | None = None) -> str:
    """HTML print view straight from the answers."""
    return render(build(answers, today))
