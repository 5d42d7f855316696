"""Short-lived counters (services.short_lived): the sign-in lock-out and the hourly message limit hold the
same in the database and in Redis; in Redis the count is atomic across processes and its keys expire.

The Redis tests skip with the reason when no Redis answers at TEST_REDIS_URL; each test has keys of its own.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator

import pytest
import time_machine
from redis.asyncio import Redis
from sqlalchemy import func, select

from bot.chat_client import ChatClient
from bot.factory import REDIS_KEY_PREFIX, create_bot, create_dispatcher
from bot.offline_session import OfflineSession
from models import InviteRole, RelayedMessage, SignInAttempt
from services.errors import DomainError
from services.invitations.sign_in import FAILURES
from services.messaging import relay
from services.short_lived import ShortLived, Window, carry
from tests.conftest import REDIS_SKIP_REASON, make_settings, redis_url
from tests.people import actor_for, person_id
from tests.test_conversations import IDS, MORNING, TEXT, rules
from tests.test_invitations import RU, bindings_of, invite

pytestmark = pytest.mark.usefixtures("school")

START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.timezone.utc)


async def connect() -> Redis:
    url = redis_url()
    if url is None:
        pytest.skip(REDIS_SKIP_REASON)
    return Redis.from_url(url)


async def forget(client: Redis, prefix: str) -> None:
    keys = [key async for key in client.scan_iter(match=f"{prefix}:*")]
    if keys:
        await client.delete(*keys)


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


@pytest.fixture(params=["database", "redis"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[ShortLived | None]:
    """Where the counters live: None, the database's rows; else a ShortLived of the test's own."""
    if request.param == "database":
        yield None
        return
    client = await connect()
    prefix = f"test-{uuid.uuid4().hex}"
    yield ShortLived(client, prefix)
    await forget(client, prefix)
    await client.aclose()


# --- the sign-in lock-out, through the dispatcher ---------------------------------------------------------


@pytest.fixture(params=["database", "redis"])
async def signing_in(request, database_url, session_maker) -> AsyncIterator[tuple[ChatClient, Redis | None, str]]:
    """The real dispatcher, with REDIS_URL set or not: (harness, Redis client or None, the bot's key prefix)."""
    bot_id = uuid.uuid4().int % 10**12 + 10**11  # a bot of its own: the keys journal:<bot id>:… are the test's
    url = None
    if request.param == "redis":
        await (await connect()).aclose()  # skips without Redis
        url = redis_url()
    settings = make_settings(database_url, bot_token=f"{bot_id}:test", redis_url=url)
    dispatcher = create_dispatcher(settings, session_maker)
    prefix = f"{REDIS_KEY_PREFIX}:{bot_id}"
    storage_redis = getattr(dispatcher.storage, "redis", None)
    yield ChatClient(create_bot(settings, session=OfflineSession()), dispatcher), storage_redis, prefix
    if storage_redis is not None:
        await forget(storage_redis, prefix)
    await dispatcher.storage.close()


async def failures_in_database(session_maker, telegram_id: int) -> int:
    async with session_maker() as session:
        return await session.scalar(
            select(func.count())
            .select_from(SignInAttempt)
            .where(SignInAttempt.telegram_id == telegram_id, SignInAttempt.success.is_(False))
        )


async def test_five_bad_codes_lock_the_account_out_on_either_backend(signing_in, session_maker) -> None:
    harness, redis, prefix = signing_in
    user = harness.user(7200)
    with time_machine.travel(START, tick=False) as traveller:
        issued = await invite(session_maker, InviteRole.PARENT, "p6")
        for attempt in range(5):
            assert await user.sends(f"/start wrong-code-{attempt}") == [RU("start-error-unknown-code")]
            traveller.shift(dt.timedelta(minutes=1))

        # The sixth attempt, with a valid code, is refused: the lock does not look at the code.
        assert await user.sends(f"/start {issued.code}") == [RU("start-error-locked", minutes=55)]
        assert await bindings_of(session_maker, 7200) == []

        traveller.shift(dt.timedelta(minutes=55))  # an hour after the first failure
        answers = await user.sends(f"/start {issued.code}")

    assert answers[0].startswith("Здравствуйте, Дмитриева Марина Викторовна!")
    assert len(await bindings_of(session_maker, 7200)) == 1
    if redis is None:
        assert await failures_in_database(session_maker, 7200) == 5
    else:  # counted in Redis, not written to the database; the key lapses within the hour
        assert await failures_in_database(session_maker, 7200) == 0
        key = f"{prefix}:{FAILURES.name}:7200"
        assert await redis.zcard(key) == 4  # the first left the window when the last attempt looked
        assert 0 < await redis.pttl(key) <= 3600 * 1000


# --- the hourly limit of a family's messages to staff, at the service layer -------------------------------


async def test_the_hourly_limit_holds_and_says_when_on_either_backend(backend, session_maker) -> None:
    parent = await actor_for(session_maker, "p1", IDS["p1"])
    await actor_for(session_maker, "t1", IDS["t1"])
    async with session_maker() as session:
        child, teacher = await person_id(session, "s1"), await person_id(session, "t1")

    async def write() -> None:
        async with session_maker() as session:
            carry(session, backend)
            await relay.write_to_staff(session, parent, child, teacher, TEXT, rules(rate=2))
            await session.commit()

    with time_machine.travel(MORNING, tick=False):
        await write()
    with time_machine.travel(MORNING + dt.timedelta(minutes=20), tick=False):
        await write()
        with pytest.raises(DomainError) as refusal:
            await write()
    assert (refusal.value.key, refusal.value.args_for_message) == ("write-error-rate", {"limit": 2, "time": "11:00"})
    with time_machine.travel(MORNING + dt.timedelta(minutes=61), tick=False):
        await write()  # the first has left the hour
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(RelayedMessage)) == 3


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
