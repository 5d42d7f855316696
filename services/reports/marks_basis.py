"""What the marks reports count: each pupil's result in each subject, per period and for the year (REPORT_BASIS).

- Basis.FINAL: the final mark (a number, «н/а», «осв.»); where none is set yet, the forecast.
- Basis.CURRENT: the forecast always, as Дневник.ру counts; only «осв.» stays, since being exempt is
  no mark that current marks could replace.
- A subject or period without marks, or a pass/fail subject (services.marking), has no forecast and
  counts nowhere: its cells hold its «зч» / «нз», or nothing (figures.unmarked).
- The forecast for a period is the mark the weighted average of its marks suggests (services.grades);
  with no marks, «н/а». For the year: what the period results suggest (services.grades.suggest_year_mark:
  their plain mean; «осв.» where every one is; «н/а» past a period «н/а», which is the teacher's to make
  up), else, with no period result at all, the weighted average of the year's marks.

Classes are read together in a fixed number of statements, whatever their number and size: each
class's list (services.roster), and for all their pupils at once the subjects, the final marks, the
classes on the dates that need their own list, and the marks. The marks come summed by pupil,
subject and period (a school's year is over a hundred thousand of them): the count, Σ value×weight
and Σ weight with each weight in millionths, so the average is exactly services.grades'
(Σ value×weight / Σ weight, rounded half up to hundredths), never a float rounded the other way.
Marks count by pupil, whichever class's lesson they were set in: a pupil who moved in brings the
marks of the term so far.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, Integer, and_, case, cast, func, null, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from models import FinalMark, Lesson, Mark, Marking, Period, SchoolClass, Subject, TeachingAssignment
from services.final_results import NOT_ASSESSED, FinalResult
from services.grades import HUNDREDTH, Scope, Thresholds, suggest_mark, suggest_year_mark
from services.marking import result_marking
from services.period_figures import WEIGHT_SCALE
from services.reports.figures import NOTHING, Figures, Result, forecast_of, group_figures, subject_figures, unmarked
from services.reports.reach import ClassInfo
from services.reports.request import Basis
from services.roster import RosterEntry, class_ids_on, roster_on
from services.school_reference import SchoolReference, school_reference

YEAR = None  # the column of the year's results; a period's column is its id
Column = int | None
# Above this many pupils, the marks and final marks of the whole span are read and the others' dropped
# here: a long IN list makes SQLite look each pupil up by index, over twice as slow as reading the span.
MANY_PUPILS = 400


@dataclass(frozen=True, slots=True)
class Cell:
    """A pupil's result in a subject for a period or the year, with the marks behind it."""

    result: Result
    marks: int = 0  # how many marks in the period (the year)
    average: Decimal | None = None  # their weighted average


EMPTY = Cell(NOTHING)


@dataclass(frozen=True)
class ClassMarks:
    school_class: SchoolClass | ClassInfo
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
) -> ClassMarks:
    """One class's results: see classes_marks."""
    return (await classes_marks(session, [school_class], scope, basis, thresholds, period_lists=period_lists))[0]


async def classes_marks(
    session: AsyncSession,
    classes: Sequence[SchoolClass | ClassInfo],
    scope: Scope,
    basis: Basis,
    thresholds: Thresholds,
    *,
    period_lists: Sequence[Period] = (),
) -> list[ClassMarks]:
    """Each class's results for the scope and each period up to it (and the year, for the year's scope).

    `period_lists`: periods whose figures are wanted over their own lists, not the scope's.
    """
    rosters = [tuple(await roster_on(session, c.id, scope.end, with_leavers=True)) for c in classes]
    students = {entry.student.id: entry.student.class_id for roster in rosters for entry in roster}
    # Who was in which class on the scope's start and on each period's end (one statement a date).
    members: dict[dt.date, dict[int | None, list[int]]] = {}
    for day in {scope.start, *(period.end for period in period_lists)}:
        moved = await class_ids_on(session, list(students), day)
        members[day] = defaultdict(list)
        for student_id, class_id in students.items():
            members[day][moved.get(student_id, class_id)].append(student_id)
    subjects = await _subjects(session, [c.id for c in classes])
    periods = periods_up_to(scope)
    finals = await _finals(session, list(students), scope.year.id)
    sums = await _sums(session, list(students), periods, scope.year.start, scope.end)
    column = scope.period.id if scope.period is not None else YEAR
    reference = await school_reference(session)
    found = []
    for school_class, roster in zip(classes, rosters, strict=True):
        lists = {column: tuple(entry.student.id for entry in roster if entry.present)}
        for period in period_lists:
            lists.setdefault(period.id, tuple(members[period.end][school_class.id]))
        own = subjects.get(school_class.id, ())
        cells = _cells([entry.student.id for entry in roster], own, periods, scope, basis, thresholds, finals, sums)
        _leave_out_unmarked(cells, finals, reference, school_class.id, own, periods, scope)
        at_start = len(members[scope.start][school_class.id])
        found.append(ClassMarks(school_class, scope, own, periods, roster, at_start, lists, cells))
    return found


