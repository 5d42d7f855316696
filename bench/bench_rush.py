"""The 17:00 rush: 50 people at once through the real dispatcher, with the delivery worker and a job running.

    python bench/bench_rush.py [--users 50] [--requests 20] [--think 0.5-1.5] [--students 1000] [--postgres URL]
    python bench/bench_rush.py --processes 3 --postgres URL --redis URL [--think 0] …

A school of 1,000 students in classes of 30 with a term of its journal, every family, student and
teacher signed in. Of the simulated users, 70 % are parents and students reading (/grades,
/attendance, /homework) and 30 % write 30-student `/mark` lines: teachers on their own lessons, and
the deputy head correcting the same lessons now and then (two writers of one lesson at the same
moment). All users at once (each starting within the first pause), each sending its requests one
after another and pausing `--think` seconds (at random within the range) after each answer: far
busier than any real teacher, who
types a line of 30 marks in a minute or so. `--think 0` sends without pausing: the bot saturated,
which shows the most it handles per second (latency is then only how long the queue is).
Meanwhile the delivery worker sends the families' notices (no grace window, so it really works
alongside) and the 16:00 reminder job runs.

It prints, per database: updates per second, read and write latency (p50, p95, max), errors (an
answer of «Что-то пошло не так», «перегружен», or none at all; must be 0) and the resident memory of
the process at the end. SQLite always; PostgreSQL too when TEST_DATABASE_URL or --postgres is given
(that database is emptied). Goals: 0 errors; write p95 under 1 s and read p95 under 200 ms on both;
SQLite throughput at least 0.8 of PostgreSQL's from the same run.

With `--processes N` (issue 15): the rush once in one process on PostgreSQL, then the same people
spread over N processes (each a dispatcher and a delivery worker of its own, the conversation state in
Redis, the 16:00 job in one), all starting together. Goals: at least 2× the one process's throughput,
0 errors, and 0 notices sent twice (the workers' sends counted against the outbox rows sent). With the
default pauses the people, not the bot, set the pace: `--think 0` measures what the processes handle.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import multiprocessing
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import time_machine  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from bench.school_generator import fill_term, make_school_sheets, sign_everyone_in  # noqa: E402
from bot.chat_client import ChatClient, ChatUser  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.factory import create_bot, create_dispatcher, freeze_startup_heap  # noqa: E402
from bot.offline_session import OfflineSession  # noqa: E402
from bot.outbound.delivery import delivery_worker  # noqa: E402
from models import (  # noqa: E402
    Account,
    AccountBinding,
    OutboxMessage,
    OutboxState,
    PersonKind,
    SchoolClass,
    Staff,
    Subject,
    TimetableEntry,
    utcnow,
)
from models.db import create_engine, create_session_maker, upgrade_database  # noqa: E402
from scheduler import jobs  # noqa: E402
from services.school_import import import_rows  # noqa: E402
from tests.conftest import reset_postgres  # noqa: E402

TODAY = dt.date(2026, 11, 26)  # a Thursday of the second четверть
NOW = dt.datetime(2026, 11, 26, 13, 30, tzinfo=dt.timezone.utc)  # 16:30 in Moscow
CLASS_SIZE = 30
WRITERS_SHARE = 0.3
FAILURES = ("Что-то пошло не так", "перегружен")
GOALS = {"write_p95_ms": 1000.0, "read_p95_ms": 200.0, "sqlite_share_of_postgres": 0.8, "several_gain": 2.0}


@dataclass
class Figures:
    database: str
    seconds: float = 0.0
    reads: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rss_mb: float = 0.0
    started: float = 0.0  # time.perf_counter(): the same clock in every process of the machine
    finished: float = 0.0
    sent: int = 0  # notices the delivery worker sent

    @property
    def updates_per_second(self) -> float:
        return (len(self.reads) + len(self.writes)) / self.seconds

    def line(self) -> str:
        return (
            f"{self.database:10}: {len(self.reads) + len(self.writes)} updates in {self.seconds:.1f} s = "
            f"{self.updates_per_second:.1f} updates/s; read {spread(self.reads)}; write {spread(self.writes)}; "
            f"errors {len(self.errors)}; resident memory {self.rss_mb:.0f} MB"
        )


def spread(samples: list[float]) -> str:
    if not samples:
        return "none"
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"p50 {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms, max {ordered[-1]:.0f} ms"


@dataclass(frozen=True)
class Lesson:
    class_name: str
    subject: str
    date: dt.date
    lesson_no: int


async def prepare(url: str, students: int, rng: random.Random):
    """The school, a term of its journal, everyone signed in; what each writer may write."""
    engine = create_engine(url, connections=Settings(_env_file=None).database_connections)
    await upgrade_database(engine)
    if engine.dialect.name == "postgresql":
        await reset_postgres(engine)
    session_maker = create_session_maker(engine)
    async with session_maker() as session:
        report = await import_rows(
            session, make_school_sheets(students, today=TODAY, class_size=CLASS_SIZE), today=TODAY
        )
        assert report.ok, report.problems
        await session.commit()
    await fill_term(engine, TODAY, rng)
    staff_ids = await sign_everyone_in(engine, rng)
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:  # fresh statistics, as a running server would have
            await (await connection.execution_options(isolation_level="AUTOCOMMIT")).execute(text("ANALYZE"))
    return engine, session_maker, staff_ids


async def lessons_by_teacher(session_maker) -> dict[int, list[Lesson]]:
    """Each teacher's lessons of this week up to today (grade 1 keeps no marks)."""
    week = [TODAY - dt.timedelta(days=n) for n in range(TODAY.isoweekday())]
    async with session_maker() as session:
        rows = await session.execute(
            select(
                TimetableEntry.staff_id,
                TimetableEntry.weekday,
                TimetableEntry.lesson_no,
                SchoolClass.name,
                Subject.name,
            )
            .join(SchoolClass, SchoolClass.id == TimetableEntry.class_id)
            .join(Subject, Subject.id == TimetableEntry.subject_id)
            .where(SchoolClass.grade > 1)
        )
        found: dict[int, list[Lesson]] = {}
        for staff_id, weekday, lesson_no, class_name, subject in rows:
            for day in week:
                if day.isoweekday() == weekday:
                    found.setdefault(staff_id, []).append(Lesson(class_name, subject, day, lesson_no))
    return found


