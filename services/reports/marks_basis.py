"""What the marks reports count: each pupil's result in each subject, per period and for the year (REPORT_BASIS).

- Basis.FINAL: the final mark (a number, «н/а», «осв.»); where none is set yet, the forecast.
- Basis.CURRENT: the forecast always, as Дневник.ру counts; only «осв.» stays, since being exempt is
  no mark that current marks could replace.
- The forecast for a period is the mark the weighted average of its marks suggests (services.grades);
  with no marks, «н/а». For the year: the plain mean of the period results (suggest_year_mark), else
  the weighted average of the year's marks.

A class is read in a fixed number of statements whatever its size: its lists, its subjects, the
final marks of its pupils, and all of their marks from the year's start to the scope's end in one
statement, grouped here. Marks count by pupil, whichever class's lesson they were set in: a pupil
who moved in brings the marks of the term so far.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import FinalMark, FinalMarkSpecial, Lesson, Mark, Period, SchoolClass, Subject
from services.grades import Scope, Thresholds, subjects_of_class, suggest_mark, suggest_year_mark, weighted_average
from services.reports.figures import NOTHING, Figures, Result, group_figures, subject_figures
from services.reports.request import Basis
from services.roster import RosterEntry, roster_on

YEAR = None  # the column of the year's results; a period's column is its id
Column = int | None


@dataclass(frozen=True, slots=True)
class Cell:
    """A pupil's result in a subject for a period or the year, with the marks behind it."""

    result: Result
    marks: int = 0  # how many marks in the period (the year)
    average: Decimal | None = None  # their weighted average


EMPTY = Cell(NOTHING)


@dataclass(frozen=True)
class ClassMarks:
    school_class: SchoolClass
    scope: Scope
    subjects: tuple[Subject, ...]
    periods: tuple[Period, ...]  # the year's periods up to the scope's, each a column
    pupils: tuple[RosterEntry, ...]  # the list at the scope's end, with those who left (left_on set)
    at_start: int  # pupils on the list at the scope's start
    lists: Mapping[Column, tuple[int, ...]]  # column → the pupils counted in it: on the list at its end
    cells: Mapping[tuple[int, int, Column], Cell]  # (student, subject, column)

    @property
    def column(self) -> Column:
        """The scope's own column: its period, or the year."""
        return self.scope.period.id if self.scope.period is not None else YEAR

    @property
    def counted(self) -> tuple[RosterEntry, ...]:
        """The pupils the scope's figures count: on the list at its end."""
        return tuple(entry for entry in self.pupils if entry.present)

    def cell(self, student_id: int, subject_id: int, column: Column) -> Cell:
        return self.cells.get((student_id, subject_id, column), EMPTY)

    def pupil_results(self, column: Column) -> list[list[Result]]:
        """Each counted pupil's results in every subject of the class: what the class's figures take."""
        return [
            [self.cell(student_id, s.id, column).result for s in self.subjects] for student_id in self.lists[column]
        ]

    def subject_results(
        self, subject_id: int, column: Column, student_ids: Iterable[int] | None = None
    ) -> list[Result]:
        """The counted pupils' (or the given pupils') results in one subject."""
        chosen = self.lists[column] if student_ids is None else student_ids
        return [self.cell(student_id, subject_id, column).result for student_id in chosen]

    def figures(self, column: Column) -> Figures:
        return group_figures(self.pupil_results(column))

    def subject_figures(self, subject_id: int, column: Column, student_ids: Iterable[int] | None = None) -> Figures:
        return subject_figures(self.subject_results(subject_id, column, student_ids))


def periods_up_to(scope: Scope) -> tuple[Period, ...]:
    """The year's periods a report of the scope shows: all for the year, else those up to the scope's."""
    return tuple(period for period in scope.periods if period.start <= scope.start or scope.is_year)


