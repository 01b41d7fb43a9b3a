"""The intake summary as a PDF built in memory with fpdf2.

The Unicode font (DejaVu Sans, shipped in ``dashboard/fonts`` with its licence, subset to Latin,
Latin Extended incl. Vietnamese, Greek and Cyrillic) renders names such as "Nguyễn Thị Ánh Łucja
Müller-Peña". ``font="latin1"`` builds the same document with the built-in Helvetica, transliterating
what Latin-1 cannot hold; it exists as the benchmark baseline and as a fallback.
No temporary files: fpdf2 writes to bytes.

Layout, for a clinician reading at a glance: a running header on every page (patient, date of birth,
date prepared, page n of N), tables for scores, the safety screen and medicines, numbered endnotes for
sources. Everything is drawn as real text in reading order (header, then content top to bottom, tables
row by row), so it can be selected, searched and read aloud.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import unicodedata
from pathlib import Path
from typing import Literal

from fpdf import FPDF, FontFace

from dashboard.intake.answers import Answers
from dashboard.intake.summary import Block, Summary, Table, build

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


GREY = 70  # body-grey text on white: 10.4:1, far above the 4.5:1 minimum
RULE = 160
MARGIN = 14.0
LINE = 3.5  # table line height (mm): two pages hold a typical intake


class _PDF(FPDF):
    def __init__(self, header_text: tuple[str, str], footer_text: str, family: str) -> None:
        super().__init__(format="Letter")
        self._header_text = header_text
        self._footer_text = footer_text
        self._family = family

    def header(self) -> None:
        """Patient name, date of birth and date on every page, so a loose page still says whose it is."""
        self.set_y(8)
        self.set_font(self._family, "B", 9)
        self.set_text_color(0)
        name, rest = self._header_text
        self.cell(self.epw * 0.45, 4.5, name, new_x="RIGHT", new_y="TOP")
        self.set_font(self._family, "", 8)
        self.cell(self.epw * 0.55, 4.5, f"{rest} · page {self.page_no()} of {{nb}}", align="R")
        self.ln(5.2)
        self.set_draw_color(RULE)
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(2.5)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(self._family, "", 7)
        self.set_text_color(GREY)
        self.cell(0, 4, self._footer_text, align="C")
        self.set_text_color(0)


def render(summary: Summary, font: FontChoice = "unicode") -> bytes:
    """PDF bytes for the summary."""

    def clean(text: str) -> str:
        # NFC: precomposed glyphs, as the shipped font keeps no mark-positioning tables
        return to_font(text) if font == "unicode" else to_latin1(unicodedata.normalize("NFC", text))

    family = "DejaVu" if font == "unicode" else "Helvetica"
    h = summary.header
    pdf = _PDF(
        (clean(f"Patient: {h.patient}"), clean(f"Date of birth: {h.date_of_birth} · Prepared: {h.date}")),
        clean(f"{summary.title} · prepared with a questionnaire app · not medical advice · crisis: call or text 988"),
        family,
    )
    pdf.set_auto_page_break(True, margin=12)
    pdf.set_margins(MARGIN, 14, MARGIN)
    if font == "unicode":
        pdf.add_font("DejaVu", "", str(FONT_REGULAR))
        pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.set_title(clean(f"{summary.title}: {h.patient}"))
    pdf.set_creator("Ketamine Clinic Finder")
    pdf.set_font(family, size=9)
    pdf.add_page()

    def para(text: str, size: float = 9, style: str = "", h: float = 4.2, grey: bool = False) -> None:
        pdf.set_font(family, style, size)
        pdf.set_text_color(GREY if grey else 0)
        pdf.multi_cell(0, h, clean(text), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_text_color(0)

    def labelled(label: str, value: str, size: float = 9) -> None:
        pdf.set_x(pdf.l_margin)
        pdf.set_font(family, "B", size)
        pdf.write(size * 0.47, clean(label) + ": ")
        pdf.set_font(family, "", size)
        pdf.write(size * 0.47, clean(value))
        pdf.ln(size * 0.52)

    def heading(text: str, keep: float = 16) -> None:
        """A section heading, moved to the next page with the first ``keep`` mm of its section."""
        if pdf.will_page_break(keep):
            pdf.add_page()
        pdf.ln(1.2)
        para(text, 10.5, "B", 5.2)
        pdf.set_draw_color(RULE)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(1.2)

    def table(t: Table, width: float | None = None, align: str = "LEFT") -> None:
        pdf.set_font(family, "", 8.5)
        pdf.set_draw_color(RULE)
        pdf.set_line_width(0.15)
        with pdf.table(
            col_widths=t.widths or None,
            width=width or pdf.epw,
            align=align,
            text_align="LEFT",
            line_height=LINE,
            padding=(0.4, 1.2),
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(emphasis="BOLD", fill_color=(236, 236, 236)),
            repeat_headings=1,
        ) as tab:
            head = tab.row()
            for c in t.columns:
                head.cell(clean(c))
            for i, cells in enumerate(t.rows):
                row = tab.row()
                style = FontFace(emphasis="BOLD") if i in t.strong else None
                for c in cells:
                    row.cell(clean(c), style=style)

    def side_by_side(tables: list[Table]) -> None:
        """Two tables next to each other; the left one is drawn (and read) first."""
        gap = 5.0
        width = (pdf.epw - gap) / 2
        top = pdf.get_y()
        bottoms = []
        for t, align in zip(tables, ("LEFT", "RIGHT"), strict=False):
            pdf.set_y(top)
            table(t, width, align)
            bottoms.append(pdf.get_y())
        pdf.set_y(max(bottoms))

    def grid(rows: list[tuple[str, str]]) -> None:
        """Label/value pairs two to a line, read left to right."""
        pdf.set_font(family, "", 8.5)
        with pdf.table(
            col_widths=(2.0, 3.0, 2.0, 3.0),
            width=pdf.epw,
            align="LEFT",
            text_align="LEFT",
            line_height=LINE,
            padding=(0.3, 1.2, 0.3, 0),
            borders_layout="NONE",
            first_row_as_headings=False,
        ) as tab:
            for i in range(0, len(rows), 2):
                row = tab.row()
                for label, value in rows[i : i + 2]:
                    row.cell(clean(label), style=FontFace(emphasis="BOLD"))
                    row.cell(clean(value))
                if len(rows[i : i + 2]) == 1:
                    row.cell("")
                    row.cell("")

    def joined(halves: list[Table]) -> Table:
        first, second = halves
        strong = first.strong | {i + len(first.rows) for i in second.strong}
        return Table(first.columns, first.rows + second.rows, (first.widths[0] * 2.4, first.widths[1]), strong)

    def height(t: Table, width: float) -> float:
        """A generous estimate of a table's height (string widths only, no layout): 10% wider text, +1 line."""
        weights = t.widths or (1.0,) * len(t.columns)
        cols = [width * w / sum(weights) - 2.4 for w in weights]
        total = LINE
        for i, cells in enumerate([t.columns, *t.rows]):
            pdf.set_font(family, "B" if i == 0 or i - 1 in t.strong else "", 8.5)
            lines = max(
                math.ceil(pdf.get_string_width(clean(c)) * 1.1 / w) or 1 for c, w in zip(cells, cols, strict=True)
            )
            total += lines * LINE + 0.8
        return total

    def block(b: Block) -> None:
        tables = b.tables
        half = (pdf.epw - 5.0) / 2
        if b.side_by_side and pdf.will_page_break(9 + max(height(x, half) for x in tables)):
            # side-by-side tables cannot break across pages: on a page with room, one table that may break
            # (headings repeated); otherwise both whole on the next page
            if pdf.will_page_break(60):
                pdf.add_page()
            elif b.tables[0].columns == b.tables[1].columns:
                tables = [joined(b.tables)]
        heading(b.title)
        if len(tables) == 2 and b.side_by_side:
            side_by_side(tables)
        else:
            for i, t in enumerate(tables):
                if i:
                    pdf.ln(1.5)
                table(t)
        if b.tables:
            pdf.ln(1.2)
        if b.grid and len(b.rows) > 1:
            grid(b.rows)
        else:
            for label, value in b.rows:
                labelled(label, value)
        for text, notes in b.items:
            marks = " [" + ", ".join(str(x) for x in notes) + "]" if notes else ""
            pdf.set_font(family, "", 9)
            pdf.multi_cell(0, 4.1, clean(f"• {text}{marks}"), new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(0.4)
        if b.is_empty and b.empty:
            para(b.empty, grey=True)

    def page_one() -> None:
        """Who, why, the scores, the topics to discuss and the medicines: what the first minute needs."""
        para(summary.title, 15, "B", 7)
        labelled("Completed by", summary.completed_by, 10)
        labelled("Clinic", summary.clinic, 10)
        para(summary.about_note, 7.5, "", 3.5, grey=True)
        if summary.crisis:
            pdf.ln(1.5)
            pdf.set_draw_color(176, 0, 0)
            pdf.set_line_width(0.6)
            y0 = pdf.get_y()
            para(summary.crisis_note, 9, "B")
            para(" · ".join(summary.crisis_lines), 8.5)
            pdf.rect(pdf.l_margin - 1.5, y0 - 1, pdf.epw + 3, pdf.get_y() - y0 + 2)
            pdf.set_line_width(0.2)
            pdf.ln(1)
        for b in summary.blocks:
            if b.page == 1:
                block(b)

    def page_two() -> None:
        """The full screen, measurements, history, logistics and the sources, on a page of their own."""
        if pdf.page_no() == 1:
            pdf.add_page()
        for b in summary.blocks:
            if b.page != 1:
                block(b)
        pdf.ln(1)
        para(summary.crisis_short, 7.5, "B", 3.4)
        if summary.endnotes or summary.notices:
            heading("Sources (numbered as cited) and questionnaire notices")
            # two columns: the small print of references and notices takes half the height
            with pdf.text_columns(ncols=2, gutter=5, text_align="LEFT", line_height=1.0) as cols:
                pdf.set_font(family, "", 6.8)
                for n, text in enumerate(summary.endnotes, start=1):
                    cols.write(clean(f"{n}. {text}") + "\n")
                if summary.notices:
                    cols.ln()
                    pdf.set_text_color(GREY)
                    cols.write(clean(" ".join(summary.notices)))
                    pdf.set_text_color(0)

    page_one()
    page_two()
    return bytes(pdf.output())


def render_answers(answers: Answers, today: dt.date | None = None, font: FontChoice = "unicode") -> bytes:
    """PDF bytes straight from the answers."""
    return render(build(answers, today), font)
