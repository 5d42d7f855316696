"""Benchmark: the delivery worker with its default settings against a Bot API that enforces Telegram's limits.

    python bench/bench_delivery.py [--rate R] [--database-url URL]

A local Bot API stub (aiohttp on 127.0.0.1) accepts at most 30 messages in any one-second window
overall and one message a second per chat, and answers anything beyond with 429 and a retry_after,
as Telegram does. The real worker (services.delivery, real aiogram Bot over HTTP) sends the outbox of
a temporary SQLite database (or of the database you name: its bench rows are removed afterwards)
with the default settings (TELEGRAM_RATE_PER_SECOND unless --rate). Two workloads, each from a fresh
outbox and a fresh stub:

* "2000 to 1000 chats": 2,000 notifications spread over 1,000 chats in random order;
* "10 each to 100 chats": 10 notifications to each of 100 chats, each chat's in a row (a parent's
  evening of marks), where the per-chat limit binds: a chat takes about one message a second.

For each it prints the achieved rate as a share of the 30/s limit (goal ≥ 0.9), the 429s received in
the first second and after it (goal 0 after), the notifications lost (must be 0) and the duplicates
(must be 0); exits 1 when a goal is missed. It takes about 3000 / rate seconds by design.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp import web  # noqa: E402
from sqlalchemy import delete, func, insert, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.factory import create_bot  # noqa: E402
from bot.outbound.delivery import telegram_worker  # noqa: E402
from models import Account, OutboxMessage, OutboxState, utcnow  # noqa: E402
from models.db import create_engine, create_session_maker, upgrade_database  # noqa: E402
from services.delivery_config import DeliveryConfig  # noqa: E402
from tests.conftest import reset_postgres  # noqa: E402

TOKEN = "123456:BENCH"
LIMIT_OVERALL = 30  # messages in any one-second window
LIMIT_PER_CHAT = 1.0  # seconds between two messages to one chat


@dataclass
class Tally:
    """What the stub saw, in its own process's clock."""

    delivered: list[str]
    first_at: float | None
    last_at: float
    refused_at: list[float]
    refused_why: Counter[str]


class LimitedBotApi:
    """sendMessage under Telegram's flood limits; every accepted message is recorded."""

    def __init__(self) -> None:
        self.accepted: deque[float] = deque()  # arrival times within the last second
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

    async def stop(self) -> Tally:
        if self._runner is not None:
            await self._runner.cleanup()
        return Tally(self.delivered, self.first_at, self.last_at, self.refused_at, self.refused_why)

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
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "parameters": {"retry_after": retry_after},
                    "description": f"Too Many Requests: retry after {retry_after}",
                },
                status=429,
            )
        self.accepted.append(now)
        self.last_in_chat[chat_id] = now
        self.delivered.append(text)
        self.last_at = now
        self._ids += 1
        return web.json_response(
            {
                "ok": True,
                "result": {
                    "message_id": self._ids,
                    "date": int(time.time()),
                    "text": text,
                    "chat": {"id": chat_id, "type": "private"},
                },
            }
        )


def serve(connection: Connection) -> None:
    """The stub in a process of its own, as Telegram's servers are: a pause of the worker's process
    (its garbage collector, a busy machine) delays the worker's requests, not the server's clock."""

    async def main() -> None:
        api = LimitedBotApi()
        await api.start()
        connection.send(api.url)
        await asyncio.get_running_loop().run_in_executor(None, connection.recv)  # until told to stop
        connection.send(await api.stop())

    asyncio.run(main())


class StubProcess:
    def __init__(self) -> None:
        self._connection, child = multiprocessing.get_context("spawn").Pipe()
        self._process = multiprocessing.get_context("spawn").Process(target=serve, args=(child,), daemon=True)

    def start(self) -> str:
        self._process.start()
        return self._connection.recv()

    def stop(self) -> Tally:
        self._connection.send("stop")
        tally = self._connection.recv()
        self._process.join()
        return tally


FIRST_CHAT = 10_000_000  # bench accounts' chat ids (and telegram ids) start here


@dataclass(frozen=True)
class Workload:
    name: str
    chats: int
    per_chat: int
    shuffled: bool

    @property
    def notifications(self) -> int:
        return self.chats * self.per_chat


WORKLOADS = (
    Workload("2000 to 1000 chats", chats=1000, per_chat=2, shuffled=True),
    Workload("10 each to 100 chats", chats=100, per_chat=10, shuffled=False),
)


