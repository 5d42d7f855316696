"""The director's figures per class for a period, aggregated by the database in one query.

A student's result in a subject is the period mark where one is set, else the mark the journal
suggests (services.grades): the weighted average Σ value×weight / Σ weight, rounded half up to
hundredths, against the school's thresholds. Here that is done in integers, so the database gives
the same mark services.grades gives, never a float rounded the other way:

- a weight counts in millionths (weights are typed with a few decimals: 1, 1,5, 0,25);
- "the average rounds to at least t" is "average ≥ t' − 0,005", t' being t rounded up to hundredths,
  that is 1000 × Σ value×weight ≥ (1000 × t' − 5) × Σ weight.

Students count in the class they were taught in; a period mark without any mark in the journal
(set from another school's record, say) counts in the student's class. A period mark stands for
the subject in every class the student had marks in during the period.

A period «н/а» is a result and a failing one: the student counts, is neither «качество» nor
«успеваемость», and adds no number to the average; never the suggestion in its place. A period «осв.»
leaves the student out of that subject's figures (services.final_results). Subjects without marks,
pass/fail subjects and a grade's period without marks (services.marking) are left out: their «зч» / «нз»
and whatever marks they hold count nowhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import BigInteger, and_, case, cast, func, or_, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from models import FinalMark, FinalMarkSpecial, Lesson, Mark, Student
from services.final_results import PASS_FAIL
from services.grades import HUNDREDTH, Thresholds, school_thresholds
from services.marking import any_without_marks, left_out, unmarked_period
from services.school_reference import school_reference

WEIGHT_SCALE = 1_000_000


@dataclass(frozen=True)
class ClassResults:
    students: int  # students with at least one result («н/а» is one)
    results: int  # their marks, one per subject («н/а» has no number to count)
    total: int  # the sum of those marks
    quality: int  # students whose results are all 4s and 5s
    success: int  # students without a result below 3 or «н/а»

    @property
    def average(self) -> float | None:
        return self.total / self.results if self.results else None


async def class_results(session: AsyncSession, period_id: int, start: dt.date, end: dt.date) -> dict[int, ClassResults]:
    """Class id → its results over the period's marks from `start` to `end`."""
    thresholds = await school_thresholds(session)
    counted = await _counted(session, period_id)
    results = union_all(
        _results_from_marks(period_id, start, end, thresholds), _period_marks_alone(period_id, start, end)
    ).subquery("results")
    per_student = (
        select(
            results.c.class_id,
            func.count(results.c.result).label("results"),
            func.sum(results.c.result).label("total"),
            func.min(results.c.result).label("lowest"),
            func.max(results.c.not_assessed).label("not_assessed"),
        )
        .where(counted(results.c.class_id, results.c.subject_id))
        .group_by(results.c.class_id, results.c.student_id)
        .having(or_(func.count(results.c.result) > 0, func.max(results.c.not_assessed) > 0))
        .subquery("per_student")
    )
    passed = per_student.c.not_assessed == 0
    rows = await session.execute(
        select(
            per_student.c.class_id,
            func.count(),
            func.sum(per_student.c.results),
            func.coalesce(func.sum(per_student.c.total), 0),
            func.sum(case((and_(passed, per_student.c.lowest >= 4), 1), else_=0)),
            func.sum(case((and_(passed, per_student.c.lowest >= 3), 1), else_=0)),
        ).group_by(per_student.c.class_id)
    )
    return {
        class_id: ClassResults(int(students), int(count), int(total), int(quality), int(success))
        for class_id, students, count, total, quality, success in rows
    }


async def _counted(session: AsyncSession, period_id: int):
    """A condition on (class, subject) columns: not a subject or, for the period, a grade without marks."""
    if not await any_without_marks(session):
        return lambda class_column, subject_column: true()
    reference = await school_reference(session)
    period = next((period for period in reference.periods if period.id == period_id), None)
    pairs = left_out(reference)
    classes = [class_id for class_id in reference.classes if unmarked_period(reference, class_id, period)]

    def condition(class_column: ColumnElement, subject_column: ColumnElement) -> ColumnElement[bool]:
        return and_(
            true(),
            *[~and_(class_column == class_id, subject_column == subject_id) for class_id, subject_id in pairs],
            *([class_column.not_in(classes)] if classes else []),
        )

    return condition


def _marks_in(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    return and_(Mark.deleted_at.is_(None), Lesson.date >= start, Lesson.date <= end)


def _not_assessed() -> ColumnElement[int]:
    return case((FinalMark.special == FinalMarkSpecial.NOT_ASSESSED.value, 1), else_=0)


def _not_exempt() -> ColumnElement[bool]:
    return func.coalesce(FinalMark.special, "").not_in([FinalMarkSpecial.EXEMPT.value, *PASS_FAIL])


def _results_from_marks(period_id: int, start: dt.date, end: dt.date, thresholds: Thresholds):
    """(class, student, subject, result, not assessed) for each subject with marks: the period mark (NULL for
    «н/а»), else the suggestion; «осв.» left out."""
    weight = cast(func.round(Mark.weight * WEIGHT_SCALE), BigInteger)
    sums = (
        select(
            Lesson.class_id,
            Mark.student_id,
            Lesson.subject_id,
            func.sum(Mark.value * weight).label("total"),
            func.sum(weight).label("weights"),
        )
        .join(Lesson, Lesson.id == Mark.lesson_id)
        .where(_marks_in(start, end))
        # (grouped student first: SQLite then reads the period's lessons by date, not every mark of the year)
        .group_by(Mark.student_id, Lesson.subject_id, Lesson.class_id)
        .subquery("sums")
    )
    reaches = [
        (sums.c.total * 1000 >= sums.c.weights * _lowest_average(threshold), mark)
        for mark, threshold in ((5, thresholds.five), (4, thresholds.four), (3, thresholds.three))
    ]
    suggested = case((sums.c.weights <= 0, None), *reaches, else_=2)
    # A period result, once set, stands — «н/а» too, whose value is NULL: coalesce would suggest in its place.
    result = case((FinalMark.id.is_(None), suggested), else_=FinalMark.value)
    return (
        select(
            sums.c.class_id,
            sums.c.student_id,
            sums.c.subject_id,
            result.label("result"),
            _not_assessed().label("not_assessed"),
        )
        .outerjoin(
            FinalMark,
            and_(
                FinalMark.student_id == sums.c.student_id,
                FinalMark.subject_id == sums.c.subject_id,
                FinalMark.period_id == period_id,
            ),
        )
        .where(_not_exempt())
    )


def _period_marks_alone(period_id: int, start: dt.date, end: dt.date):
    """(class, student, subject, result, not assessed) for the period results of subjects the student has no mark
    in; «осв.» left out."""
    marked = (
        select(Mark.id)
        .join(Lesson, Lesson.id == Mark.lesson_id)
        .where(
            Mark.student_id == FinalMark.student_id, Lesson.subject_id == FinalMark.subject_id, _marks_in(start, end)
        )
        .exists()
    )
    return (
        select(Student.class_id, FinalMark.student_id, FinalMark.subject_id, FinalMark.value, _not_assessed())
        .join(Student, Student.id == FinalMark.student_id)
        .where(FinalMark.period_id == period_id, Student.class_id.is_not(None), ~marked, _not_exempt())
    )


def _lowest_average(threshold: Decimal) -> int:
    """In thousandths, the lowest average that, rounded half up to hundredths, reaches `threshold`."""
    return int(threshold.quantize(HUNDREDTH, rounding=ROUND_CEILING) * 1000) - 5
