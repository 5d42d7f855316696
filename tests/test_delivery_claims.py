"""How delivery workers claim outbox rows: two workers never send one row, a worker stops at rows
whose claim ran out, and a claim spreads over many chats (each takes only about one message a second)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import update

from bot.factory import create_bot
from bot.outbound.delivery import telegram_worker
from models import Account, OutboxMessage, OutboxState, utcnow
from models.db import create_engine, create_session_maker
from services import delivery_claims
from tests.delivery_helpers import fast_config, fill_chats, queue_text
from tests.fake_bot_api import FakeBotApi, SlowTelegram
from tests.test_delivery import bot_for, make_accounts, queue, rows, wait_until_settled


async def test_a_second_worker_starting_while_the_first_sends_sends_nothing_twice(session_maker, database_url) -> None:
    texts = await fill_chats(session_maker)
    async with FakeBotApi(rule=SlowTelegram()) as api:  # some requests always in flight
        settings, first_bot = bot_for(api, database_url)
        config = fast_config(settings, per_chat_interval=0.05, max_in_flight=8)
        other_engine = create_engine(database_url)  # the second worker as another process would have it
        second_bot = create_bot(settings)
        first = telegram_worker(first_bot, session_maker, settings, config)
        second = telegram_worker(second_bot, create_session_maker(other_engine), settings, config)
        stop = asyncio.Event()
        running = [asyncio.create_task(first.run(stop))]
        await asyncio.sleep(0.5)
        assert OutboxState.SENDING in {row.state for row in await rows(session_maker)}, "the first is sending"
        running.append(asyncio.create_task(second.run(stop)))
        try:
            settled = await wait_until_settled(session_maker, timeout=60)
        finally:
            stop.set()
            await asyncio.gather(*running)
            for bot in (first_bot, second_bot):
                await bot.session.close()
            await other_engine.dispose()

    delivered = Counter(call.text for call in api.calls)
    assert sorted(delivered) == sorted(texts)  # none lost
    assert [text for text, count in delivered.items() if count > 1] == []  # none twice
    assert {row.state for row in settled} == {OutboxState.SENT}
    assert second.stats.sent > 0, "the second worker took part"


async def test_a_worker_whose_claim_was_taken_over_sends_none_of_those_rows(session_maker, database_url) -> None:
    async with FakeBotApi() as api:
        settings, bot = bot_for(api, database_url)
        await make_accounts(session_maker, 71)
        await queue(session_maker, 71, *(f"m{n}" for n in range(4)))
        # All four claimed at once; lease 0.4 s, renewed every 0.1 s; one message every 0.3 s.
        config = fast_config(settings, per_chat_interval=0.3, lease=0.4, per_chat_queue=4)
        worker = telegram_worker(bot, session_maker, settings, config)
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop))
        while not api.calls:
            await asyncio.sleep(0.01)
        # Meanwhile its claims ran out (a stalled process, say) and another worker took the rest.
        async with session_maker() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.state == OutboxState.SENDING, OutboxMessage.payload["text"].as_string() != "m0")
                .values(claimed_by="another worker", claimed_until=utcnow() + dt.timedelta(hours=1))
            )
            await session.commit()
        await asyncio.sleep(1.0)
        stop.set()
        await task
        await bot.session.close()
    assert [call.text for call in api.calls] == ["m0"]
    taken = [row for row in await rows(session_maker) if row.claimed_by == "another worker"]
    assert len(taken) == 3 and {row.state for row in taken} == {OutboxState.SENDING}  # left to the other worker


async def test_a_long_queue_for_one_chat_does_not_hold_back_the_others(session_maker, database_url) -> None:
    async with FakeBotApi() as api:
        settings, bot = bot_for(api, database_url)
        await make_accounts(session_maker, 1, *range(100, 130))
        await queue(session_maker, 1, *(f"busy {n}" for n in range(300)))  # older than everyone else's
        for chat_id in range(100, 130):
            await queue(session_maker, chat_id, f"for {chat_id}")
        worker = telegram_worker(bot, session_maker, settings, fast_config(settings, per_chat_interval=0.1))
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop))
        while len(api.delivered) < 31:
            await asyncio.sleep(0.02)
        stop.set()
        await task
        await bot.session.close()
    assert len(api.delivered[1]) < 5  # the others went while the busy chat had sent a few


async def test_a_digest_goes_as_one_message_however_many_rows_it_gathers(session_maker, database_url) -> None:
    async with FakeBotApi() as api:
        settings, bot = bot_for(api, database_url)
        accounts = await make_accounts(session_maker, 81)
        async with session_maker() as session:
            account = await session.get(Account, accounts[81])
            yesterday = utcnow() - dt.timedelta(days=2)  # the digest time has passed since
            for n in range(7):
                queue_text(session, account, f"news {n}", digest=True, now=yesterday)
            await session.commit()
        await telegram_worker(bot, session_maker, settings, fast_config(settings)).drain()
        await bot.session.close()
    [digest] = api.delivered[81]
    assert all(f"news {n}" in digest for n in range(7))


async def send_with_a_change_before_the_claim(
    session_maker, database_url, monkeypatch, chat_id: int, text: str, **change
) -> dict[int, list[str]]:
    """Queue `text` for a chat and run the worker once, with the outbox row changed (`change`) by another
    session between the worker's look at the candidates and its claim; what the chat received."""
    if database_url.startswith("postgresql"):
        pytest.skip("on PostgreSQL the worker's candidates are locked: nothing can change in between")
    claim = delivery_claims.claim

    async def changed_first(session, *args, **kwargs):
        async with session_maker() as other:
            await other.execute(update(OutboxMessage).values(**change))
            await other.commit()
        return await claim(session, *args, **kwargs)

    monkeypatch.setattr(delivery_claims, "claim", changed_first)
    async with FakeBotApi() as api:
        settings, bot = bot_for(api, database_url)
        await make_accounts(session_maker, chat_id)
        await queue(session_maker, chat_id, text)
        await telegram_worker(bot, session_maker, settings, fast_config(settings)).drain()
        await bot.session.close()
    return api.delivered


async def test_a_row_rewritten_after_the_worker_looked_goes_out_as_rewritten(
    session_maker, database_url, monkeypatch
) -> None:
    """A teacher's correction within the grace window rewrites a pending row: what goes out is what the
    claim took, not what the worker read a moment earlier."""
    delivered = await send_with_a_change_before_the_claim(
        session_maker, database_url, monkeypatch, 51, "5", payload={"text": "5 → 4"}
    )
    assert delivered == {51: ["5 → 4"]}


async def test_a_row_no_longer_due_when_the_worker_claims_it_waits(session_maker, database_url, monkeypatch) -> None:
    """Another lesson's marks join a child's message and its grace window starts again: the claim checks
    again that the row is due, and it waits."""
    delivered = await send_with_a_change_before_the_claim(
        session_maker, database_url, monkeypatch, 52, "later", not_before=utcnow() + dt.timedelta(hours=1)
    )
    assert delivered == {}
    [row] = await rows(session_maker)
    assert row.state == OutboxState.PENDING
