"""The delivery worker against a Bot API over real HTTP that misbehaves on purpose.

The fake's rule answers per chat and per moment (429 "for a while", then server errors, 403 for one
chat…), which a per-method script cannot express. Waits are scaled down: a 429's retry_after unit is
50 ms instead of a second, back-off starts at 10 ms.
"""

from __future__ import annotations

import asyncio
import itertools
import time

from sqlalchemy import select

from bot.factory import create_bot
from bot.outbound.delivery import delivery_worker, telegram_worker
from models import Account, OutboxMessage, OutboxState
from services.delivery import DeliveryWorker
from tests.conftest import make_settings
from tests.delivery_helpers import account_without_quiet_hours, fast_config, queue_text
from tests.fake_bot_api import ApiCall, FakeBotApi, ScriptedReply


async def make_accounts(session_maker, *chat_ids: int) -> dict[int, int]:
    async with session_maker() as session:
        accounts = [account_without_quiet_hours(chat_id) for chat_id in chat_ids]
        session.add_all(accounts)
        await session.commit()
        return {account.chat_id: account.id for account in accounts}


async def queue(session_maker, chat_id: int, *texts: str) -> None:
    async with session_maker() as session:
        account = await session.scalar(select(Account).where(Account.chat_id == chat_id))
        for text in texts:
            queue_text(session, account, text)
        await session.commit()


async def rows(session_maker) -> list[OutboxMessage]:
    async with session_maker() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def wait_until_settled(session_maker, timeout: float = 15) -> list[OutboxMessage]:
    """Until no row is pending or being sent."""
    deadline = time.monotonic() + timeout
    while True:
        found = await rows(session_maker)
        if all(row.state not in (OutboxState.PENDING, OutboxState.SENDING) for row in found):
            return found
        assert time.monotonic() < deadline, [(row.id, row.state, row.last_error) for row in found]
        await asyncio.sleep(0.05)


def bot_for(api: FakeBotApi, database_url: str):
    settings = make_settings(database_url, bot_token=api.token, telegram_api_url=api.url)
    return settings, create_bot(settings)


async def test_429_then_server_errors_then_403_for_one_chat(session_maker, database_url) -> None:
    started: list[float] = []
    server_errors = iter(
        [
            ScriptedReply.error(500, "Internal Server Error"),
            ScriptedReply.error(502, "Bad Gateway"),
            ScriptedReply(502, "<html>Bad Gateway</html>"),
            ScriptedReply.error(503, "Service Unavailable"),
        ]
    )

    async def rule(api: FakeBotApi, call: ApiCall) -> ScriptedReply | None:
        started.append(call.at) if not started else None
        if call.at - started[0] < 0.3:  # «for a while»: everything is refused with retry_after
            return ScriptedReply.error(429, "Too Many Requests: retry after 2", retry_after=2)
        if call.chat_id == 13:
            return ScriptedReply.error(403, "Forbidden: bot was blocked by the user")
        return next(server_errors, None)

    async with FakeBotApi(rule=rule) as api:
        settings, bot = bot_for(api, database_url)
        ids = await make_accounts(session_maker, 11, 12, 13)
        for chat_id in (11, 12):
            await queue(session_maker, chat_id, *(f"{chat_id}-{n}" for n in range(5)))
        await queue(session_maker, 13, "13-0", "13-1")
        worker = telegram_worker(bot, session_maker, settings, fast_config(settings, per_chat_interval=0.02))
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop))
        settled = await wait_until_settled(session_maker)
        stop.set()
        await task
        await bot.session.close()

    # Nothing lost, nothing twice, each chat in order.
    assert api.delivered == {11: [f"11-{n}" for n in range(5)], 12: [f"12-{n}" for n in range(5)]}
    by_chat = {chat: [row for row in settled if row.account_id == account_id] for chat, account_id in ids.items()}
    assert {row.state for chat in (11, 12) for row in by_chat[chat]} == {OutboxState.SENT}
    # 429s wait the retry_after (2 units of 50 ms) and are not counted as tries; the four server errors are.
    refused = [call for call in api.calls if call.status == 429]
    assert refused and worker.stats.retry_after == len(refused)
    # Requests already on their way when the last 429 came may still arrive at once (on a loaded machine
    # they do); after them the worker waits: no chat is tried again within the retry_after.
    last_refusal = refused[-1]
    again = [call.at for call in api.calls if call.at > last_refusal.at and call.chat_id == last_refusal.chat_id]
    assert min(again) - last_refusal.at >= 0.1 - 0.01
    assert worker.stats.transient_errors == 4
    assert sum(row.attempts for row in settled) == 4
    # The blocked chat: one 403, no further tries, the account inactive, its rows failed.
    assert [call.status for call in api.calls_to_chat(13) if call.status != 429] == [403]
    assert [(row.state, row.last_error) for row in by_chat[13]] == [
        (OutboxState.FAILED, "blocked: Forbidden: bot was blocked by the user")
    ] * 2
    async with session_maker() as session:
        assert (await session.get(Account, ids[13])).active is False
        assert (await session.get(Account, ids[11])).active is True


