"""A table drawn on fpdf2 pages: the header row again at the top of every page, a long text wrapped inside
its cell, the total row in bold.

Made for speed: a term of a class's journal is some 30,000 cells, and the year-end archive has a page of
that size for every subject of every class. fpdf2's own `table()` lays out every cell through its text
engine (ten seconds a class); here a text that surely fits is written with `text()` (a tenth of a
`cell()`), only a longer one is measured and wrapped, an empty cell costs nothing, and the rules are
drawn once a row and once a page rather than a frame around every cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF

from services.documents.fonts import FAMILY

PADDING_MM = 0.6
LINE_FACTOR = 1.35  # a line's height per font size
HEADER_FILL = 235  # the header row's grey
BASELINE = 0.3  # below a line's middle, per font size: where fpdf2's own cells put the baseline


@dataclass(frozen=True)
class GridColumn:
    width: float  # mm
    align: str  # "L", "R" or "C"


def draw_grid(
    pdf: FPDF,
    columns: Sequence[GridColumn],
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    total: Sequence[str] | None = None,
    body_pt: float,
    header_pt: float,
    measure: Measure | None = None,
) -> None:
    """The table from the current position down, breaking pages between rows (each new page repeats the header).
    `measure`: the document's, so that a text is measured once for all its tables."""
    grid = _Grid(pdf, columns, header, body_pt, header_pt, measure or Measure(pdf))
    pdf.set_auto_page_break(False)  # the grid breaks the pages itself, between rows
    try:
        grid.start_page()
        for row in rows:
            grid.row(row, bold=False)
        if total is not None:
            grid.row(total, bold=True)
        grid.close_page()
    finally:
        pdf.set_auto_page_break(True, margin=pdf.b_margin)


class _Grid:
    def __init__(
        self,
        pdf: FPDF,
        columns: Sequence[GridColumn],
        header: Sequence[str],
        body_pt: float,
        header_pt: float,
        measure: Measure,
    ) -> None:
        self.pdf, self.columns, self.header = pdf, columns, header
        self.body_pt, self.header_pt = body_pt, header_pt
        self.width = sum(column.width for column in columns)
        self.top = pdf.get_y()  # where this page's part of the table begins
        self.measure = measure

    def start_page(self) -> None:
        pdf = self.pdf
        self.top = pdf.get_y()
        pdf.set_font(FAMILY, "B", self.header_pt)
        wrapped = self._wrapped(self.header)
        pdf.set_fill_color(HEADER_FILL)
        pdf.rect(pdf.l_margin, self.top, self.width, self._height(wrapped), style="DF")
        self._write(wrapped, ["C"] * len(self.columns))

    def row(self, texts: Sequence[str], *, bold: bool) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "B" if bold else "", self.body_pt)
        wrapped = self._wrapped(texts)
        if pdf.get_y() + self._height(wrapped) > pdf.page_break_trigger:
            self.close_page()
            pdf.add_page()
            self.start_page()
            pdf.set_font(FAMILY, "B" if bold else "", self.body_pt)
        self._write(wrapped, [column.align for column in self.columns])

    def close_page(self) -> None:
        """The table's frame and the rules between its columns, from its top on this page to the last row."""
        pdf, x = self.pdf, self.pdf.l_margin
        bottom = pdf.get_y()
        pdf.line(x, self.top, x + self.width, self.top)
        for column in (None, *self.columns):
            x += column.width if column else 0
            pdf.line(x, self.top, x, bottom)

    def _wrapped(self, texts: Sequence[str]) -> list[list[str]]:
        """Each cell's text as the lines it takes in its column."""
        return [self.measure.lines(text, column.width - 2 * PADDING_MM) for text, column in zip(texts, self.columns)]

    def _height(self, wrapped: list[list[str]]) -> float:
        lines = max((len(cell) for cell in wrapped), default=1) or 1
        return lines * self.pdf.font_size * LINE_FACTOR + 2 * PADDING_MM

    def _left(self, text: str, align: str, x: float, width: float) -> float:
        """Where a line of text starts in its cell."""
        if align == "L":
            return x + PADDING_MM
        room = width - 2 * PADDING_MM - self.measure.width(text)
        return x + PADDING_MM + (room if align == "R" else room / 2)

    def _write(self, wrapped: list[list[str]], aligns: Sequence[str]) -> None:
        """One row's texts, and the rule under it."""
        pdf = self.pdf
        x, y = pdf.l_margin, pdf.get_y()
        height, line = self._height(wrapped), pdf.font_size * LINE_FACTOR
        for lines, column, align in zip(wrapped, self.columns, aligns):
            for number, piece in enumerate(lines):
                top = y + PADDING_MM + number * line
                pdf.text(self._left(piece, align, x, column.width), top + line / 2 + BASELINE * pdf.font_size, piece)
            x += column.width
        pdf.line(pdf.l_margin, y + height, pdf.l_margin + self.width, y + height)
        pdf.set_xy(pdf.l_margin, y + height)


class Measure:
    """Text widths in the current font, each text measured once (a journal repeats «5», «н», «12» thousands
    of times), and texts wrapped into lines by words."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.widths: dict[tuple[str, float, str], float] = {}

    def width(self, text: str) -> float:
        key = (self.pdf.font_style, self.pdf.font_size_pt, text)
        if key not in self.widths:
            self.widths[key] = self.pdf.get_string_width(text)
        return self.widths[key]

    def lines(self, text: str, room: float) -> list[str]:
        if not text:
            return []
        # No glyph of the font is wider than its size: a short text (a mark, a date, a figure) surely fits.
        if "\n" not in text and (len(text) * self.pdf.font_size <= room or self.width(text) <= room):
            return [text]
        lines = []
        for paragraph in text.split("\n"):
            lines += self._wrapped(paragraph, room)
        return lines

    def _wrapped(self, paragraph: str, room: float) -> list[str]:
        """Greedy by words; a word longer than the line alone is left to fpdf2 to cut."""
        lines: list[str] = []
        line, used = "", 0.0
        space = self.width(" ")
        for word in paragraph.split():
            width = self.width(word)
            if width > room:
                lines += [line] if line else []
                lines += self.pdf.multi_cell(room, self.pdf.font_size, word, dry_run=True, output="LINES")
                line, used = "", 0.0
            elif line and used + space + width > room:
                lines.append(line)
                line, used = word, width
            else:
                line, used = (f"{line} {word}", used + space + width) if line else (word, width)
        return [*lines, line] if line or not lines else lines
