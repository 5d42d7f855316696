"""The scheduled jobs: module-level functions taking the settings and the session maker the factory hands them.

Each takes `now` (the clock, default the real one in the school's time zone) and `scheduled` (the
occurrence it serves, default `now`): the catch-up runs a missed 16:00 reminder at 16:40 with
scheduled=16:00. Each claims its run first (scheduler.runs), so nothing is done twice. What they tell
goes to the outbox as notices (services.staff_notices), plain data that the delivery worker renders
in each reader's language when it sends them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings, deadline_of, school_clock
from models import Account, SchoolClass, StaffRole
from scheduler.runs import FAILED, OK, SKIPPED, run_once
from services.actor import Actor
from services.backup import record_backup, rotate_backups, take_backup
from services.calendar import year_for
from services.class_reports import daily_records, data_gaps
from services.control_reports import accounts_with_role, deputy_report, period_report, period_to_report, staff_accounts
from services.journal_fill import insert_overdue, missing_by_teacher, overdue_at_deadline
from services.outbox import NoticeQueue
from services.reading_thread import read_apart
from services.reports.risk_notices import queue_risk_notices
from services.school_clock import SchoolClock
from services.school_days import load_calendar
from services.school_years import in_current_year
from services.staff_notices import (
    DailyRecordNotice,
    DeputyReportNotice,
    MissingData,
    PeriodReportNotice,
    ReminderLesson,
    TeacherReminder,
)

TEACHER_REMINDER = "teacher_reminder"
MARKS_DEADLINE = "marks_deadline"
DEPUTY_REPORT = "deputy_report"
HOMEROOM_DAILY = "homeroom_daily"
MISSING_DATA = "missing_data"
DIRECTOR_REPORT = "director_report"
BACKUP = "backup"
RISK_HEADS_UP = "risk_heads_up"

# The end-of-period report is still sent this long after the first school day (the bot was down).
DIRECTOR_REPORT_WINDOW = dt.timedelta(days=14)

SessionMaker = async_sessionmaker[AsyncSession]


def moments(
    settings: Settings, now: dt.datetime | None, scheduled: dt.datetime | None, clock: SchoolClock | None
) -> tuple[dt.datetime, dt.datetime]:
    """(now, scheduled) as aware datetimes in the school's time zone; `now` by default the clock's
    (the one the scheduler hands the job, else the settings')."""
    clock = clock or school_clock(settings)
    now = clock.local(now) if now is not None else clock.now()
    return now, clock.local(scheduled or now)


# (outcome, details, the notices to queue) of a run's reading
Composed = tuple[str, dict[str, Any] | None, NoticeQueue]


async def compose_apart(
    session: AsyncSession, compose: Callable[[AsyncSession], Awaitable[Composed]]
) -> tuple[str, dict[str, Any] | None]:
    """Read for every class at once in a thread of their own (services.reading_thread): too much work
    for the bot's event loop while others wait for an answer. The notices are written to the outbox in
    the run's own session, so they commit with its outcome."""
    outcome, details, queue = await read_apart(session, compose)
    if details is None:
        return outcome, None
    return outcome, {**details, "messages": await queue.write(session)}


# --- teachers ----------------------------------------------------------------------------------------


async def teacher_reminder(
    settings: Settings,
    session_maker: SessionMaker,
    *,
    now: dt.datetime | None = None,
    scheduled: dt.datetime | None = None,
    clock: SchoolClock | None = None,
) -> str | None:
    """REMINDER_TIME: each teacher with something missing today gets one message listing it."""
    now, scheduled = moments(settings, now, scheduled, clock)
    day = scheduled.date()

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        return await compose_apart(session, partial(_reminders, settings=settings, day=day))

    return await run_once(session_maker, TEACHER_REMINDER, day.isoformat(), now, work)


async def _reminders(session: AsyncSession, settings: Settings, day: dt.date) -> Composed:
    queue = NoticeQueue()
    by_teacher = await missing_by_teacher(session, day)
    if not by_teacher:
        calendar = await load_calendar(session)
        return (OK if calendar.is_school_day(day) else SKIPPED), {"teachers": 0}, queue
    accounts = await staff_accounts(session, set(by_teacher))
    for teacher_id, items in by_teacher.items():
        reminder = TeacherReminder(day, settings.marks_deadline, tuple(ReminderLesson.of(item) for item in items))
        for account in accounts.get(teacher_id, []):
            queue.add(account, reminder)
    return OK, {"teachers": len(by_teacher)}, queue


async def marks_deadline(
    settings: Settings,
    session_maker: SessionMaker,
    *,
    now: dt.datetime | None = None,
    scheduled: dt.datetime | None = None,
    clock: SchoolClock | None = None,
) -> str | None:
    """MARKS_DEADLINE: what is still missing today is recorded as overdue (kept for the reports)."""
    now, scheduled = moments(settings, now, scheduled, clock)
    day = scheduled.date()

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        if not (await load_calendar(session)).is_school_day(day):
            return SKIPPED, None
        entries = await read_apart(session, partial(overdue_at_deadline, day=day, now=now))
        return OK, {"overdue": await insert_overdue(session, entries)}

    return await run_once(session_maker, MARKS_DEADLINE, day.isoformat(), now, work)


# --- the administration ---------------------------------------------------------------------------------


async def deputy_daily(
    settings: Settings,
    session_maker: SessionMaker,
    *,
    now: dt.datetime | None = None,
    scheduled: dt.datetime | None = None,
    clock: SchoolClock | None = None,
) -> str | None:
    """DEPUTY_REPORT_TIME on a school day: the previous school day's overdue list and the week's fill rates."""
    now, scheduled = moments(settings, now, scheduled, clock)
    day = scheduled.date()

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        calendar = await load_calendar(session)
        reported = calendar.previous(day) if calendar.is_school_day(day) else None
        if reported is None:
            return SKIPPED, None
        report = await deputy_report(session, reported, now, deadline=deadline_of(settings))
        queue = NoticeQueue()
        for account in await accounts_with_role(session, StaffRole.DEPUTY):
            queue.add(account, DeputyReportNotice(report))
        return OK, {"day": reported.isoformat(), "overdue": len(report.overdue), "messages": await queue.write(session)}

    return await run_once(session_maker, DEPUTY_REPORT, day.isoformat(), now, work)


DIRECTOR_ACTOR = Actor(staff_roles=frozenset({StaffRole.DIRECTOR}))


async def director_period_report(
    settings: Settings,
    session_maker: SessionMaker,
    *,
    now: dt.datetime | None = None,
    scheduled: dt.datetime | None = None,
    clock: SchoolClock | None = None,
) -> str | None:
    """The first school day after a period ends: that period's journal-control report to the director."""
    now, scheduled = moments(settings, now, scheduled, clock)
    async with session_maker() as session:
        period = await period_to_report(session, scheduled.date(), DIRECTOR_REPORT_WINDOW)
    if period is None:
        return None

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        report = await period_report(session, DIRECTOR_ACTOR, period, period.end, now, deadline=deadline_of(settings))
        queue = NoticeQueue()
        for account in await accounts_with_role(session, StaffRole.DIRECTOR):
            queue.add(account, PeriodReportNotice(report))
        return OK, {"period": period.id, "messages": await queue.write(session)}

    return await run_once(session_maker, DIRECTOR_REPORT, f"period:{period.id}", now, work)


# --- class teachers -----------------------------------------------------------------------------------


async def homeroom_daily(
    settings: Settings,
    session_maker: SessionMaker,
    *,
    now: dt.datetime | None = None,
    scheduled: dt.datetime | None = None,
    clock: SchoolClock | None = None,
) -> str | None:
    """HOMEROOM_REPORT_TIME: today's absences in each class to its class teacher, unexplained first,
    with the parents' proposed explanations to confirm. A class with no absences disturbs nobody."""
    now, scheduled = moments(settings, now, scheduled, clock)
    day = scheduled.date()

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        return await compose_apart(session, partial(_daily_records, day=day))

    return await run_once(session_maker, HOMEROOM_DAILY, day.isoformat(), now, work)


async def _daily_records(session: AsyncSession, day: dt.date) -> Composed:
    queue = NoticeQueue()
    if not (await load_calendar(session)).is_school_day(day):
        return SKIPPED, None, queue
    teachers = await class_teachers(session)
    records = await daily_records(session, day, {c.id: c.name for c, _ in teachers})
    for (_, teacher), record in zip(teachers, records):
        if not record.students:
            continue
        notice = DailyRecordNotice(record)  # the parents' answers are in the record, as /class shows them
        for account in teacher:
            queue.add(account, notice)  # to the class's own teacher: the record comes with its buttons
    return OK, {}, queue


async def class_teachers(session: AsyncSession) -> list[tuple[SchoolClass, list[Account]]]:
    """Each class whose class teacher has signed in, with that teacher's accounts."""
    classes = list(
        await session.scalars(
            select(SchoolClass)
            .where(SchoolClass.homeroom_teacher_id.is_not(None), in_current_year())
            .order_by(SchoolClass.name)
        )
    )
    accounts = await staff_accounts(session, {c.homeroom_teacher_id for c in classes})
    return [(c, accounts[c.homeroom_teacher_id]) for c in classes if accounts.get(c.homeroom_teacher_id)]


async def missing_data(
    settings: Settings,
    session_maker: SessionMaker,
    *,
    now: dt.datetime | None = None,
    scheduled: dt.datetime | None = None,
    clock: SchoolClock | None = None,
) -> str | None:
    """MISSING_DATA_TIME (weekly): class teachers see the students with no parent linked, a parent
    not signed in, or no personal-data consent recorded (regulation 3.2)."""
    now, scheduled = moments(settings, now, scheduled, clock)
    day = scheduled.date()

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        return await compose_apart(session, partial(_missing_data, day=day))

    return await run_once(session_maker, MISSING_DATA, day.isoformat(), now, work)


async def _missing_data(session: AsyncSession, day: dt.date) -> Composed:
    queue = NoticeQueue()
    if await year_for(session, day) is None:
        return SKIPPED, None, queue
    teachers = await class_teachers(session)
    gaps = await data_gaps(session, day)
    for school_class, teacher in teachers:
        if school_class.id not in gaps:
            continue
        notice = MissingData(school_class.name, day, tuple(gaps[school_class.id]))
        for account in teacher:
            queue.add(account, notice)
    return OK, {}, queue


async def risk_heads_up(
    settings: Settings,
    session_maker: SessionMaker,
    *,
    now: dt.datetime | None = None,
    scheduled: dt.datetime | None = None,
    clock: SchoolClock | None = None,
) -> str | None:
    """Weekly, with the missing-data list: the family of each pupil on the term's risk list
    (services.reports.risk) gets a line in their next digest, from the term's third week on."""
    now, scheduled = moments(settings, now, scheduled, clock)
    day = scheduled.date()

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        if await year_for(session, day) is None:  # no school year (yet): nobody to tell
            return SKIPPED, None
        queued = await queue_risk_notices(session, day, now=now)
        return (OK if queued else SKIPPED), {"families": queued}

    return await run_once(session_maker, RISK_HEADS_UP, day.isoformat(), now, work)


# --- archive copies --------------------------------------------------------------------------------


async def nightly_backup(
    settings: Settings,
    session_maker: SessionMaker,
    *,
    now: dt.datetime | None = None,
    scheduled: dt.datetime | None = None,
    clock: SchoolClock | None = None,
) -> str | None:
    """BACKUP_TIME: a verified copy in BACKUP_DIR, then rotation; a failed copy is reported at once."""
    now, scheduled = moments(settings, now, scheduled, clock)
    day = scheduled.date()

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        result = await take_backup(settings.database_url, settings.backup_dir, now)
        await record_backup(session, result)
        if not result.verified:
            return FAILED, {"error": result.error[:200]}
        removed = rotate_backups(settings.backup_dir, now.date(), settings.backup_keep_days, settings.backup_keep_weeks)
        return OK, {"size": result.size_bytes, "removed": len(removed)}

    return await run_once(session_maker, BACKUP, day.isoformat(), now, work)
