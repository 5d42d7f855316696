"""Period and year marks: the class sheet with suggestions and who may read and change it; confirming
and changing marks is services.final_mark_setting's, closing a period services.term_closing's.

How it works (issue item 7):
- The sheet lists the class as of the period's last day (or today, inside the period): №, name,
  marks, weighted average, the suggested mark (services.grades) and the mark already set.
- The teacher of the class–subject (deputy and administrator too) confirms: every student with a
  suggested mark and no mark yet gets the suggested mark; marks set by hand stay. One result is changed
  by its № in the list: a mark, «н/а» or «осв.» (services.final_results), never set by confirming.
  Each write is a FinalMark row and an audit entry (entity "final_mark").
- The deputy or director closes a period (services.term_closing): Period.finals_locked_at. After that a
  teacher can change nothing; the deputy and administrator still can, with a reason, which the audit keeps.
- Year marks (period NULL) are suggested from the period marks and lock with the year's last period;
  they are suggested and set only once every term of the year has ended (issue 9, item 8).
- Setting the whole class at once is shown first (preview) and writes only what was shown.
- A mark more than FAR_FROM_AVERAGE from the weighted average is set only with a reason, kept on the
  mark for the deputy's /control. Each mark set or changed is told to the family with the average
  (services.final_mark_notices).
- The director reads the same sheet through /journal and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Marking, SchoolClass, Subject, TeachingAssignment
from services.access import ensure_school_reader, ensure_teaches
from services.actor import Actor, Role
from services.errors import AccessDenied, DomainError, NotFound, ValidationFailed
from services.final_results import FinalResult, period_results, result_of
from services.grades import (
    MarkRow,
    Scope,
    final_marks_of,
    marks_for_students_in_subject,
    school_thresholds,
    suggest_mark,
    suggest_year_mark,
    weighted_average,
)
from services.marking import result_marking, unmarked_period
from services.roster import RosterEntry, roster_on
from services.school_reference import school_reference
from services.school_years import ensure_current_class, in_current_year
from services.subgroups import WHOLE_CLASS, groups_on, lesson_roster
from services.term_closing import term_over

FAR_FROM_AVERAGE = Decimal("0.5")  # further than this from the average, a mark needs a reason


@dataclass(frozen=True)
class SheetRow:
    number: int
    student_id: int
    name: str
    marks: tuple[MarkRow, ...]  # a period sheet: the marks in date order
    period_marks: tuple[FinalResult | None, ...]  # a year sheet: each period's result, in the year's order
    average: Decimal | None
    suggested: FinalResult | None  # a year's may be «осв.» (services.grades.suggest_year_mark)
    final: FinalResult | None

    @property
    def count(self) -> int:
        return len(self.marks) if self.marks else sum(1 for mark in self.period_marks if mark is not None)

    @property
    def suggested_mark(self) -> int | None:
        """The number «confirm» would set: a suggested «осв.» is for the teacher to set, never confirmed."""
        return None if self.suggested is None else self.suggested.value

    @property
    def for_the_teacher(self) -> bool:
        """No mark yet and none to confirm because of a period's «н/а» or «осв.»: the teacher decides."""
        return (
            self.final is None
            and self.suggested_mark is None
            and any(result is not None and result.is_special for result in self.period_marks)
        )


@dataclass(frozen=True)
class Sheet:
    school_class: SchoolClass
    subject: Subject
    scope: Scope
    rows: tuple[SheetRow, ...]
    locked: bool
    can_change: bool  # may this actor confirm or change marks (ignoring the lock)
    year_waits_for: dt.date | None = None  # a year sheet before every term has ended: the last term's end
    marking: Marking = Marking.MARKS  # PASS_FAIL: «зч» / «нз» only, nothing suggested (services.marking)

    @property
    def unset(self) -> int:
        return sum(1 for row in self.rows if row.final is None)

    @property
    def to_confirm(self) -> tuple[SheetRow, ...]:
        """The rows «confirm» would set: a suggested mark and no result yet (a special is never confirmed)."""
        return tuple(row for row in self.rows if row.final is None and row.suggested_mark is not None)


