"""The school import: `import PATH` loads an XLSX workbook or a folder of CSVs named like its sheets.

The whole file is checked first and every problem reported at once; only a valid file is written,
inside the caller's transaction (the caller commits). Importing the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from services.school_import.report import ImportProblem, ImportReport, TimetableVersionNote
from services.school_import.sheets import DEFAULT_WORK_TYPES, ROW_NUMBER, SHEETS, SheetRows
from services.school_import.validation import SchoolFileParser
from services.school_import.workbook import WorkbookError, read_workbook, write_template, write_workbook
from services.school_import.writing import SchoolWriter

__all__ = [
    "DEFAULT_WORK_TYPES",
    "ImportProblem",
    "ImportReport",
    "ROW_NUMBER",
    "SHEETS",
    "TimetableVersionNote",
    "WorkbookError",
    "check_rows",
    "import_path",
    "import_rows",
    "read_workbook",
    "write_template",
    "write_workbook",
]


def check_rows(sheets: SheetRows, *, today: dt.date) -> ImportReport:
    """Validation only, no database: the problems and warnings `import_rows` would report."""
    parser = SchoolFileParser(sheets, today=today)
    parser.parse()
    return ImportReport(problems=parser.problems, warnings=parser.warnings)


async def import_rows(session: AsyncSession, sheets: SheetRows, *, today: dt.date) -> ImportReport:
    """Validates every sheet; writes (without committing) only when there is no problem at all.

    `today` is the school's date (in its time zone), used to date class moves. Should the database
    refuse a write, the exception propagates and the caller rolls back.
    """
    parser = SchoolFileParser(sheets, today=today)
    school = parser.parse()
    report = ImportReport(problems=parser.problems, warnings=parser.warnings)
    if school is None:
        return report
    # Here, not at the top: the consent rules read the journal through services that import this package.
    from services.school_import.consents import ConsentImport

    consents = ConsentImport(session, school.consents, school.students, today=today)
    report.problems += await consents.check()  # before anything is written: a bad row stops the whole import
    if report.problems:
        return report
    writer = SchoolWriter(session, school, today=today)
    await writer.write()
    await consents.write(writer.counts)
    writer.counts.fill(report)
    report.missing_students = writer.missing_students
    report.timetable_versions = writer.timetable_versions
    report.warnings += writer.warnings
    return report


async def import_path(session: AsyncSession, path: Path, *, today: dt.date) -> ImportReport:
    """Reads the file and imports it; a file that cannot be read at all comes back as one problem."""
    try:
        sheets = read_workbook(path)
    except WorkbookError as error:
        return ImportReport(problems=[ImportProblem(Path(path).name, None, None, str(error))])
    return await import_rows(session, sheets, today=today)
