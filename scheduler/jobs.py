"""The scheduled jobs: module-level functions taking the settings and the session maker the factory hands them.

Each takes `now` (the clock, default the real one in the school's time zone) and `scheduled` (the
occurrence it serves, default `now`): the catch-up runs a missed 16:00 reminder at 16:40 with
scheduled=16:00. Each claims its run first (scheduler.runs), so nothing is done twice. Messages go
to the outbox, fully rendered in the recipient's language, for the delivery worker to send.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings, school_clock
from bot.i18n import Translator, get_translator
from bot.text import escape, format_date
from handlers.homeroom import record_buttons, render_daily_record
from handlers.operations import NoMarks, deadline_of, open_lesson_button
from models import Account, ExplanationProposal, SchoolClass, StaffRole
from scheduler.runs import FAILED, OK, SKIPPED, run_once
from services.actor import Actor
from services.backup import record_backup, rotate_backups, take_backup
from services.calendar import year_for
from services.class_reports import Gap, daily_records, data_gaps
from services.control_reports import (
    TextQueue, accounts_with_role, deputy_report, period_report, period_to_report, staff_accounts,
)
from services.control_texts import render_deputy_report, render_period_report, render_reminder
from services.homeroom import DailyRecord
from services.journal_fill import MissingLesson, insert_overdue, missing_by_teacher, overdue_at_deadline
from services.reading_thread import read_apart
from services.school_days import MARKS, load_calendar
from services.school_clock import SchoolClock

TEACHER_REMINDER = "teacher_reminder"
MARKS_DEADLINE = "marks_deadline"
DEPUTY_REPORT = "deputy_report"
HOMEROOM_DAILY = "homeroom_daily"
MISSING_DATA = "missing_data"
DIRECTOR_REPORT = "director_report"
BACKUP = "backup"

# The end-of-period report is still sent this long after the first school day (the bot was down).
DIRECTOR_REPORT_WINDOW = dt.timedelta(days=14)

SessionMaker = async_sessionmaker[AsyncSession]


def moments(settings: Settings, now: dt.datetime | None, scheduled: dt.datetime | None,
            clock: SchoolClock | None) -> tuple[dt.datetime, dt.datetime]:
    """(now, scheduled) as aware datetimes in the school's time zone; `now` by default the clock's
    (the one the scheduler hands the job, else the settings')."""
    clock = clock or school_clock(settings)
    now = clock.local(now) if now is not None else clock.now()
    return now, clock.local(scheduled or now)


def translator_for(account: Account, settings: Settings) -> Translator:
    return get_translator(account.language or settings.default_language)


# (outcome, details, the texts to send) of a run's reading and rendering
Composed = tuple[str, dict[str, Any] | None, TextQueue]


async def compose_apart(
    session: AsyncSession, compose: Callable[[AsyncSession], Awaitable[Composed]],
) -> tuple[str, dict[str, Any] | None]:
    """Read and render for every class at once in a thread of their own (services.reading_thread):
    too much work for the bot's event loop while others wait for an answer. The texts are written to
    the outbox in the run's own session, so they commit with its outcome."""
    outcome, details, queue = await read_apart(session, compose)
    if details is None:
        return outcome, None
    return outcome, {**details, "messages": await queue.write(session)}


# --- teachers ----------------------------------------------------------------------------------------

async def teacher_reminder(settings: Settings, session_maker: SessionMaker, *,
                           now: dt.datetime | None = None, scheduled: dt.datetime | None = None,
                           clock: SchoolClock | None = None) -> str | None:
    """REMINDER_TIME: each teacher with something missing today gets one message listing it."""
    now, scheduled = moments(settings, now, scheduled, clock)
    day = scheduled.date()

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        return await compose_apart(session, partial(_reminders, settings=settings, day=day))

    return await run_once(session_maker, TEACHER_REMINDER, day.isoformat(), now, work)


async def _reminders(session: AsyncSession, settings: Settings, day: dt.date) -> Composed:
    queue = TextQueue()
    by_teacher = await missing_by_teacher(session, day)
    if not by_teacher:
        calendar = await load_calendar(session)
        return (OK if calendar.is_school_day(day) else SKIPPED), {"teachers": 0}, queue
    accounts = await staff_accounts(session, set(by_teacher))
    for teacher_id, items in by_teacher.items():
        for account in accounts.get(teacher_id, []):
            i18n = translator_for(account, settings)
            queue.add(account, "reminder", render_reminder(items, day, settings.marks_deadline, i18n),
                      reminder_keyboard(items, i18n).model_dump(exclude_none=True))
    return OK, {"teachers": len(by_teacher)}, queue


def reminder_keyboard(items: list[MissingLesson], i18n: Translator) -> InlineKeyboardMarkup:
    """Per lesson: open it; and, where marks are missing, close it on purpose without marks."""
    rows = []
    for item in items:
        row = [open_lesson_button(item.lesson, i18n)]
        if MARKS in item.missing:
            row.append(InlineKeyboardButton(
                text=i18n("reminder-button-no-marks", class_name=item.lesson.class_name, lesson_no=item.lesson.lesson_no),
                callback_data=NoMarks.of(item.lesson).pack(),
            ))
        rows.append(row)
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def marks_deadline(settings: Settings, session_maker: SessionMaker, *,
                         now: dt.datetime | None = None, scheduled: dt.datetime | None = None,
                         clock: SchoolClock | None = None) -> str | None:
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

async def deputy_daily(settings: Settings, session_maker: SessionMaker, *,
                       now: dt.datetime | None = None, scheduled: dt.datetime | None = None,
                       clock: SchoolClock | None = None) -> str | None:
    """DEPUTY_REPORT_TIME on a school day: the previous school day's overdue list and the week's fill rates."""
    now, scheduled = moments(settings, now, scheduled, clock)
    day = scheduled.date()

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        calendar = await load_calendar(session)
        reported = calendar.previous(day) if calendar.is_school_day(day) else None
        if reported is None:
            return SKIPPED, None
        report = await deputy_report(session, reported, now, deadline=deadline_of(settings))
        queue = TextQueue()
        for account in await accounts_with_role(session, StaffRole.DEPUTY):
            queue.add(account, "deputy_report", render_deputy_report(report, translator_for(account, settings)))
        return OK, {"day": reported.isoformat(), "overdue": len(report.overdue), "messages": await queue.write(session)}

    return await run_once(session_maker, DEPUTY_REPORT, day.isoformat(), now, work)


DIRECTOR_ACTOR = Actor(staff_roles=frozenset({StaffRole.DIRECTOR}))


async def director_period_report(settings: Settings, session_maker: SessionMaker, *,
                                 now: dt.datetime | None = None, scheduled: dt.datetime | None = None,
                                 clock: SchoolClock | None = None) -> str | None:
    """The first school day after a period ends: that period's journal-control report to the director."""
    now, scheduled = moments(settings, now, scheduled, clock)
    async with session_maker() as session:
        period = await period_to_report(session, scheduled.date(), DIRECTOR_REPORT_WINDOW)
    if period is None:
        return None

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        report = await period_report(session, DIRECTOR_ACTOR, period, period.end, now,
                                     deadline=deadline_of(settings))
        queue = TextQueue()
        for account in await accounts_with_role(session, StaffRole.DIRECTOR):
            queue.add(account, "director_report", render_period_report(report, translator_for(account, settings)))
        return OK, {"period": period.id, "messages": await queue.write(session)}

    return await run_once(session_maker, DIRECTOR_REPORT, f"period:{period.id}", now, work)


# --- class teachers -----------------------------------------------------------------------------------

PROPOSAL_KEYS = {"ill": "daily-proposal-ill", "excused": "daily-proposal-excused"}


async def homeroom_daily(settings: Settings, session_maker: SessionMaker, *,
                         now: dt.datetime | None = None, scheduled: dt.datetime | None = None,
                         clock: SchoolClock | None = None) -> str | None:
    """HOMEROOM_REPORT_TIME: today's absences in each class to its class teacher, unexplained first,
    with the parents' proposed explanations to confirm. A class with no absences disturbs nobody."""
    now, scheduled = moments(settings, now, scheduled, clock)
    day = scheduled.date()

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        return await compose_apart(session, partial(_daily_records, settings=settings, day=day))

    return await run_once(session_maker, HOMEROOM_DAILY, day.isoformat(), now, work)


async def _daily_records(session: AsyncSession, settings: Settings, day: dt.date) -> Composed:
    queue = TextQueue()
    if not (await load_calendar(session)).is_school_day(day):
        return SKIPPED, None, queue
    teachers = await class_teachers(session)
    records = await daily_records(session, day, {c.id: c.name for c, _ in teachers})
    proposals = await pending_proposals(
        session, [lesson.attendance_id for record in records for s in record.students for lesson in s.lessons],
    )
    for (school_class, teacher), record in zip(teachers, records):
        if not record.students:
            continue
        actor = Actor(staff_id=school_class.homeroom_teacher_id, homeroom_class_ids=frozenset({school_class.id}))
        for account in teacher:
            i18n = translator_for(account, settings)
            text = render_daily_record(i18n, record) + render_proposals(record, proposals, i18n)
            markup = record_buttons(i18n, actor, record)
            queue.add(account, "homeroom_daily", text, markup.model_dump(exclude_none=True) if markup else None)
    return OK, {}, queue


async def class_teachers(session: AsyncSession) -> list[tuple[SchoolClass, list[Account]]]:
    """Each class whose class teacher has signed in, with that teacher's accounts."""
    classes = list(await session.scalars(
        select(SchoolClass).where(SchoolClass.homeroom_teacher_id.is_not(None)).order_by(SchoolClass.name)
    ))
    accounts = await staff_accounts(session, {c.homeroom_teacher_id for c in classes})
    return [(c, accounts[c.homeroom_teacher_id]) for c in classes if accounts.get(c.homeroom_teacher_id)]


async def pending_proposals(session: AsyncSession, attendance_ids: list[int]) -> dict[int, str]:
    """Attendance id → the latest unresolved explanation a parent proposed for it."""
    if not attendance_ids:
        return {}
    rows = await session.scalars(
        select(ExplanationProposal)
        .where(ExplanationProposal.attendance_id.in_(attendance_ids), ExplanationProposal.resolved_at.is_(None))
        .order_by(ExplanationProposal.created_at, ExplanationProposal.id)
    )
    return {row.attendance_id: row.proposal for row in rows}


def render_proposals(record: DailyRecord, proposals: dict[int, str], i18n: Translator) -> str:
    lines = []
    for student in record.students:
        for lesson in student.lessons:
            proposal = proposals.get(lesson.attendance_id)
            if proposal is None:
                continue
            lines.append(i18n("daily-proposal-line", name=escape(student.full_name), lesson_no=lesson.lesson_no,
                              subject=escape(lesson.subject),
                              proposal=i18n(PROPOSAL_KEYS.get(proposal, "daily-proposal-unknown"))))
    if not lines:
        return ""
    return "\n\n" + i18n("daily-proposals-title") + "\n" + "\n".join(lines)


async def missing_data(settings: Settings, session_maker: SessionMaker, *,
                       now: dt.datetime | None = None, scheduled: dt.datetime | None = None,
                       clock: SchoolClock | None = None) -> str | None:
    """MISSING_DATA_TIME (weekly): class teachers see the students with no parent linked, a parent
    not signed in, or no personal-data consent recorded (regulation 3.2)."""
    now, scheduled = moments(settings, now, scheduled, clock)
    day = scheduled.date()

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        return await compose_apart(session, partial(_missing_data, settings=settings, day=day))

    return await run_once(session_maker, MISSING_DATA, day.isoformat(), now, work)


async def _missing_data(session: AsyncSession, settings: Settings, day: dt.date) -> Composed:
    queue = TextQueue()
    if await year_for(session, day) is None:
        return SKIPPED, None, queue
    teachers = await class_teachers(session)
    gaps = await data_gaps(session, day)
    for school_class, teacher in teachers:
        if school_class.id not in gaps:
            continue
        for account in teacher:
            i18n = translator_for(account, settings)
            text = render_gaps(school_class.name, day, gaps[school_class.id], i18n)
            queue.add(account, "homeroom_missing_data", text)
    return OK, {}, queue


def render_gaps(class_name: str, day: dt.date, gaps: list[Gap], i18n: Translator) -> str:
    lines = [i18n("missing-data-title", class_name=escape(class_name), date=format_date(day, i18n.language, "full"))]
    for number, name, found in gaps:
        lines.append(i18n("missing-data-line", number=number, name=escape(name),
                          gaps=", ".join(i18n(f"missing-data-{gap}") for gap in found)))
    lines.append(i18n("missing-data-hint"))
    return "\n".join(lines)


# --- archive copies --------------------------------------------------------------------------------

async def nightly_backup(settings: Settings, session_maker: SessionMaker, *,
                         now: dt.datetime | None = None, scheduled: dt.datetime | None = None,
                         clock: SchoolClock | None = None) -> str | None:
    """BACKUP_TIME: a verified copy in BACKUP_DIR, then rotation; a failed copy is reported at once."""
    now, scheduled = moments(settings, now, scheduled, clock)
    day = scheduled.date()

    async def work(session: AsyncSession) -> tuple[str, dict[str, Any] | None]:
        result = await take_backup(settings.database_url, settings.backup_dir, now)
        await record_backup(session, result, default_language=settings.default_language)
        if not result.verified:
            return FAILED, {"error": result.error[:200]}
        removed = rotate_backups(settings.backup_dir, now.date(), settings.backup_keep_days, settings.backup_keep_weeks)
        return OK, {"size": result.size_bytes, "removed": len(removed)}

    return await run_once(session_maker, BACKUP, day.isoformat(), now, work)
