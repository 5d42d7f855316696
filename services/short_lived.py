"""Short-lived counters and locks: the sign-in lock-out's failures, the messages a family sends staff in an hour.

Each is a sliding window: at most `limit` events of one key (an account) in any `length`. Without Redis
the callers count their own rows in the database, under the database's lock (services.invitations.sign_in,
services.messaging.limits). With REDIS_URL set, every process of the bot keeps them in Redis instead
(`ShortLived`): a sorted set per key, scored by the event's time, trimmed, counted and added to in one
Lua script, so two processes can't both take the last place; the set expires once its newest event has
left the window. The bot's factory makes one `ShortLived` on the FSM storage's Redis connection, and the
update's session carries it to the services (`carry` and `short_lived_of`, as the session carries its
write gate: models.writing).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import LockError
from sqlalchemy.ext.asyncio import AsyncSession

from models.writing import WRITE_WAIT_SECONDS, WriteBusy


@dataclass(frozen=True)
class Window:
    """At most `limit` events of one key in any `length`; `name` tells the keys of two windows apart."""

    name: str
    length: dt.timedelta
    limit: int

    def frees_at(self, times: Sequence[dt.datetime]) -> dt.datetime | None:
        """When the next event is allowed, given the times (ascending) of the events in the window; None: now.

        Enough of them must have aged out to leave fewer than `limit`.
        """
        if len(times) < self.limit:
            return None
        return times[len(times) - self.limit] + self.length


# KEYS[1]: the window's sorted set. ARGV: now (ms), the window's length (ms), its limit, a unique member,
# and what to do: "peek" counts, "add" adds, "take" adds only when there is room.
# Returns the edge: -1 when there was room, else the time (ms) of the event whose ageing out makes room.
_WINDOW_SCRIPT = """
local now, length, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - length)
local count = redis.call('ZCARD', KEYS[1])
local mode = ARGV[5]
if mode == 'add' or (mode == 'take' and count < limit) then
    redis.call('ZADD', KEYS[1], now, ARGV[4])
    redis.call('PEXPIRE', KEYS[1], length)
    return -1
end
if count < limit then
    return -1
end
local edge = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return tonumber(edge[2])
"""

# A sign-in holds its account's lock for a moment; should the process die holding it, it lapses after this.
LOCK_SECONDS = 30.0


class ShortLived:
    """Sliding windows and locks in Redis, under `prefix` (journal:<bot id>, like the FSM's keys)."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix
        self._window = redis.register_script(_WINDOW_SCRIPT)

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    async def frees_at(self, window: Window, key: str, now: dt.datetime) -> dt.datetime | None:
        """When the next event of `key` is allowed; None: now. Records nothing."""
        return await self._run(window, key, now, "peek")

    async def record(self, window: Window, key: str, now: dt.datetime) -> None:
        """One more event of `key`, whatever the count."""
        await self._run(window, key, now, "add")

    async def take(self, window: Window, key: str, now: dt.datetime) -> dt.datetime | None:
        """One more event of `key` if there is room (None), else when there will be, recording nothing:
        the count and the event are one step, so of two processes at the last place only one gets it."""
        return await self._run(window, key, now, "take")

    async def _run(self, window: Window, key: str, now: dt.datetime, mode: str) -> dt.datetime | None:
        edge = await self._window(
            keys=[self.key(window.name, key)], args=[_ms(now), _ms(window.length), window.limit, uuid.uuid4().hex, mode]
        )
        if int(edge) < 0:
            return None
        return dt.datetime.fromtimestamp(int(edge) / 1000, dt.timezone.utc) + window.length

    @asynccontextmanager
    async def lock(self, name: str) -> AsyncIterator[None]:
        """Held by one process at a time; WriteBusy (nothing done, «send it again») when it stays taken."""
        lock = self.redis.lock(self.key("lock", name), timeout=LOCK_SECONDS, blocking_timeout=WRITE_WAIT_SECONDS)
        if not await lock.acquire():
            raise WriteBusy(f"no turn within {WRITE_WAIT_SECONDS:.0f} s")
        try:
            yield
        finally:
            try:
                await lock.release()
            except LockError:  # held past LOCK_SECONDS and lapsed: another may hold it now, leave it be
                pass


def _ms(value: dt.datetime | dt.timedelta) -> int:
    if isinstance(value, dt.timedelta):
        return int(value.total_seconds() * 1000)
    return int(value.timestamp() * 1000)


_SHORT_LIVED = "short_lived"  # Session.info key


def carry(session: AsyncSession, short_lived: ShortLived | None) -> None:
    """Let the services reached with `session` keep their windows in `short_lived` (None: the database)."""
    session.info[_SHORT_LIVED] = short_lived


def short_lived_of(session: AsyncSession) -> ShortLived | None:
    """Where this session's windows are kept: Redis, or None for the database's own rows."""
    return session.info.get(_SHORT_LIVED)
