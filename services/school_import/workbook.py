"""Reading the school's file (an XLSX workbook or a folder of CSVs) and writing the empty template."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from services.school_import.sheets import ROW_NUMBER, SHEETS, SheetRows, first_year_of_school_year, template_examples


class WorkbookError(ValueError):
    """The file cannot be read as a workbook at all (as opposed to problems in its cells)."""


def read_workbook(path: Path) -> SheetRows:
    """Sheet → rows; each row maps lower-cased column names to stripped text and carries its row number."""
    path = Path(path)
    if path.is_dir():
        return _read_csv_folder(path)
    if not path.is_file():
        raise WorkbookError(f"{path}: no such file or folder")
    return _read_xlsx(path)


def _read_xlsx(path: Path) -> SheetRows:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise WorkbookError(f"{path.name}: not an XLSX workbook ({error})") from error
    try:
        sheets: SheetRows = {}
        for worksheet in workbook.worksheets:
            worksheet.reset_dimensions()  # some writers store wrong dimensions; read every row there is
            sheets[worksheet.title.strip().lower()] = rows_from_table(worksheet.iter_rows(values_only=True))
        return sheets
    finally:
        workbook.close()


def _read_csv_folder(folder: Path) -> SheetRows:
    files = sorted(path for path in folder.iterdir() if path.suffix.lower() == ".csv")
    if not files:
        raise WorkbookError(f"{folder}: no .csv files in the folder")
    return {path.stem.strip().lower(): _read_csv(path) for path in files}


def _read_csv(path: Path) -> list[dict[str, str | int]]:
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel puts a BOM before UTF-8 CSV
    except UnicodeDecodeError as error:
        raise WorkbookError(f"{path.name}: not UTF-8 text") from error
    header = text.split("\n", 1)[0]
    # A Russian-locale Excel saves CSV with semicolons.
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return rows_from_table(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def rows_from_table(table: Iterable[Sequence[object]]) -> list[dict[str, str | int]]:
    """The first line is the header (row 1); blank lines are skipped but still counted."""
    lines = iter(table)
    header = next(lines, None)
    if header is None:
        return []
    columns = [cell_text(cell).lower() for cell in header]
    rows = []
    for number, values in enumerate(lines, start=2):
        cells = [cell_text(value) for value in values]
        if not any(cells):
            continue
        cells += [""] * (len(columns) - len(cells))
        row: dict[str, str | int] = {column: cell for column, cell in zip(columns, cells) if column}
        row[ROW_NUMBER] = number
        rows.append(row)
    return rows


def cell_text(value: object) -> str:
    """A cell as the text a person sees: whole numbers without '.0', Excel dates as ISO, times as HH:MM."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.timedelta):  # durations-formatted cells holding a time of day
        minutes = int(value.total_seconds()) // 60
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return str(value).strip()


def write_template(path: Path, *, today: dt.date | None = None) -> None:
    """An XLSX with every sheet's header and one example row; the examples import cleanly together."""
    examples = template_examples(first_year_of_school_year(today or dt.date.today()))
    write_workbook(path, {sheet: [examples[sheet]] for sheet in SHEETS})


def write_workbook(path: Path, sheets: SheetRows) -> None:
    """Sheets as an XLSX, columns in SHEETS order (any others after them); cells written as text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, rows in sheets.items():
        columns = list(SHEETS.get(sheet, ()))
        columns += [c for row in rows for c in row if c not in columns and c != ROW_NUMBER]
        worksheet = workbook.create_sheet(sheet)
        worksheet.append(list(dict.fromkeys(columns)))
        for row in rows:
            worksheet.append([row.get(column, "") for column in dict.fromkeys(columns)])
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
            worksheet.column_dimensions[cell.column_letter].width = 24
        worksheet.freeze_panes = "A2"
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