async def fill_outbox(session_maker, workload: Workload) -> list[str]:
    async with session_maker() as session:
        await session.execute(
            insert(Account),
            [
                {"telegram_id": FIRST_CHAT + n, "chat_id": FIRST_CHAT + n, "quiet_start": None, "quiet_end": None}
                for n in range(workload.chats)
            ],
        )
        account_ids = list(
            await session.scalars(select(Account.id).where(Account.telegram_id >= FIRST_CHAT).order_by(Account.id))
        )
        targets = [account_id for account_id in account_ids for _ in range(workload.per_chat)]
        if workload.shuffled:
            random.Random(1).shuffle(targets)
        chat_of = {account_id: FIRST_CHAT + index for index, account_id in enumerate(account_ids)}
        now = utcnow()
        texts = [f"notification {n}" for n in range(workload.notifications)]
        await session.execute(
            insert(OutboxMessage),
            [
                {
                    "kind": "bench",
                    "account_id": account_id,
                    "chat_id": chat_of[account_id],
                    "payload": {"text": text},
                    "state": OutboxState.PENDING,
                    "not_before": now,
                    "created_at": now,
                    "attempts": 0,
                    "last_error": "",
                }
                for account_id, text in zip(targets, texts)
            ],
        )
        await session.commit()
    return texts


async def remove_bench_rows(session_maker) -> None:
    async with session_maker() as session:
        bench_accounts = select(Account.id).where(Account.telegram_id >= FIRST_CHAT)
        await session.execute(delete(OutboxMessage).where(OutboxMessage.account_id.in_(bench_accounts)))
        await session.execute(delete(Account).where(Account.telegram_id >= FIRST_CHAT))
        await session.commit()


async def open_rows(session_maker) -> int:
    async with session_maker() as session:
        return await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.state.in_([OutboxState.PENDING, OutboxState.SENDING]))
        )


async def run_workload(workload: Workload, session_maker, database_url: str, args: argparse.Namespace) -> bool:
    await remove_bench_rows(session_maker)
    texts = await fill_outbox(session_maker, workload)
    stub = StubProcess()
    url = stub.start()
    values = {"telegram_rate_per_second": args.rate} if args.rate is not None else {}
    settings = Settings(database_url=database_url, bot_token=TOKEN, telegram_api_url=url, _env_file=None, **values)
    bot = create_bot(settings)
    worker = telegram_worker(bot, session_maker, settings, DeliveryConfig.from_settings(settings))
    config = worker.config
    print(
        f"\n{workload.name}: {workload.notifications} notifications; worker at {config.rate_per_second:g} msg/s "
        f"(burst {config.global_burst}, {config.per_chat_interval:g} s per chat)"
    )
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    started = time.monotonic()
    while await open_rows(session_maker) and time.monotonic() - started < args.timeout:
        await asyncio.sleep(0.5)
    stop.set()
    await task
    await bot.session.close()
    tally = stub.stop()
    async with session_maker() as session:
        sent = await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == OutboxState.SENT)
        )
    await remove_bench_rows(session_maker)
    return report(tally, texts, sent)


def report(api: Tally, texts: list[str], sent: int) -> bool:
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
    print(
        f"429 answers: {len(api.refused_at) - late_429} in the first second, {late_429} after it (goal 0); "
        f"limits hit: {why}"
    )
    print(f"lost: {lost} (must be 0); duplicates: {duplicates} (must be 0)")
    return lost == 0 and duplicates == 0 and late_429 == 0 and share >= 0.9


async def run(args: argparse.Namespace) -> int:
    temporary = None
    database_url = args.database_url
    if database_url is None:
        temporary = tempfile.mkdtemp(prefix="bench-delivery-")
        database_url = f"sqlite+aiosqlite:///{os.path.join(temporary, 'bench.db')}"
    engine = create_engine(database_url)
    await upgrade_database(engine)
    if engine.dialect.name == "postgresql":
        await reset_postgres(engine)
    session_maker = create_session_maker(engine)
    print(f"{make_url(database_url).get_backend_name()}; stub limits {LIMIT_OVERALL}/s overall, 1/s per chat")
    try:
        met = [await run_workload(workload, session_maker, database_url, args) for workload in WORKLOADS]
    finally:
        await engine.dispose()
        if temporary:
            shutil.rmtree(temporary)
    return 0 if all(met) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="TELEGRAM_RATE_PER_SECOND for the worker (default: the setting's default)",
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per workload at most")
    parser.add_argument(
        "--database-url", default=None, help="a PostgreSQL database instead of a temporary SQLite file (emptied first)"
    )
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
