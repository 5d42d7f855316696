"""`summary`: сводная ведомость (шахматка) of a class — pupils × subjects with each period's result and the
year's, and the lessons each missed in the class, by reason as the attendance report counts them
(services.reports.attendance; АП-147/07 keeps the ведомость 25 years).

For the year every period is shown; for a period, the periods up to it. A period not begun yet is left
blank. Those who left keep their row (and №), with the date they left and the results of the periods
over by then. The chart is the class's средний балл per subject in each period shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from models import Subject
from services.errors import NotFound
from services.grades import school_thresholds
from services.reports.attendance import NOTE as ATTENDANCE_NOTE
from services.reports.attendance import TALLY_COLUMNS, Tally, read_attendance, summary_line, tally, total_of
from services.reports.document import Cell, CellKind, Chart, Column, Document, Series, Table
from services.reports.marks_basis import YEAR, ClassMarks, class_marks, periods_up_to
from services.reports.marks_tables import (
    FIRST_GRADE_NOTE,
    ResultColumn,
    averages_chart,
    mark_cell,
    marks_document,
    notes,
    result_columns,
    shares_line,
    sheet_note,
)
from services.reports.reach import reach_of, short_scope
from services.reports.request import Basis, ReportRequest
from services.reports.wording import day_text, leaver
from services.roster import RosterEntry

TITLE = "Сводная ведомость успеваемости"
SIGNATURES = ("Классный руководитель",)
YEAR_LABEL = "год"


async def build(session: AsyncSession, request: ReportRequest) -> Document:
    if request.class_id is None:
        raise NotFound("period-class-or-subject-gone")
    reach = await reach_of(session, request)
    (school_class,) = reach.classes
    scope, basis = request.scope, request.basis
    begun = tuple(period for period in periods_up_to(scope) if period.start <= request.today)
    marks = await class_marks(session, school_class, scope, basis, await school_thresholds(session), period_lists=begun)
    subjects = () if school_class.attendance_only else marks.subjects
    columns = result_columns(marks, request.today, YEAR_LABEL)  # under each subject
    # The lessons missed in the class's lessons, as the attendance report counts them.
    tallies = tally(await read_attendance(session, [school_class.id], scope.year.start, scope.end))
    pupils = {entry.student.id: tallies.get((entry.student.id, school_class.id), Tally()) for entry in marks.pupils}
    rows, forecast = _rows(marks, subjects, columns, pupils, basis)
    note = notes(
        FIRST_GRADE_NOTE if school_class.attendance_only else "",
        sheet_note(basis, forecast),
        f"Пропуски уроков — с начала учебного года по {day_text(scope.end)}. {ATTENDANCE_NOTE}",
    )
    figures_line = (
        f"{school_class.name}, {short_scope(request)}: безотметочное обучение"
        if school_class.attendance_only
        else shares_line(school_class.name, short_scope(request), marks.figures(marks.column))
    )
    table = Table(
        title=f"Сводная ведомость {school_class.name}",
        columns=(
            Column("№", 4, CellKind.INTEGER),
            Column("ФИО", 32),
            *(Column(f"{subject.name}, {c.label}", 6) for subject in subjects for c in columns),
            *TALLY_COLUMNS,
        ),
        rows=tuple(rows),
        key_columns=2,
        note=note,
    )
    return await marks_document(
        session,
        request,
        reach,
        title=TITLE,
        tables=(table,),
        charts=_chart(marks, subjects, [c.column for c in columns if c.begun]),
        summary=(figures_line, summary_line(reach, request, total_of(pupils.values()))),
        signatures=SIGNATURES,
    )


def _rows(
    marks: ClassMarks,
    subjects: Sequence[Subject],
    columns: Sequence[ResultColumn],
    tallies: dict[int, Tally],
    basis: Basis,
) -> tuple[list[tuple[Cell, ...]], bool]:
    """A row per pupil on the list: the results, then the absences; and whether a result is a forecast."""
    ends = {period.id: period.end for period in marks.periods}
    rows = []
    forecast = False
    for entry in marks.pupils:
        kept = _kept(entry, ends)
        results = [
            marks.cell(entry.student.id, subject.id, c.column).result if c.begun and c.column in kept else None
            for subject in subjects
            for c in columns
        ]
        forecast = forecast or any(result.forecast for result in results if result is not None)
        rows.append(
            (
                entry.number,
                _name(entry),
                *(None if result is None else mark_cell(result, basis) for result in results),
                *tallies[entry.student.id].cells,
            )
        )
    return rows, forecast


def _kept(entry: RosterEntry, ends: dict[int, dt.date]) -> set[int | None]:
    """The columns a pupil has a result in here; one who left, the periods over before they left."""
    if entry.left_on is None:
        return {*ends, YEAR}
    return {period_id for period_id, end in ends.items() if end <= entry.left_on}


def _name(entry: RosterEntry) -> str:
    """The pupil's full name; one who left, with the date."""
    return entry.student.full_name if entry.left_on is None else leaver(entry.student.full_name, entry.left_on)


def _chart(marks: ClassMarks, subjects: Sequence[Subject], columns: Sequence[int | None]) -> tuple[Chart, ...]:
    """The class's средний балл per subject in each period shown, and the year's."""
    names = {period.id: period.name for period in marks.periods} | {YEAR: YEAR_LABEL.capitalize()}
    series = tuple(
        Series(names[column], tuple(marks.subject_figures(subject.id, column).average for subject in subjects))
        for column in columns
    )
    return averages_chart(subjects, series)
