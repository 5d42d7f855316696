"""A Document as an XLSX workbook: one sheet per table, ready to print on A4.

Each sheet opens with the document's heading (rows 1–4: the title, the school, the period, whom it is
about), the table's own title in row 5 and the column headers in HEADER_ROW; the rows follow, then the
total in bold and the note. The first sheet ends with «Сформировано …» and the signature lines; the
charts, if any, go on a last sheet «Диаграммы».

Figures are numbers, shown by the column's kind: INTEGER «0», DECIMAL «0.00», PERCENT «0.0%». A PERCENT
cell holds the share as a fraction (87,5 % is 0.875), as Excel's own percent cells do, so that the
cell's «%» button, formulas and charts read it right; it shows as 87.5% (87,5% in a Russian Excel).

The same Document gives the same bytes: the workbook's dates and every zip entry's time are fixed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from copy import copy
from decimal import Decimal
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell import Cell as SheetCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from services.documents.printed import CREATOR, closing_lines, fixed_moment
from services.reports.document import Cell, CellKind, Document, Table

HEADER_ROW = 6  # the column headers; the table's rows start below it
CHARTS_SHEET = "Диаграммы"

NUMBER_FORMATS = {CellKind.INTEGER: "0", CellKind.DECIMAL: "0.00", CellKind.PERCENT: "0.0%"}
_SHEET_TITLE_LENGTH = 31  # Excel's limit
_NOT_IN_SHEET_TITLES = str.maketrans("", "", "[]:*?/\\")
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CHART_ROWS = 32  # a chart is 600 px high, 30 rows of the default height; two more between charts


def workbook_bytes(document: Document, charts: Sequence[bytes] = ()) -> bytes:
    """The workbook as the bytes of an .xlsx file; `charts` are PNGs for the «Диаграммы» sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    tables = document.tables or (Table(title=document.title, columns=(), rows=()),)
    titles = sheet_titles([table.sheet or table.title for table in tables] + ([CHARTS_SHEET] if charts else []))
    for number, (table, title) in enumerate(zip(tables, titles)):
        sheet = workbook.create_sheet(title)
        _write_heading(sheet, document, table)
        last_row = _write_table(sheet, table)
        if number == 0:
            _write_signatures(sheet, document, last_row + 2)
        _set_up_printing(sheet, document, table.key_columns)
    if charts:
        sheet = workbook.create_sheet(titles[-1])
        _place_charts(sheet, charts)
        _set_up_printing(sheet, document, key_columns=0)
    moment = fixed_moment(document).replace(tzinfo=None)  # openpyxl writes these as UTC
    workbook.properties.creator = CREATOR
    workbook.properties.title = document.title
    workbook.properties.created = workbook.properties.modified = moment
    return _saved(workbook, moment)


def sheet_titles(wanted: Sequence[str]) -> list[str]:
    """Names Excel accepts: ≤ 31 characters, none of []:*?/\\, no two alike (Excel ignores case)."""
    taken: set[str] = set()
    titles = []
    for name in wanted:
        base = name.translate(_NOT_IN_SHEET_TITLES).strip().strip("'") or "Лист"
        title, copy = base[:_SHEET_TITLE_LENGTH].rstrip(), 1
        while title.casefold() in taken:
            copy += 1
            suffix = f" ({copy})"
            title = base[: _SHEET_TITLE_LENGTH - len(suffix)].rstrip() + suffix
        taken.add(title.casefold())
        titles.append(title)
    return titles


def _write_heading(sheet: Worksheet, document: Document, table: Table) -> None:
    # five lines, the rows above HEADER_ROW
    for row, line in enumerate((document.title, document.school, document.scope, document.about, table.title), 1):
        _put(sheet.cell(row, 1), line)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(HEADER_ROW - 1, 1).font = Font(bold=True)


