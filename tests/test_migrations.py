"""The migration stairway: every revision up, down and up again, on each backend."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from models.base import Base, UTCDateTime
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


AT = dt.datetime(2026, 11, 26, 7, 0, tzinfo=dt.timezone.utc)


async def insert(connection, statement: str, **values) -> None:
    """A row written as the old schema has it; moments pass through the models' own type."""
    params = [sa.bindparam(name, value, type_=UTCDateTime()) for name, value in values.items()]
    await connection.execute(sa.text(statement).bindparams(*params))


async def rows(connection, statement: str) -> list[tuple]:
    return [tuple(row) for row in await connection.execute(sa.text(statement))]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_0016_keeps_the_threads_messages_announcements_and_accounts_and_goes_back(backend: str, tmp_path) -> None:
    """A journal at 0015 with conversations, relayed messages, announcements and accounts: 0016 keeps every
    row (a thread is a family's, no hours of one's own, no parallel), and 0015 again keeps them, but for
    what 0015 has no place for (a parallel's announcement, a mute)."""
    url = f"sqlite+aiosqlite:///{tmp_path}/populated.db" if backend == "sqlite" else postgres_url()
    if url is None:
        pytest.skip(POSTGRES_SKIP_REASON)
    engine = create_engine(url)
    try:
        if backend == "postgres":  # the shared test database may already be at head
            await downgrade_database(engine, "base")
        await upgrade_database(engine, "0015")
        async with engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "INSERT INTO academic_years (id, name, start, \"end\") VALUES (1, '2026/2027', '2026-09-01', '2027-05-31')"
                )
            )
            await connection.execute(
                sa.text("INSERT INTO classes (id, year_id, name, grade, letter) VALUES (1, 1, '5А', 5, 'А')")
            )
            await connection.execute(
                sa.text(
                    "INSERT INTO students (id, external_id, full_name, status, class_id) "
                    "VALUES (1, 's1', 'Алексеев Артём', 'studying', 1)"
                )
            )
            for account_id, telegram_id in ((1, 1001), (2, 2001), (3, 2003)):
                await insert(
                    connection,
                    "INSERT INTO accounts (id, telegram_id, chat_id, active, created_at) "
                    f"VALUES ({account_id}, {telegram_id}, {telegram_id}, TRUE, :at)",
                    at=AT,
                )
            await insert(
                connection,
                "INSERT INTO conversations (id, started_by_account_id, student_id, created_at) "
                "VALUES (1, 2, 1, :at), (2, 1, NULL, :at)",
                at=AT,
            )
            await insert(
                connection,
                "INSERT INTO relayed_messages (id, conversation_id, sender_account_id, recipient_account_id, "
                "content_type, text, created_at) VALUES (1, 1, 2, 1, 'text', 'Здравствуйте', :at), "
                "(2, 1, 1, 2, 'text', 'Добрый день', :at), (3, 2, 1, 3, 'text', 'Собрание', :at)",
                at=AT,
            )
            await insert(
                connection,
                "INSERT INTO broadcasts (id, sender_account_id, audience, class_id, text, created_at) "
                "VALUES (1, 1, 'class_parents', 1, 'Собрание в пятницу', :at)",
                at=AT,
            )
            await insert(
                connection,
                "INSERT INTO broadcast_receipts (id, broadcast_id, account_id, read_at) VALUES (1, 1, 2, :at), (2, 1, 3, NULL)",
                at=AT,
            )

        await upgrade_database(engine, "0016")
        async with engine.begin() as connection:
            assert await rows(connection, "SELECT id, student_id, kind, class_id FROM conversations ORDER BY id") == [
                (1, 1, "family", None),
                (2, None, "family", None),
            ]
            assert await rows(connection, "SELECT id, conversation_id, text FROM relayed_messages ORDER BY id") == [
                (1, 1, "Здравствуйте"),
                (2, 1, "Добрый день"),
                (3, 2, "Собрание"),
            ]
            assert await rows(connection, "SELECT id, audience, class_id, grade, text FROM broadcasts") == [
                (1, "class_parents", 1, None, "Собрание в пятницу")
            ]
            assert await rows(connection, "SELECT id, account_id FROM broadcast_receipts ORDER BY id") == [
                (1, 2),
                (2, 3),
            ]
            assert await rows(connection, "SELECT id, telegram_id, staff_quiet_hours FROM accounts ORDER BY id") == [
                (1, 1001, None),
                (2, 2001, None),
                (3, 2003, None),
            ]
            # What only 0016 holds: a parallel's announcement, a mute, a thread of another kind, one's own hours.
            await insert(
                connection,
                "INSERT INTO broadcasts (id, sender_account_id, audience, grade, text, created_at) "
                "VALUES (2, 1, 'parallel_parents', 5, 'Пятые классы', :at)",
                at=AT,
            )
            await connection.execute(
                sa.text("INSERT INTO broadcast_receipts (id, broadcast_id, account_id) VALUES (3, 2, 2)")
            )
            await insert(
                connection,
                "INSERT INTO conversation_mutes (id, account_id, muted_account_id, until, created_at) "
                "VALUES (1, 1, 2, :at, :at)",
                at=AT,
            )
            await insert(
                connection,
                "INSERT INTO conversations (id, started_by_account_id, kind, class_id, created_at) "
                "VALUES (3, 1, 'class', 1, :at)",
                at=AT,
            )
            await connection.execute(sa.text("UPDATE accounts SET staff_quiet_hours = '19:00-07:30' WHERE id = 1"))

        await downgrade_database(engine, "0015")
        async with engine.connect() as connection:
            assert await rows(connection, "SELECT id, student_id FROM conversations ORDER BY id") == [
                (1, 1),
                (2, None),
                (3, None),
            ]
            assert await rows(connection, "SELECT id FROM relayed_messages ORDER BY id") == [(1,), (2,), (3,)]
            assert await rows(connection, "SELECT id, audience, class_id, text FROM broadcasts") == [
                (1, "class_parents", 1, "Собрание в пятницу")
            ]
            assert await rows(connection, "SELECT id, account_id FROM broadcast_receipts ORDER BY id") == [
                (1, 2),
                (2, 3),
            ]
            assert await rows(connection, "SELECT id, telegram_id FROM accounts ORDER BY id") == [
                (1, 1001),
                (2, 2001),
                (3, 2003),
            ]
            assert "conversation_mutes" not in await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        await upgrade_database(engine, "0016")  # and up again over the rows it kept
        async with engine.connect() as connection:
            assert await rows(connection, "SELECT id, kind FROM conversations ORDER BY id") == [
                (1, "family"),
                (2, "family"),
                (3, "family"),
            ]
    finally:
        if backend == "postgres":
            await reset_postgres(engine)
        await engine.dispose()
