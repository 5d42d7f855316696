"""`results`: итоги успеваемости of a class, a parallel or the school for a period or the year.

One row per class (pupils at the start and the end, the figures of services.reports.figures) with the
total over all their pupils; the same figures per subject; a chart of качество and успеваемость per
class across the year's periods so far. First classes learn without marks and are only named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from itertools import chain
from operator import attrgetter

from sqlalchemy.ext.asyncio import AsyncSession

from models import Period
from services.grades import school_thresholds
from services.reports.document import Cell, CellKind, Chart, ChartKind, Column, Document, Series, Table
from services.reports.figures import Figures, group_figures, subject_figures
from services.reports.marks_basis import ClassMarks, classes_marks, periods_up_to
from services.reports.marks_tables import (
    FIGURE_COLUMNS,
    FIRST_GRADE_NOTE,
    FORECAST_MARK,
    basis_note,
    figure_cells,
    marks_document,
    notes,
    shares_line,
)
from services.reports.reach import parallel_title, reach_of, short_scope
from services.reports.request import ReportRequest

TITLE = "Итоги успеваемости"
SIGNATURES = ("Заместитель директора по УВР", "Директор")
TOTAL = "Итого"
HUNDRED = Decimal(100)
CHARTED: tuple[tuple[str, Callable[[Figures], Decimal | None]], ...] = (
    ("Качество знаний", attrgetter("quality")),
    ("Успеваемость", attrgetter("success")),
)


async def build(session: AsyncSession, request: ReportRequest) -> Document:
    reach = await reach_of(session, request)
    scope = request.scope
    thresholds = await school_thresholds(session)
    # The chart's periods: up to the scope's, and begun by today (a term not begun has no figures).
    shown = tuple(period for period in periods_up_to(scope) if period.start <= request.today)
    marked = [info for info in reach.classes if not info.attendance_only]
    read = await classes_marks(session, marked, scope, request.basis, thresholds, period_lists=shown)
    column = read[0].column if read else None
    total = group_figures(chain.from_iterable(marks.pupil_results(column) for marks in read))
    first_grades = FIRST_GRADE_NOTE if any(info.attendance_only for info in reach.classes) else ""
    note = notes(basis_note(request.basis, total.forecast), first_grades)
    return await marks_document(
        session,
        request,
        reach,
        title=TITLE,
        tables=(_by_class(read, total, note), _by_subject(read, note)),
        charts=_charts(read, shown, by_parallel=request.class_id is None and request.grade is None),
        summary=(
            shares_line(reach.about, short_scope(request), total),
            f"Отличников {total.excellent}, неуспевающих {total.failing}" + (FORECAST_MARK if total.forecast else ""),
        ),
        signatures=SIGNATURES,
    )


def _by_class(read: list[ClassMarks], total: Figures, note: str) -> Table:
    rows = tuple(
        (marks.school_class.name, marks.at_start, len(marks.counted), *figure_cells(marks.figures(marks.column)))
        for marks in read
    )
    at_start = sum(marks.at_start for marks in read)
    return Table(
        title="Итоги по классам",
        columns=(
            Column("Класс", 8),
            Column("На начало", 9, CellKind.INTEGER),
            Column("На конец", 9, CellKind.INTEGER),
            *FIGURE_COLUMNS,
        ),
        rows=rows,
        total=(TOTAL, at_start, total.pupils, *figure_cells(total)) if len(read) > 1 else None,
        note=note,
    )


def _by_subject(read: list[ClassMarks], note: str) -> Table:
    """Each subject over the pupils of the classes it is taught in (those exempt from it left out)."""
    subjects = sorted({s.id: s for marks in read for s in marks.subjects}.values(), key=lambda s: s.name)
    rows: list[tuple[Cell, ...]] = []
    for subject in subjects:
        figures = subject_figures(
            chain.from_iterable(
                marks.subject_results(subject.id, marks.column) for marks in read if subject in marks.subjects
            )
        )
        rows.append((subject.name, figures.pupils, *figure_cells(figures)))
    return Table(
        title="Итоги по предметам",
        columns=(Column("Предмет", 24), Column("Учащихся", 9, CellKind.INTEGER), *FIGURE_COLUMNS),
        rows=tuple(rows),
        note=note,
    )


def _charts(read: list[ClassMarks], periods: tuple[Period, ...], by_parallel: bool) -> tuple[Chart, ...]:
    """Качество and успеваемость across the periods, as lines: for one class both in one chart; else a
    chart for each, a line per class — per parallel for the school, whose forty classes would leave a
    legend of forty names and no room to draw."""
    if not read or not periods:
        return ()
    groups: dict[str, list[ClassMarks]] = defaultdict(list)
    for marks in read:
        groups[parallel_title(marks.school_class.grade) if by_parallel else marks.school_class.name].append(marks)
    figures = {
        name: [group_figures(chain.from_iterable(m.pupil_results(period.id) for m in members)) for period in periods]
        for name, members in groups.items()
    }
    categories = tuple(period.name for period in periods)
    if len(read) == 1:
        (own,) = figures.values()
        series = tuple(Series(name, tuple(map(figure, own))) for name, figure in CHARTED)
        return (_chart("Качество и успеваемость", categories, series),)
    return tuple(
        _chart(name, categories, tuple(Series(group, tuple(map(figure, own))) for group, own in figures.items()))
        for name, figure in CHARTED
    )


def _chart(title: str, categories: tuple[str, ...], series: tuple[Series, ...]) -> Chart:
    return Chart(f"{title}, %", ChartKind.LINES, categories, series, unit="%", upper=HUNDRED)