def _write_table(sheet: Worksheet, table: Table) -> int:
    """Writes the headers, the rows, the total and the note; returns the last row written."""
    bold = Font(bold=True)
    for place, column in enumerate(table.columns, 1):
        sheet.column_dimensions[get_column_letter(place)].width = column.width
        header = sheet.cell(HEADER_ROW, place)
        _put(header, column.title)
        header.font, header.border = bold, _BORDER
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row = HEADER_ROW
    styles: dict[tuple[CellKind, bool], StyleArray] = {}
    for row, values in enumerate(table.rows, HEADER_ROW + 1):
        _write_row(sheet, row, values, table, styles)
    if table.total is not None:
        row += 1
        for cell in _write_row(sheet, row, table.total, table, {}):
            cell.font = bold
    if table.note:
        row += 2
        _put(sheet.cell(row, 1), table.note)
        sheet.cell(row, 1).font = Font(italic=True)
    return row


def _write_row(
    sheet: Worksheet, row: int, values: Sequence[Cell], table: Table, styles: dict[tuple[CellKind, bool], StyleArray]
) -> list[SheetCell]:
    """One row in bordered cells. A cell's style is set through openpyxl once for each kind of cell and then
    copied (`styles`): set on every cell, openpyxl hashes the border anew each time, most of the time a
    class's journal took."""
    cells = []
    for place, (value, column) in enumerate(zip(values, table.columns), 1):
        cell = sheet.cell(row, place)
        key = (column.kind, value is not None)
        if key in styles:
            _put(cell, value, column.kind, formatted=False)
            cell._style = copy(styles[key])
        else:
            _put(cell, value, column.kind)
            cell.border = _BORDER
            styles[key] = copy(cell._style)
        cells.append(cell)
    return cells


def _put(cell: SheetCell, value: Cell, kind: CellKind = CellKind.TEXT, *, formatted: bool = True) -> None:
    """The value, and (`formatted`) its kind's number format."""
    if value is None:
        return
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)  # a control character would make the file unreadable
        cell.data_type = "s"  # a topic that begins with «=» is text, not a formula
        return
    if kind is CellKind.PERCENT:
        cell.value = float(Decimal(value) / 100)
    else:
        cell.value = float(value) if isinstance(value, Decimal) else value
    if formatted:
        cell.number_format = NUMBER_FORMATS.get(kind, "General")


def _write_signatures(sheet: Worksheet, document: Document, row: int) -> None:
    for place, line in enumerate(closing_lines(document)):
        _put(sheet.cell(row + 2 * place, 1), line)  # a blank row between: room for the hand


def _set_up_printing(sheet: Worksheet, document: Document, key_columns: int) -> None:
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = sheet.ORIENTATION_LANDSCAPE if document.landscape else sheet.ORIENTATION_PORTRAIT
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth, setup.fitToHeight = 1, 0  # one page wide, as many long as it takes
    sheet.oddFooter.center.text = "Страница &P из &N"
    if key_columns:  # a table's sheet: the headers and the key columns on every printed page
        sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, key_columns + 1).coordinate
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.print_title_cols = f"A:{get_column_letter(key_columns)}"


def _place_charts(sheet: Worksheet, charts: Sequence[bytes]) -> None:
    for place, png in enumerate(charts):
        sheet.add_image(Image(BytesIO(png)), f"A{1 + place * _CHART_ROWS}")


def _saved(workbook: Workbook, moment: dt.datetime) -> bytes:
    # openpyxl's save_workbook() stamps the workbook with the clock; its writer alone does not
    written = BytesIO()
    with ZipFile(written, "w", ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return _restamped(written.getvalue(), moment)


def _restamped(archive: bytes, moment: dt.datetime) -> bytes:
    """The same zip, its entries in the same order, each dated `moment` instead of the time of writing."""
    stamped = BytesIO()
    with ZipFile(BytesIO(archive)) as source, ZipFile(stamped, "w", ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = ZipInfo(entry.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = ZIP_DEFLATED, entry.external_attr
            target.writestr(fixed, source.read(entry))
    return stamped.getvalue()
