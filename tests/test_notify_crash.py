"""`kill -9` the delivery worker mid-send, start it again: every notification arrives, and the only
duplicates are messages that were in flight at the kill (requested, not yet recorded as sent)."""
from __future__ import annotations

import asyncio
import os
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from models import Account, OutboxMessage, OutboxState
from services import outbox
from tests.delivery_helpers import Call, StubApi

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST"
CHATS, PER_CHAT = 20, 10

# The worker as the bot process runs it, with quick limits; it runs until it is killed. It says
# "ready" once imported and starts on a line from stdin, so the restart need not wait for imports.
WORKER = """
import asyncio, os, sys
from bot.config import Settings
from bot.factory import create_bot
from models.db import create_engine, create_session_maker
from services.delivery import DeliveryConfig, run_delivery_worker

async def main():
    settings = Settings(database_url=os.environ["CRASH_DB"], bot_token=os.environ["CRASH_TOKEN"],
                        telegram_api_url=os.environ["CRASH_API"], _env_file=None)
    config = DeliveryConfig.from_settings(settings, per_chat_interval=0.01, rate_per_second=500, global_burst=50,
                                          poll_interval=0.05, max_in_flight=8)
    engine = create_engine(settings.database_url)
    await run_delivery_worker(create_bot(settings), create_session_maker(engine), settings, asyncio.Event(), config)

print("ready", flush=True)
sys.stdin.readline()
asyncio.run(main())
"""


async def slowly(api: StubApi, call: Call) -> None:
    """Telegram as the worker sees it: the message is delivered when the request arrives (it is in
    `api.calls`); the answer takes 40 ms, so at any moment some requests are in flight."""
    await asyncio.sleep(0.04)


async def spawn_worker(database_url: str, api_url: str) -> asyncio.subprocess.Process:
    env = dict(os.environ, CRASH_DB=database_url, CRASH_API=api_url, CRASH_TOKEN=TOKEN)
    return await asyncio.create_subprocess_exec(sys.executable, "-c", WORKER, cwd=ROOT, env=env,
                                                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)


async def start(worker: asyncio.subprocess.Process) -> None:
    assert worker.stdin is not None and worker.stdout is not None
    assert (await worker.stdout.readline()).strip() == b"ready"
    worker.stdin.write(b"go\n")
    await worker.stdin.drain()


async def states(session_maker) -> list[tuple[str, OutboxState]]:
    async with session_maker() as session:
        return [(row.payload["text"], row.state) for row in await session.scalars(select(OutboxMessage))]


async def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_killed_mid_send_and_restarted_loses_nothing(session_maker, database_url) -> None:
    async with session_maker() as session:
        accounts = [Account(telegram_id=900 + n, chat_id=900 + n, quiet_start=None, quiet_end=None) for n in range(CHATS)]
        session.add_all(accounts)
        await session.flush()
        texts = []
        for number in range(PER_CHAT):
            for account in accounts:
                text = f"notification {account.chat_id}/{number}"
                outbox.enqueue(session, account, "test", {"text": text})
                texts.append(text)
        await session.commit()

    async with StubApi(slowly) as api:
        worker, successor = [await spawn_worker(database_url, api.url) for _ in range(2)]
        await start(worker)
        try:
            async def some_delivered() -> bool:
                return len(api.calls) >= len(texts) // 4
            await wait_for(some_delivered)
        finally:
            worker.kill()  # SIGKILL: no clean-up of any kind
            await worker.wait()
        received_at_kill = Counter(call.text for call in api.calls)
        at_kill = await states(session_maker)
        in_flight = [text for text, state in at_kill if state == OutboxState.SENDING and text in received_at_kill]
        assert in_flight, "the kill came between two sends"
        assert sum(state == OutboxState.SENT for _, state in at_kill) < len(texts) // 2, "the kill came too late"

        await start(successor)
        try:
            async def all_sent() -> bool:
                return all(state == OutboxState.SENT for _, state in await states(session_maker))
            await wait_for(all_sent)
        finally:
            successor.kill()
            await successor.wait()

    delivered = Counter(call.text for call in api.calls)
    assert set(delivered) == set(texts)  # none lost
    duplicates = {text: count - 1 for text, count in delivered.items() if count > 1}
    assert sum(duplicates.values()) <= len(in_flight)
    assert set(duplicates) <= set(in_flight)  # only messages in flight at the kill came twice