def year_waits_for(scope: Scope, today: dt.date) -> dt.date | None:
    """The end of the year's last term while year marks must wait for it; None when they may be set."""
    if not scope.is_year or not scope.periods:
        return None
    last = max(scope.periods, key=lambda period: period.end)
    return None if term_over(last, today) else last.end


# --- access ------------------------------------------------------------------------------------


def may_change_any(actor: Actor) -> bool:
    return actor.has(Role.DEPUTY, Role.ADMIN)


async def _ensure_reads(session: AsyncSession, actor: Actor, class_id: int, subject_id: int) -> None:
    if not actor.sees_whole_school:
        await ensure_teaches(session, actor, class_id, subject_id)


async def ensure_changes(session: AsyncSession, actor: Actor, class_id: int, subject_id: int) -> None:
    reference = await school_reference(session)
    school_class = reference.classes.get(class_id)
    if school_class is not None and not actor.has(Role.ADMIN):
        # A past year is read-only but to the administrator, whose change needs a reason: its periods are
        # all closed (services.final_mark_setting asks for the reason of a closed period's change).
        ensure_current_class(reference, school_class)
    if not may_change_any(actor):
        await ensure_teaches(session, actor, class_id, subject_id)


async def _can_change(session: AsyncSession, actor: Actor, class_id: int, subject_id: int) -> bool:
    try:
        await ensure_changes(session, actor, class_id, subject_id)
    except AccessDenied:
        return False
    return True


# --- the sheet ---------------------------------------------------------------------------------


async def _sheet_roster(
    session: AsyncSession, actor: Actor, class_id: int, subject_id: int, day: dt.date
) -> list[RosterEntry]:
    """The class list; a group teacher's is their group's (numbered as on the group's journal page),
    or with two groups of the class, the pupils of both under their class numbers."""
    groups = (await school_reference(session)).teacher_groups(actor.staff_id, class_id, subject_id)
    if actor.sees_whole_school or not groups or WHOLE_CLASS in groups:
        return await roster_on(session, class_id, day)
    if len(groups) == 1:
        return await lesson_roster(session, class_id, subject_id, groups[0], day)
    placed = await groups_on(session, class_id, subject_id, day)
    return [entry for entry in await roster_on(session, class_id, day) if placed.get(entry.student.id) in groups]


def is_locked(scope: Scope) -> bool:
    """A period is locked once closed; the year's marks with the year's last period."""
    period = scope.period if scope.period is not None else (scope.periods[-1] if scope.periods else None)
    return period is not None and period.finals_locked_at is not None


def roster_day(scope: Scope, today: dt.date) -> dt.date:
    """The class list of the period's last day; inside the period, today's."""
    return min(max(today, scope.start), scope.end)


async def _class_and_subject(session: AsyncSession, class_id: int, subject_id: int) -> tuple[SchoolClass, Subject]:
    school_class = await session.get(SchoolClass, class_id)
    subject = await session.get(Subject, subject_id)
    if school_class is None or subject is None:
        raise NotFound("period-class-or-subject-gone")
    if school_class.attendance_only:
        raise DomainError("period-first-grade", class_name=school_class.name)
    taught = await session.scalar(
        select(exists().where(TeachingAssignment.class_id == class_id, TeachingAssignment.subject_id == subject_id))
    )
    if not taught:
        raise ValidationFailed("period-subject-not-taught", class_name=school_class.name, subject=subject.name)
    return school_class, subject


async def _result_marking(session: AsyncSession, school_class: SchoolClass, subject: Subject, scope: Scope) -> Marking:
    """A mark, «зч» / «нз»; a subject or period without marks takes no result at all (refused here)."""
    reference = await school_reference(session)
    marking = result_marking(reference, school_class.id, subject.id, scope.period)
    if marking is not Marking.NONE:
        return marking
    if unmarked_period(reference, school_class.id, scope.period) is not None:
        raise DomainError(
            "period-no-marks-period", class_name=school_class.name, period=scope.name, grade=school_class.grade
        )
    raise DomainError("period-no-marks-subject", class_name=school_class.name, subject=subject.name)


