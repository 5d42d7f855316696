"""A Document as a PDF on A4: the school, the title, whom it is about and the period at the top of every
page, «Страница N из M» at the bottom; each table as a section (its header row again on every page);
the charts, a page each; the signature lines last.

A table too wide for the page at a readable size (a term of dated lessons) is cut into column parts,
each on its own page with the table's key columns (№, the name) repeated, so the pages can be laid side
by side. The same Document gives the same bytes: the creation date is fixed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from io import BytesIO

from fpdf import FPDF

from services.documents.fonts import FAMILY, add_fonts
from services.documents.pdf_grid import GridColumn, Measure, draw_grid
from services.documents.printed import CREATOR, cell_text, closing_lines, fixed_moment
from services.reports.document import Cell, CellKind, Column, Document, Table

_BODY_PT = 8
_HEADINGS_PT = 7.5  # a bold «01.09» fits a column 5 characters wide at the narrowest
# A column needs this much of the page per character of its Column.width to stay readable at _BODY_PT
# (a DejaVu Sans digit is 1.8 mm, plus the cell's padding shared out); below that a table is cut in parts.
_MIN_MM_PER_CHAR = 2.0
_CHART_HEIGHT_TO_WIDTH = 0.6  # charts.py draws 1000×600
_SIGNATURE_STEP_MM = 10  # room to sign above each line


def pdf_bytes(document: Document, charts: Sequence[bytes] = ()) -> bytes:
    """The PDF's bytes; `charts` are PNGs, placed a page each after the tables."""
    pdf = _Pages(document)
    pdf.add_page()
    for table in document.tables:
        _write_table(pdf, table)
    lines = closing_lines(document)
    for number, png in enumerate(charts, 1):
        # the last chart leaves room for the signatures under it, rather than a page of signatures alone
        _place_chart(pdf, png, below_mm=_SIGNATURE_STEP_MM * len(lines) + 5 if number == len(charts) else 0)
    _write_signatures(pdf, lines)
    return bytes(pdf.output())


def column_parts(columns: Sequence[Column], key_columns: int, page_width_mm: float) -> list[tuple[int, ...]]:
    """The columns' indexes, cut into parts that each fit the page at a readable size; the key columns lead
    every part. One part (every column) when the table fits as it is."""
    widths = [column.width for column in columns]
    room = page_width_mm / _MIN_MM_PER_CHAR  # in characters
    if sum(widths) <= room:
        return [tuple(range(len(columns)))]
    keys = tuple(range(min(key_columns, len(columns))))
    room -= sum(widths[index] for index in keys)
    if room <= 0:  # the key columns fill the page alone: better parts without them than parts of nothing else
        keys, room = (), page_width_mm / _MIN_MM_PER_CHAR
    rest = [(index, widths[index]) for index in range(len(keys), len(columns))]
    fewest = len(_filled(rest, room))
    # As many parts as needed, but evened out: not ten full pages and a last one of two columns.
    limit = math.ceil(sum(width for _, width in rest) / fewest)
    while len(_filled(rest, limit)) > fewest:
        limit += 1
    return [keys + part for part in _filled(rest, limit)]


def _filled(columns: list[tuple[int, int]], room: float) -> list[tuple[int, ...]]:
    """Columns in order, a part filled up to `room` characters before the next begins."""
    parts: list[list[int]] = [[]]
    used = 0
    for index, width in columns:
        if parts[-1] and used + width > room:
            parts.append([])
            used = 0
        parts[-1].append(index)
        used += width
    return [tuple(part) for part in parts]


class _Pages(FPDF):
    """A4 pages that head themselves with the document's school, title, subject and period, and count."""

    def __init__(self, document: Document) -> None:
        super().__init__(orientation="landscape" if document.landscape else "portrait", format="A4")
        self.document = document
        self.measure = Measure(self)
        add_fonts(self)
        self.set_auto_page_break(True, margin=15)
        self.set_creation_date(fixed_moment(document))  # never the clock: the archive's second run is the same
        self.set_creator(CREATOR)
        self.set_title(document.title)
        self.set_lang("ru")

    def header(self) -> None:
        self.set_font(FAMILY, "", 8)
        self._line(4, self.document.school, "L")
        self.set_font(FAMILY, "B", 12)
        self._line(6, self.document.title, "C")
        self.set_font(FAMILY, "", 10)
        self._line(5, " — ".join(part for part in (self.document.about, self.document.scope) if part), "C")
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(3)

    def _line(self, height: float, text: str, align: str) -> None:
        """A line of the page's heading; wrapped only when too long (a `cell()` is a fraction of a
        `multi_cell()`, and every page has three)."""
        if self.measure.width(text) <= self.epw:
            self.cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")
        else:
            self.multi_cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.cell(0, 5, f"Страница {self.page_no()} из {{nb}}", align="C")


def _write_table(pdf: FPDF, table: Table) -> None:
    parts = column_parts(table.columns, table.key_columns, pdf.epw)
    widest = max(sum(table.columns[index].width for index in part) for part in parts) or 1
    mm_per_char = pdf.epw / widest  # one scale for every part: a column is as wide on each page
    for number, part in enumerate(parts, 1):
        if number > 1:
            pdf.add_page()
        heading = table.title if len(parts) == 1 else f"{table.title} (часть {number} из {len(parts)})"
        _write_heading(pdf, heading)
        if not part:
            continue
        columns = [table.columns[index] for index in part]
        draw_grid(
            pdf,
            [GridColumn(mm_per_char * column.width, _alignment(column.kind)) for column in columns],
            [column.title for column in columns],
            [_texts(row, part, columns) for row in table.rows],
            total=None if table.total is None else _texts(table.total, part, columns),
            body_pt=_BODY_PT,
            header_pt=_HEADINGS_PT,
            measure=pdf.measure,
        )
        pdf.ln(2)
    if table.note:
        pdf.set_font(FAMILY, "", _BODY_PT)
        pdf.multi_cell(0, 4, table.note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _write_heading(pdf: FPDF, text: str) -> None:
    pdf.set_font(FAMILY, "B", 10)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _texts(row: Sequence[Cell], part: tuple[int, ...], columns: Sequence[Column]) -> list[str]:
    return [cell_text(row[index] if index < len(row) else None, column.kind) for index, column in zip(part, columns)]


def _alignment(kind: CellKind) -> str:
    return "L" if kind is CellKind.TEXT else "R"


def _place_chart(pdf: FPDF, png: bytes, below_mm: float) -> None:
    pdf.add_page()
    room = pdf.page_break_trigger - pdf.get_y() - below_mm
    width = min(pdf.epw, room / _CHART_HEIGHT_TO_WIDTH)
    pdf.image(BytesIO(png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=width * _CHART_HEIGHT_TO_WIDTH)
    pdf.ln(4)


def _write_signatures(pdf: FPDF, lines: Sequence[str]) -> None:
    if pdf.will_page_break(_SIGNATURE_STEP_MM * len(lines)):  # the signatures stay together
        pdf.add_page()
    pdf.set_font(FAMILY, "", 10)
    for line in lines:
        pdf.ln(_SIGNATURE_STEP_MM - 5)
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