async def class_marks(
    session: AsyncSession,
    school_class: SchoolClass,
    scope: Scope,
    basis: Basis,
    thresholds: Thresholds,
    *,
    period_lists: Sequence[Period] = (),
    only_student: int | None = None,
) -> ClassMarks:
    """The class's results for the scope and each period up to it (and the year, for the year's scope).

    `period_lists`: periods whose figures are wanted over their own lists (one statement each).
    `only_student`: read one pupil's results (a pupil's табель), the class's lists still in full.
    """
    pupils = tuple(await roster_on(session, school_class.id, scope.end, with_leavers=True))
    at_start = len(await roster_on(session, school_class.id, scope.start))
    column = scope.period.id if scope.period is not None else YEAR
    lists: dict[Column, tuple[int, ...]] = {column: tuple(entry.student.id for entry in pupils if entry.present)}
    for period in period_lists:
        if period.id not in lists:
            lists[period.id] = tuple(
                entry.student.id for entry in await roster_on(session, school_class.id, period.end)
            )
    if only_student is not None:
        wanted = [only_student]
    else:
        wanted = list(
            dict.fromkeys([entry.student.id for entry in pupils] + [i for ids in lists.values() for i in ids])
        )
    subjects = tuple(await subjects_of_class(session, school_class.id))
    periods = periods_up_to(scope)
    finals = await _finals(session, wanted, scope.year.id)
    by_period, by_year = await _marks(session, wanted, periods, scope.year.start, scope.end)
    cells: dict[tuple[int, int, Column], Cell] = {}
    for student_id in wanted:
        for subject in subjects:
            key = (student_id, subject.id)
            own = []
            for period in periods:
                marks = by_period.get((*key, period.id), ())
                average = weighted_average(marks)
                result = _result(finals.get((*key, period.id)), _forecast(suggest_mark(average, thresholds)), basis)
                cells[(*key, period.id)] = Cell(result, len(marks), average)
                own.append(result)
            if scope.is_year:
                marks = by_year.get(key, ())
                average = weighted_average(marks)
                result = _result(finals.get((*key, YEAR)), _year_forecast(own, average, thresholds), basis)
                cells[(*key, YEAR)] = Cell(result, len(marks), average)
    return ClassMarks(school_class, scope, subjects, periods, pupils, at_start, lists, cells)


def _result(final: Result | None, forecast: Result, basis: Basis) -> Result:
    """The final mark where the basis takes it (CURRENT takes only an «осв.»), else the forecast."""
    if final is not None and (basis is Basis.FINAL or final.exempt):
        return final
    return forecast


def _forecast(mark: int | None) -> Result:
    return NOTHING if mark is None else Result(mark, forecast=True)


def _year_forecast(period_results: Sequence[Result], year_average: Decimal | None, thresholds: Thresholds) -> Result:
    """From the period results; «осв.» where the pupil was only exempt; else from the year's marks."""
    values = [result.value for result in period_results if result.value is not None]
    if values:
        return _forecast(suggest_year_mark(values, thresholds)[1])
    if any(result.exempt for result in period_results):
        return Result(special=FinalMarkSpecial.EXEMPT.value, forecast=True)
    return _forecast(suggest_mark(year_average, thresholds))


async def _finals(session: AsyncSession, student_ids: Sequence[int], year_id: int) -> dict[tuple, Result]:
    """(student, subject, period or YEAR) → the final result. Columns, not FinalMark objects: a school's
    year-end is tens of thousands of them."""
    if not student_ids:
        return {}
    rows = await session.execute(
        select(
            FinalMark.student_id, FinalMark.subject_id, FinalMark.period_id, FinalMark.value, FinalMark.special
        ).where(FinalMark.student_id.in_(student_ids), FinalMark.year_id == year_id)
    )
    return {(s, subject, period): Result(value, special or "") for s, subject, period, value, special in rows}


async def _marks(
    session: AsyncSession, student_ids: Sequence[int], periods: Sequence[Period], start: dt.date, end: dt.date
) -> tuple[dict[tuple[int, int, int], list[tuple[int, float]]], dict[tuple[int, int], list[tuple[int, float]]]]:
    """(value, weight) of the pupils' marks: by (student, subject, period), and by (student, subject) for
    the whole span (marks in the holidays count for the year only)."""
    by_period: dict[tuple[int, int, int], list[tuple[int, float]]] = defaultdict(list)
    by_year: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    if not student_ids:
        return by_period, by_year
    rows = await session.execute(
        select(Mark.student_id, Lesson.subject_id, Lesson.date, Mark.value, Mark.weight)
        .join(Lesson, Lesson.id == Mark.lesson_id)
        .where(Mark.student_id.in_(student_ids), Mark.deleted_at.is_(None), Lesson.date >= start, Lesson.date <= end)
    )
    starts = [period.start for period in periods]
    for student_id, subject_id, date, value, weight in rows:
        mark = (value, weight)
        by_year[(student_id, subject_id)].append(mark)
        index = bisect_right(starts, date) - 1
        if index >= 0 and date <= periods[index].end:
            by_period[(student_id, subject_id, periods[index].id)].append(mark)
    return by_period, by_year
