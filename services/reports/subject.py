"""`subject`: the subject teacher's report on one class and subject for a period or the year.

The subject's figures (per group too, where the class learns it in groups), each pupil's marks count,
weighted average and result, and the pupils with fewer than three marks, who cannot be assessed fairly.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models import SchoolClass, Subject
from services.errors import DomainError, NotFound, ValidationFailed
from services.grades import school_thresholds
from services.reports.document import Cell, CellKind, Column, Document, Table
from services.reports.figures import Figures
from services.reports.marks_basis import ClassMarks, class_marks
from services.reports.marks_tables import (
    FIGURE_COLUMNS,
    FORECAST_MARK,
    basis_note,
    figure_cells,
    marks_document,
    one_class,
    shares_line,
)
from services.reports.reach import short_scope
from services.reports.request import ReportRequest
from services.subgroups import groups_on

TITLE = "Отчёт учителя-предметника"
SIGNATURES = ("Учитель",)
FEW_MARKS = 3  # fewer than this, and a result can hardly be fair
NO_GROUP = "—"


async def build(session: AsyncSession, request: ReportRequest) -> Document:
    school_class, subject = await _class_and_subject(session, request)
    scope = request.scope
    marks = await class_marks(session, school_class, scope, request.basis, await school_thresholds(session))
    if subject not in marks.subjects:
        raise ValidationFailed("period-subject-not-taught", class_name=school_class.name, subject=subject.name)
    groups = await groups_on(session, school_class.id, subject.id, scope.end)
    figures = marks.subject_figures(subject.id, marks.column)
    few = [
        (entry, cell.marks)
        for entry in marks.counted
        if (cell := marks.cell(entry.student.id, subject.id, marks.column)).marks < FEW_MARKS
        and not cell.result.left_out
    ]
    note = basis_note(request.basis, figures.forecast)
    about = f"{school_class.name}, {subject.name}"
    return await marks_document(
        session,
        request,
        one_class(school_class, about),
        title=TITLE,
        tables=(
            _figures(marks, subject, groups, figures, note),
            _pupils(marks, subject, groups, note),
            Table(
                title="Менее трёх отметок",
                columns=(Column("№", 4, CellKind.INTEGER), Column("ФИО", 32), Column("Отметок", 8, CellKind.INTEGER)),
                rows=tuple((entry.number, entry.student.full_name, count) for entry, count in few),
                key_columns=2,
                note="" if few else "Таких учеников нет",
            ),
        ),
        summary=(
            shares_line(about, short_scope(request), figures),
            f"Менее трёх отметок: {len(few)}" + (FORECAST_MARK if figures.forecast else ""),
        ),
        signatures=SIGNATURES,
    )


async def _class_and_subject(session: AsyncSession, request: ReportRequest) -> tuple[SchoolClass, Subject]:
    school_class = await session.get(SchoolClass, request.class_id) if request.class_id is not None else None
    subject = await session.get(Subject, request.subject_id) if request.subject_id is not None else None
    if school_class is None or subject is None:
        raise NotFound("period-class-or-subject-gone")
    if school_class.attendance_only:
        raise DomainError("period-first-grade", class_name=school_class.name)
    return school_class, subject


def _figures(marks: ClassMarks, subject: Subject, groups: dict[int, str], figures: Figures, note: str) -> Table:
    """One row for the class; with groups, a row per group and the class's as the total."""
    counted = [entry.student.id for entry in marks.counted]
    rows = []
    for group in sorted({groups[i] for i in counted if i in groups}):
        own = marks.subject_figures(subject.id, marks.column, [i for i in counted if groups.get(i) == group])
        rows.append((f"Группа {group}", own.pupils, *figure_cells(own)))
    whole: tuple[Cell, ...] = (marks.school_class.name, figures.pupils, *figure_cells(figures))
    return Table(
        title="Итоги по предмету",
        columns=(Column("Класс, группа", 14), Column("Учащихся", 9, CellKind.INTEGER), *FIGURE_COLUMNS),
        rows=tuple(rows) or (whole,),
        total=whole if rows else None,
        note=note,
    )


def _pupils(marks: ClassMarks, subject: Subject, groups: dict[int, str], note: str) -> Table:
    """Each pupil counted: the marks behind the result, and whether it is final or a forecast."""
    split = bool(groups)
    rows = []
    for entry in marks.counted:
        cell = marks.cell(entry.student.id, subject.id, marks.column)
        group = (groups.get(entry.student.id, NO_GROUP),) if split else ()
        basis = "прогноз" if cell.result.forecast else "итоговая"
        rows.append((entry.number, entry.student.full_name, *group, cell.marks, cell.average, cell.result.text, basis))
    return Table(
        title="Ученики",
        columns=(
            Column("№", 4, CellKind.INTEGER),
            Column("ФИО", 32),
            *((Column("Группа", 7),) if split else ()),
            Column("Отметок", 8, CellKind.INTEGER),
            Column("Средний балл", 11, CellKind.DECIMAL),
            Column("Итог", 6),
            Column("Основание", 10),
        ),
        rows=tuple(rows),
        key_columns=2,
        note=note,
    )
