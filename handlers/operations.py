"""Operations: /status and /backup (administrator), /control (deputy, director), «Урок без отметок»."""

from __future__ import annotations

import datetime as dt
import html

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, FSInputFile, Message
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings, deadline_of
from bot.filters import IsBound
from bot.i18n import Translator
from bot.outbound.callbacks import NoMarks
from bot.outbound.views import backup_error, render_deputy_report, render_period_report
from bot.text import format_date, split_message
from services import control_reports
from services.access import ensure_admin, ensure_school_reader
from services.actor import Actor
from services.backup import TELEGRAM_FILE_LIMIT, record_backup, take_backup
from services.errors import DomainError
from services.school_clock import SchoolClock
from services.school_days import load_calendar
from services.system_status import SystemStatus, system_status

DAY_WORDS = frozenset({"day", "день", "вчера", "yesterday"})


# --- the reminder's buttons (bot.outbound.views) ----------------------------------------------------


async def on_no_marks(
    callback: CallbackQuery,
    callback_data: NoMarks,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    day = dt.date.fromordinal(callback_data.day)
    closed = await control_reports.close_without_marks(
        session,
        actor,
        callback_data.class_id,
        callback_data.subject_id,
        day,
        callback_data.lesson_no,
        clock.now(),
        subgroup=callback_data.subgroup,
    )
    text = i18n(
        "no-marks-done",
        class_name=html.escape(closed.class_name),
        subject=html.escape(closed.subject),
        date=format_date(closed.date, i18n.language, "day"),
        lesson_no=closed.lesson_no,
    )
    if isinstance(callback.message, Message):
        await callback.message.answer(text)
    await callback.answer()


# --- /control ---------------------------------------------------------------------------------------


async def cmd_control(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    settings: Settings,
    clock: SchoolClock,
) -> None:
    ensure_school_reader(actor)
    now = clock.now()
    words = (command.args or "").split()
    if len(words) > 1 or (words and words[0].casefold() not in DAY_WORDS):
        raise DomainError("control-usage")
    if words:
        calendar = await load_calendar(session)
        day = calendar.previous(now.date())
        if day is None:
            raise DomainError("control-no-school-day")
        report = await control_reports.deputy_report(session, day, now, deadline=deadline_of(settings))
        text = render_deputy_report(report, i18n)
    else:
        period = await control_reports.report_period(session, now.date())
        if period is None:
            raise DomainError("control-no-period")
        until = now.date() - dt.timedelta(days=1)
        if until < period.start:
            raise DomainError("control-period-not-started", period=period.name)
        report = await control_reports.period_report(session, actor, period, until, now, deadline=deadline_of(settings))
        text = render_period_report(report, i18n)
    for part in split_message(text):
        await message.answer(part)


# --- /status, /backup ----------------------------------------------------------------------------------


async def cmd_status(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    settings: Settings,
    clock: SchoolClock,
    scheduler: BaseScheduler | None = None,
    started_at: dt.datetime | None = None,
) -> None:
    status = await system_status(session, actor, settings.database_url)
    for part in split_message(render_status(status, i18n, clock, scheduler, started_at)):
        await message.answer(part)


def render_status(
    status: SystemStatus,
    i18n: Translator,
    clock: SchoolClock,
    scheduler: BaseScheduler | None,
    started_at: dt.datetime | None,
) -> str:
    now = clock.now()
    lines = [i18n("status-title"), i18n("status-version", version=status.version)]
    if started_at is not None:
        lines.append(
            i18n("status-uptime", duration=duration(now - started_at, i18n), since=_when(clock.local(started_at), i18n))
        )
    else:
        lines.append(i18n("status-uptime-unknown"))
    lines.append(i18n("status-database", size=size_text(status.database_bytes, i18n)))
    backup = status.last_backup
    if backup is None:
        lines.append(i18n("status-backup-none"))
    elif backup.verified:
        lines.append(
            i18n(
                "status-backup-ok",
                when=_when(clock.local(backup.created_at), i18n),
                size=size_text(backup.size_bytes, i18n),
            )
        )
    else:
        lines.append(
            i18n(
                "status-backup-failed",
                when=_when(clock.local(backup.created_at), i18n),
                error=html.escape(backup.error or "?"),
            )
        )
    oldest = duration(now - status.oldest_pending, i18n) if status.oldest_pending else "—"
    lines.append(i18n("status-outbox", pending=status.outbox_pending, failed=status.outbox_failed, oldest=oldest))
    for row in status.recent_failures:
        lines.append(
            i18n(
                "status-failure",
                when=_when(clock.local(row.created_at), i18n),
                kind=row.kind,
                error=html.escape(row.last_error or "?"),
            )
        )
    lines.append(i18n("status-accounts", active=status.accounts_active, blocked=status.accounts_blocked))
    jobs = [job for job in scheduler.get_jobs()] if scheduler is not None and scheduler.running else []
    if jobs:
        lines.append(i18n("status-jobs"))
        for job in sorted(jobs, key=lambda j: (j.next_run_time is None, j.next_run_time or now)):
            when = _when(clock.local(job.next_run_time), i18n) if job.next_run_time else "—"
            lines.append(i18n("status-job", job=i18n(f"job-{job.id}"), when=when))
    else:
        lines.append(i18n("status-jobs-off"))
    return "\n".join(lines)


def _when(moment: dt.datetime, i18n: Translator) -> str:
    return f"{format_date(moment.date(), i18n.language, 'full')} {moment:%H:%M}"


def duration(delta: dt.timedelta, i18n: Translator) -> str:
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    return i18n("status-duration", days=days, hours=rest // 60, minutes=rest % 60)


def size_text(size: int | None, i18n: Translator) -> str:
    if size is None:
        return "—"
    megabytes = size / (1024 * 1024)
    return i18n("status-megabytes", size=f"{megabytes:.1f}".replace(".", "," if i18n.language == "ru" else "."))


async def cmd_backup(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, settings: Settings, clock: SchoolClock
) -> None:
    ensure_admin(actor)
    result = await take_backup(settings.database_url, settings.backup_dir, clock.now())
    await record_backup(session, result, nightly=False, requested_by=actor.account_id)
    if not result.verified or result.path is None:
        error = backup_error(i18n, result.error_key, result.error_args)
        await message.answer(i18n("backup-failed", error=html.escape(error or "?")))
        return
    name, size = result.path.name, size_text(result.size_bytes, i18n)
    if result.size_bytes >= TELEGRAM_FILE_LIMIT:
        await message.answer(i18n("backup-too-big", name=name, size=size, path=html.escape(str(result.path))))
        return
    await message.answer_document(FSInputFile(result.path), caption=i18n("backup-done", name=name, size=size))


def router() -> Router:
    """«Урок без отметок», /control, /status and /backup."""
    router = Router(name=__name__)
    router.callback_query.register(on_no_marks, NoMarks.filter())
    router.message.register(cmd_control, Command("control"), IsBound())
    router.message.register(cmd_status, Command("status"), IsBound())
    router.message.register(cmd_backup, Command("backup"), IsBound())
    return router
