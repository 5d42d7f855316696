"""Two bot processes in webhook mode on one PostgreSQL and one Redis, as on two hosts behind a proxy.

Both start at once; one (A) takes the scheduler's lease and sets the webhook, once. The fake Bot API
posts each update to one process or the other, as a load balancer would. A teacher opens a lesson
through A and types its line through B (the open lesson lives in Redis), the marks are stored, and the
parents get each notice once. A is killed mid-way: B sends what was left and takes the scheduler over
within a minute; every job run was computed by one process.

Runs when PostgreSQL (TEST_DATABASE_URL) and Redis (TEST_REDIS_URL, default 127.0.0.1:6379) are
reachable, as under .ci/run; skipped with the reason elsewhere.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import re
import signal
import socket
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select, update

from bot.config import Settings
from models import Account, JobRun, Mark, Student
from models.db import create_engine, create_session_maker
from scheduler.runs import RUNNING
from services.demo_school import demo_school_sheets
from services.school_import import write_workbook
from tests.conftest import POSTGRES_SKIP_REASON, REDIS_SKIP_REASON, postgres_url, redis_url, reset_postgres
from tests.fake_bot_api import FakeBotApi
from tests.program import program_args, program_env, run_program_async

SECRET = "several-Processes_1"
HOOK_PATH = "/telegram/hook"
TEACHER, PARENT_OF_S3, PARENT_OF_S7 = 777_001, 777_103, 777_108
START_TIMEOUT = 60  # a process's start-up on a busy machine
ANSWER_TIMEOUT = 30
TAKE_OVER_WITHIN = 60  # the promise; the lease is 3 s here
TOOK_OVER = "this process runs the scheduler now"  # scheduler.lease's log line
JOB_LINE = re.compile(r"job (\S+) for (\S+): (ok|skipped|already done or in progress)$", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def last_weekday(timezone: dt.tzinfo) -> dt.date:
    """Today in the school, or the Friday before a weekend: the demo school teaches maths in 5А every weekday."""
    day = dt.datetime.now(timezone).date()
    while day.weekday() > 4:
        day -= dt.timedelta(days=1)
    return day


@dataclass
class BotProcess:
    name: str
    base: str
    process: asyncio.subprocess.Process
    log: Path

    @property
    def hook(self) -> str:
        return self.base + HOOK_PATH

    async def health(self) -> dict | None:
        try:
            async with aiohttp.ClientSession() as session, session.get(self.base + "/healthz") as response:
                return await response.json()
        except aiohttp.ClientError:
            return None

    async def until_healthy(self, timeout: float = START_TIMEOUT) -> dict:
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            assert self.process.returncode is None, self.log.read_text()
            report = await self.health()
            if report is not None and report["ok"]:
                return report
            await asyncio.sleep(0.3)
        raise AssertionError(f"{self.name} not healthy within {timeout}s:\n{self.log.read_text()}")

    async def until_leader(self, timeout: float) -> float:
        """Seconds until its /healthz says it runs the scheduler."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        while loop.time() - started < timeout:
            report = await self.health()
            if report is not None and report["scheduler"] == "leader":
                return loop.time() - started
            await asyncio.sleep(0.3)
        raise AssertionError(f"{self.name} did not take the scheduler within {timeout}s:\n{self.log.read_text()}")


@asynccontextmanager
async def bot_process(name: str, env: dict[str, str], folder: Path) -> AsyncIterator[BotProcess]:
    """`python -m bot` in webhook mode; stopped with SIGTERM at the end (it must exit cleanly), unless killed."""
    port = free_port()
    log_path = folder / f"{name}.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            *program_args(),
            cwd=folder,
            env={**env, "WEBHOOK_LISTEN": f"127.0.0.1:{port}"},
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
        running = BotProcess(name, f"http://127.0.0.1:{port}", process, log_path)
        try:
            yield running
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(process.wait(), 20)
                except TimeoutError:
                    process.kill()
                    await process.wait()
                    pytest.fail(f"{name} did not stop within 20s of SIGTERM:\n{log_path.read_text()}")
                assert process.returncode == 0, log_path.read_text()


@pytest.fixture
async def shared_services() -> tuple[str, str]:
    database, redis = postgres_url(), redis_url()
    if database is None:
        pytest.skip(POSTGRES_SKIP_REASON)
    if redis is None:
        pytest.skip(REDIS_SKIP_REASON)
    engine = create_engine(database)
    try:
        await reset_postgres(engine)
    finally:
        await engine.dispose()
    return database, redis


async def invitation_code(role: str, person: str, env: dict[str, str], folder: Path) -> str:
    invited = await run_program_async("invite", role, person, "--json", cwd=folder, env=env)
    assert invited.returncode == 0, invited.stderr
    return json.loads(invited.stdout)["code"]


async def sign_in(telegram: FakeBotApi, process: BotProcess, user: int, code: str) -> None:
    assert await telegram.post_text(process.hook, user, f"/start {code}") == 200
    await telegram.wait_for_message(user, timeout=ANSWER_TIMEOUT)


