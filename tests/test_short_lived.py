"""Short-lived counters (services.short_lived) in Redis: the count is atomic across processes and its keys
expire. (The sign-in lock-out and the hourly message limit run on either backend in tests/test_invitations.py
and tests/test_conversations.py, through the `signing_in` and `backend` fixtures of tests/conftest.py.)

The Redis tests skip with the reason when no Redis answers at TEST_REDIS_URL; each test has keys of its own.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from services.short_lived import ShortLived, Window
from tests.conftest import connect, forget, redis_url

START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = await connect()
    yield client
    await client.aclose()


@pytest.fixture
async def short_lived(redis: Redis) -> AsyncIterator[ShortLived]:
    prefix = f"test-{uuid.uuid4().hex}"
    yield ShortLived(redis, prefix)
    await forget(redis, prefix)


# --- Redis: atomic across processes, and the keys expire --------------------------------------------------


async def test_two_processes_hitting_at_once_let_exactly_the_limit_through(short_lived, redis) -> None:
    window = Window("messages-to-staff", dt.timedelta(hours=1), 10)
    other = Redis.from_url(redis_url())  # a second process's connection
    try:
        processes = [short_lived, ShortLived(other, short_lived.prefix)]
        now = START
        results = await asyncio.gather(*(processes[hit % 2].take(window, "42", now) for hit in range(window.limit + 5)))
    finally:
        await other.aclose()

    assert results.count(None) == window.limit
    assert set(results) == {None, now + window.length}  # the refused are told when the first place frees
    assert await redis.zcard(short_lived.key(window.name, "42")) == window.limit  # refusals are not counted


async def test_the_window_slides_and_its_key_expires(short_lived, redis) -> None:
    window = Window("sign-in-failures", dt.timedelta(minutes=10), 2)
    key = short_lived.key(window.name, "7")
    await short_lived.record(window, "7", START)
    assert 0 < await redis.pttl(key) <= 10 * 60 * 1000
    await short_lived.record(window, "7", START + dt.timedelta(minutes=4))
    assert await short_lived.frees_at(window, "7", START + dt.timedelta(minutes=5)) == START + window.length
    # Once the first has aged out there is room again, and the count forgot it.
    assert await short_lived.frees_at(window, "7", START + dt.timedelta(minutes=10)) is None
    assert await redis.zcard(key) == 1
    # A take at the limit records nothing.
    assert await short_lived.take(window, "7", START + dt.timedelta(minutes=11)) is None
    later = START + dt.timedelta(minutes=12)
    assert await short_lived.take(window, "7", later) == START + dt.timedelta(minutes=14)
    assert await redis.zcard(key) == 2


async def test_the_sign_in_lock_is_one_process_at_a_time(short_lived, redis) -> None:
    other = ShortLived(Redis.from_url(redis_url()), short_lived.prefix)
    order: list[str] = []

    async def attempt(process: ShortLived, name: str) -> None:
        async with process.lock("sign-in:7"):
            order.append(f"{name} in")
            await asyncio.sleep(0.2)
            order.append(f"{name} out")

    try:
        await asyncio.gather(attempt(short_lived, "a"), attempt(other, "b"))
    finally:
        await other.redis.aclose()
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])
    assert await redis.exists(short_lived.key("lock", "sign-in:7")) == 0  # released, not left to lapse