async def load_sheet(
    session: AsyncSession, actor: Actor, class_id: int, subject_id: int, scope: Scope, today: dt.date
) -> Sheet:
    """The class's sheet for a period or the year; the teacher of the class–subject, deputy, director, admin."""
    await _ensure_reads(session, actor, class_id, subject_id)
    school_class, subject = await _class_and_subject(session, class_id, subject_id)
    marking = await _result_marking(session, school_class, subject, scope)
    counted = marking is Marking.MARKS  # a pass/fail subject has no average and nothing suggested
    roster = await _sheet_roster(session, actor, class_id, subject_id, roster_day(scope, today))
    student_ids = [entry.student.id for entry in roster]
    thresholds = await school_thresholds(session)
    finals = await final_marks_of(session, student_ids, scope.year.id, subject_id=subject_id)
    rows: list[SheetRow] = []
    if scope.period is not None:
        marks = await marks_for_students_in_subject(session, student_ids, subject_id, scope.start, scope.end)
        for entry in roster:
            own = marks.get(entry.student.id, [])
            average = weighted_average((m.value, m.weight) for m in own) if counted else None
            suggested = suggest_mark(average, thresholds)
            rows.append(
                SheetRow(
                    entry.number,
                    entry.student.id,
                    entry.student.full_name,
                    tuple(own),
                    (),
                    average,
                    None if suggested is None else FinalResult(suggested),
                    result_of(finals.get((entry.student.id, subject_id, scope.period.id))),
                )
            )
    else:
        waiting = year_waits_for(scope, today) is not None
        for entry in roster:
            by_period = period_results(finals, entry.student.id, subject_id, scope.periods)
            average, suggested = suggest_year_mark(by_period, thresholds) if counted else (None, None)
            suggested = None if waiting else suggested  # not from the terms so far
            rows.append(
                SheetRow(
                    entry.number,
                    entry.student.id,
                    entry.student.full_name,
                    (),
                    by_period,
                    average,
                    suggested,
                    result_of(finals.get((entry.student.id, subject_id, None))),
                )
            )
    return Sheet(
        school_class,
        subject,
        scope,
        tuple(rows),
        is_locked(scope),
        await _can_change(session, actor, class_id, subject_id),
        year_waits_for(scope, today),
        marking,
    )


async def journal_page(
    session: AsyncSession, actor: Actor, class_id: int, subject_id: int, scope: Scope, today: dt.date
) -> Sheet:
    """/journal: the deputy, director or administrator reads any class's sheet; nothing can be changed from it."""
    ensure_school_reader(actor)
    sheet = await load_sheet(session, actor, class_id, subject_id, scope, today)
    return replace(sheet, can_change=False)


@dataclass(frozen=True)
class Taught:
    class_name: str
    subject: str


async def taught_by(session: AsyncSession, actor: Actor) -> list[Taught]:
    """The class–subjects a teacher has marks to set in (the first grade has none, nor has a subject
    without marks; a period without marks is the term sheet's to refuse)."""
    if actor.staff_id is None:
        return []
    rows = await session.execute(  # PostgreSQL sorts a DISTINCT only by what it selects: the grade too
        select(SchoolClass.grade, SchoolClass.name, Subject.name)
        .join(TeachingAssignment, TeachingAssignment.class_id == SchoolClass.id)
        .join(Subject, Subject.id == TeachingAssignment.subject_id)
        .where(
            TeachingAssignment.staff_id == actor.staff_id,
            TeachingAssignment.marking != Marking.NONE,
            SchoolClass.grade > 1,
            in_current_year(),
        )
        .distinct()
        .order_by(SchoolClass.grade, SchoolClass.name, Subject.name)
    )
    return [Taught(class_name, subject) for _, class_name, subject in rows]
