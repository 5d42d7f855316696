"""Engine, sessions and schema upgrades."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from models.writing import WRITE_WAIT_SECONDS, GatedSession, add_write_gate, session_info

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"

# Connections one process keeps (bot.config's Settings.database_connections).
DEFAULT_CONNECTIONS = 40


def create_engine(
    database_url: str, *, connections: int = DEFAULT_CONNECTIONS, write_wait: float = WRITE_WAIT_SECONDS
) -> AsyncEngine:
    """`write_wait`: how long a write waits for its turn (a lock, a connection) before it gives up."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # pysqlite opens a transaction just before the first write; IMMEDIATE makes it take the
        # database's write lock right there, so a transaction never fails half-way for want of it.
        # Reads before that run outside any transaction and see the latest commit. `timeout` is how
        # long a writer in another process (the CLI, a second engine) is waited for; writers of this
        # process queue at the write gate instead (models.writing).
        engine = create_async_engine(
            url,
            connect_args={"timeout": write_wait, "isolation_level": "IMMEDIATE"},
            pool_size=connections,
            max_overflow=0,
            pool_timeout=write_wait,
        )
        event.listen(engine.sync_engine, "connect", _sqlite_on_connect)
        add_write_gate(engine, write_wait)
        return engine
    return create_async_engine(
        url,
        pool_pre_ping=True,
        pool_size=connections // 2,
        max_overflow=connections - connections // 2,
        pool_timeout=write_wait,
        # A write queued behind another's lock gives up in the same time as on SQLite. No JIT: it
        # compiles the control's term-long reads anew each time (7 ms a query, 20–30 ms a /control)
        # and gains nothing on queries of tens of milliseconds.
        connect_args={"server_settings": {"lock_timeout": str(int(write_wait * 1000)), "jit": "off"}},
    )


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # SQLite enforces foreign keys only when asked; WAL lets readers work while one writer commits.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def create_session_maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(
        engine, expire_on_commit=False, sync_session_class=GatedSession, info=session_info(engine)
    )


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def _upgrade_sync(connection, revision: str) -> None:
    config = alembic_config(str(connection.engine.url))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _downgrade_sync(connection, revision: str) -> None:
    config = alembic_config(str(connection.engine.url))
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def _is_current_sync(connection) -> bool:
    head = ScriptDirectory.from_config(alembic_config("")).get_current_head()
    return MigrationContext.configure(connection).get_current_revision() == head


async def upgrade_database(engine: AsyncEngine, revision: str = "head") -> bool:
    """Bring the schema up to `revision`. Returns True when anything was applied."""
    async with engine.begin() as connection:
        if revision == "head" and await connection.run_sync(_is_current_sync):
            return False
        await connection.run_sync(_upgrade_sync, revision)
    return True


async def downgrade_database(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_downgrade_sync, revision)


@asynccontextmanager
async def open_database(
    database_url: str, *, connections: int = DEFAULT_CONNECTIONS
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Every entry point upgrades the schema first, so an old database never meets new code."""
    engine = create_engine(database_url, connections=connections)
    try:
        if await upgrade_database(engine):
            log.info("database schema upgraded")
        yield create_session_maker(engine)
    finally:
        await engine.dispose()
