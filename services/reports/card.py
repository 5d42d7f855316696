"""`card`: the табель of one pupil, for the family — each subject's result per period and for the year, the
lessons missed by reason, and a chart of the pupil's average per subject across the periods.

The pupil is shown in the class they were in at the scope's end, with its subjects; the class is read
whole (a fixed number of statements), the rows are the pupil's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from models import Period, SchoolClass, Student
from services.errors import NotFound
from services.grades import school_thresholds
from services.reports.absence_counts import ABSENCE_COLUMNS, AbsenceRow, absence_rows, count_absences
from services.reports.document import Cell, Chart, Column, Document, Series, Table
from services.reports.figures import group_figures
from services.reports.marks_basis import ClassMarks, class_marks, periods_up_to
from services.reports.marks_tables import (
    FIRST_GRADE_NOTE,
    averages_chart,
    decimal_text,
    mark_cell,
    marks_document,
    period_words,
    result_columns,
    sheet_note,
    short_name,
)
from services.reports.request import Basis, ReportRequest
from services.roster import class_ids_on

TITLE = "Табель успеваемости"
SIGNATURES = ("Классный руководитель", "Родитель (законный представитель)")


async def build(session: AsyncSession, request: ReportRequest) -> Document:
    student = await session.get(Student, request.student_id) if request.student_id is not None else None
    if student is None:
        raise NotFound("error-student-not-found")
    scope = request.scope
    class_id = (await class_ids_on(session, [student.id], scope.end)).get(student.id, student.class_id)
    school_class = await session.get(SchoolClass, class_id) if class_id is not None else None
    if school_class is None:
        raise NotFound("error-student-not-found")
    marks = await class_marks(session, school_class, scope, request.basis, await school_thresholds(session))
    begun = [period for period in periods_up_to(scope) if period.start <= request.today]
    absences = await absence_rows(session, [student.id], scope.year.start, scope.end)
    about = f"{short_name(student.full_name)}, {school_class.name}"
    tables = (_absences(begun, absences, FIRST_GRADE_NOTE if school_class.attendance_only else ""),)
    charts: tuple[Chart, ...] = ()
    average = ": безотметочное обучение"
    if not school_class.attendance_only:
        tables = (_results(marks, student.id, request.today, request.basis), *tables)
        charts = _chart(marks, student.id, begun)
        results = [marks.cell(student.id, subject.id, marks.column).result for subject in marks.subjects]
        average = f": средний балл {decimal_text(group_figures([results]).average)}"
    missed = count_absences(absences)
    return await marks_document(
        session,
        request,
        title=TITLE,
        about=about,
        tables=tables,
        charts=charts,
        summary=(
            f"{about}, {period_words(scope)}{average}",
            f"Пропущено уроков {missed.missed}, из них по болезни {missed.ill}",
        ),
        signatures=SIGNATURES,
    )


def _results(marks: ClassMarks, student_id: int, today: dt.date, basis: Basis) -> Table:
    """Subjects × the periods shown, and the year for the year's scope."""
    columns = result_columns(marks, today, "Год")
    rows: list[tuple[Cell, ...]] = []
    forecast = False
    for subject in marks.subjects:
        results = [marks.cell(student_id, subject.id, c.column).result if c.begun else None for c in columns]
        forecast = forecast or any(result.forecast for result in results if result is not None)
        rows.append((subject.name, *(None if r is None else mark_cell(r, basis) for r in results)))
    return Table(
        title="Успеваемость",
        columns=(Column("Предмет", 24), *(Column(c.label, 10) for c in columns)),
        rows=tuple(rows),
        note=sheet_note(basis, forecast),
    )


def _absences(begun: Sequence[Period], absences: list[AbsenceRow], note: str) -> Table:
    """Lessons missed in each period shown, and in all, from the year's start."""
    return Table(
        title="Пропуски уроков",
        columns=(Column("Период", 16), *ABSENCE_COLUMNS),
        rows=tuple(
            (period.name, *count_absences(row for row in absences if period.start <= row.date <= period.end).cells)
            for period in begun
        ),
        total=("Всего", *count_absences(absences).cells),
        note=note,
    )


def _chart(marks: ClassMarks, student_id: int, begun: Sequence[Period]) -> tuple[Chart, ...]:
    """The pupil's weighted average per subject, in each period shown."""
    if not marks.subjects or not begun:
        return ()
    series = tuple(
        Series(period.name, tuple(marks.cell(student_id, subject.id, period.id).average for subject in marks.subjects))
        for period in begun
    )
    return (averages_chart(marks.subjects, series),)
