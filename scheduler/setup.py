"""The scheduler: built by the factory, started and stopped with the dispatcher, in the school's time zone.

Every job has a fixed id and is (re)added with replace_existing=True; coalesce folds a backlog into
one run and misfire_grace_time lets a job that is late by a little still run. What the process missed
while it was down is made up by scheduler.runs.catch_up when it starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Awaitable

from aiogram import Dispatcher
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import WEEKDAYS, Settings, school_clock
from scheduler import jobs
from scheduler.lease import Hook, SchedulerLease
from scheduler.runs import JobSpec, catch_up, covers_date
from services.school_clock import SchoolClock

MISFIRE_GRACE_SECONDS = 3600


def daily(at: dt.time, settings: Settings, day_of_week: str = "*") -> CronTrigger:
    return CronTrigger(day_of_week=day_of_week, hour=at.hour, minute=at.minute, timezone=settings.timezone)


def same_day_at(fire: dt.datetime, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(fire.date(), at, tzinfo=fire.tzinfo)


def _reminder_until(settings: Settings, fire: dt.datetime) -> dt.datetime:
    """Today's reminder is worth sending until the marks deadline; after it, it is the overdue list's turn."""
    deadline = same_day_at(fire, settings.marks_deadline)
    return deadline if deadline > fire else fire + dt.timedelta(hours=1)


def _for(duration: dt.timedelta):
    return lambda settings, fire: fire + duration


def _weekly_trigger(settings: Settings) -> CronTrigger:
    weekday, at = settings.missing_data_schedule
    return daily(at, settings, WEEKDAYS[weekday])


def job_specs() -> list[JobSpec]:
    """The jobs, their times (settings), what one run covers and until when a missed run is still worth it."""
    return [
        JobSpec(
            jobs.BACKUP,
            jobs.nightly_backup,
            lambda s: daily(s.backup_time, s),
            covers_date,
            _for(dt.timedelta(hours=20)),
        ),
        JobSpec(
            jobs.DEPUTY_REPORT,
            jobs.deputy_daily,
            lambda s: daily(s.deputy_report_time, s),
            covers_date,
            _for(dt.timedelta(hours=6)),
        ),
        JobSpec(
            jobs.DIRECTOR_REPORT,
            jobs.director_period_report,
            lambda s: daily(s.deputy_report_time, s),
            covers_date,
            _for(dt.timedelta(hours=12)),
        ),
        JobSpec(jobs.MISSING_DATA, jobs.missing_data, _weekly_trigger, covers_date, _for(dt.timedelta(days=3))),
        JobSpec(jobs.RISK_HEADS_UP, jobs.risk_heads_up, _weekly_trigger, covers_date, _for(dt.timedelta(days=3))),
        JobSpec(
            jobs.HOMEROOM_DAILY,
            jobs.homeroom_daily,
            lambda s: daily(s.homeroom_report_time, s),
            covers_date,
            _for(dt.timedelta(hours=4)),
        ),
        JobSpec(
            jobs.TEACHER_REMINDER,
            jobs.teacher_reminder,
            lambda s: daily(s.reminder_time, s),
            covers_date,
            _reminder_until,
        ),
        JobSpec(
            jobs.MARKS_DEADLINE,
            jobs.marks_deadline,
            lambda s: daily(s.marks_deadline, s),
            covers_date,
            _for(dt.timedelta(days=1)),
        ),
    ]


def build_scheduler(
    settings: Settings, session_maker: async_sessionmaker[AsyncSession], clock: SchoolClock | None = None
) -> AsyncIOScheduler:
    """Each job is handed the settings, the session maker and the school's clock (default: the settings')."""
    clock = clock or school_clock(settings)
    scheduler = AsyncIOScheduler(timezone=settings.timezone)
    for spec in job_specs():
        scheduler.add_job(
            spec.function,
            trigger=spec.trigger(settings),
            id=spec.job_id,
            name=spec.job_id,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            max_instances=1,
            kwargs={"settings": settings, "session_maker": session_maker, "clock": clock},
        )
    return scheduler


def attach_scheduler(
    dispatcher: Dispatcher,
    settings: Settings,
    session_maker: async_sessionmaker[AsyncSession],
    *,
    leased: bool = False,
    on_lead: Hook | None = None,
) -> AsyncIOScheduler:
    """Start with the dispatcher, stop with it; missed runs are caught up. The jobs read the dispatcher's
    clock. Either the caller holds the bot's locks first (services.process_lock: one polling process per
    database), or, `leased`, the jobs run only while this process holds the scheduler's lease
    (scheduler.lease: one of several webhook processes), and `on_lead` is awaited each time it takes it."""
    clock: SchoolClock = dispatcher["clock"]
    scheduler = build_scheduler(settings, session_maker, clock)
    tasks: set[asyncio.Task] = set()
    dispatcher["scheduler"] = scheduler

    def spawn(coroutine: Awaitable[None], name: str) -> None:
        task = asyncio.create_task(coroutine, name=name)
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    async def lead() -> None:
        scheduler.resume()
        spawn(catch_up(job_specs(), settings, session_maker, clock=clock), "scheduler-catch-up")
        if on_lead is not None:  # in the background: the lease's renewals must not wait for it
            spawn(on_lead(), "scheduler-on-lead")

    async def follow() -> None:
        scheduler.pause()

    lease = SchedulerLease(session_maker, settings.scheduler_lease_seconds, on_gain=lead, on_loss=follow)
    if leased:
        dispatcher["scheduler_lease"] = lease

    async def on_startup() -> None:
        dispatcher["started_at"] = clock.utcnow()
        scheduler.start(paused=True)
        if leased:
            spawn(lease.run(), "scheduler-lease")
        else:
            await lead()

    async def on_shutdown() -> None:
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)  # nothing of ours outlives the shutdown
        if scheduler.running:
            scheduler.shutdown(wait=False)
        if leased:
            with contextlib.suppress(Exception):  # it runs out by itself anyway
                await lease.release()

    dispatcher.startup.register(on_startup)
    dispatcher.shutdown.register(on_shutdown)
    return scheduler
