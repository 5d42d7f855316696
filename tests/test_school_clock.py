"""One school clock: the handlers, the jobs and the console read "now" from the clock they are handed,
so a clock stopped at a fixed moment is all a test (or the console) needs — no time travel."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.chat_client import ChatClient
from bot.config import school_clock
from bot.factory import create_bot, create_dispatcher
from bot.offline_session import OfflineSession
from models import JobRun
from scheduler import jobs
from services.school_clock import SchoolClock
from tests.conftest import SCHOOL_TODAY, make_settings
from tests.people import signed_in

MSK = ZoneInfo("Europe/Moscow")
YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")


def test_the_clock_tells_the_schools_day_not_the_servers() -> None:
    late_evening_utc = dt.datetime(2026, 11, 25, 20, 30, tzinfo=dt.timezone.utc)  # 01:30 on the 26th there
    clock = SchoolClock(YEKATERINBURG).stopped_at(late_evening_utc)

    assert clock.today() == dt.date(2026, 11, 26)
    assert clock.now() == late_evening_utc and clock.now().tzinfo == YEKATERINBURG
    assert clock.utcnow().tzinfo == dt.timezone.utc
    assert clock.local(late_evening_utc).hour == 1


def test_the_clock_is_built_from_the_settings() -> None:
    settings = make_settings(
        "sqlite+aiosqlite://", school_timezone="Asia/Yekaterinburg", edit_grace_minutes=15, absence_grace_seconds=90
    )
    clock = school_clock(settings)

    assert (clock.timezone, clock.edit_grace, clock.absence_grace) == (
        YEKATERINBURG,
        dt.timedelta(minutes=15),
        dt.timedelta(seconds=90),
    )
    entry = clock.stopped_at(dt.datetime(2026, 11, 26, 7, 0, tzinfo=dt.timezone.utc)).entry()
    assert (entry.today, entry.grace, entry.absence_grace) == (
        dt.date(2026, 11, 26),
        dt.timedelta(minutes=15),
        dt.timedelta(seconds=90),
    )
    assert entry.lesson_start(entry.today, dt.time(8, 30)) == dt.datetime(2026, 11, 26, 8, 30, tzinfo=YEKATERINBURG)


async def test_a_dispatcher_on_a_stopped_clock_answers_for_that_day(settings, session_maker, school) -> None:
    thursday = dt.datetime.combine(SCHOOL_TODAY, dt.time(10, 0), MSK)
    stopped = school_clock(settings).stopped_at(thursday)
    offline = OfflineSession()
    dispatcher = create_dispatcher(settings, session_maker, stopped)
    harness = ChatClient(create_bot(settings, session=offline), dispatcher)
    teacher = await signed_in(harness, session_maker, "t1", 1001)

    [day] = await teacher.sends("/today")

    assert day.startswith("<b>Уроки, чт, 26 ноября</b>")
    [recorded] = await teacher.sends("/mark 5А матем 1:5")  # today's lesson, though the real today is another
    assert recorded.startswith("5А, Математика, 26.11, урок 1")


async def test_a_job_on_a_stopped_clock_runs_for_the_clocks_day(settings, session_maker, school) -> None:
    thursday_evening = dt.datetime.combine(SCHOOL_TODAY, dt.time(17, 0), MSK)

    outcome = await jobs.marks_deadline(settings, session_maker, clock=SchoolClock(MSK).stopped_at(thursday_evening))

    assert outcome == "ok"
    async with session_maker() as session:
        run = await session.scalar(select(JobRun).where(JobRun.job_id == jobs.MARKS_DEADLINE))
    assert run.covers == SCHOOL_TODAY.isoformat()
