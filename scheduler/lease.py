"""Which of several bot processes runs the scheduler: the one holding the lease `scheduler` in the database.

Every process tries for the lease every third of its time; the holder renews it as often. A holder that
dies stops renewing, and the lease is another's once its time has run out: the scheduler stops at most
SCHEDULER_LEASE_SECONDS and a third of it. A holder that cannot renew in time (the database unreachable)
stops running jobs before another may start: two processes computing the same job at once is what the
lease is for. Should it happen anyway, the job-run claims (scheduler.runs) still let one of them run it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.process_lock import AlreadyRunning, DatabaseLock

log = logging.getLogger(__name__)

SCHEDULER = "scheduler"

Hook = Callable[[], Awaitable[None]]


class SchedulerLease:
    """`run()` until cancelled: `on_gain` when this process takes the lease, `on_loss` when it loses it."""

    def __init__(
        self, session_maker: async_sessionmaker[AsyncSession], ttl: float, *, on_gain: Hook, on_loss: Hook
    ) -> None:
        self.lock = DatabaseLock(session_maker, None, name=SCHEDULER, ttl=ttl)
        self.ttl = ttl
        self.on_gain = on_gain
        self.on_loss = on_loss
        self.leader = False
        self.gained = asyncio.Event()  # set while this process holds the lease

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        interval = self.ttl / 3
        renewed = loop.time()
        while True:
            try:
                if not self.leader:
                    await self.lock.acquire()
                    renewed = loop.time()
                    await self._gain()
                elif await self.lock.renew():
                    renewed = loop.time()
                else:
                    log.error("the scheduler lease was taken by another process")
                    await self._lose()
            except AlreadyRunning:
                pass  # another process runs the scheduler
            except Exception:
                log.warning("could not take or renew the scheduler lease", exc_info=True)
                if self.leader and loop.time() - renewed > self.ttl - interval:
                    log.error("the scheduler lease could not be renewed in time: this process stops running jobs")
                    await self._lose()
            await asyncio.sleep(interval)

    async def release(self) -> None:
        """Let another process take over at once (on a clean stop)."""
        if self.leader:
            self.leader = False
            self.gained.clear()
            await self.lock.release()

    async def _gain(self) -> None:
        self.leader = True
        self.gained.set()
        log.info("this process runs the scheduler now")
        try:
            await self.on_gain()
        except Exception:
            log.exception("starting the scheduler's part failed; the lease is kept and the jobs run")

    async def _lose(self) -> None:
        self.leader = False
        self.gained.clear()
        await self.on_loss()
