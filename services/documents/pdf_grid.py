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
    _draw(pdf, columns, cells, _height(pdf, columns, [text for text, _ in cells]), fill=True)


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
    height = _height(pdf, columns, texts)
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
        _header(pdf, columns, header_cells, header_size)
        pdf.set_font(FAMILY, "B" if bold else "", size)
    _draw(pdf, columns, [(text, column.align) for text, column in zip(texts, columns)], height, fill=False)


def _height(pdf: FPDF, columns: Sequence[GridColumn], texts: Sequence[str]) -> float:
    line = pdf.font_size * LINE_FACTOR
    return max((len(_lines(pdf, text, column.width)) for text, column in zip(texts, columns)), default=1) * line + (
        2 * PADDING_MM
    )


def _lines(pdf: FPDF, text: str, width: float) -> list[str]:
    room = width - 2 * PADDING_MM
    if "\n" not in text and pdf.get_string_width(text) <= room:
        return [text]
    return pdf.multi_cell(room, pdf.font_size, text, dry_run=True, output="LINES") or [""]


def _draw(pdf: FPDF, columns: Sequence[GridColumn], cells: list[tuple[str, str]], height: float, *, fill: bool) -> None:
    x, y = pdf.l_margin, pdf.get_y()
    line = pdf.font_size * LINE_FACTOR
    for (text, align), column in zip(cells, columns):
        pdf.rect(x, y, column.width, height, style="DF" if fill else "D")
        for number, piece in enumerate(_lines(pdf, text, column.width)):
            pdf.set_xy(x + PADDING_MM, y + PADDING_MM + number * line)
            pdf.cell(column.width - 2 * PADDING_MM, line, piece, align=align)
        x += column.width
    pdf.set_xy(pdf.l_margin, y + height)