async def test_two_processes_share_the_work_and_survive_one_dying(
    shared_services: tuple[str, str], tmp_path: Path
) -> None:
    database, redis = shared_services
    # A bot id of this test's own: the conversation keys in Redis are the bot's (journal:<bot id>:…).
    telegram = await FakeBotApi(token=f"{random.randint(10**8, 10**9)}:TEST").start()
    env = program_env(
        BOT_TOKEN=telegram.token,
        TELEGRAM_API_URL=telegram.url,
        DATABASE_URL=database,
        REDIS_URL=redis,
        WEBHOOK_URL=f"https://journal.school.example{HOOK_PATH}",
        WEBHOOK_SECRET=SECRET,
        SCHEDULER_LEASE_SECONDS="3",
        NOTIFY_GRACE_SECONDS="5",
    )
    timezone = Settings(_env_file=None).timezone
    day = last_weekday(timezone)
    sheets = demo_school_sheets(day)
    # One term around the day and no holidays: the test runs on any date of the year.
    sheets["periods"] = [
        {
            "name": "2 четверть",
            "start": (day - dt.timedelta(days=10)).isoformat(),
            "end": (day + dt.timedelta(days=10)).isoformat(),
        }
    ]
    sheets["holidays"] = []
    workbook = tmp_path / "school.xlsx"
    write_workbook(workbook, sheets)
    imported = await run_program_async("import", str(workbook), cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stdout + imported.stderr

    engine = create_engine(database)
    session_maker = create_session_maker(engine)
    try:
        # Both start at once, as after a deploy: one takes the scheduler's lease and sets the webhook.
        async with bot_process("1", env, tmp_path) as first, bot_process("2", env, tmp_path) as second:
            # Invited while they start up: they only meet in the database.
            teacher_code, p3_code, p8_code = await asyncio.gather(
                invitation_code("teacher", "t1", env, tmp_path),
                invitation_code("parent", "p3", env, tmp_path),
                invitation_code("parent", "p8", env, tmp_path),
            )
            await asyncio.gather(first.until_healthy(), second.until_healthy())
            a = await the_leader(first, second)  # A: the one that runs the scheduler, to be killed
            b = second if a is first else first
            assert (await b.health())["scheduler"] == "standby"
            await until(lambda: telegram.webhook is not None, "the webhook set")
            assert telegram.webhook["url"] == f"https://journal.school.example{HOOK_PATH}"
            assert telegram.webhook["secret_token"] == SECRET
            assert len(telegram.calls_to("setWebhook")) == 1  # not both in a race

            await sign_in(telegram, a, TEACHER, teacher_code)
            await sign_in(telegram, b, PARENT_OF_S3, p3_code)
            await sign_in(telegram, a, PARENT_OF_S7, p8_code)
            async with session_maker() as session:  # the notices must not wait for the morning
                await session.execute(update(Account).values(quiet_start=None, quiet_end=None))
                await session.commit()

            # The lesson is opened through A …
            assert await telegram.post_text(a.hook, TEACHER, f"/today {day:%d.%m.%Y}") == 200
            lessons = await telegram.wait_for_message(TEACHER, lambda m: "5А" in m.text, timeout=ANSWER_TIMEOUT)
            assert await telegram.post_button_press(a.hook, TEACHER, lessons, "5А") == 200
            await telegram.wait_for_message(TEACHER, lambda m: "Васильев" in m.text, timeout=ANSWER_TIMEOUT)
            # … and its line typed through B, which finds it open (Redis).
            assert await telegram.post_text(b.hook, TEACHER, "3 5, 7 4") == 200
            await telegram.wait_for_message(TEACHER, lambda m: "3 Васильев Кирилл  5" in m.text, timeout=ANSWER_TIMEOUT)
            async with session_maker() as session:
                marks = dict((await session.execute(select(Student.external_id, Mark.value).join(Mark.student))).all())
            assert marks == {"s3": 5, "s7": 4}

            # A dies before the notices are due (NOTIFY_GRACE_SECONDS): B sends them, each once.
            await until_no_job_running(session_maker)
            a.process.send_signal(signal.SIGKILL)
            await a.process.wait()
            for parent in (PARENT_OF_S3, PARENT_OF_S7):
                await telegram.wait_for_message(parent, lambda m: "Математика" in m.text, timeout=ANSWER_TIMEOUT)
            assert await b.until_leader(TAKE_OVER_WITHIN) < TAKE_OVER_WITHIN
            await asyncio.sleep(2)  # room for a double, were there one
            for parent in (PARENT_OF_S3, PARENT_OF_S7):
                notices = [text for text in telegram.delivered[parent] if "Математика" in text]
                assert len(notices) == 1, telegram.delivered[parent]
            await until_no_job_running(session_maker)
        a_log, b_log = a.log.read_text(encoding="utf-8"), b.log.read_text(encoding="utf-8")
    finally:
        await engine.dispose()
        await telegram.stop()

    # Each run of a job was computed by one process: nobody found another's run under way or done,
    # and B ran no job before it took the lease.
    logs = a_log + b_log
    runs = Counter((job, covers) for job, covers, _ in JOB_LINE.findall(logs))
    assert runs, logs
    assert all(count == 1 for count in runs.values()), runs
    assert "already done or in progress" not in logs
    standby, took_over, _ = b_log.partition(TOOK_OVER)
    assert took_over and not JOB_LINE.search(standby), b_log


async def until(condition, what: str, timeout: float = ANSWER_TIMEOUT) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, f"not {what} within {timeout}s"
        await asyncio.sleep(0.1)


async def the_leader(*processes: BotProcess, timeout: float = START_TIMEOUT) -> BotProcess:
    """The one process whose /healthz says it runs the scheduler (never two)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        reports = [await process.health() for process in processes]
        leaders = [process for process, report in zip(processes, reports) if report and report["scheduler"] == "leader"]
        assert len(leaders) <= 1, reports
        if leaders:
            return leaders[0]
        await asyncio.sleep(0.3)
    raise AssertionError(f"no process took the scheduler within {timeout}s")


async def until_no_job_running(session_maker, timeout: float = 60) -> None:
    """The leader's catch-up has finished what it started (a killed run would hold its claim 30 min)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        async with session_maker() as session:
            if await session.scalar(select(JobRun.id).where(JobRun.outcome == RUNNING).limit(1)) is None:
                return
        await asyncio.sleep(0.3)
    raise AssertionError("a scheduled job is still running")
