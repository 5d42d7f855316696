"""Journal control (regulation 3.3, 3.5, 3.6): the reports on how the journal is kept.

- The deputy's daily list of yesterday's overdue entries and the week-to-date fill rate.
- The director's period report: per teacher lessons filled on time / late / missing; per class the
  average, «качество знаний» (only 4s and 5s) and «успеваемость» (no 2s); absences by code.
- «Урок без отметок»: a teacher closes a lesson without marks on purpose.

Everything here is plain data (bot.outbound.views renders it); the scheduler and /control decide
who reads it. Each report reads a fixed number of queries, however many classes the school has: the
lessons are counted over plain rows (services.journal_fill), the class figures in the database
(services.period_figures). Both reports span many days and are read in a thread of their own
(services.reading_thread), so that the bot goes on answering meanwhile.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import (
    AcademicYear,
    Account,
    AccountBinding,
    Attendance,
    FinalMark,
    Lesson,
    Period,
    PersonKind,
    SchoolClass,
    Staff,
    StaffRole,
    StaffRoleGrant,
    Student,
    Subject,
)
from models.db import create_session_maker
from services.access import ensure_school_reader, ensure_teaches
from services.actor import Actor
from services.calendar import week_of
from services.errors import DomainError, NotFound
from services.final_marks import FAR_FROM_AVERAGE
from services.journal_fill import (
    Deadline,
    FillRate,
    account_lessons,
    close_overdue,
    count_fill_rates,
    late_items,
    refresh_overdue,
    staff_names,
)
from services.lessons import find_slot, lesson_row
from services.period_figures import class_results
from services.reading_thread import read_apart
from services.school_days import MISSING_ORDER, load_calendar
from services.subgroups import group_label

# --- «Урок без отметок» -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClosedLesson:
    class_name: str
    subject: str
    date: dt.date
    lesson_no: int


async def close_without_marks(
    session: AsyncSession,
    actor: Actor,
    class_id: int,
    subject_id: int,
    day: dt.date,
    lesson_no: int,
    now: dt.datetime,
    *,
    subgroup: str = "",
) -> ClosedLesson:
    """«Урок без отметок»: the teacher says no marks were given on purpose; reminders stop asking.
    Of a split subject, the group's own teacher closes the group's lesson."""
    slot = await find_slot(session, class_id, subject_id, day, lesson_no, subgroup)
    if slot is None or not slot.in_timetable:
        raise NotFound("no-marks-no-lesson")
    if not (slot.change and slot.teacher_id == actor.staff_id):  # a substitute closes the lesson they gave
        await ensure_teaches(session, actor, class_id, subject_id, subgroup)
    school_class = await session.get(SchoolClass, class_id)
    if school_class is None:
        raise NotFound("no-marks-no-lesson")
    if school_class.attendance_only:
        raise DomainError("no-marks-grade-one")
    lesson = await lesson_row(session, slot, actor.staff_id)
    lesson.no_marks_on_purpose = True
    lesson.no_marks_at = lesson.no_marks_at or now
    await session.flush()
    await refresh_overdue(session, now, since=day)
    subject = await session.get(Subject, subject_id)
    return ClosedLesson(school_class.name, group_label(subject.name if subject else "", subgroup), day, lesson_no)


# --- the deputy's daily report -------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueLine:
    teacher: str
    starts: dt.time | None
    class_name: str
    subject: str
    missing: tuple[str, ...]
    filled: bool


@dataclass(frozen=True)
class DeputyReport:
    day: dt.date  # the school day reported on
    week_start: dt.date
    overdue: tuple[OverdueLine, ...]
    rates: tuple[FillRate, ...]


async def deputy_report(session: AsyncSession, day: dt.date, now: dt.datetime, *, deadline: Deadline) -> DeputyReport:
    """The lessons of `day` not written by its deadline, and each teacher's fill rate from that
    week's Monday to `day`.

    Read apart (committed data only); the overdue entries written since are closed in `session`.
    """
    report, filled = await read_apart(session, partial(_read_deputy_report, day=day, deadline=deadline))
    await close_overdue(session, filled, now)
    return report


async def _read_deputy_report(
    session: AsyncSession, day: dt.date, deadline: Deadline
) -> tuple[DeputyReport, list[int]]:
    week_start, _ = week_of(day)  # the Monday of the week, as every command reads a week
    account = await account_lessons(session, week_start, day)
    names = await staff_names(session)
    recorded = {entry.key: entry for entry in account.entries if entry.date == day}
    lines = []
    for lesson in account.lessons:
        if lesson.date != day or lesson.teacher_id is None:
            continue
        # By the entries' times; for rows older than those times, what the deadline job recorded.
        late = {*late_items(lesson, deadline), *(recorded[lesson.key].missing if lesson.key in recorded else ())}
        late = tuple(item for item in MISSING_ORDER if item in late)
        if lesson.missing or late:
            lines.append(
                OverdueLine(
                    names.get(lesson.teacher_id, "?"),
                    lesson.starts,
                    lesson.class_name,
                    lesson.subject,
                    lesson.missing or late,
                    filled=not lesson.missing,
                )
            )
    lines.sort(key=lambda l: (l.teacher.casefold(), l.starts or dt.time(0), l.class_name))
    overdue = {entry.key for entry in account.entries if entry.date <= day}
    rates = count_fill_rates(account.lessons, overdue, names, deadline)
    return DeputyReport(day, week_start, tuple(lines), tuple(rates)), account.filled


# --- the director's period report -----------------------------------------------------------------------


@dataclass
class ClassFigures:
    class_id: int
    class_name: str
    attendance_only: bool
    average: float | None = None
    quality: float | None = None  # students with only 4s and 5s, of those with results
    success: float | None = None  # students without a 2, of those with results
    students: int = 0
    absences: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class FarMark:
    """A term or year mark set more than FAR_FROM_AVERAGE from the average, with the teacher's reason."""

    class_name: str
    subject: str
    student: str
    value: int
    average: Decimal
    reason: str
    teacher: str
    period_name: str | None  # None: the year mark