def _cells(
    student_ids: Sequence[int],
    subjects: Sequence[Subject],
    periods: Sequence[Period],
    scope: Scope,
    basis: Basis,
    thresholds: Thresholds,
    finals: Mapping[tuple[int, int, Column], Result],
    sums: Mapping[tuple[int, int, Column], tuple[int, int, int]],
) -> dict[tuple[int, int, Column], Cell]:
    """(student, subject, column) → the result with the count and average of its marks."""
    cells: dict[tuple[int, int, Column], Cell] = {}
    period_ids = [period.id for period in periods]  # (plain ints: read for every cell)
    subject_ids = [subject.id for subject in subjects]
    for student_id in student_ids:
        for subject_id in subject_ids:
            key = (student_id, subject_id)
            own = []
            for period_id in period_ids:
                count, average = _count_and_average(sums.get((*key, period_id)))
                result = finals.get((*key, period_id))
                if not _counts(result, basis):
                    result = forecast_of(suggest_mark(average, thresholds))
                cells[(*key, period_id)] = Cell(result, count, average)
                own.append(result)
            if scope.is_year:
                count, average = _count_and_average(sums.get((*key, YEAR)))
                result = finals.get((*key, YEAR))
                if not _counts(result, basis):
                    result = _year_forecast(own, average, thresholds)
                cells[(*key, YEAR)] = Cell(result, count, average)
    return cells


def _leave_out_unmarked(
    cells: dict[tuple[int, int, Column], Cell],
    finals: Mapping[tuple[int, int, Column], Result],
    reference: SchoolReference,
    class_id: int,
    subjects: Sequence[Subject],
    periods: Sequence[Period],
    scope: Scope,
) -> None:
    """The cells of subjects and periods without marks, and of pass/fail subjects: their «зч» / «нз» or
    nothing, counted nowhere (services.marking). A school without them passes here at once."""
    columns: list[tuple[Column, Period | None]] = [(period.id, period) for period in periods]
    if scope.is_year:
        columns.append((YEAR, None))
    unmarked_columns = {
        (subject.id, column)
        for subject in subjects
        for column, period in columns
        if result_marking(reference, class_id, subject.id, period) is not Marking.MARKS
    }
    if not unmarked_columns:
        return
    for key, cell in cells.items():
        if key[1:] in unmarked_columns:
            cells[key] = Cell(unmarked(finals.get(key)), cell.marks, cell.average)


def _counts(final: Result | None, basis: Basis) -> bool:
    """Whether the final result is what counts, not the forecast: for FINAL always, for CURRENT an «осв.»."""
    return final is not None and (basis is Basis.FINAL or final.exempt)


def _year_forecast(period_results: Sequence[Result], year_average: Decimal | None, thresholds: Thresholds) -> Result:
    """What the period results suggest (services.grades.suggest_year_mark: «осв.» where every one is, nothing
    past a «н/а», which is the teacher's to make up); with no period result at all, the year's marks."""
    finals = [result.final for result in period_results]
    suggested = suggest_year_mark(finals, thresholds)[1]
    if suggested is not None:
        return Result(suggested, forecast=True)
    if any(final is not None for final in finals):
        return Result(NOT_ASSESSED, forecast=True)
    return forecast_of(suggest_mark(year_average, thresholds))