async def test_bounded_tries_then_failed_and_the_queue_moves_on(session_maker, database_url) -> None:
    async def rule(api: FakeBotApi, call: ApiCall) -> ScriptedReply | None:
        if call.text == "never":
            return ScriptedReply.error(500, "Internal Server Error")
        if call.text == "malformed":
            return ScriptedReply.error(400, "Bad Request: can't parse entities")
        if call.chat_id == 23:
            return ScriptedReply.error(400, "Bad Request: chat not found")
        return None

    async with FakeBotApi(rule=rule) as api:
        settings, bot = bot_for(api, database_url)
        ids = await make_accounts(session_maker, 21, 22, 23)
        await queue(session_maker, 21, "never", "malformed", "after")
        await queue(session_maker, 22, "other chat")
        await queue(session_maker, 23, "gone")
        worker = await _drain(bot, session_maker, settings, max_attempts=3)
        await bot.session.close()

    assert api.delivered == {21: ["after"], 22: ["other chat"]}
    assert [call.text for call in api.calls_to_chat(21)] == ["never"] * 3 + ["malformed", "after"]
    never, malformed, after, other, gone = await rows(session_maker)
    assert (never.state, never.attempts) == (OutboxState.FAILED, 3)
    assert never.last_error == "gave up after 3 tries: Internal Server Error"
    assert (malformed.state, malformed.attempts) == (OutboxState.FAILED, 0)
    assert malformed.last_error == "refused: Bad Request: can't parse entities"
    assert (after.state, other.state) == (OutboxState.SENT, OutboxState.SENT)
    assert gone.state == OutboxState.FAILED and gone.last_error.startswith("blocked:")
    async with session_maker() as session:
        assert (await session.get(Account, ids[23])).active is False
    assert worker.stats.blocked == 1


async def test_a_timeout_is_retried(session_maker, database_url) -> None:
    slow = {"left": 1}

    async def rule(api: FakeBotApi, call: ApiCall) -> ScriptedReply | None:
        if slow["left"]:
            slow["left"] -= 1
            await asyncio.sleep(1.5)  # longer than the client waits
            return ScriptedReply.error(500, "too late anyway")
        return None

    async with FakeBotApi(rule=rule) as api:
        settings, bot = bot_for(api, database_url)
        await make_accounts(session_maker, 31)
        await queue(session_maker, 31, "hello")
        await _drain(bot, session_maker, settings, request_timeout=1)
        await bot.session.close()
    assert api.delivered == {31: ["hello"]}
    [row] = await rows(session_maker)
    assert (row.state, row.attempts) == (OutboxState.SENT, 1)
    assert row.last_error.startswith("TelegramNetworkError")


async def test_rates_stay_within_the_limits(session_maker, database_url) -> None:
    async with FakeBotApi() as api:
        settings, bot = bot_for(api, database_url)
        await make_accounts(session_maker, 41, 42, 43)
        for chat_id in (41, 42, 43):
            await queue(session_maker, chat_id, *(f"{chat_id}-{n}" for n in range(8)))
        await _drain(bot, session_maker, settings, rate_per_second=20, global_burst=2, per_chat_interval=0.1)
        await bot.session.close()
    times = sorted(call.at for call in api.calls)
    assert len(times) == 24
    assert max(sum(1 for t in times if start <= t < start + 0.5) for start in times) <= 2 + 20 * 0.5 + 1
    for chat_id in (41, 42, 43):
        chat_times = [call.at for call in api.calls_to_chat(chat_id)]
        assert min(b - a for a, b in itertools.pairwise(chat_times)) >= 0.1 - 0.01
        assert api.delivered[chat_id] == [f"{chat_id}-{n}" for n in range(8)]


async def test_a_stop_puts_unsent_rows_back_and_the_next_start_sends_them(session_maker, database_url) -> None:
    async def rule(api: FakeBotApi, call: ApiCall) -> ScriptedReply | None:
        await asyncio.sleep(0.1)
        return None

    async with FakeBotApi(rule=rule) as api:
        settings, bot = bot_for(api, database_url)
        await make_accounts(session_maker, 51)
        await queue(session_maker, 51, *(f"m{n}" for n in range(10)))
        async with delivery_worker(bot, session_maker, settings, fast_config(settings, per_chat_interval=0.05)):
            await asyncio.sleep(0.4)
        states = [row.state for row in await rows(session_maker)]
        assert OutboxState.SENDING not in states and OutboxState.PENDING in states
        async with delivery_worker(bot, session_maker, settings, fast_config(settings)):
            await wait_until_settled(session_maker)
        await bot.session.close()
    assert api.delivered == {51: [f"m{n}" for n in range(10)]}


async def test_rows_left_sending_by_a_killed_process_are_sent_on_start(session_maker, database_url) -> None:
    async with FakeBotApi() as api:
        settings, bot = bot_for(api, database_url)
        await make_accounts(session_maker, 61)
        await queue(session_maker, 61, "in flight at the kill")
        async with session_maker() as session:
            row = await session.scalar(select(OutboxMessage))
            row.state = OutboxState.SENDING
            await session.commit()
        async with delivery_worker(bot, session_maker, settings, fast_config(settings)):
            await wait_until_settled(session_maker)
        await bot.session.close()
    assert api.delivered == {61: ["in flight at the kill"]}


async def _drain(bot, session_maker, settings, **overrides) -> DeliveryWorker:
    worker = telegram_worker(bot, session_maker, settings, fast_config(settings, **overrides))
    await worker.drain()
    return worker
