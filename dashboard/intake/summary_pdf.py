"""The intake summary as a PDF built in memory with fpdf2.

The Unicode font (DejaVu Sans, shipped in ``dashboard/fonts`` with its licence, subset to Latin,
Latin Extended incl. Vietnamese, Greek and Cyrillic) renders names such as "Nguyễn Thị Ánh Łucja
Müller-Peña". ``font="latin1"`` builds the same document with the built-in Helvetica, transliterating
what Latin-1 cannot hold; it exists as the benchmark baseline and as a fallback.
No temporary files: fpdf2 writes to bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import unicodedata
from pathlib import Path
from typing import Literal

from fpdf import FPDF

from dashboard.intake.answers import Answers
from dashboard.intake.summary import Summary, build

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FontChoice = Literal["unicode", "latin1"]

# fpdf2 logs the characters a font lacks; characters are sanitised below so this should never fire, and
# the level keeps any such message (which would quote patient text) out of the server's logs regardless.
logging.getLogger("fpdf").setLevel(logging.ERROR)

_FALLBACK = str.maketrans(
    {
        "—": "-",
        "–": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "•": "-",
        "…": "...",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "·": "-",
    }
)


def to_latin1(text: str) -> str:
    """Text that the built-in Latin-1 fonts can draw: keep Latin-1, strip accents from the rest, else '?'."""
    out = []
    for ch in text.translate(_FALLBACK):
        if unicodedata.category(ch)[0] == "C" and ch != "\n":
            continue
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)


@functools.lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    """Code points both shipped font files can draw (read once per process)."""
    from fontTools.ttLib import TTFont

    sets = []
    for path in (FONT_REGULAR, FONT_BOLD):
        with TTFont(str(path), lazy=True) as font:
            sets.append(frozenset(font.getBestCmap()))
    return sets[0] & sets[1]


def to_font(text: str) -> str:
    """Text the embedded font can draw: control characters dropped, missing glyphs as their base letter or '?'."""
    covered = _covered()
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch == "\n" or ord(ch) in covered:
            out.append(ch)
        elif unicodedata.category(ch)[0] == "C":
            continue
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out.append(base if base and all(ord(c) in covered for c in base) else "?")
    return "".join(out)


class _PDF(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="Letter")
        self._footer_text = footer_text

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(size=7.5)
        self.set_text_color(90)
        self.cell(0, 4, f"{self._footer_text}  ·  page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


def render(summary: Summary, font: FontChoice = "unicode") -> bytes:
    """PDF bytes for the summary."""

    def clean(text: str) -> str:
        # NFC: precomposed glyphs, as the shipped font keeps no mark-positioning tables
        return to_font(text) if font == "unicode" else to_latin1(unicodedata.normalize("NFC", text))

    pdf = _PDF(clean(f"{summary.title} · {summary.prepared_on} · not medical advice"))
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(16, 14, 16)
    if font == "unicode":
        pdf.add_font("DejaVu", "", str(FONT_REGULAR))
        pdf.add_font("DejaVu", "B", str(FONT_BOLD))
        family = "DejaVu"
    else:
        family = "Helvetica"
    pdf.set_title(clean(summary.title))
    pdf.set_creator("Ketamine Clinic Finder")
    pdf.set_font(family, size=9)
    pdf.add_page()

    def para(text: str, size: float = 9, style: str = "", h: float = 4.3) -> None:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, h, clean(text), new_x="LMARGIN", new_y="NEXT", align="L")

    def row(label: str, value: str) -> None:
        pdf.set_x(pdf.l_margin)
        pdf.set_font(family, "B", 9)
        pdf.write(4.3, clean(label) + ": ")
        pdf.set_font(family, "", 9)
        pdf.write(4.3, clean(value))
        pdf.ln(4.8)

    para(summary.title, 16, "B", 8)
    para(f"Prepared on {summary.prepared_on}. {summary.disclaimer}", 8, "", 3.8)
    pdf.ln(1.5)
    para(f"Clinic: {summary.clinic}", 11, "B", 6)
    if summary.crisis:
        pdf.set_draw_color(176, 0, 0)
        pdf.set_line_width(0.6)
        y0 = pdf.get_y()
        para(summary.crisis_note, 9, "B")
        para(" · ".join(summary.crisis_lines), 9)
        pdf.rect(pdf.l_margin - 1.5, y0 - 1, pdf.epw + 3, pdf.get_y() - y0 + 2)
        pdf.set_line_width(0.2)
        pdf.set_draw_color(0)
        pdf.ln(1)
    for section in summary.sections:
        pdf.ln(1.5)
        para(section.title, 12, "B", 6.5)
        pdf.set_draw_color(150)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(1)
        for label, value in section.rows:
            row(label, value)
        for bullet, fine in section.bullets:
            pdf.set_font(family, "", 9)
            pdf.multi_cell(0, 4.3, clean("• " + bullet), new_x="LMARGIN", new_y="NEXT", align="L")
            if fine:
                pdf.set_x(pdf.l_margin + 3)
                pdf.set_font(family, "", 6.5)
                pdf.set_text_color(80)
                pdf.multi_cell(0, 3, clean(fine), new_x="LMARGIN", new_y="NEXT", align="L")
                pdf.set_text_color(0)
            pdf.ln(0.6)
    if summary.notices:
        pdf.ln(2)
        para("Questionnaire notices", 10, "B", 5.5)
        for n in summary.notices:
            para(n, 7.5, "", 3.6)
    para("Crisis help: " + " · ".join(summary.crisis_lines), 7.5, "", 3.6)
    return bytes(pdf.output())


def render_answers(answers: Answers, today: dt.date | None = None, font: FontChoice = "unicode") -> bytes:
    """PDF bytes straight from the answers."""
    return render(build(answers, today), font)
