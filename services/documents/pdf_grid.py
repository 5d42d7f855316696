"""A table drawn cell by cell on fpdf2 pages: the header row again at the top of every page, a long text
wrapped inside its cell, the total row in bold.

fpdf2's own `table()` lays out every cell through its general text engine: a term of a class's journal
(some 30,000 cells) took ten seconds a class, and the year-end archive has a page of that size per
subject. Here a cell whose text fits on one line (nearly all: marks, dates, figures) is one `cell()`,
and only a longer text is wrapped, so the same page takes a fraction of a second.
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
) -> None:
    """The table from the current position down, breaking pages as it goes (each new page repeats the header)."""
    pdf.set_auto_page_break(False)  # this grid breaks the pages itself, between rows
    try:
        header_cells = [(text, "C") for text in header]
        _header(pdf, columns, header_cells, header_pt)
        for row in rows:
            _row(pdf, columns, header_cells, row, body_pt, header_pt, bold=False)
        if total is not None:
            _row(pdf, columns, header_cells, total, body_pt, header_pt, bold=True)
    finally:
        pdf.set_auto_page_break(True, margin=pdf.b_margin)


def _header(pdf: FPDF, columns: Sequence[GridColumn], cells: list[tuple[str, str]], size: float) -> None:
    pdf.set_font(FAMILY, "B", size)
    pdf.set_fill_color(HEADER_FILL)
    _draw(pdf, columns, cells, fill=True)


def _row(
    pdf: FPDF,
    columns: Sequence[GridColumn],
    header_cells: list[tuple[str, str]],
    texts: Sequence[str],
    size: float,
    header_size: float,
    *,
    bold: bool,
) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    cells = [(text, column.align) for text, column in zip(texts, columns)]
    wrapped = _wrapped(pdf, columns, cells)
    if pdf.get_y() + _height(pdf, wrapped) > pdf.page_break_trigger:
        pdf.add_page()
        _header(pdf, columns, header_cells, header_size)
        pdf.set_font(FAMILY, "B" if bold else "", size)
    _draw(pdf, columns, cells, fill=False, wrapped=wrapped)


def _wrapped(pdf: FPDF, columns: Sequence[GridColumn], cells: list[tuple[str, str]]) -> list[list[str]]:
    """Each cell's text as the lines it takes in its column."""
    return [_lines(pdf, text, column.width) for (text, _), column in zip(cells, columns)]


def _height(pdf: FPDF, wrapped: list[list[str]]) -> float:
    return max((len(lines) for lines in wrapped), default=1) * pdf.font_size * LINE_FACTOR + 2 * PADDING_MM


def _lines(pdf: FPDF, text: str, width: float) -> list[str]:
    room = width - 2 * PADDING_MM
    if not text:
        return []
    # No glyph of the font is wider than its size: a short text (a mark, a date, a figure) surely fits,
    # and is not measured. Measuring every cell was most of the time a journal page took.
    if "\n" not in text and (len(text) * pdf.font_size <= room or pdf.get_string_width(text) <= room):
        return [text]
    return pdf.multi_cell(room, pdf.font_size, text, dry_run=True, output="LINES") or [""]


def _left(pdf: FPDF, text: str, align: str, x: float, width: float) -> float:
    """Where a line of text starts in its cell. (`text()` and not `cell()`: a tenth of the time a cell takes.)"""
    if align == "L":
        return x + PADDING_MM
    room = width - 2 * PADDING_MM - pdf.get_string_width(text)
    return x + PADDING_MM + (room if align == "R" else room / 2)


def _draw(
    pdf: FPDF,
    columns: Sequence[GridColumn],
    cells: list[tuple[str, str]],
    *,
    fill: bool,
    wrapped: list[list[str]] | None = None,
) -> None:
    wrapped = wrapped if wrapped is not None else _wrapped(pdf, columns, cells)
    x, y = pdf.l_margin, pdf.get_y()
    height, line = _height(pdf, wrapped), pdf.font_size * LINE_FACTOR
    for (_, align), column, lines in zip(cells, columns, wrapped):
        pdf.rect(x, y, column.width, height, style="DF" if fill else "D")
        for number, piece in enumerate(lines):  # an empty cell (most of a journal page) is its frame alone
            top = y + PADDING_MM + number * line
            pdf.text(_left(pdf, piece, align, x, column.width), top + line / 2 + BASELINE * pdf.font_size, piece)
        x += column.width
    pdf.set_xy(pdf.l_margin, y + height)
