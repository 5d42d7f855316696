"""`kill -9` a delivery worker mid-send while another one runs: every notification arrives; the killed
worker's rows are sent by the other only once their lease has run out; the only duplicates are
messages that were in flight at the kill (requested, not yet recorded as sent)."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from models import OutboxMessage, OutboxState
from tests.delivery_helpers import fill_chats, wait_for
from tests.fake_bot_api import FakeBotApi, SlowTelegram

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST"
LEASE = 4.0  # seconds (the production lease is a minute): long enough that a loaded machine renews in time
MAX_IN_FLIGHT = 8  # requests a worker keeps open at once

# The worker as the bot process runs it, with quick limits and a short lease; it runs until it is
# killed. It says "ready" once imported and starts on a line from stdin, so starting need not wait;
# when stdin closes (the test's process is gone, however it ended) it exits, so none is left behind.
WORKER = """
import asyncio, os, sys, threading
from bot.config import Settings
from bot.factory import create_bot
from models.db import create_engine, create_session_maker
from bot.outbound.delivery import telegram_worker
from services.delivery_config import DeliveryConfig

async def main():
    settings = Settings(database_url=os.environ["CRASH_DB"], bot_token=os.environ["CRASH_TOKEN"],
                        telegram_api_url=os.environ["CRASH_API"], _env_file=None)
    config = DeliveryConfig.from_settings(settings, per_chat_interval=0.2, rate_per_second=500, global_burst=50,
                                          per_second_cap=10_000, poll_interval=0.05,
                                          max_in_flight=int(os.environ["CRASH_IN_FLIGHT"]),
                                          lease=float(os.environ["CRASH_LEASE"]))
    engine = create_engine(settings.database_url)
    worker = telegram_worker(create_bot(settings), create_session_maker(engine), settings, config,
                            owner=os.environ["CRASH_OWNER"])
    await worker.run(asyncio.Event())

print("ready", flush=True)
sys.stdin.readline()
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
asyncio.run(main())
"""


async def spawn_worker(database_url: str, api_url: str, owner: str) -> asyncio.subprocess.Process:
    env = dict(
        os.environ,
        CRASH_DB=database_url,
        CRASH_API=api_url,
        CRASH_TOKEN=TOKEN,
        CRASH_OWNER=owner,
        CRASH_LEASE=str(LEASE),
        CRASH_IN_FLIGHT=str(MAX_IN_FLIGHT),
    )
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", WORKER, cwd=ROOT, env=env, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )


async def start(worker: asyncio.subprocess.Process) -> None:
    assert worker.stdin is not None and worker.stdout is not None
    assert (await worker.stdout.readline()).strip() == b"ready"
    worker.stdin.write(b"go\n")
    await worker.stdin.drain()


async def kill(worker: asyncio.subprocess.Process) -> None:
    """SIGKILL: no clean-up of any kind."""
    if worker.returncode is None:
        worker.kill()
    await worker.wait()


async def holds_within(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not await condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


async def outbox_rows(session_maker) -> list[OutboxMessage]:
    async with session_maker() as session:
        return list(await session.scalars(select(OutboxMessage)))


async def test_a_worker_killed_mid_send_has_its_rows_sent_by_the_other_once_its_lease_ends(
    session_maker, database_url
) -> None:
    texts = await fill_chats(session_maker)
    telegram = SlowTelegram()
    async with FakeBotApi(token=TOKEN, rule=telegram) as api:

        async def delivered(count: int) -> bool:
            return len(api.calls) >= count

        async def doomed_is_stuck_mid_send() -> bool:
            """As many requests open as the worker may have, and rows claimed that it has not sent: with
            the answers held back, nothing of this changes until the kill."""
            requested = {call.text for call in api.calls}
            held = [
                row.payload["text"]
                for row in await outbox_rows(session_maker)
                if row.state == OutboxState.SENDING and row.claimed_by == "doomed"
            ]
            in_flight = sum(text in requested for text in held)
            return in_flight >= MAX_IN_FLIGHT and len(held) > in_flight

        async def hold_with_doomed_stuck() -> None:
            for _ in range(20):
                telegram.hold()
                if await holds_within(doomed_is_stuck_mid_send, seconds=2):
                    return
                telegram.release()  # the doomed worker had too little claimed: let both go on a little
                await asyncio.sleep(0.1)
            raise AssertionError("the doomed worker never held more rows than it had in flight")

        doomed, survivor = [await spawn_worker(database_url, api.url, owner) for owner in ("doomed", "survivor")]
        try:
            await start(doomed)
            await wait_for(lambda: delivered(20))
            await start(survivor)  # both send now, each its own rows
            await wait_for(lambda: delivered(len(texts) // 3))
            await hold_with_doomed_stuck()
            await kill(doomed)
            telegram.release()
            killed_at = time.time()
            received_at_kill = Counter(call.text for call in api.calls)
            held = {
                row.payload["text"]: row.claimed_until
                for row in await outbox_rows(session_maker)
                if row.state == OutboxState.SENDING and row.claimed_by == "doomed"
            }
            in_flight = {text for text in held if text in received_at_kill}
            waiting = {text: until for text, until in held.items() if text not in received_at_kill}
            assert in_flight, "the kill came between two sends"
            assert waiting, "the killed worker held rows it had not sent yet"

            async def all_sent() -> bool:
                return all(row.state == OutboxState.SENT for row in await outbox_rows(session_maker))

            await wait_for(all_sent)
        finally:  # a failed check must not leave a worker behind to run on
            telegram.release()
            await kill(doomed)
            await kill(survivor)

    delivered_texts = Counter(call.text for call in api.calls)
    assert set(delivered_texts) == set(texts)  # none lost
    duplicates = {text for text, count in delivered_texts.items() if count > 1}
    assert duplicates <= in_flight  # only messages in flight at the kill came twice
    # The survivor left the dead worker's rows alone until their lease ran out, then sent them.
    for text, until in waiting.items():
        [call] = [call for call in api.calls if call.text == text]
        assert call.wall >= until.timestamp() - 0.05, (text, call.wall - killed_at)
    assert min(until.timestamp() for until in waiting.values()) > killed_at, "the lease was still running at the kill"
