"""Times /control and the scheduled report jobs in schools of 200, 1,000 and 3,000 students.

    python bench/bench_reports.py [--students 200,1000,3000] [--repeat 3] [--postgres URL]

Each school (bench.school_generator) is imported into an empty database, everybody signs in, and the
second четверть is kept up to Thursday 24.12.2026: lessons, marks, absences, overdue entries. Then, on
that day's clock, it runs /control (the director, through the real dispatcher), the weekly
missing-data job, the class teachers' 15:00 job, the teachers' 16:00 reminder, the 17:00 deadline and
the deputy's 08:00 job of the next morning. For each, after a warm-up run, it prints the wall time
(median of --repeat runs), the SQL statements of one run, the longest stall of the event loop while it ran (a ticker
task that should wake every 5 ms notes how late it wakes) and the CPU time of the loop's own thread
(what no other user could have had meanwhile, whatever else the machine runs); the stall of the idle
loop shows what a busy machine adds by itself. Goals at 3,000 students: /control under
300 ms, the missing-data job under 1 s; every stall under 100 ms.

SQLite (a temporary file) always; PostgreSQL as well when --postgres or TEST_DATABASE_URL names a
database, which is emptied first.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import time_machine  # noqa: E402
from aiogram.methods import SendMessage  # noqa: E402
from aiogram.types import Chat, Message, Update, User  # noqa: E402
from sqlalchemy import delete, event, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from bench.school_generator import fill_term, make_school_sheets, sign_everyone_in  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.factory import create_bot, create_dispatcher, freeze_startup_heap  # noqa: E402
from bot.offline_session import OfflineSession  # noqa: E402
from models import JobRun, OutboxMessage, OverdueEntry  # noqa: E402
from models.db import create_engine, create_session_maker, upgrade_database  # noqa: E402
from scheduler import jobs  # noqa: E402
from services.school_import import import_rows  # noqa: E402
from tests.conftest import reset_postgres  # noqa: E402

TODAY = dt.date(2026, 12, 24)  # a Thursday, the last week of the second четверть (05.11–28.12)
MOSCOW = ZoneInfo("Europe/Moscow")
GOALS_MS = {"/control": 300.0, "missing data": 1000.0}
STALL_GOAL_MS = 100.0
TICK = 0.005


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=MOSCOW)


# --- what is measured ------------------------------------------------------------------------------


class Statements:
    """Every SQL statement any engine of this process sends (a report may open its own)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        event.listen(Engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        with self._lock:
            self.count += 1


class Ticker:
    """A task that asks to wake every TICK seconds; how late it wakes is how long others held the loop."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(TICK)
            self.worst = max(self.worst, loop.time() - started - TICK)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        assert self._task is not None
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass


@dataclass(frozen=True)
class Run:
    wall_ms: float
    statements: int
    stall_ms: float  # the longest the ticker waited beyond its 5 ms
    loop_cpu_ms: float  # CPU time of the event loop's own thread (other threads' work excluded)


async def measured(run: Callable[[], Awaitable[None]], statements: Statements) -> Run:
    ticker = Ticker()
    ticker.start()
    await asyncio.sleep(2 * TICK)
    ticker.worst = 0.0
    before = statements.count
    started, started_cpu = time.perf_counter(), time.thread_time()
    await run()
    elapsed, cpu = time.perf_counter() - started, time.thread_time() - started_cpu
    count = statements.count - before
    await asyncio.sleep(2 * TICK)  # a stall at the very end is seen too
    await ticker.stop()
    return Run(elapsed * 1000, count, ticker.worst * 1000, cpu * 1000)


async def idle_stall() -> float:
    """The longest stall the ticker sees in half a second of doing nothing: what the machine itself adds."""
    ticker = Ticker()
    ticker.start()
    await asyncio.sleep(0.5)
    await ticker.stop()
    return ticker.worst * 1000


# --- the school ------------------------------------------------------------------------------------


async def build(engine, students: int) -> tuple[dict[str, int], str]:
    rng = random.Random(students)
    session_maker = create_session_maker(engine)
    async with session_maker() as session:
        report = await import_rows(session, make_school_sheets(students, today=TODAY), today=TODAY)
        assert report.ok, report.problems
        await session.commit()
    telegram = await sign_everyone_in(engine, rng)
    term = await fill_term(engine, TODAY, rng)
    if engine.dialect.name == "postgresql":  # the statistics autovacuum gathers after a term of inserts
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
    classes = -(-students // 25)
    return telegram, (
        f"{students} students, {classes} classes; {term.lessons:,} lessons, {term.marks:,} marks, "
        f"{term.absences:,} absences, {term.overdue:,} overdue entries"
    )


# --- the operations ----------------------------------------------------------------------------------

_ids = itertools.count(1)


def control(settings: Settings, session_maker, director_telegram_id: int) -> Callable[[], Awaitable[None]]:
    """The director sends /control at 10:00 through the real dispatcher; the answer must be the report."""
    offline = OfflineSession()
    bot, dispatcher = create_bot(settings, session=offline), create_dispatcher(settings, session_maker)
    user = User(id=director_telegram_id, is_bot=False, first_name="Директор")

    async def run() -> None:
        message = Message(
            message_id=next(_ids),
            date=dt.datetime.now(dt.timezone.utc),
            chat=Chat(id=user.id, type="private"),
            from_user=user,
            text="/control",
        )
        start = len(offline.requests)
        with time_machine.travel(at(TODAY, 10), tick=True):
            await dispatcher.feed_update(bot, Update(update_id=next(_ids), message=message))
        answers = [r.text or "" for r in offline.requests[start:] if isinstance(r.method, SendMessage)]
        assert answers and answers[0].startswith("<b>Контроль ведения журнала"), answers

    return run


def job(function, settings: Settings, session_maker, when: dt.datetime) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        outcome = await function(settings, session_maker, now=when)
        assert outcome == "ok", outcome

    return run


async def forget_runs(session_maker) -> None:
    """Between repeats: the job runs, their messages and today's deadline entries go, so the next run works."""
    async with session_maker() as session:
        await session.execute(delete(JobRun))
        await session.execute(delete(OutboxMessage))
        await session.execute(delete(OverdueEntry).where(OverdueEntry.date == TODAY))
        await session.commit()


Figures = tuple[str, float, int, float]  # operation, wall ms, statements, longest stall ms


async def bench_one(url: str, students: int, repeat: int, statements: Statements) -> list[Figures]:
    engine = create_engine(url)
    try:
        await upgrade_database(engine)
        if engine.dialect.name == "postgresql":
            await reset_postgres(engine)
        started = time.perf_counter()
        telegram, described = await build(engine, students)
        print(f"{engine.dialect.name} · {described} (built in {time.perf_counter() - started:.0f} s)", flush=True)
        settings = Settings(database_url=url, bot_token=None, default_language="ru", _env_file=None)
        session_maker = create_session_maker(engine)
        freeze_startup_heap()  # as the bot does before it starts polling
        operations = [
            ("/control", control(settings, session_maker, telegram["dir1"])),
            ("missing data", job(jobs.missing_data, settings, session_maker, at(TODAY, 9))),
            ("class teachers 15:00", job(jobs.homeroom_daily, settings, session_maker, at(TODAY, 15))),
            ("reminder 16:00", job(jobs.teacher_reminder, settings, session_maker, at(TODAY, 16))),
            ("deadline 17:00", job(jobs.marks_deadline, settings, session_maker, at(TODAY, 17))),
            ("deputy 08:00", job(jobs.deputy_daily, settings, session_maker, at(TODAY + dt.timedelta(days=1), 8))),
        ]
        results = []
        for label, run in operations:
            await forget_runs(session_maker)
            await run()  # warm-up: imports, caches, prepared statements
            runs = []
            for _ in range(repeat):
                await forget_runs(session_maker)
                runs.append(await measured(run, statements))
            wall = statistics.median(r.wall_ms for r in runs)
            count, stall = runs[-1].statements, max(r.stall_ms for r in runs)
            cpu = statistics.median(r.loop_cpu_ms for r in runs)
            results.append((label, wall, count, stall))
            print(
                f"  {label:<22} {wall:7.0f} ms  {count:4d} statements  longest stall {stall:5.0f} ms  "
                f"CPU on the loop {cpu:5.0f} ms",
                flush=True,
            )
        idle = await idle_stall()
        print(f"  {'(idle: nothing running)':<22} {'':>33} longest stall {idle:5.0f} ms", flush=True)
        return results
    finally:
        await engine.dispose()


def verdicts(results: dict[tuple[str, int], list[Figures]], largest: int) -> list[str]:
    misses = []
    for (database, students), rows in results.items():
        for label, wall, _, stall in rows:
            if students == largest and wall > GOALS_MS.get(label, float("inf")):
                misses.append(f"{database} {students}: {label} {wall:.0f} ms (goal {GOALS_MS[label]:.0f} ms)")
            if stall > STALL_GOAL_MS:
                misses.append(
                    f"{database} {students}: {label} stalled the loop {stall:.0f} ms (goal {STALL_GOAL_MS:.0f})"
                )
    return misses


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", default="200,1000,3000", help="comma-separated school sizes")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each operation (the median is shown)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_DATABASE_URL") or None,
        help="an PostgreSQL database to use as well (emptied); default TEST_DATABASE_URL",
    )
    options = parser.parse_args()
    sizes = [int(size) for size in options.students.split(",")]
    statements = Statements()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for students in sizes:
            url = f"sqlite+aiosqlite:///{folder}/bench-{students}.db"
            results[("sqlite", students)] = await bench_one(url, students, options.repeat, statements)
    if options.postgres:
        for students in sizes:
            results[("postgresql", students)] = await bench_one(options.postgres, students, options.repeat, statements)
    one, five, _ = os.getloadavg()
    print(f"load average {one:.1f} {five:.1f} on {os.cpu_count()} CPUs")
    misses = verdicts(results, max(sizes))
    for miss in misses:
        print(f"over the goal: {miss}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