async def readers(session_maker, count: int, rng: random.Random) -> list[int]:
    """Telegram ids of parents and students who signed in."""
    async with session_maker() as session:
        ids = list(
            await session.scalars(
                select(Account.telegram_id)
                .join(AccountBinding, AccountBinding.account_id == Account.id)
                .where(
                    AccountBinding.person_kind.in_([PersonKind.PARENT, PersonKind.STUDENT]), Account.active.is_(True)
                )
            )
        )
    return rng.sample(ids, count)


def mark_line(lesson: Lesson, rng: random.Random, reason: str) -> str:
    values = " ".join(f"{n}:{rng.choice(('2', '3', '4', '4', '5', '5', '5', 'н'))}" for n in range(1, CLASS_SIZE + 1))
    # After the grace window a correction needs a reason; a line always carries one, so it always writes.
    return f"/mark {lesson.class_name} {lesson.subject} {lesson.date:%d.%m}/{lesson.lesson_no} {values} // {reason}"


async def user(
    chat: ChatUser,
    commands: list[str],
    latencies: list[float],
    errors: list[str],
    think: tuple[float, float],
    rng: random.Random,
) -> None:
    await asyncio.sleep(rng.uniform(0, think[1]))  # people don't all press at the same millisecond
    for command in commands:
        started = time.perf_counter()
        answers = await chat.sends(command)
        latencies.append((time.perf_counter() - started) * 1000)
        if not answers or any(failure in answer for answer in answers for failure in FAILURES):
            errors.append(f"{command[:60]} → {answers[:1]}")
        await asyncio.sleep(rng.uniform(*think))


@dataclass(frozen=True)
class Plan:
    """One simulated person: who, what they send one after another, and whether it writes."""

    telegram_id: int
    commands: tuple[str, ...]
    writes: bool


async def make_plans(session_maker, arguments: argparse.Namespace, rng: random.Random) -> list[Plan]:
    lessons = await lessons_by_teacher(session_maker)
    async with session_maker() as session:
        deputy = await session.scalar(select(Staff.id).where(Staff.external_id == "d1"))
    writers = round(arguments.users * WRITERS_SHARE)
    teachers = rng.sample(sorted(lessons), writers - 1)
    plans: list[Plan] = []
    for teacher in teachers:
        own = rng.sample(lessons[teacher], min(arguments.requests, len(lessons[teacher])))
        plans.append(Plan(10_000 + teacher, tuple(mark_line(lesson, rng, "уточнение") for lesson in own), True))
    # The deputy corrects the lessons those teachers are writing, at the same moments.
    theirs = [lesson for teacher in teachers for lesson in lessons[teacher]]
    plans.append(
        Plan(
            10_000 + deputy,
            tuple(mark_line(rng.choice(theirs), rng, "проверка") for _ in range(arguments.requests)),
            True,
        )
    )
    views = ("/grades", "/attendance", "/homework", "/grades", "/homework week")
    for telegram_id in await readers(session_maker, arguments.users - writers, rng):
        plans.append(Plan(telegram_id, tuple(rng.choice(views) for _ in range(arguments.requests)), False))
    return plans


