"""The migration stairway: every revision up, down and up again, on each backend."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from models.base import Base
from models.db import alembic_config, create_engine, downgrade_database, upgrade_database
from tests.conftest import POSTGRES_SKIP_REASON, postgres_url, reset_postgres


def revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(""))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


async def table_names(engine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


def differences_from_the_models(connection) -> list:
    """What the migrated schema lacks or has beyond the models (tables, columns, indexes, constraints)."""
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    return [
        diff
        for diff in compare_metadata(context, Base.metadata)
        if not (isinstance(diff, tuple) and diff[0] == "remove_table" and diff[1].name == "alembic_version")
    ]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_every_migration_goes_up_down_and_up(backend: str, tmp_path) -> None:
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/stairway.db"
    else:
        url = postgres_url()
        if url is None:
            pytest.skip(POSTGRES_SKIP_REASON)
    engine = create_engine(url)
    try:
        if backend == "postgres":  # the shared test database may already be at head
            await downgrade_database(engine, "base")
        previous = "base"
        for revision in revisions():
            await upgrade_database(engine, revision)
            await downgrade_database(engine, previous)
            await upgrade_database(engine, revision)
            previous = revision
        assert set(Base.metadata.tables) <= await table_names(engine)
        assert await upgrade_database(engine) is False, "head reached: nothing left to apply"
        async with engine.connect() as connection:
            assert await connection.run_sync(differences_from_the_models) == []
    finally:
        if backend == "postgres":
            await reset_postgres(engine)
        await engine.dispose()
