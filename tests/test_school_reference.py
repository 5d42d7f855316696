"""The school's reference data kept in memory: read again when the school changes it, never a change
that was rolled back (services.school_reference, models.reference_version)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Period, Staff, Subject, utcnow
from models.db import create_engine, create_session_maker
from services.school_reference import school_reference

pytestmark = pytest.mark.usefixtures("school")


async def in_another_process(database_url: str, change: Callable[[AsyncSession], Awaitable[object]]) -> None:
    """`change`, committed through an engine of its own, as another process (the command line) would."""
    other = create_engine(database_url)
    try:
        async with create_session_maker(other)() as session:
            await change(session)
            await session.commit()
    finally:
        await other.dispose()


async def test_a_change_made_anywhere_is_seen_by_the_next_update(session_maker, database_url) -> None:
    async with session_maker() as session:
        before = await school_reference(session)
    await in_another_process(
        database_url,
        lambda session: session.execute(update(Subject).where(Subject.name == "История").values(name="История России")),
    )
    async with session_maker() as session:
        after = await school_reference(session)
    assert after.version == before.version + 1
    assert "История России" in {subject.name for subject in after.subjects}


async def test_a_change_that_was_rolled_back_is_not_kept(session_maker, database_url) -> None:
    async with session_maker() as closing:  # the deputy closes a term, reads the reference, and it fails
        before = await school_reference(closing)
        period = await closing.scalar(select(Period).order_by(Period.start).limit(1))
        period.finals_locked_at = utcnow()
        await closing.flush()
        assert (await school_reference(closing)).periods[0].finals_locked_at is not None  # its own change
        await closing.rollback()

    async def rename_someone(session: AsyncSession) -> None:
        staff = await session.scalar(select(Staff).order_by(Staff.id).limit(1))
        staff.full_name += " (переименован)"

    # meanwhile another process commits a change: the same version number
    await in_another_process(database_url, rename_someone)
    async with session_maker() as session:
        after = await school_reference(session)
    assert after.version == before.version + 1
    assert after.periods[0].finals_locked_at is None  # the term is open, as in the database