def rush_settings(url: str, redis: str | None = None) -> Settings:
    return Settings(
        database_url=url,
        bot_token=None,
        notify_grace_seconds=0,
        absence_grace_seconds=0,
        redis_url=redis,
        _env_file=None,
    )


async def drive(
    settings: Settings,
    session_maker,
    plans: list[Plan],
    label: str,
    think: tuple[float, float],
    seed: int,
    *,
    with_job: bool = True,
    start: Callable[[], None] | None = None,
) -> Figures:
    """The plans through one dispatcher with its delivery worker (and the 16:00 job, `with_job`);
    `start` (blocking) is waited for before the clock starts, so that several processes start together.
    Afterwards the worker goes on until no notice is due, and its count of messages sent is kept."""
    rng = random.Random(seed)
    figures = Figures(label)
    dispatcher = create_dispatcher(settings, session_maker)
    harness = ChatClient(create_bot(settings, session=OfflineSession()), dispatcher)
    chats = [(harness.user(plan.telegram_id), plan, figures.writes if plan.writes else figures.reads) for plan in plans]
    for chat, _, _ in chats:  # everyone has used the bot today: the reference data is read
        await chat.sends("/whoami")
    freeze_startup_heap()  # as the bot does before it starts polling
    try:
        async with delivery_worker(harness.bot, session_maker, settings) as worker:
            if start is not None:
                await asyncio.to_thread(start)
            figures.started = time.perf_counter()
            job = asyncio.create_task(jobs.teacher_reminder(settings, session_maker, now=NOW)) if with_job else None
            await asyncio.gather(
                *(
                    user(chat, list(plan.commands), latencies, figures.errors, think, rng)
                    for chat, plan, latencies in chats
                )
            )
            figures.finished = time.perf_counter()
            figures.seconds = figures.finished - figures.started
            if job is not None:
                await job
            await until_nothing_due(session_maker)
            figures.sent = worker.stats.sent
    finally:
        await dispatcher.storage.close()
    figures.rss_mb = resident_mb()
    return figures


async def until_nothing_due(session_maker, timeout: float = 60) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        async with session_maker() as session:
            waiting = await session.scalar(
                select(func.count(OutboxMessage.id)).where(
                    OutboxMessage.state.in_((OutboxState.PENDING, OutboxState.SENDING)),
                    OutboxMessage.not_before <= utcnow(),
                )
            )
        if not waiting:
            return
        await asyncio.sleep(0.2)


async def rush(url: str, label: str, arguments: argparse.Namespace) -> Figures:
    rng = random.Random(8)
    engine, session_maker, _ = await prepare(url, arguments.students, rng)
    try:
        plans = await make_plans(session_maker, arguments, rng)
        return await drive(rush_settings(url), session_maker, plans, label, arguments.think, seed=8)
    finally:
        await engine.dispose()


# --- several processes -------------------------------------------------------------------------------


def one_of_several(
    index: int, url: str, redis: str, plans: list[Plan], think: tuple[float, float], barrier, results
) -> None:
    """A spawned process: its share of the people through a dispatcher of its own, on the shared
    PostgreSQL and Redis, with its own delivery worker; the first also runs the 16:00 job."""

    async def main() -> Figures:
        settings = rush_settings(url, redis)
        engine = create_engine(url, connections=settings.database_connections)
        try:
            return await drive(
                settings,
                create_session_maker(engine),
                plans,
                f"process {index + 1}",
                think,
                seed=8 + index,
                with_job=index == 0,
                start=barrier.wait,
            )
        finally:
            await engine.dispose()

    with time_machine.travel(NOW, tick=True):
        results.put(asyncio.run(main()))