@dataclass(frozen=True)
class PeriodReport:
    period_name: str
    start: dt.date
    end: dt.date  # the last day counted (the period's end, or yesterday while it runs)
    rates: tuple[FillRate, ...]
    classes: tuple[ClassFigures, ...]
    absences: Counter[str]  # the whole school, by effective code
    far_marks: tuple[FarMark, ...] = ()
    year_name: str = ""


@dataclass(frozen=True)
class PeriodDates:
    id: int
    name: str
    start: dt.date
    end: dt.date  # the last day counted


async def period_report(
    session: AsyncSession, actor: Actor, period: Period, until: dt.date, now: dt.datetime, *, deadline: Deadline
) -> PeriodReport:
    """The journal-control report of `period` up to `until` (deputy, director, administrator).

    Read apart (committed data only); the overdue entries written since are closed in `session`.
    """
    ensure_school_reader(actor)
    dates = PeriodDates(period.id, period.name, period.start, min(period.end, until))
    report, filled = await read_apart(session, partial(_read_period_report, period=dates, deadline=deadline))
    await close_overdue(session, filled, now)
    return report


async def _read_period_report(
    session: AsyncSession, period: PeriodDates, deadline: Deadline
) -> tuple[PeriodReport, list[int]]:
    # The class figures are the database's work, the lessons mostly Python's: both at once, on two connections.
    async with create_session_maker(session.bind)() as other:
        (rates, filled), classes = await asyncio.gather(
            _period_rates(session, period, deadline), _class_figures(other, period)
        )
    school_total: Counter[str] = Counter()
    for figures in classes:
        school_total.update(figures.absences)
    far, year_name = await _far_marks(session, period.id)
    return PeriodReport(
        period.name, period.start, period.end, tuple(rates), tuple(classes), school_total, far, year_name
    ), filled


async def _far_marks(session: AsyncSession, period_id: int) -> tuple[tuple[FarMark, ...], str]:
    """The period's marks set far from the average, and the year's too when it is the year's last
    period; with the year's name. Two queries, whatever the size of the school."""
    sibling = aliased(Period)
    year_id, year_name, last_end, end = (
        await session.execute(
            select(
                Period.year_id,
                AcademicYear.name,
                select(func.max(sibling.end)).where(sibling.year_id == Period.year_id).scalar_subquery(),
                Period.end,
            )
            .join(AcademicYear, AcademicYear.id == Period.year_id)
            .where(Period.id == period_id)
        )
    ).one()
    which = FinalMark.period_id == period_id
    if end == last_end:
        which = or_(which, and_(FinalMark.period_id.is_(None), FinalMark.year_id == year_id))
    rows = await session.execute(
        select(
            SchoolClass.name,
            Subject.name,
            Student.full_name,
            FinalMark.value,
            FinalMark.average_hundredths,
            FinalMark.reason,
            Staff.full_name,
            Period.name,
        )
        .join(Student, Student.id == FinalMark.student_id)
        .join(Subject, Subject.id == FinalMark.subject_id)
        .join(Staff, Staff.id == FinalMark.set_by_staff_id)
        .outerjoin(SchoolClass, SchoolClass.id == Student.class_id)
        .outerjoin(Period, Period.id == FinalMark.period_id)
        .where(
            which,
            FinalMark.special == "",  # «н/а» and «осв.» are no distance from any average: never far
            FinalMark.average_hundredths.is_not(None),
            func.abs(FinalMark.value * 100 - FinalMark.average_hundredths) > int(FAR_FROM_AVERAGE * 100),
        )
        .order_by(SchoolClass.grade, SchoolClass.name, Subject.name, Student.full_name, FinalMark.period_id)
    )
    return tuple(
        FarMark(class_name or "", subject, student, value, Decimal(average) / 100, reason, teacher, period_name)
        for class_name, subject, student, value, average, reason, teacher, period_name in rows
    ), year_name


