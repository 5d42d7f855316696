"""The reports and the scheduled jobs send as many SQL statements for a school of 6 classes as for one of 2.

A report that asks the database once per class (or per teacher, or per message) grows with the school and
stalls the bot in a big one. Each operation is counted with SQLAlchemy's `before_cursor_execute` event,
on every engine (the long reports read on an engine of their own, in a thread), in two schools with a
fortnight of journal: 2 classes, then 6.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bench.school_generator import fill_term, make_school_sheets, sign_everyone_in
from bot.chat_client import ChatClient
from bot.factory import create_bot, create_dispatcher
from bot.offline_session import OfflineSession
from models.base import Base
from models.db import create_engine, create_session_maker, upgrade_database
from scheduler import jobs
from services.school_import import import_rows

MSK = ZoneInfo("Europe/Moscow")
TODAY = dt.date(2026, 11, 19)  # a Thursday, two weeks into the second четверть
FIRST_DAY_AFTER_TERM = dt.date(2026, 11, 5)  # the director's report on the first четверть is due
SMALL, LARGE = 50, 150  # students: 2 and 6 classes of 25


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=MSK)


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, *_args) -> None:
        with self._lock:
            self.count += 1

    async def of(self, run: Callable[[], Awaitable[object]]) -> int:
        event.listen(Engine, "before_cursor_execute", self)
        try:
            self.count = 0
            await run()
            return self.count
        finally:
            event.remove(Engine, "before_cursor_execute", self)


async def school_of(engine, students: int) -> dict[str, int]:
    """An empty database filled with a school of `students` and a fortnight of its journal."""
    await upgrade_database(engine)
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(table.delete())
    async with create_session_maker(engine)() as session:
        report = await import_rows(session, make_school_sheets(students, today=TODAY), today=TODAY)
        assert report.ok, report.problems
        await session.commit()
    rng = random.Random(7)
    telegram = await sign_everyone_in(engine, rng)
    await fill_term(engine, TODAY, rng)
    return telegram


async def statements(settings, students: int) -> dict[str, int]:
    """Each school on an engine of its own, as a process of its own would have it (nothing cached)."""
    engine = create_engine(settings.database_url)
    try:
        return await statements_in(engine, settings, await school_of(engine, students))
    finally:
        await engine.dispose()


async def statements_in(engine, settings, telegram: dict[str, int]) -> dict[str, int]:
    session_maker = create_session_maker(engine)
    harness = ChatClient(create_bot(settings, session=OfflineSession()), create_dispatcher(settings, session_maker))
    director = harness.user(telegram["dir1"])
    counter = StatementCounter()

    async def control() -> None:
        with time_machine.travel(at(TODAY, 10), tick=False):
            [answer] = await director.sends("/control")
        assert answer.startswith("<b>Контроль ведения журнала: 2 четверть</b>")

    def job(function, when: dt.datetime) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            assert await function(settings, session_maker, now=when) == "ok"

        return run

    operations = {
        "/control": control,
        "missing data": job(jobs.missing_data, at(TODAY, 9)),
        "class teachers": job(jobs.homeroom_daily, at(TODAY, 15)),
        "reminder": job(jobs.teacher_reminder, at(TODAY, 16)),
        "deadline": job(jobs.marks_deadline, at(TODAY, 17)),
        "deputy": job(jobs.deputy_daily, at(TODAY + dt.timedelta(days=1), 8)),
        "director": job(jobs.director_period_report, at(FIRST_DAY_AFTER_TERM, 8)),
    }
    return {name: await counter.of(run) for name, run in operations.items()}


async def test_reports_and_jobs_do_not_ask_per_class(settings) -> None:
    small = await statements(settings, SMALL)
    large = await statements(settings, LARGE)

    assert all(count > 0 for count in small.values()), small
    assert large == small