async def rush_in_processes(arguments: argparse.Namespace) -> tuple[Figures, int]:
    """The same rush spread over `--processes` processes; the figures together, and the notices sent
    more than once (the workers' sends beyond the outbox rows sent)."""
    rng = random.Random(8)
    engine, session_maker, _ = await prepare(arguments.postgres, arguments.students, rng)
    try:
        plans = await make_plans(session_maker, arguments, rng)
        count = arguments.processes
        context = multiprocessing.get_context("spawn")
        barrier, results = context.Barrier(count), context.Queue()
        children = [
            context.Process(
                target=one_of_several,
                args=(
                    index,
                    arguments.postgres,
                    arguments.redis,
                    plans[index::count],
                    arguments.think,
                    barrier,
                    results,
                ),
            )
            for index in range(count)
        ]
        for child in children:
            child.start()
        parts: list[Figures] = [await asyncio.to_thread(results.get) for _ in children]
        for child in children:
            await asyncio.to_thread(child.join)
        async with session_maker() as session:
            sent_rows = await session.scalar(
                select(func.count(OutboxMessage.id)).where(OutboxMessage.state == OutboxState.SENT)
            )
    finally:
        await engine.dispose()
    together = Figures(f"PostgreSQL × {count}")
    for part in parts:
        together.reads += part.reads
        together.writes += part.writes
        together.errors += part.errors
        together.rss_mb += part.rss_mb
        together.sent += part.sent
    together.seconds = max(part.finished for part in parts) - min(part.started for part in parts)
    return together, together.sent - sent_rows


def resident_mb() -> float:
    """The process's resident memory now (Linux), else its peak."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def verdict(results: list[Figures]) -> list[str]:
    problems = []
    for figures in results:
        if figures.errors:
            problems.append(f"{figures.database}: {len(figures.errors)} errors, e.g. {figures.errors[0]}")
        for kind, samples in (("write", figures.writes), ("read", figures.reads)):
            ordered = sorted(samples)
            p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
            if p95 > GOALS[f"{kind}_p95_ms"]:
                problems.append(f"{figures.database}: {kind} p95 {p95:.0f} ms over {GOALS[f'{kind}_p95_ms']:.0f} ms")
    if len(results) == 2:
        share = results[0].updates_per_second / results[1].updates_per_second
        print(f"SQLite throughput = {share:.2f} of PostgreSQL's (goal ≥ {GOALS['sqlite_share_of_postgres']})")
        if share < GOALS["sqlite_share_of_postgres"]:
            problems.append(f"SQLite throughput only {share:.2f} of PostgreSQL's")
    return problems


async def run(arguments: argparse.Namespace) -> int:
    if arguments.processes > 1:
        return await run_several(arguments)
    results = []
    with tempfile.TemporaryDirectory() as folder, time_machine.travel(NOW, tick=True):
        results.append(await rush(f"sqlite+aiosqlite:///{folder}/rush.db", "SQLite", arguments))
        if arguments.postgres:
            results.append(await rush(arguments.postgres, "PostgreSQL", arguments))
    print_conditions(arguments)
    for figures in results:
        print(figures.line())
    problems = verdict(results)
    for problem in problems:
        print("over the goal:", problem)
    return 1 if problems else 0


async def run_several(arguments: argparse.Namespace) -> int:
    """One process on PostgreSQL, then the same rush over --processes processes sharing it and Redis."""
    if not (arguments.postgres and arguments.redis):
        print("--processes needs --postgres URL and --redis URL", file=sys.stderr)
        return 2
    with time_machine.travel(NOW, tick=True):
        single = await rush(arguments.postgres, "PostgreSQL", arguments)
    several, doubled = await rush_in_processes(arguments)
    print_conditions(arguments)
    for figures in (single, several):
        print(figures.line())
    gain = several.updates_per_second / single.updates_per_second
    print(
        f"{arguments.processes} processes = {gain:.2f}× one process's throughput (goal ≥ {GOALS['several_gain']}); "
        f"notices sent {several.sent}, of them more than once {doubled}"
    )
    problems = [
        f"{figures.database}: {len(figures.errors)} errors, e.g. {figures.errors[0]}"
        for figures in (single, several)
        if figures.errors
    ]
    if gain < GOALS["several_gain"]:
        problems.append(f"{arguments.processes} processes only {gain:.2f}× one")
    if doubled:
        problems.append(f"{doubled} notices sent more than once")
    for problem in problems:
        print("over the goal:", problem)
    return 1 if problems else 0


def print_conditions(arguments: argparse.Namespace) -> None:
    print(
        f"{arguments.users} users × {arguments.requests} requests, pausing {arguments.think[0]:g}–"
        f"{arguments.think[1]:g} s after each answer; {arguments.students} students; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


def think_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="requests each user sends, one after another")
    parser.add_argument(
        "--think",
        type=think_range,
        default=(0.5, 1.5),
        help="seconds a user pauses after an answer, FROM-TO (0: no pause)",
    )
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_DATABASE_URL"),
        help="a PostgreSQL database to run on too (emptied first); default TEST_DATABASE_URL",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="spread the people over this many processes (needs --postgres, --redis)",
    )
    parser.add_argument("--redis", default=None, help="Redis for --processes, e.g. redis://127.0.0.1:6379/0")
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
