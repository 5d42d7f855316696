"""Several processes of one bot: the scheduler's lease picks one to run the jobs, another takes over when
it dies; the lock file is shared by them, and keeps `restore` (and a polling bot) out while any runs."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from models import ProcessLock
from scheduler.lease import SCHEDULER, SchedulerLease
from services.backup import BackupError
from services.process_lock import AlreadyRunning, bot_lock, hold_file_lock

TTL = 0.6  # seconds; renewed and tried for every 0.2 s


class Process:
    """One process's lease, and what it was told."""

    def __init__(self, session_maker) -> None:
        self.events: list[str] = []
        self.lease = SchedulerLease(session_maker, TTL, on_gain=self._gained, on_loss=self._lost)
        self.task = asyncio.create_task(self.lease.run())

    async def _gained(self) -> None:
        self.events.append("gained")

    async def _lost(self) -> None:
        self.events.append("lost")

    async def dies(self) -> None:
        """Killed: it stops renewing and releases nothing."""
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)

    async def stops(self) -> None:
        await self.dies()
        await self.lease.release()


async def holder(session_maker) -> str | None:
    async with session_maker() as session:
        return await session.scalar(select(ProcessLock.owner).where(ProcessLock.name == SCHEDULER))


async def test_of_two_processes_on_one_host_one_runs_the_scheduler_and_the_other_takes_over_when_it_dies(
    session_maker,
) -> None:
    a = Process(session_maker)
    await asyncio.wait_for(a.lease.gained.wait(), 5)
    b = Process(session_maker)
    try:
        await asyncio.sleep(TTL * 2)  # B tries several times; A renews, and is still alive on this host
        assert (a.lease.leader, b.lease.leader) == (True, False)
        assert b.events == []
        assert await holder(session_maker) == a.lease.lock.owner

        await a.dies()
        loop = asyncio.get_running_loop()
        died = loop.time()
        await asyncio.wait_for(b.lease.gained.wait(), 5)
        assert loop.time() - died <= TTL + TTL / 3 + 0.5  # its time runs out, then B's next try
        assert b.events == ["gained"]
        assert await holder(session_maker) == b.lease.lock.owner
    finally:
        await b.stops()
    assert await holder(session_maker) is None  # a clean stop lets the next one take it at once


async def test_a_holder_whose_lease_was_taken_stops_running_jobs(session_maker) -> None:
    a = Process(session_maker)
    await asyncio.wait_for(a.lease.gained.wait(), 5)
    a.task.cancel()  # frozen: it neither renews nor notices, for longer than the lease lives
    await asyncio.gather(a.task, return_exceptions=True)
    b = Process(session_maker)
    try:
        await asyncio.wait_for(b.lease.gained.wait(), 5)
        a.task = asyncio.create_task(a.lease.run())  # it wakes up
        for _ in range(50):
            if not a.lease.leader:
                break
            await asyncio.sleep(0.05)
        assert a.events == ["gained", "lost"]
        assert await holder(session_maker) == b.lease.lock.owner
    finally:
        await a.stops()
        await b.stops()


def test_webhook_processes_share_the_lock_file_and_keep_restore_and_a_polling_bot_out(tmp_path) -> None:
    lock_file = tmp_path / "bot.lock"
    with hold_file_lock(lock_file, shared=True), hold_file_lock(lock_file, shared=True):
        with pytest.raises(BackupError) as refused, bot_lock(lock_file):
            pytest.fail("restore ran under a running bot")
        assert refused.value.key == "restore-error-bot-running"
        with pytest.raises(AlreadyRunning), hold_file_lock(lock_file):
            pytest.fail("a polling bot started beside webhook processes")
    with bot_lock(lock_file):  # all stopped: restore may run
        pass