async def _period_rates(
    session: AsyncSession, period: PeriodDates, deadline: Deadline
) -> tuple[list[FillRate], list[int]]:
    account = await account_lessons(session, period.start, period.end)
    overdue = {entry.key for entry in account.entries if entry.date <= period.end}
    return count_fill_rates(account.lessons, overdue, await staff_names(session), deadline), account.filled


async def _class_figures(session: AsyncSession, period: PeriodDates) -> list[ClassFigures]:
    """Every class, by grade and name, with its results and its absences by effective code."""
    classes = {
        class_id: ClassFigures(class_id, name, grade == 1)
        for class_id, name, grade in await session.execute(
            select(SchoolClass.id, SchoolClass.name, SchoolClass.grade)
            .where(SchoolClass.year_id == select(Period.year_id).where(Period.id == period.id).scalar_subquery())
            .order_by(SchoolClass.grade, SchoolClass.name)
        )
    }
    for class_id, results in (await class_results(session, period.id, period.start, period.end)).items():
        figures = classes.get(class_id)
        if figures is None or figures.attendance_only:
            continue
        figures.students = results.students
        figures.average = results.average
        figures.quality = results.quality / results.students
        figures.success = results.success / results.students
    effective = func.coalesce(Attendance.explanation, Attendance.code)
    rows = await session.execute(
        select(Lesson.class_id, effective, func.count())
        .join(Lesson, Lesson.id == Attendance.lesson_id)
        .where(Attendance.deleted_at.is_(None), Lesson.date >= period.start, Lesson.date <= period.end)
        .group_by(effective, Lesson.class_id)  # in this order SQLite reads the period's lessons, not all absences
    )
    for class_id, code, count in rows:
        if class_id in classes:
            classes[class_id].absences[str(code)] += count
    return list(classes.values())


async def report_period(session: AsyncSession, today: dt.date) -> Period | None:
    """What /control reports on: the period running today, or in the holidays the one just ended."""
    current = await session.scalar(select(Period).where(Period.start <= today, Period.end >= today))
    if current is not None:
        return current
    return await session.scalar(select(Period).where(Period.end < today).order_by(Period.end.desc()).limit(1))


async def period_to_report(session: AsyncSession, today: dt.date, window: dt.timedelta) -> Period | None:
    """The period whose end-of-period report is due on `today`: the first school day after its end,
    or (if the bot was down then) any later day within `window` of it."""
    calendar = await load_calendar(session)
    if not calendar.is_school_day(today):
        return None
    ended = await session.scalar(select(Period).where(Period.end < today).order_by(Period.end.desc()).limit(1))
    if ended is None:
        return None
    first = calendar.next(ended.end)
    if first is None or not first <= today <= first + window:
        return None
    return ended


# --- who reads it ----------------------------------------------------------------------------------------


async def accounts_with_role(session: AsyncSession, role: StaffRole) -> list[Account]:
    """Active accounts of active staff holding `role` (deputies, directors, administrators)."""
    return list(
        await session.scalars(
            select(Account)
            .join(AccountBinding, AccountBinding.account_id == Account.id)
            .join(Staff, Staff.id == AccountBinding.person_id)
            .join(StaffRoleGrant, StaffRoleGrant.staff_id == Staff.id)
            .where(
                AccountBinding.person_kind == PersonKind.STAFF,
                AccountBinding.revoked_at.is_(None),
                StaffRoleGrant.role == role,
                Staff.active.is_(True),
                Account.active.is_(True),
            )
            .distinct()
            .order_by(Account.id)
        )
    )


async def staff_accounts(session: AsyncSession, staff_ids: set[int] | list[int]) -> dict[int, list[Account]]:
    """Staff id → their active accounts (a teacher may have none: nobody to tell)."""
    if not staff_ids:
        return {}
    rows = await session.execute(
        select(AccountBinding.person_id, Account)
        .join(Account, Account.id == AccountBinding.account_id)
        .where(
            AccountBinding.person_kind == PersonKind.STAFF,
            AccountBinding.person_id.in_(set(staff_ids)),
            AccountBinding.revoked_at.is_(None),
            Account.active.is_(True),
        )
        .order_by(Account.id)
    )
    found: dict[int, list[Account]] = defaultdict(list)
    for staff_id, account in rows:
        found[staff_id].append(account)
    return dict(found)
