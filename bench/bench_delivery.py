"""Benchmark: the delivery worker against a Bot API that enforces Telegram's limits.

    python bench/bench_delivery.py [--notifications 2000] [--chats 1000] [--rate 28] [--database-url URL]

A local Bot API stub (aiohttp on 127.0.0.1) accepts at most 30 messages in any one-second window
overall and one message a second per chat, and answers anything beyond with 429 and a retry_after,
as Telegram does. The outbox of a temporary SQLite database (or the empty database you name) holds
the notifications, spread over the chats in random order; the real worker (services.delivery, real
aiogram Bot over HTTP) sends them with TELEGRAM_RATE_PER_SECOND = --rate and its default burst and
per-chat spacing. Prints the achieved rate as a share of the 30/s limit (goal ≥ 0.9), the 429s
received after the first second (goal 0) and the notifications lost (must be 0); exits 1 when a
goal is missed. It takes about 2000 / rate seconds by design.
"""
from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import sys
import tempfile
import time
from collections import Counter, deque
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp import web  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.factory import create_bot  # noqa: E402
from models import Account, OutboxMessage, OutboxState, utcnow  # noqa: E402
from models.db import create_engine, create_session_maker, upgrade_database  # noqa: E402
from services.delivery import DeliveryConfig, DeliveryWorker  # noqa: E402

TOKEN = "123456:BENCH"
LIMIT_OVERALL = 30     # messages in any one-second window
LIMIT_PER_CHAT = 1.0   # seconds between two messages to one chat


class LimitedBotApi:
    """sendMessage under Telegram's flood limits; every accepted message is recorded."""

    def __init__(self) -> None:
        self.accepted: deque[float] = deque()        # arrival times within the last second
        self.last_in_chat: dict[int, float] = {}
        self.delivered: list[str] = []
        self.first_at: float | None = None
        self.last_at = 0.0
        self.refused_at: list[float] = []
        self.refused_why: Counter[str] = Counter()
        self._ids = 0
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/sendMessage", self._send)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _send(self, request: web.Request) -> web.Response:
        form = await request.post()
        now = time.monotonic()
        if self.first_at is None:
            self.first_at = now
        chat_id, text = int(str(form["chat_id"])), str(form["text"])
        while self.accepted and self.accepted[0] <= now - 1.0:
            self.accepted.popleft()
        wait = 0.0
        if len(self.accepted) >= LIMIT_OVERALL:
            wait = self.accepted[0] + 1.0 - now
            self.refused_why["overall"] += 1
        previous = self.last_in_chat.get(chat_id)
        if previous is not None and now - previous < LIMIT_PER_CHAT:
            wait = max(wait, previous + LIMIT_PER_CHAT - now)
            self.refused_why["per chat"] += 1
        if wait > 0:
            self.refused_at.append(now)
            retry_after = max(1, math.ceil(wait))
            return web.json_response({"ok": False, "error_code": 429, "parameters": {"retry_after": retry_after},
                                      "description": f"Too Many Requests: retry after {retry_after}"}, status=429)
        self.accepted.append(now)
        self.last_in_chat[chat_id] = now
        self.delivered.append(text)
        self.last_at = now
        self._ids += 1
        return web.json_response({"ok": True, "result": {
            "message_id": self._ids, "date": int(time.time()), "text": text, "chat": {"id": chat_id, "type": "private"},
        }})


async def fill_outbox(session_maker, notifications: int, chats: int) -> list[str]:
    async with session_maker() as session:
        await session.execute(insert(Account), [
            {"telegram_id": 10_000_000 + n, "chat_id": 10_000_000 + n, "quiet_start": None, "quiet_end": None}
            for n in range(chats)
        ])
        account_ids = list(await session.scalars(select(Account.id).order_by(Account.id)))
        targets = [account_ids[n % chats] for n in range(notifications)]
        random.Random(1).shuffle(targets)
        chat_of = {account_id: 10_000_000 + index for index, account_id in enumerate(account_ids)}
        now = utcnow()
        texts = [f"notification {n}" for n in range(notifications)]
        await session.execute(insert(OutboxMessage), [
            {"kind": "bench", "account_id": account_id, "chat_id": chat_of[account_id], "payload": {"text": text},
             "state": OutboxState.PENDING, "not_before": now, "created_at": now, "attempts": 0, "last_error": ""}
            for account_id, text in zip(targets, texts)
        ])
        await session.commit()
    return texts


async def run(args: argparse.Namespace) -> int:
    temporary = None
    database_url = args.database_url
    if database_url is None:
        temporary = tempfile.mkdtemp(prefix="bench-delivery-")
        database_url = f"sqlite+aiosqlite:///{os.path.join(temporary, 'bench.db')}"
    engine = create_engine(database_url)
    await upgrade_database(engine)
    session_maker = create_session_maker(engine)
    texts = await fill_outbox(session_maker, args.notifications, args.chats)

    api = LimitedBotApi()
    await api.start()
    settings = Settings(database_url=database_url, bot_token=TOKEN, telegram_api_url=api.url,
                        telegram_rate_per_second=args.rate, _env_file=None)
    bot = create_bot(settings)
    worker = DeliveryWorker(bot, session_maker, settings, DeliveryConfig.from_settings(settings))
    print(f"{args.notifications} notifications to {args.chats} chats; worker at {args.rate:g} msg/s "
          f"(burst {worker.config.global_burst}, {worker.config.per_chat_interval:g} s per chat); "
          f"stub limits {LIMIT_OVERALL}/s overall, 1/s per chat")
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    started = time.monotonic()
    while True:
        await asyncio.sleep(0.5)
        async with session_maker() as session:
            open_rows = await session.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.state.in_([OutboxState.PENDING, OutboxState.SENDING])))
        if not open_rows or time.monotonic() - started > args.timeout:
            break
    stop.set()
    await task
    await bot.session.close()
    await api.stop()
    async with session_maker() as session:
        sent = await session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.state == OutboxState.SENT))
    await engine.dispose()

    counts = Counter(api.delivered)
    lost = sum(1 for text in texts if text not in counts)
    duplicates = sum(count - 1 for count in counts.values())
    first = api.first_at or 0.0
    elapsed = max(api.last_at - first, 1e-9)
    rate = len(api.delivered) / elapsed
    share = rate / LIMIT_OVERALL
    late_429 = sum(1 for at in api.refused_at if at > first + 1.0)
    print(f"delivered {len(counts)} of {len(texts)} ({sent} rows marked sent) in {elapsed:.1f} s")
    print(f"achieved rate: {rate:.2f} msg/s = {share:.3f} of the {LIMIT_OVERALL}/s limit (goal ≥ 0.9)")
    why = ", ".join(f"{reason} {count}" for reason, count in sorted(api.refused_why.items())) or "none"
    print(f"429 answers: {len(api.refused_at) - late_429} in the first second, {late_429} after it (goal 0); "
          f"limits hit: {why}")
    print(f"lost: {lost} (must be 0); duplicates: {duplicates}")
    if temporary:
        for name in os.listdir(temporary):
            os.remove(os.path.join(temporary, name))
        os.rmdir(temporary)
    return 0 if lost == 0 and late_429 == 0 and share >= 0.9 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notifications", type=int, default=2000)
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=28.0, help="TELEGRAM_RATE_PER_SECOND for the worker")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--database-url", default=None)
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
