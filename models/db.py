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

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def create_engine(database_url: str) -> AsyncEngine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_on_connect)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # SQLite enforces foreign keys only when asked; WAL lets readers work while one writer commits.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_session_maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


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
async def open_database(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Every entry point upgrades the schema first, so an old database never meets new code."""
    engine = create_engine(database_url)
    try:
        if await upgrade_database(engine):
            log.info("database schema upgraded")
        yield create_session_maker(engine)
    finally:
        await engine.dispose()
