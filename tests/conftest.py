"""Shared fixtures: a migrated database on SQLite always, and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import models  # noqa: F401
from bot.chat_client import ChatClient
from bot.config import Settings
from bot.factory import REDIS_KEY_PREFIX, create_bot, create_dispatcher
from bot.offline_session import OfflineSession
from models.base import Base
from models.db import create_engine, create_session_maker, upgrade_database
from services.short_lived import ShortLived

# Files whose tests run real processes and wait on them for tens of seconds. They go first: with
# `--dist loadfile` each file runs whole on one worker, and these at the end would leave the other
# workers idle for a minute while they finish.
LONG_FILES = (
    "test_second_bot.py",
    "test_report_chat.py",
    "test_archive.py",
    "test_archive_confirmation.py",
    "test_e2e.py",
    "test_several_processes.py",
    "test_console.py",
    "test_notify_crash.py",
    "test_migrations.py",
    "test_odd_inputs.py",
    "test_delivery_claims.py",
    "test_delivery.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in LONG_FILES)  # stable: the rest keep their order


POSTGRES_SKIP_REASON = "PostgreSQL run skipped: TEST_DATABASE_URL is not set (no PostgreSQL server configured)"


def postgres_url() -> str | None:
    """TEST_DATABASE_URL, or under pytest-xdist a database of the worker's own (test → test_gw0, …)."""
    url = os.environ.get("TEST_DATABASE_URL") or None
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if url is None or not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


# Redis for the tests of several processes: TEST_REDIS_URL, else the machine's (.ci/run has one).
REDIS_DEFAULT_URL = "redis://127.0.0.1:6379/0"


def redis_url() -> str | None:
    """TEST_REDIS_URL (default redis://127.0.0.1:6379/0) if a Redis answers there, else None."""
    url = os.environ.get("TEST_REDIS_URL") or REDIS_DEFAULT_URL
    parsed = urlsplit(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            return url
    except OSError:
        return None


REDIS_SKIP_REASON = "Redis run skipped: no Redis answers at TEST_REDIS_URL (default redis://127.0.0.1:6379/0)"


@pytest.fixture(scope="session", autouse=True)
def _worker_postgres_database() -> None:
    """Parallel workers must not empty each other's tables: each gets its own database, made on demand."""
    base, own = os.environ.get("TEST_DATABASE_URL"), postgres_url()
    if base is None or own == base:
        return

    async def create() -> None:
        name = make_url(own).database
        connection = await asyncpg.connect(
            make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
        )
        try:
            if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(create())


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per run; each test gets a copy (migrating every time is slow)."""
    path = tmp_path_factory.mktemp("template") / "journal.db"

    async def migrate() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade_database(engine)
        async with engine.begin() as connection:
            await connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        await engine.dispose()

    asyncio.run(migrate())
    return path


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        target = tmp_path / "journal.db"
        shutil.copy(sqlite_template, target)
        return f"sqlite+aiosqlite:///{target}"
    url = postgres_url()
    if url is None:
        pytest.skip(POSTGRES_SKIP_REASON)
    return url


async def reset_postgres(engine: AsyncEngine) -> None:
    """Bring the schema to head and empty every table, so each test starts clean."""
    await upgrade_database(engine)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    if engine.dialect.name == "postgresql":
        await reset_postgres(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_maker(engine)


@pytest.fixture
async def session(session_maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with session_maker() as session:
        yield session


# --- the chat layer -------------------------------------------------------------------------

SCHOOL_TODAY = dt.date(2026, 11, 26)  # a Thursday in the second четверть of the demo school


def make_settings(database_url: str, **overrides: object) -> Settings:
    values = dict(database_url=database_url, bot_token=None, default_language="ru", _env_file=None)
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def harness(settings: Settings, session_maker: async_sessionmaker[AsyncSession]) -> ChatClient:
    """The real dispatcher with the Bot's HTTP layer replaced: see bot/chat_client.py."""
    return ChatClient(create_bot(settings, session=OfflineSession()), create_dispatcher(settings, session_maker))


@pytest.fixture
async def school(session_maker: async_sessionmaker[AsyncSession]) -> None:
    """The demo school (services.demo_school), imported through the real importer."""
    from services.demo_school import demo_school_sheets
    from services.school_import import import_rows

    async with session_maker() as session:
        report = await import_rows(session, demo_school_sheets(SCHOOL_TODAY), today=SCHOOL_TODAY)
        assert report.ok, report.problems
        await session.commit()


# --- where the short-lived counters live (services.short_lived): the database, or Redis --------------------


async def connect() -> Redis:
    url = redis_url()
    if url is None:
        pytest.skip(REDIS_SKIP_REASON)
    return Redis.from_url(url)


async def forget(client: Redis, prefix: str) -> None:
    keys = [key async for key in client.scan_iter(match=f"{prefix}:*")]
    if keys:
        await client.delete(*keys)


@pytest.fixture(params=["database", "redis"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[ShortLived | None]:
    """Where the counters live: None, the database's rows; else a ShortLived of the test's own."""
    if request.param == "database":
        yield None
        return
    client = await connect()
    prefix = f"test-{uuid.uuid4().hex}"
    yield ShortLived(client, prefix)
    await forget(client, prefix)
    await client.aclose()


@pytest.fixture(params=["database", "redis"])
async def signing_in(request, database_url, session_maker) -> AsyncIterator[tuple[ChatClient, Redis | None, str]]:
    """The real dispatcher, with REDIS_URL set or not: (harness, Redis client or None, the bot's key prefix)."""
    bot_id = uuid.uuid4().int % 10**12 + 10**11  # a bot of its own: the keys journal:<bot id>:… are the test's
    url = None
    if request.param == "redis":
        await (await connect()).aclose()  # skips without Redis
        url = redis_url()
    settings = make_settings(database_url, bot_token=f"{bot_id}:test", redis_url=url)
    dispatcher = create_dispatcher(settings, session_maker)
    prefix = f"{REDIS_KEY_PREFIX}:{bot_id}"
    storage_redis = getattr(dispatcher.storage, "redis", None)
    yield ChatClient(create_bot(settings, session=OfflineSession()), dispatcher), storage_redis, prefix
    if storage_redis is not None:
        await forget(storage_redis, prefix)
    await dispatcher.storage.close()
