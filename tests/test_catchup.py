"""No run lost, none doubled: the bot down over a job's time, started late, started twice."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select, update

from models import JobRun
from models.db import create_engine, create_session_maker
from scheduler import jobs, runs
from scheduler.runs import catch_up, claim_run
from scheduler.setup import job_specs
from tests.conftest import make_settings
from tests.test_scheduler import MSK, T1, THURSDAY, at, bind_staff, outbox, thursday_journal


@pytest.fixture
def settings(database_url, tmp_path):
    return make_settings(database_url, backup_dir=tmp_path / "backups")


async def recorded(session_maker, job_id: str) -> list[tuple[str, str]]:
    async with session_maker() as session:
        return [
            (r.covers, r.outcome)
            for r in await session.scalars(select(JobRun).where(JobRun.job_id == job_id).order_by(JobRun.id))
        ]


async def test_down_over_16_00_and_back_at_16_40_the_reminder_goes_once(school, settings, session_maker) -> None:
    await thursday_journal(session_maker)
    accounts = await bind_staff(session_maker, ("t1", T1))

    ran = await catch_up(job_specs(), settings, session_maker, now=at(THURSDAY, 16, 40))

    assert (jobs.TEACHER_REMINDER, "2026-11-26") in ran
    reminders = await outbox(session_maker, "reminder")
    assert [r.account_id for r in reminders] == [accounts["t1"]]
    assert await recorded(session_maker, jobs.TEACHER_REMINDER) == [("2026-11-26", "ok")]
    # The scheduler's own 16:00 run arriving late (or a second catch-up) changes nothing.
    assert (
        await jobs.teacher_reminder(settings, session_maker, now=at(THURSDAY, 16, 41), scheduled=at(THURSDAY, 16))
        is None
    )
    assert await catch_up(job_specs(), settings, session_maker, now=at(THURSDAY, 16, 45)) == []
    assert len(await outbox(session_maker, "reminder")) == 1


async def test_back_only_at_23_00_the_reminder_is_not_sent(school, settings, session_maker) -> None:
    await thursday_journal(session_maker)
    await bind_staff(session_maker, ("t1", T1))

    ran = await catch_up(job_specs(), settings, session_maker, now=at(THURSDAY, 23))

    assert await outbox(session_maker, "reminder") == []
    assert await recorded(session_maker, jobs.TEACHER_REMINDER) == []
    # What is still worth doing at 23:00 is done: today's deadline is recorded, tonight's copy waits for 02:00.
    assert (jobs.MARKS_DEADLINE, "2026-11-26") in ran
    assert (jobs.TEACHER_REMINDER, "2026-11-26") not in ran


async def test_started_twice_the_reminder_goes_once(school, settings, database_url, session_maker) -> None:
    """Two processes by mistake: two engines, catching up at the same moment."""
    await thursday_journal(session_maker)
    await bind_staff(session_maker, ("t1", T1))
    other_engine = create_engine(database_url)
    try:
        other = create_session_maker(other_engine)
        results = await asyncio.gather(
            catch_up(job_specs(), settings, session_maker, now=at(THURSDAY, 16, 40)),
            catch_up(job_specs(), settings, other, now=at(THURSDAY, 16, 40)),
        )
    finally:
        await other_engine.dispose()

    assert sum((jobs.TEACHER_REMINDER, "2026-11-26") in ran for ran in results) == 1
    assert len(await outbox(session_maker, "reminder")) == 1
    assert await recorded(session_maker, jobs.TEACHER_REMINDER) == [("2026-11-26", "ok")]


async def test_a_claim_is_taken_once_even_when_raced(settings, session_maker, database_url) -> None:
    engines = [create_engine(database_url) for _ in range(3)]
    try:
        claims = await asyncio.gather(
            *(claim_run(create_session_maker(engine), "some_job", "2026-11-26", at(THURSDAY, 16)) for engine in engines)
        )
    finally:
        for engine in engines:
            await engine.dispose()
    assert sum(claim is not None for claim in claims) == 1


async def test_a_failed_run_is_tried_again_and_a_dead_one_taken_over(
    school, settings, session_maker, monkeypatch
) -> None:
    await thursday_journal(session_maker)
    await bind_staff(session_maker, ("t1", T1))

    async def broken(session, day):
        raise RuntimeError("database went away")

    monkeypatch.setattr(jobs, "missing_by_teacher", broken)
    with pytest.raises(RuntimeError):
        await jobs.teacher_reminder(settings, session_maker, now=at(THURSDAY, 16))
    assert await recorded(session_maker, jobs.TEACHER_REMINDER) == [("2026-11-26", "failed")]
    assert await outbox(session_maker) == []  # the failed run left nothing half-done

    monkeypatch.undo()
    await catch_up(job_specs(), settings, session_maker, now=at(THURSDAY, 16, 30))
    assert await recorded(session_maker, jobs.TEACHER_REMINDER) == [("2026-11-26", "ok")]
    assert len(await outbox(session_maker, "reminder")) == 1

    # A process that died mid-run leaves "running": taken over only once it is stale.
    claim = await claim_run(session_maker, jobs.MARKS_DEADLINE, "2026-11-26", at(THURSDAY, 17))
    assert claim is not None
    assert await jobs.marks_deadline(settings, session_maker, now=at(THURSDAY, 17, 5)) is None
    async with session_maker() as session:
        await session.execute(
            update(JobRun)
            .where(JobRun.id == claim.run_id)
            .values(ran_at=at(THURSDAY, 17) - runs.STALE_AFTER - dt.timedelta(minutes=1))
        )
        await session.commit()
    assert await jobs.marks_deadline(settings, session_maker, now=at(THURSDAY, 17, 5)) == "ok"


async def test_catch_up_runs_missed_days_oldest_first_within_each_jobs_window(school, settings, session_maker) -> None:
    """Down from Wednesday 16:30 to Thursday 07:00: Wednesday's deadline is still recorded (its window
    is a day), Monday's weekly check and risk heads-up too (three days), Wednesday's 15:00 report is not;
    tonight's copy is made."""
    await bind_staff(session_maker, ("t1", T1))
    async with session_maker() as session:
        session.add(
            JobRun(job_id=jobs.TEACHER_REMINDER, covers="2026-11-25", ran_at=at(THURSDAY, 16) - dt.timedelta(days=1))
        )
        await session.commit()

    ran = await catch_up(job_specs(), settings, session_maker, now=dt.datetime(2026, 11, 26, 7, 0, tzinfo=MSK))

    assert ran == [
        (jobs.MISSING_DATA, "2026-11-23"),
        (jobs.RISK_HEADS_UP, "2026-11-23"),
        (jobs.MARKS_DEADLINE, "2026-11-25"),
        (jobs.BACKUP, "2026-11-26"),
    ]
    assert await outbox(session_maker, "reminder") == []
