"""Printable HTML view of the intake summary: one self-contained page with print CSS.

Every string that came from the patient (or a draft) is escaped with ``html.escape``; the page loads
nothing from elsewhere, so opening or printing it tells no one anything.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from dashboard.intake.answers import Answers
from dashboard.intake.summary import Summary, build

CSS = """
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 11pt; color: #111; margin: 2em; }
h1 { font-size: 16pt; margin: 0 0 .2em 0; }
h2 { font-size: 12.5pt; border-bottom: 1px solid #999; margin: 1em 0 .3em 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 2px 6px 2px 0; }
th { width: 30%; font-weight: 600; }
.meta, .notice { color: #444; font-size: 9pt; }
.crisis { border: 2px solid #b00; padding: .5em; margin: .6em 0; }
.clinic { font-size: 12pt; font-weight: 600; }
ul { margin: .2em 0 .2em 1.2em; padding: 0; }
@media print {
  body { margin: 0; font-size: 10pt; }
  .noprint { display: none; }
  h2 { break-after: avoid; }
  tr, li { break-inside: avoid; }
  @page { size: auto; margin: 14mm; }
}
"""


def render(summary: Summary) -> str:
    """The summary as one HTML document (all dynamic text escaped)."""
    e = escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(summary.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(summary.title)}</h1>",
        f'<p class="meta">Prepared on {e(summary.prepared_on)}. {e(summary.disclaimer)}</p>',
        f'<p class="clinic">Clinic: {e(summary.clinic)}</p>',
    ]
    if summary.crisis:
        lines = "".join(f"<li>{e(x)}</li>" for x in summary.crisis_lines)
        out.append(f'<div class="crisis"><p>{e(summary.crisis_note)}</p><ul>{lines}</ul></div>')
    for section in summary.sections:
        out.append(f"<h2>{e(section.title)}</h2>")
        if section.rows:
            rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in section.rows)
            out.append(f"<table>{rows}</table>")
        if section.bullets:
            items = "".join(
                f"<li>{e(b)}" + (f'<br><span class="notice">{e(fine)}</span>' if fine else "") + "</li>"
                for b, fine in section.bullets
            )
            out.append(f"<ul>{items}</ul>")
    if summary.notices:
        out.append("<h2>Questionnaire notices</h2>")
        out.extend(f'<p class="notice">{e(n)}</p>' for n in summary.notices)
    out.append(f'<p class="notice">Crisis help: {e(" · ".join(summary.crisis_lines))}</p>')
    out.append("</body></html>")
    return "\n".join(out)


def render_answers(answers: Answers, today: dt.date | None = None) -> str:
    """HTML print view straight from the answers."""
    return render(build(answers, today))
