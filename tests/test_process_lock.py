"""The bot's locks: one process per database runs the scheduler and the delivery worker, whatever
host it runs on; a refusal touches nothing; a dead holder on this host is replaced at once."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select, update

from bot.runner import poll_while_held
from models import OutboxMessage, OutboxState, ProcessLock, utcnow
from services import delivery_claims
from services.process_lock import AlreadyRunning, DatabaseLock, LockLost, Singleton, hold_bot_locks
from tests.delivery_helpers import account_without_quiet_hours, queue_text


async def lock_row(session_maker) -> ProcessLock | None:
    async with session_maker() as session:
        return await session.scalar(select(ProcessLock))


async def test_a_second_process_on_another_host_is_refused_naming_the_holder(session_maker, tmp_path) -> None:
    async with hold_bot_locks(session_maker, tmp_path / "here" / "bot.lock") as held:
        before = await lock_row(session_maker)
        with pytest.raises(AlreadyRunning) as refused:  # another host: its own lock file, the same database
            async with hold_bot_locks(session_maker, tmp_path / "there" / "bot.lock"):
                pytest.fail("a second holder")
        message = str(refused.value)
        assert "\n" not in message and "refusing to start a second one" in message
        assert f"pid {before.pid} on {before.host}" in message
        after = await lock_row(session_maker)
        assert (after.owner, after.acquired_at) == (held.owner, before.acquired_at)  # untouched
    assert await lock_row(session_maker) is None  # released at the end


async def test_the_holder_renews_its_lock_and_a_stale_one_is_taken_over(session_maker, tmp_path) -> None:
    async with hold_bot_locks(session_maker, tmp_path / "a" / "bot.lock", ttl=0.6) as held:
        first = (await lock_row(session_maker)).expires_at
        await asyncio.sleep(0.5)
        assert (await lock_row(session_maker)).expires_at > first  # renewed every third of the ttl
        assert not held.lost.is_set()

    # A holder on another host that stopped renewing (frozen, cut off, killed): taken once it ran out.
    other = DatabaseLock(session_maker, tmp_path / "b" / "bot.lock", ttl=30)
    await other.acquire()
    async with session_maker() as session:
        await session.execute(update(ProcessLock).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
        await session.commit()
    async with hold_bot_locks(session_maker, tmp_path / "a" / "bot.lock") as held:
        assert held.dead_owner is None  # not known dead: its rows wait for their own leases
        assert (await lock_row(session_maker)).owner == held.owner
    assert not await other.renew(), "the old holder learns it lost the lock"


async def test_a_holder_that_died_on_this_host_is_replaced_at_once_and_its_rows_released(
    session_maker, tmp_path
) -> None:
    lock_file = tmp_path / "bot.lock"
    dead = DatabaseLock(session_maker, lock_file, ttl=3600)  # killed -9: no release, the file lock gone
    await dead.acquire()
    async with session_maker() as session:
        account = account_without_quiet_hours(5)
        session.add(account)
        await session.flush()
        queue_text(session, account, "in the dead one's hands")
        await session.commit()
    async with session_maker() as session:
        claimed = await delivery_claims.claim(session, [1], dead.owner, utcnow(), utcnow() + dt.timedelta(hours=1))
        await session.commit()
    assert claimed

    async with hold_bot_locks(session_maker, lock_file) as held:
        assert held.dead_owner == dead.owner
        assert await delivery_claims.release(session_maker, held.dead_owner) == 1
    async with session_maker() as session:
        row = await session.scalar(select(OutboxMessage))
    assert (row.state, row.claimed_by) == (OutboxState.PENDING, None)


async def test_the_same_path_on_another_volume_is_not_taken_for_a_dead_holder(session_maker, tmp_path) -> None:
    """Two containers with one host name and their own volumes at the same path: the first lives on,
    so the second waits for its lock to run out rather than take it over."""
    folder = tmp_path / "data"
    living = DatabaseLock(session_maker, folder / "bot.lock", ttl=3600)
    await living.acquire()
    folder.rename(tmp_path / "first-volume")  # the other container has its own folder at the same path
    with pytest.raises(AlreadyRunning):
        async with hold_bot_locks(session_maker, folder / "bot.lock"):
            pytest.fail("took over a living holder's lock")
    assert (await lock_row(session_maker)).owner == living.owner


async def test_a_lock_that_cannot_be_renewed_in_time_is_reported_lost(session_maker, tmp_path) -> None:
    async with hold_bot_locks(session_maker, tmp_path / "bot.lock", ttl=0.6) as held:
        async with session_maker() as session:  # someone takes it (our renewals were late)
            await session.execute(update(ProcessLock).values(owner="someone else"))
            await session.commit()
        await asyncio.wait_for(held.lost.wait(), 2)


async def test_renewals_that_cannot_get_through_stop_the_bot_only_where_another_host_could_start(
    session_maker, tmp_path, monkeypatch, database_url
) -> None:
    """A database too busy to renew the lease: on PostgreSQL another host may take it when it runs out,
    so the bot stops; an SQLite file is this host's alone (its file lock is held), so the bot goes on."""

    async def busy(self) -> bool:
        raise TimeoutError("the database stayed busy")

    async with hold_bot_locks(session_maker, tmp_path / "bot.lock", ttl=0.6) as held:
        monkeypatch.setattr(DatabaseLock, "renew", busy)
        await asyncio.sleep(1.2)
        assert held.lost.is_set() is database_url.startswith("postgresql")


async def test_two_processes_starting_at_once_get_one_lock(session_maker, tmp_path) -> None:
    locks = [DatabaseLock(session_maker, tmp_path / f"host{n}" / "bot.lock") for n in range(4)]
    outcomes = await asyncio.gather(*(lock.acquire() for lock in locks), return_exceptions=True)
    assert sum(not isinstance(outcome, AlreadyRunning) for outcome in outcomes) == 1
    assert (await lock_row(session_maker)).owner in {lock.owner for lock in locks}


class PollingUntilStopped:
    """What poll_while_held needs of a Dispatcher: polling that runs until stop_polling()."""

    def __init__(self) -> None:
        self.stopped = asyncio.Event()

    async def start_polling(self, bot, handle_signals: bool) -> None:
        await self.stopped.wait()

    async def stop_polling(self) -> None:
        self.stopped.set()


async def test_a_bot_that_loses_its_lock_stops_polling_and_says_why() -> None:
    dispatcher, singleton = PollingUntilStopped(), Singleton("me", None)
    polling = asyncio.create_task(poll_while_held(dispatcher, bot=None, singleton=singleton))
    await asyncio.sleep(0.05)
    assert not polling.done()
    singleton.lost.set()
    with pytest.raises(LockLost, match="may be another process's now"):
        await asyncio.wait_for(polling, 2)
    assert dispatcher.stopped.is_set()