def _count_and_average(sums: tuple[int, int, int] | None) -> tuple[int, Decimal | None]:
    """services.grades.weighted_average, on sums whose weights are in millionths (the same quotient)."""
    if sums is None:
        return 0, None
    count, total, weights = sums
    if weights <= 0:
        return count, None
    return count, (Decimal(total) / Decimal(weights)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


async def _subjects(session: AsyncSession, class_ids: Sequence[int]) -> dict[int, tuple[Subject, ...]]:
    """Class id → the subjects it is taught (services.grades.subjects_of_class, for many classes), by name."""
    rows = await session.execute(
        select(TeachingAssignment.class_id, Subject)
        .join(Subject, Subject.id == TeachingAssignment.subject_id)
        .where(TeachingAssignment.class_id.in_(class_ids))
        .order_by(Subject.name, Subject.id)
    )
    found: dict[int, dict[int, Subject]] = defaultdict(dict)
    for class_id, subject in rows:
        found[class_id][subject.id] = subject  # a class taught in groups has an assignment per group
    return {class_id: tuple(subjects.values()) for class_id, subjects in found.items()}


def _among(column: ColumnElement, student_ids: Sequence[int]) -> ColumnElement[bool]:
    """The pupils, as a condition; none for many (they are picked out after reading: see MANY_PUPILS)."""
    return column.in_(student_ids) if len(student_ids) <= MANY_PUPILS else true()


async def _finals(session: AsyncSession, student_ids: Sequence[int], year_id: int) -> dict[tuple, Result]:
    """(student, subject, period or YEAR) → the final result. Columns, not FinalMark objects: a school's
    year-end is tens of thousands of them."""
    if not student_ids:
        return {}
    wanted = set(student_ids)
    rows = await session.execute(
        select(
            FinalMark.student_id, FinalMark.subject_id, FinalMark.period_id, FinalMark.value, FinalMark.special
        ).where(_among(FinalMark.student_id, student_ids), FinalMark.year_id == year_id)
    )
    return {
        (student, subject, period): Result(FinalResult(value, special or ""))
        for student, subject, period, value, special in rows
        if student in wanted
    }


async def _sums(
    session: AsyncSession, student_ids: Sequence[int], periods: Sequence[Period], start: dt.date, end: dt.date
) -> dict[tuple[int, int, Column], tuple[int, int, int]]:
    """(student, subject, period or YEAR) → (count, Σ value×weight, Σ weight) of the marks from `start` to
    `end`, weights in millionths. The year's include the marks of the holidays, which no period has."""
    found: dict[tuple[int, int, Column], tuple[int, int, int]] = {}
    if not student_ids:
        return found
    wanted = set(student_ids)
    whens = [(and_(Lesson.date >= p.start, Lesson.date <= p.end), p.id) for p in periods]
    # Each mark with its period first, then summed: grouped by a plain column, not by an expression
    # with parameters that PostgreSQL would have to match against the selected one.
    marks = (
        select(
            Mark.student_id,
            Lesson.subject_id,
            (case(*whens, else_=null()) if whens else cast(null(), Integer)).label("period_id"),
            Mark.value,
            cast(func.round(Mark.weight * WEIGHT_SCALE), BigInteger).label("weight"),
        )
        .join(Lesson, Lesson.id == Mark.lesson_id)
        .where(
            _among(Mark.student_id, student_ids), Mark.deleted_at.is_(None), Lesson.date >= start, Lesson.date <= end
        )
        .subquery("dated_marks")
    )
    rows = await session.execute(
        select(
            marks.c.student_id,
            marks.c.subject_id,
            marks.c.period_id,
            func.count(),
            func.sum(marks.c.value * marks.c.weight),
            func.sum(marks.c.weight),
        ).group_by(marks.c.student_id, marks.c.subject_id, marks.c.period_id)
    )
    for student_id, subject_id, period_id, count, total, weights in rows:
        if student_id not in wanted:
            continue
        if period_id is not None:
            found[(student_id, subject_id, period_id)] = (count, total, weights)
        year = found.get((student_id, subject_id, YEAR), (0, 0, 0))
        found[(student_id, subject_id, YEAR)] = (year[0] + count, year[1] + total, year[2] + weights)
    return found
