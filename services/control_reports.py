"""Journal control (regulation 3.3, 3.5, 3.6): what is missing, what was overdue, the period's figures.

- The teacher's reminder: today's lessons still without attendance, topic, marks or homework.
- The 17:00 deadline: what is still missing is recorded as overdue; filled in later, it is "late".
- The deputy's daily list of yesterday's overdue entries and the week-to-date fill rate.
- The director's period report: per teacher lessons filled on time / late / missing; per class the
  average, «качество знаний» (only 4s and 5s) and «успеваемость» (no 2s); absences by code.

Everything here is plain data and text; the scheduler and /control decide who reads it.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.text import escape, format_average, format_date, format_time, split_message, table
from models import (
    Account, AccountBinding, Attendance, FinalMark, Lesson, Mark, OutboxMessage, OverdueEntry, Period,
    PersonKind, SchoolClass, Staff, Student, StaffRole, StaffRoleGrant, Subject,
)
from services.access import ensure_school_reader, ensure_teaches
from services.actor import Actor
from services.errors import DomainError, NotFound
from services.grades import school_thresholds, suggest_mark, weighted_average
from services.lessons import find_slot, lesson_row
from services.school_days import DueLesson, SchoolCalendar, lessons_due, load_calendar, missing_for_lessons

# --- today's missing entries -----------------------------------------------------------------------


@dataclass(frozen=True)
class MissingLesson:
    lesson: DueLesson
    missing: tuple[str, ...]


async def missing_by_teacher(session: AsyncSession, day: dt.date) -> dict[int, list[MissingLesson]]:
    """Teacher → their lessons on `day` with something missing (nothing for a day without lessons)."""
    calendar = await load_calendar(session)
    if not calendar.is_school_day(day):
        return {}
    lessons = await lessons_due(session, [day])
    missing = await missing_for_lessons(session, lessons)
    found: dict[int, list[MissingLesson]] = defaultdict(list)
    for lesson in lessons:
        if lesson.teacher_id is not None and lesson.key in missing:
            found[lesson.teacher_id].append(MissingLesson(lesson, tuple(missing[lesson.key])))
    return dict(found)


async def record_overdue(session: AsyncSession, day: dt.date, now: dt.datetime) -> list[OverdueEntry]:
    """At the deadline: everything still missing on `day` becomes an overdue entry (once per lesson)."""
    recorded = {
        (e.class_id, e.subject_id, e.date, e.lesson_no)
        for e in await session.scalars(select(OverdueEntry).where(OverdueEntry.date == day))
    }
    entries = [
        OverdueEntry(
            teacher_id=teacher_id, class_id=item.lesson.class_id, subject_id=item.lesson.subject_id, date=day,
            lesson_no=item.lesson.lesson_no, missing=list(item.missing), recorded_at=now,
        )
        for teacher_id, items in (await missing_by_teacher(session, day)).items()
        for item in items
        if item.lesson.key not in recorded
    ]
    session.add_all(entries)
    await session.flush()
    return entries


async def refresh_overdue(session: AsyncSession, now: dt.datetime, *, since: dt.date | None = None) -> int:
    """Overdue entries filled in since are marked late (`filled_at`); returns how many were closed."""
    query = select(OverdueEntry).where(OverdueEntry.filled_at.is_(None))
    if since is not None:
        query = query.where(OverdueEntry.date >= since)
    open_entries = list(await session.scalars(query))
    if not open_entries:
        return 0
    lessons = await lessons_due(session, {e.date for e in open_entries})
    missing = await missing_for_lessons(session, lessons)
    closed = 0
    for entry in open_entries:
        if (entry.class_id, entry.subject_id, entry.date, entry.lesson_no) not in missing:
            entry.filled_at = now
            closed += 1
    await session.flush()
    return closed


@dataclass(frozen=True)
class ClosedLesson:
    class_name: str
    subject: str
    date: dt.date
    lesson_no: int


async def close_without_marks(
    session: AsyncSession, actor: Actor, class_id: int, subject_id: int, day: dt.date, lesson_no: int,
    now: dt.datetime,
) -> ClosedLesson:
    """«Урок без отметок»: the teacher says no marks were given on purpose; reminders stop asking."""
    await ensure_teaches(session, actor, class_id, subject_id)
    slot = await find_slot(session, class_id, subject_id, day, lesson_no)
    if slot is None or not slot.in_timetable:
        raise NotFound("no-marks-no-lesson")
    school_class = await session.get(SchoolClass, class_id)
    if school_class is None:
        raise NotFound("no-marks-no-lesson")
    if school_class.attendance_only:
        raise DomainError("no-marks-grade-one")
    lesson = await lesson_row(session, slot, actor.staff_id)
    lesson.no_marks_on_purpose = True
    await session.flush()
    await refresh_overdue(session, now, since=day)
    subject = await session.get(Subject, subject_id)
    return ClosedLesson(school_class.name, subject.name if subject else "", day, lesson_no)


# --- fill rates --------------------------------------------------------------------------------------

@dataclass
class FillRate:
    teacher_id: int
    teacher: str
    lessons: int = 0
    late: int = 0
    missing: int = 0

    @property
    def on_time(self) -> int:
        return self.lessons - self.late - self.missing

    def share(self, count: int) -> float:
        return count / self.lessons if self.lessons else 0.0


async def fill_rates(
    session: AsyncSession, calendar: SchoolCalendar, start: dt.date, end: dt.date,
) -> list[FillRate]:
    """Per teacher, over the school days from `start` to `end`: lessons on time, late, still missing.

    Missing is what is unwritten now; late is what was overdue at its deadline and written since.
    """
    days = list(calendar.days(start, end))
    lessons = await lessons_due(session, days)
    missing = await missing_for_lessons(session, lessons)
    overdue = {
        (e.class_id, e.subject_id, e.date, e.lesson_no)
        for e in await session.scalars(
            select(OverdueEntry).where(OverdueEntry.date >= start, OverdueEntry.date <= end)
        )
    }
    names = await staff_names(session)
    rates: dict[int, FillRate] = {}
    for lesson in lessons:
        if lesson.teacher_id is None:
            continue
        rate = rates.setdefault(lesson.teacher_id, FillRate(lesson.teacher_id, names.get(lesson.teacher_id, "?")))
        rate.lessons += 1
        if lesson.key in missing:
            rate.missing += 1
        elif lesson.key in overdue:
            rate.late += 1
    return sorted(rates.values(), key=lambda r: r.teacher.casefold())


async def staff_names(session: AsyncSession) -> dict[int, str]:
    return dict((await session.execute(select(Staff.id, Staff.full_name))).all())


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
    day: dt.date            # the school day reported on
    week_start: dt.date
    overdue: tuple[OverdueLine, ...]
    rates: tuple[FillRate, ...]


async def deputy_report(session: AsyncSession, day: dt.date, now: dt.datetime) -> DeputyReport:
    """Overdue entries of `day` and each teacher's fill rate from that week's Monday to `day`."""
    calendar = await load_calendar(session)
    week_start = day - dt.timedelta(days=day.weekday())
    await refresh_overdue(session, now, since=week_start)
    entries = list(await session.scalars(select(OverdueEntry).where(OverdueEntry.date == day)))
    lessons = {lesson.key: lesson for lesson in await lessons_due(session, [day])}
    names = await staff_names(session)
    lines = []
    for entry in entries:
        lesson = lessons.get((entry.class_id, entry.subject_id, entry.date, entry.lesson_no))
        if lesson is None:  # the timetable changed since: nothing to show for it
            continue
        lines.append(OverdueLine(
            names.get(entry.teacher_id, "?"), lesson.starts, lesson.class_name, lesson.subject,
            tuple(entry.missing), entry.filled_at is not None,
        ))
    lines.sort(key=lambda l: (l.teacher.casefold(), l.starts or dt.time(0), l.class_name))
    rates = await fill_rates(session, calendar, week_start, day)
    return DeputyReport(day, week_start, tuple(lines), tuple(rates))


# --- the director's period report -----------------------------------------------------------------------

@dataclass
class ClassFigures:
    class_id: int
    class_name: str
    attendance_only: bool
    average: float | None = None
    quality: float | None = None   # students with only 4s and 5s, of those with results
    success: float | None = None   # students without a 2, of those with results
    students: int = 0
    absences: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class PeriodReport:
    period_name: str
    start: dt.date
    end: dt.date            # the last day counted (the period's end, or yesterday while it runs)
    rates: tuple[FillRate, ...]
    classes: tuple[ClassFigures, ...]
    absences: Counter[str]  # the whole school, by effective code


ABSENCE_CODES = ("н", "б", "уп", "нп", "оп")


async def period_report(
    session: AsyncSession, actor: Actor, period: Period, until: dt.date, now: dt.datetime,
) -> PeriodReport:
    """The journal-control report of `period` up to `until` (deputy, director, administrator)."""
    ensure_school_reader(actor)
    calendar = await load_calendar(session)
    end = min(period.end, until)
    await refresh_overdue(session, now, since=period.start)
    rates = await fill_rates(session, calendar, period.start, end) if end >= period.start else []
    classes = {
        c.id: ClassFigures(c.id, c.name, c.attendance_only)
        for c in await session.scalars(select(SchoolClass).order_by(SchoolClass.grade, SchoolClass.name))
    }
    results = await period_results(session, period, end)
    for class_id, by_student in results.items():
        figures = classes.get(class_id)
        if figures is None or figures.attendance_only or not by_student:
            continue
        values = [mark for marks in by_student.values() for mark in marks]
        figures.students = len(by_student)
        figures.average = sum(values) / len(values)
        figures.quality = sum(1 for marks in by_student.values() if min(marks) >= 4) / len(by_student)
        figures.success = sum(1 for marks in by_student.values() if min(marks) >= 3) / len(by_student)
    school_total: Counter[str] = Counter()
    rows = await session.execute(
        select(Lesson.class_id, func.coalesce(Attendance.explanation, Attendance.code), func.count())
        .join(Lesson, Lesson.id == Attendance.lesson_id)
        .where(Attendance.deleted_at.is_(None), Lesson.date >= period.start, Lesson.date <= end)
        .group_by(Lesson.class_id, func.coalesce(Attendance.explanation, Attendance.code))
    )
    for class_id, code, count in rows:
        if class_id in classes:
            classes[class_id].absences[str(code)] += count
        school_total[str(code)] += count
    return PeriodReport(period.name, period.start, end, tuple(rates), tuple(classes.values()), school_total)


async def period_results(session: AsyncSession, period: Period, end: dt.date) -> dict[int, dict[int, list[int]]]:
    """Class → student → one result per subject: the period mark if set, else the one the journal
    suggests from the weighted average (services.grades). Students count in the class taught."""
    thresholds = await school_thresholds(session)
    marks: dict[tuple[int, int, int], list[tuple[int, float]]] = defaultdict(list)
    for class_id, student_id, subject_id, value, weight in await session.execute(
        select(Lesson.class_id, Mark.student_id, Lesson.subject_id, Mark.value, Mark.weight)
        .join(Lesson, Lesson.id == Mark.lesson_id)
        .where(Mark.deleted_at.is_(None), Lesson.date >= period.start, Lesson.date <= end)
    ):
        marks[(class_id, student_id, subject_id)].append((value, weight))
    finals = {
        (f.student_id, f.subject_id): f.value
        for f in await session.scalars(select(FinalMark).where(FinalMark.period_id == period.id))
    }
    results: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for (class_id, student_id, subject_id), values in marks.items():
        result = finals.pop((student_id, subject_id), None) or suggest_mark(weighted_average(values), thresholds)
        if result is not None:
            results[class_id][student_id].append(result)
    if finals:  # a period mark without marks in the journal (set from another school's record, say)
        classes = dict((await session.execute(
            select(Student.id, Student.class_id).where(Student.id.in_({student for student, _ in finals}))
        )).all())
        for (student_id, _), value in finals.items():
            if classes.get(student_id) is not None:
                results[classes[student_id]][student_id].append(value)
    return results


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


# --- rendering -------------------------------------------------------------------------------------------

def missing_words(missing: tuple[str, ...] | list[str], i18n: Translator) -> str:
    return ", ".join(i18n(f"control-missing-{item}") for item in missing)


def lesson_label(lesson: DueLesson) -> str:
    starts = format_time(lesson.starts) if lesson.starts else f"№{lesson.lesson_no}"
    return f"{starts} · {escape(lesson.class_name)} · {escape(lesson.subject)}"


def render_reminder(items: list[MissingLesson], day: dt.date, deadline: dt.time, i18n: Translator) -> str:
    lines = [i18n("reminder-title", day=format_date(day, i18n.language, "day"), deadline=format_time(deadline))]
    for item in items:
        lines.append(i18n("reminder-line", lesson=lesson_label(item.lesson), missing=missing_words(item.missing, i18n)))
    lines.append(i18n("reminder-hint"))
    return "\n".join(lines)


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"


def render_rates(rates: tuple[FillRate, ...] | list[FillRate], i18n: Translator, *, shares: bool) -> str:
    if not rates:
        return i18n("control-no-lessons")
    rows = []
    for rate in rates:
        if shares:
            counts = [_percent(rate.share(count)) for count in (rate.on_time, rate.late, rate.missing)]
        else:
            counts = [rate.on_time, rate.late, rate.missing]
        rows.append([short_name(rate.teacher), rate.lessons, *counts])
    header = [i18n("control-col-teacher"), i18n("control-col-lessons"), i18n("control-col-on-time"),
              i18n("control-col-late"), i18n("control-col-missing")]
    return table(rows, header=header, right=(1, 2, 3, 4))


def short_name(full_name: str) -> str:
    """«Иванова Мария Петровна» → «Иванова М. П.», so tables stay narrow."""
    surname, *rest = full_name.split()
    return " ".join([surname, *(f"{part[0]}." for part in rest if part)])


def render_deputy_report(report: DeputyReport, i18n: Translator) -> str:
    language = i18n.language
    lines = [i18n("deputy-title", day=format_date(report.day, language, "day"))]
    if not report.overdue:
        lines.append(i18n("deputy-no-overdue"))
    teacher = None
    for line in report.overdue:
        if line.teacher != teacher:
            teacher = line.teacher
            lines.append(f"<b>{escape(teacher)}</b>")
        when = format_time(line.starts) if line.starts else ""
        key = "deputy-overdue-filled" if line.filled else "deputy-overdue-line"
        lines.append(i18n(key, time=when, class_name=escape(line.class_name), subject=escape(line.subject),
                          missing=missing_words(line.missing, i18n)))
    lines.append("")
    lines.append(i18n("deputy-week", start=format_date(report.week_start, language),
                      end=format_date(report.day, language)))
    lines.append(render_rates(report.rates, i18n, shares=False))
    return "\n".join(lines)


def render_period_report(report: PeriodReport, i18n: Translator) -> str:
    language = i18n.language
    lines = [
        i18n("director-title", period=escape(report.period_name),
             start=format_date(report.start, language, "full"), end=format_date(report.end, language, "full")),
        "",
        i18n("director-teachers"),
        render_rates(report.rates, i18n, shares=True),
        "",
        i18n("director-classes"),
    ]
    rows = []
    for figures in report.classes:
        rows.append([figures.class_name, format_average(figures.average, language),
                     _percent(figures.quality), _percent(figures.success),
                     *(figures.absences.get(code, 0) for code in ABSENCE_CODES)])
    rows.append([i18n("director-total"), "", "", "", *(report.absences.get(code, 0) for code in ABSENCE_CODES)])
    header = [i18n("control-col-class"), i18n("control-col-average"), i18n("control-col-quality"),
              i18n("control-col-success"), *ABSENCE_CODES]
    lines.append(table(rows, header=header, right=range(1, 4 + len(ABSENCE_CODES))))
    lines.append(i18n("director-notes"))
    return "\n".join(lines)


# --- who reads it, and the outbox ------------------------------------------------------------------------

async def accounts_with_role(session: AsyncSession, role: StaffRole) -> list[Account]:
    """Active accounts of active staff holding `role` (deputies, directors, administrators)."""
    return list(await session.scalars(
        select(Account)
        .join(AccountBinding, AccountBinding.account_id == Account.id)
        .join(Staff, Staff.id == AccountBinding.person_id)
        .join(StaffRoleGrant, StaffRoleGrant.staff_id == Staff.id)
        .where(
            AccountBinding.person_kind == PersonKind.STAFF, AccountBinding.revoked_at.is_(None),
            StaffRoleGrant.role == role, Staff.active.is_(True), Account.active.is_(True),
        )
        .distinct()
        .order_by(Account.id)
    ))


async def staff_accounts(session: AsyncSession, staff_ids: set[int] | list[int]) -> dict[int, list[Account]]:
    """Staff id → their active accounts (a teacher may have none: nobody to tell)."""
    if not staff_ids:
        return {}
    rows = await session.execute(
        select(AccountBinding.person_id, Account)
        .join(Account, Account.id == AccountBinding.account_id)
        .where(
            AccountBinding.person_kind == PersonKind.STAFF, AccountBinding.person_id.in_(set(staff_ids)),
            AccountBinding.revoked_at.is_(None), Account.active.is_(True),
        )
        .order_by(Account.id)
    )
    found: dict[int, list[Account]] = defaultdict(list)
    for staff_id, account in rows:
        found[staff_id].append(account)
    return dict(found)


def queue_text(
    session: AsyncSession, account: Account, kind: str, text: str, reply_markup: dict[str, Any] | None = None,
) -> list[OutboxMessage]:
    """Outbox rows carrying the finished text (split at Telegram's limit); the buttons go on the last part."""
    parts = split_message(text)
    rows = []
    for number, part in enumerate(parts, start=1):
        payload: dict[str, Any] = {"text": part}
        if reply_markup is not None and number == len(parts):
            payload["reply_markup"] = reply_markup
        rows.append(OutboxMessage(kind=kind, account_id=account.id, chat_id=account.chat_id, payload=payload))
    session.add_all(rows)
    return rows
