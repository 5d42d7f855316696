"""Alembic environment. The application passes an open connection in `config.attributes`."""

from __future__ import annotations

import asyncio

from alembic import context

import models  # noqa: F401  (registers every table)
from models.base import Base
from models.db import create_engine

target_metadata = Base.metadata


def _configure_and_run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine() -> None:
    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    async with engine.begin() as connection:
        await connection.run_sync(_configure_and_run)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _configure_and_run(connection)
else:  # plain `alembic` command line, e.g. `alembic revision --autogenerate`
    asyncio.run(_run_with_own_engine())
