"""The import of groups (подгруппы), and of a file with sheets or columns the import does not know."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from services.school_import import write_workbook
from tests.test_import import demo, imported, snapshot

# --- sheets and columns the import does not know --------------------------------------------


async def test_an_unknown_sheet_or_column_is_a_problem_and_nothing_is_written(
    session: AsyncSession, tmp_path: Path,
) -> None:
    sheets = demo()
    sheets["Timetabel"] = sheets.pop("timetable")
    for row in sheets["assignments"]:
        row["Subgroupp"] = row.pop("subgroup")
    write_workbook(tmp_path / "school.xlsx", sheets)

    report = await imported(session, tmp_path / "school.xlsx")

    assert [str(problem) for problem in report.problems] == [
        "timetabel: unknown sheet (the sheets are: periods, holidays, subjects, work_types, staff, classes, "
        "students, parents, assignments, bells, timetable, consents)",
        "assignments, row 1, subgroupp: unknown column (the columns of assignments are: teacher, class, subject, "
        "subgroup)",
        "timetable: sheet is missing",
    ]
    assert all(rows == [] for rows in (await snapshot(session)).values()), "nothing may be written"
