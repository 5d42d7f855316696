"""Each run of a job is claimed before it starts and recorded when it ends: no run lost, none doubled.

A claim is a `JobRun` row inserted in its own transaction; the unique key (job_id, covers) makes
the second of two processes fail to insert, so it does nothing. The job's own work and the "ok"
are committed together, so a crash mid-run leaves a "running" claim that is taken over once stale,
and a failed run may be tried again; a run recorded as done never repeats.

Catch-up: when the bot starts, every occurrence it missed while down is run if it still makes
sense then (each job says until when: today's 16:00 reminder until the marks deadline, say).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from apscheduler.triggers.base import BaseTrigger
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings, school_clock
from models import JobRun
from services.school_clock import SchoolClock

log = logging.getLogger(__name__)

RUNNING, OK, SKIPPED, FAILED = "running", "ok", "skipped", "failed"
# A claim still "running" after this long belongs to a process that died: it may be taken over.
STALE_AFTER = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Claim:
    run_id: int
    job_id: str
    covers: str


async def is_done(session_maker: async_sessionmaker[AsyncSession], job_id: str, covers: str) -> bool:
    """Recorded as done (or as nothing to do); a failed or unfinished run is not."""
    async with session_maker() as session:
        return (
            await session.scalar(
                select(JobRun.id).where(
                    JobRun.job_id == job_id, JobRun.covers == covers, JobRun.outcome.in_((OK, SKIPPED))
                )
            )
            is not None
        )


async def run_counts(session: AsyncSession) -> dict[tuple[str, str], int]:
    """(job, outcome) → how many runs the database records, every process's: for /metrics."""
    rows = await session.execute(
        select(JobRun.job_id, JobRun.outcome, func.count()).group_by(JobRun.job_id, JobRun.outcome)
    )
    return {(job, outcome): count for job, outcome, count in rows}


async def claim_run(
    session_maker: async_sessionmaker[AsyncSession], job_id: str, covers: str, now: dt.datetime
) -> Claim | None:
    """The run of `job_id` for `covers`, if nobody has it yet (or its earlier try failed or died)."""
    async with session_maker() as session:
        exists = await session.scalar(select(JobRun.id).where(JobRun.job_id == job_id, JobRun.covers == covers))
        if exists is None:
            run = JobRun(job_id=job_id, covers=covers, ran_at=now, outcome=RUNNING)
            session.add(run)
            try:
                await session.commit()
                return Claim(run.id, job_id, covers)
            except IntegrityError:  # another process inserted it between our look and our insert
                await session.rollback()
    async with session_maker() as session:
        # Atomic take-over: only one process can turn a failed or stale claim into its own.
        result = await session.execute(
            update(JobRun)
            .where(
                JobRun.job_id == job_id,
                JobRun.covers == covers,
                or_(JobRun.outcome == FAILED, and_(JobRun.outcome == RUNNING, JobRun.ran_at < now - STALE_AFTER)),
            )
            .values(outcome=RUNNING, ran_at=now)
        )
        await session.commit()
        if result.rowcount != 1:
            return None
        run_id = await session.scalar(select(JobRun.id).where(JobRun.job_id == job_id, JobRun.covers == covers))
        return Claim(run_id, job_id, covers)


async def finish_run(session: AsyncSession, claim: Claim, outcome: str, details: dict[str, Any] | None = None) -> None:
    """Record the outcome in the job's own session: the work and the "done" commit together."""
    await session.execute(update(JobRun).where(JobRun.id == claim.run_id).values(outcome=outcome, details=details))


async def fail_run(session_maker: async_sessionmaker[AsyncSession], claim: Claim, error: BaseException) -> None:
    async with session_maker() as session:
        await session.execute(
            update(JobRun)
            .where(JobRun.id == claim.run_id)
            .values(outcome=FAILED, details={"error": type(error).__name__})
        )
        await session.commit()


Work = Callable[[AsyncSession], Awaitable[tuple[str, dict[str, Any] | None]]]


async def run_once(
    session_maker: async_sessionmaker[AsyncSession], job_id: str, covers: str, now: dt.datetime, work: Work
) -> str | None:
    """Claim, do the work in one transaction with the outcome, and commit; None if someone else has it."""
    claim = await claim_run(session_maker, job_id, covers, now)
    if claim is None:
        log.info("job %s for %s: already done or in progress", job_id, covers)
        return None
    try:
        async with session_maker() as session:
            outcome, details = await work(session)
            await finish_run(session, claim, outcome, details)
            await session.commit()
    except Exception as error:
        log.exception("job %s for %s failed", job_id, covers)
        await fail_run(session_maker, claim, error)
        raise
    log.info("job %s for %s: %s", job_id, covers, outcome)
    return outcome


# --- catch-up ------------------------------------------------------------------------------------


class JobFunction(Protocol):
    def __call__(
        self,
        settings: Settings,
        session_maker: async_sessionmaker[AsyncSession],
        *,
        now: dt.datetime | None = None,
        scheduled: dt.datetime | None = None,
        clock: SchoolClock | None = None,
    ) -> Awaitable[Any]: ...


@dataclass(frozen=True)
class JobSpec:
    """A scheduled job: its fixed id, when it fires, what one run covers, and until when it is worth running late."""

    job_id: str
    function: JobFunction
    trigger: Callable[[Settings], BaseTrigger]
    covers: Callable[[dt.datetime], str]
    useful_until: Callable[[Settings, dt.datetime], dt.datetime]


def covers_date(scheduled: dt.datetime) -> str:
    """Most jobs run once a school-time-zone day."""
    return scheduled.date().isoformat()


def missed_fire_times(spec: JobSpec, settings: Settings, now: dt.datetime, lookback: dt.timedelta) -> list[dt.datetime]:
    """The job's fire times in (now − lookback, now] that are still worth running at `now`."""
    trigger = spec.trigger(settings)
    moment = now - lookback
    fired: list[dt.datetime] = []
    previous = None
    while True:
        fire = trigger.get_next_fire_time(previous, moment)
        if fire is None or fire > now:
            break
        if now <= spec.useful_until(settings, fire):
            fired.append(fire)
        previous, moment = fire, fire + dt.timedelta(seconds=1)
    return fired


CATCH_UP_LOOKBACK = dt.timedelta(days=8)


async def catch_up(
    specs: list[JobSpec],
    settings: Settings,
    session_maker: async_sessionmaker[AsyncSession],
    now: dt.datetime | None = None,
    clock: SchoolClock | None = None,
) -> list[tuple[str, str]]:
    """Run, oldest first, each occurrence missed while the bot was down that still makes sense now
    (`now`, by default the clock's: the one handed in, else the settings').

    Returns the (job id, covers) pairs it ran. Safe to call from two processes at once.
    """
    clock = clock or school_clock(settings)
    now = clock.local(now) if now is not None else clock.now()
    due = sorted(
        ((fire, spec) for spec in specs for fire in missed_fire_times(spec, settings, now, CATCH_UP_LOOKBACK)),
        key=lambda item: item[0],
    )
    ran: list[tuple[str, str]] = []
    for fire, spec in due:
        covers = spec.covers(fire)
        if await is_done(session_maker, spec.job_id, covers):
            continue
        try:
            outcome = await spec.function(settings, session_maker, now=now, scheduled=fire, clock=clock)
        except Exception:  # logged and recorded as failed by run_once; go on with the others
            continue
        if outcome is not None:
            ran.append((spec.job_id, covers))
    return ran
