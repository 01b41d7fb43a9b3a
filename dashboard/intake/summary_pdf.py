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
import io
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
CHART_WIDTH = 0.78  # of the text width: the three panels and the table of a few check-ins fit one page


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


class _Writer:
    """Draws one summary into one PDF: a named method per page and per kind of block.

    The methods share the document, the font family and the text cleaner, which is why they are one
    object rather than free functions passing three arguments each.
    """

    def __init__(self, summary: Summary, font: FontChoice) -> None:
        self.summary = summary
        self.font = font
        self.family = "DejaVu" if font == "unicode" else "Helvetica"
        h = summary.header
        self.pdf = _PDF(
            (self.clean(f"Patient: {h.patient}"), self.clean(f"Date of birth: {h.date_of_birth} · Prepared: {h.date}")),
            self.clean(
                f"{summary.title} · prepared with a questionnaire app · not medical advice · crisis: call or text 988"
            ),
            self.family,
        )
        pdf = self.pdf
        pdf.set_auto_page_break(True, margin=12)
        pdf.set_margins(MARGIN, 14, MARGIN)
        if font == "unicode":
            pdf.add_font("DejaVu", "", str(FONT_REGULAR))
            pdf.add_font("DejaVu", "B", str(FONT_BOLD))
        pdf.set_title(self.clean(f"{summary.title}: {h.patient}"))
        pdf.set_creator("Ketamine Clinic Finder")
        pdf.set_font(self.family, size=9)

    def clean(self, text: str) -> str:
        # NFC: precomposed glyphs, as the shipped font keeps no mark-positioning tables
        return to_font(text) if self.font == "unicode" else to_latin1(unicodedata.normalize("NFC", text))

    # ------------------------------------------------------------------ text
    def para(self, text: str, size: float = 9, style: str = "", h: float = 4.2, grey: bool = False) -> None:
        pdf = self.pdf
        pdf.set_font(self.family, style, size)
        pdf.set_text_color(GREY if grey else 0)
        pdf.multi_cell(0, h, self.clean(text), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_text_color(0)

    def labelled(self, label: str, value: str, size: float = 9) -> None:
        pdf = self.pdf
        pdf.set_x(pdf.l_margin)
        pdf.set_font(self.family, "B", size)
        pdf.write(size * 0.47, self.clean(label) + ": ")
        pdf.set_font(self.family, "", size)
        pdf.write(size * 0.47, self.clean(value))
        pdf.ln(size * 0.52)

    def heading(self, text: str, keep: float = 16) -> None:
        """A section heading, moved to the next page with the first ``keep`` mm of its section."""
        pdf = self.pdf
        if pdf.will_page_break(keep):
            pdf.add_page()
        pdf.ln(1.2)
        self.para(text, 10.5, "B", 5.2)
        pdf.set_draw_color(RULE)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(1.2)

    def items(self, items: list[tuple[str, tuple[int, ...]]]) -> None:
        """Bulleted sentences, each with its endnote numbers."""
        for text, notes in items:
            marks = " [" + ", ".join(str(x) for x in notes) + "]" if notes else ""
            self.pdf.set_font(self.family, "", 9)
            self.pdf.multi_cell(0, 4.1, self.clean(f"• {text}{marks}"), new_x="LMARGIN", new_y="NEXT", align="L")
            self.pdf.ln(0.4)

    # ------------------------------------------------------------------ tables
    def table(self, t: Table, width: float | None = None, align: str = "LEFT") -> None:
        pdf = self.pdf
        pdf.set_font(self.family, "", 8.5)
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
                head.cell(self.clean(c))
            for i, cells in enumerate(t.rows):
                row = tab.row()
                style = FontFace(emphasis="BOLD") if i in t.strong else None
                for c in cells:
                    row.cell(self.clean(c), style=style)

    def side_by_side(self, tables: list[Table]) -> None:
        """Two tables next to each other; the left one is drawn (and read) first."""
        pdf = self.pdf
        gap = 5.0
        width = (pdf.epw - gap) / 2
        top = pdf.get_y()
        bottoms = []
        for t, align in zip(tables, ("LEFT", "RIGHT"), strict=False):
            pdf.set_y(top)
            self.table(t, width, align)
            bottoms.append(pdf.get_y())
        pdf.set_y(max(bottoms))

    def grid(self, rows: list[tuple[str, str]]) -> None:
        """Label/value pairs two to a line, read left to right."""
        pdf = self.pdf
        pdf.set_font(self.family, "", 8.5)
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
                    row.cell(self.clean(label), style=FontFace(emphasis="BOLD"))
                    row.cell(self.clean(value))
                if len(rows[i : i + 2]) == 1:
                    row.cell("")
                    row.cell("")

    @staticmethod
    def joined(halves: list[Table]) -> Table:
        first, second = halves
        strong = first.strong | {i + len(first.rows) for i in second.strong}
        return Table(first.columns, first.rows + second.rows, (first.widths[0] * 2.4, first.widths[1]), strong)

    def height(self, t: Table, width: float) -> float:
        """A generous estimate of a table's height (string widths only, no layout): 10% wider text, +1 line."""
        pdf = self.pdf
        weights = t.widths or (1.0,) * len(t.columns)
        cols = [width * w / sum(weights) - 2.4 for w in weights]
        total = LINE
        for i, cells in enumerate([t.columns, *t.rows]):
            pdf.set_font(self.family, "B" if i == 0 or i - 1 in t.strong else "", 8.5)
            lines = max(
                math.ceil(pdf.get_string_width(self.clean(c)) * 1.1 / w) or 1 for c, w in zip(cells, cols, strict=True)
            )
            total += lines * LINE + 0.8
        return total

    # ------------------------------------------------------------------ blocks and pages
    def block(self, b: Block) -> None:
        pdf = self.pdf
        tables = b.tables
        half = (pdf.epw - 5.0) / 2
        if b.side_by_side and pdf.will_page_break(9 + max(self.height(x, half) for x in tables)):
            # side-by-side tables cannot break across pages: on a page with room, one table that may break
            # (headings repeated); otherwise both whole on the next page
            if pdf.will_page_break(60):
                pdf.add_page()
            elif b.tables[0].columns == b.tables[1].columns:
                tables = [self.joined(b.tables)]
        self.heading(b.title)
        if len(tables) == 2 and b.side_by_side:
            self.side_by_side(tables)
        else:
            for i, t in enumerate(tables):
                if i:
                    pdf.ln(1.5)
                self.table(t)
        if b.tables:
            pdf.ln(1.2)
        if b.grid and len(b.rows) > 1:
            self.grid(b.rows)
        else:
            for label, value in b.rows:
                self.labelled(label, value)
        self.items(b.items)
        if b.is_empty and b.empty:
            self.para(b.empty, grey=True)

    def crisis_box(self) -> None:
        """The item-9 note and the crisis lines in a red frame, at the top of page 1."""
        pdf, summary = self.pdf, self.summary
        pdf.ln(1.5)
        pdf.set_draw_color(176, 0, 0)
        pdf.set_line_width(0.6)
        y0 = pdf.get_y()
        self.para(summary.crisis_note, 9, "B")
        self.para(" · ".join(summary.crisis_lines), 8.5)
        pdf.rect(pdf.l_margin - 1.5, y0 - 1, pdf.epw + 3, pdf.get_y() - y0 + 2)
        pdf.set_line_width(0.2)
        pdf.ln(1)

    def page_one(self) -> None:
        """Who, why, the scores, the topics to discuss and the medicines: what the first minute needs."""
        summary = self.summary
        self.pdf.add_page()
        self.para(summary.title, 15, "B", 7)
        self.labelled("Completed by", summary.completed_by, 10)
        self.labelled("Clinic", summary.clinic, 10)
        self.para(summary.about_note, 7.5, "", 3.5, grey=True)
        if summary.crisis:
            self.crisis_box()
        for b in summary.blocks:
            if b.page == 1:
                self.block(b)

    def sources(self) -> None:
        """The numbered references and the questionnaires' notices, in two columns of small print."""
        summary, pdf = self.summary, self.pdf
        if not (summary.endnotes or summary.notices):
            return
        self.heading("Sources (numbered as cited) and questionnaire notices")
        # two columns: the small print of references and notices takes half the height
        with pdf.text_columns(ncols=2, gutter=5, text_align="LEFT", line_height=1.0) as cols:
            pdf.set_font(self.family, "", 6.8)
            for n, text in enumerate(summary.endnotes, start=1):
                cols.write(self.clean(f"{n}. {text}") + "\n")
            if summary.notices:
                cols.ln()
                pdf.set_text_color(GREY)
                cols.write(self.clean(" ".join(summary.notices)))
                pdf.set_text_color(0)

    def page_two(self) -> None:
        """The full screen, measurements, history, logistics and the sources, on a page of their own."""
        if self.pdf.page_no() == 1:
            self.pdf.add_page()
        for b in self.summary.blocks:
            if b.page != 1:
                self.block(b)
        self.pdf.ln(1)
        self.para(self.summary.crisis_short, 7.5, "B", 3.4)
        self.sources()

    def chart(self, spec: str) -> None:
        """The check-in chart, rendered on the server from the spec the page draws, across the text width."""
        from dashboard.intake import progress_chart

        pdf = self.pdf
        image = pdf.image(
            io.BytesIO(progress_chart.png(spec)), x=pdf.l_margin, w=pdf.epw * 0.86, keep_aspect_ratio=True
        )
        del image
        pdf.ln(1.5)

    def progress_page(self) -> None:
        """The check-ins of a treatment series: the table, the chart and the change since the first check-in,
        starting on a page of their own so the two-page intake stays as it was."""
        page = self.summary.progress
        if page is None:
            return
        pdf = self.pdf
        pdf.add_page()
        self.para(page.title, 13, "B", 6)
        self.para(page.note, 7.5, "", 3.5, grey=True)
        pdf.ln(1)
        self.table(page.table)
        pdf.ln(2)
        if page.chart:
            if pdf.will_page_break(150):
                pdf.add_page()
            self.chart(page.chart)
        self.heading("Change since the first check-in", keep=20)
        if page.changes:
            self.items(page.changes)
        else:
            self.para(page.single, grey=True)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def render(summary: Summary, font: FontChoice = "unicode") -> bytes:
    """PDF bytes for the summary: page one, page two, and the progress page when there are check-ins."""
    writer = _Writer(summary, font)
    writer.page_one()
    writer.page_two()
    writer.progress_page()
    return writer.output()


def render_answers(answers: Answers, today: dt.date | None = None, font: FontChoice = "unicode") -> bytes:
    """PDF bytes straight from the answers."""
    return render(build(answers, today), font)
