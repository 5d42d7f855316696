"""`card`: the табель of one pupil, for the family — each subject's result per period and for the year, the
lessons missed by reason, and a chart of the pupil's average per subject across the periods.

The pupil is shown in the class they were in at the scope's end, with its subjects; the class is read
whole (a fixed number of statements), the rows are the pupil's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from models import Period, SchoolClass, Student
from services.errors import NotFound
from services.grades import school_thresholds
from services.reports.attendance import NOTE as ATTENDANCE_NOTE
from services.reports.attendance import (
    TALLY_COLUMNS,
    AttendanceFacts,
    Tally,
    read_attendance,
    summary_line,
    tally,
    total_of,
)
from services.reports.document import Cell, Chart, Column, Document, Series, Table
from services.reports.figures import group_figures
from services.reports.marks_basis import ClassMarks, class_marks, periods_up_to
from services.reports.marks_tables import (
    FIRST_GRADE_NOTE,
    averages_chart,
    figure_text,
    mark_cell,
    marks_document,
    notes,
    one_class,
    result_columns,
    sheet_note,
    short_name,
)
from services.reports.reach import short_scope
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
    reach = one_class(school_class, f"{short_name(student.full_name)}, {school_class.name}")
    marks = await class_marks(session, school_class, scope, request.basis, await school_thresholds(session))
    begun = [period for period in periods_up_to(scope) if period.start <= request.today]
    facts = await read_attendance(session, [school_class.id], scope.year.start, scope.end)
    own = replace(facts, absences=[absence for absence in facts.absences if absence.student_id == student.id])
    tables: tuple[Table, ...] = (_absences(begun, own, FIRST_GRADE_NOTE if school_class.attendance_only else ""),)
    charts: tuple[Chart, ...] = ()
    average = ": безотметочное обучение"
    if not school_class.attendance_only:
        tables = (_results(marks, student.id, request.today, request.basis), *tables)
        charts = _chart(marks, student.id, begun)
        results = [marks.cell(student.id, subject.id, marks.column).result for subject in marks.subjects]
        average = f": средний балл {figure_text(group_figures([results]).average)}"
    return await marks_document(
        session,
        request,
        reach,
        title=TITLE,
        tables=tables,
        charts=charts,
        summary=(f"{reach.about}, {short_scope(request)}{average}", summary_line(reach, request, _tally(own))),
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


def _absences(begun: Sequence[Period], own: AttendanceFacts, note: str) -> Table:
    """Lessons missed in each period shown, and in all from the year's start, as the attendance report
    counts them (services.reports.attendance)."""
    rows = []
    for period in begun:
        absences = [absence for absence in own.absences if period.start <= absence.date <= period.end]
        rows.append((period.name, *_tally(replace(own, absences=absences)).cells))
    return Table(
        title="Пропуски уроков",
        columns=(Column("Период", 16), *TALLY_COLUMNS),
        rows=tuple(rows),
        total=("Всего", *_tally(own).cells),
        note=notes(note, ATTENDANCE_NOTE),
    )


def _tally(own: AttendanceFacts) -> Tally:
    """The one pupil's tally (their absences are the only ones in `own`)."""
    return total_of(tally(own).values())


def _chart(marks: ClassMarks, student_id: int, begun: Sequence[Period]) -> tuple[Chart, ...]:
    """The pupil's weighted average per subject, in each period shown."""
    series = (
        Series(period.name, tuple(marks.cell(student_id, subject.id, period.id).average for subject in marks.subjects))
        for period in begun
    )
    return averages_chart(marks.subjects, series)
