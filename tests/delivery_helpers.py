"""Helpers for the notification tests: a delivery worker with tiny waits, and reading the outbox."""
from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiohttp import web
from aiogram.types import InlineKeyboardMarkup, Message
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from models import Account, OutboxMessage, OutboxState, utcnow
from services import outbox
from bot.i18n import get_translator
from bot.outbound.delivery import telegram_worker
from bot.outbound.render import render
from bot.outbound.telegram import keyboard
from services.channel import RowView
from services.delivery import DeliveryConfig, DeliveryWorker
from tests.tgclient import ChatUser, Harness


def fast_config(settings: Settings, **overrides: Any) -> DeliveryConfig:
    """The production rules (grace windows from `settings`) with waits shrunk to milliseconds."""
    values: dict[str, Any] = dict(
        per_chat_interval=0.01, rate_per_second=1000, global_burst=100, per_second_cap=10_000, poll_interval=0.02,
        backoff_base=0.01, backoff_cap=0.05, retry_after_unit=0.05, request_timeout=5, stop_timeout=2,
    )
    values.update(overrides)
    return DeliveryConfig.from_settings(settings, **values)


async def deliver(bot: Bot, session_maker: async_sessionmaker[AsyncSession], settings: Settings,
                  now: dt.datetime | None = None, **overrides: Any) -> DeliveryWorker:
    """One pass of the worker at `now` (default: the clock, which tests move with time-machine)."""
    worker = telegram_worker(bot, session_maker, settings, fast_config(settings, **overrides))
    await worker.drain(now)
    return worker


async def fill_chats(session_maker: async_sessionmaker[AsyncSession], chats: int = 20, per_chat: int = 10,
                     first_chat: int = 800) -> list[str]:
    """`per_chat` plain notices to each of `chats` accounts without quiet hours, round after round."""
    async with session_maker() as session:
        accounts = [Account(telegram_id=first_chat + n, chat_id=first_chat + n, quiet_start=None, quiet_end=None)
                    for n in range(chats)]
        session.add_all(accounts)
        await session.flush()
        texts = []
        for number in range(per_chat):
            for account in accounts:
                texts.append(f"notification {account.chat_id}/{number}")
                queue_text(session, account, texts[-1])
        await session.commit()
    return texts


def queue_text(session: AsyncSession, account: Account, text: str, *, digest: bool = False,
               now: dt.datetime | None = None) -> OutboxMessage:
    """A row holding a finished text, as rows were written before notices were typed (a kind of its own,
    the payload without a version): the worker sends such a text as it is. The delivery tests send these,
    so that what a chat receives is exactly the text queued."""
    now = now or utcnow()
    payload: dict[str, Any] = {"text": text, **({outbox.DIGEST_FLAG: True} if digest else {})}
    row = OutboxMessage(kind="test", account_id=account.id, chat_id=account.chat_id, payload=payload,
                        state=OutboxState.PENDING, created_at=now, not_before=now, attempts=0, last_error="")
    session.add(row)
    return row


async def wait_for(condition: Callable[[], Awaitable[bool]], timeout: float = 60, step: float = 0.02) -> None:
    """Until `condition()` holds; fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(step)


class SlowTelegram:
    """A rule for StubApi or FakeBotApi: each message is answered after 40 ms, so some requests are
    always in flight (the message counts as delivered when its request arrives). `hold()` keeps the
    answers back until `release()`, at most `longest` seconds (None: for as long as it takes), so that
    a test can act while requests are surely in flight however slowly a loaded machine runs the bot."""

    def __init__(self, longest: float | None = None) -> None:
        self.longest = longest
        self._answering = asyncio.Event()
        self._answering.set()

    async def __call__(self, api: object, call: object) -> None:
        if getattr(call, "method", "sendMessage") != "sendMessage":  # StubApi sees sendMessage only
            return
        await asyncio.sleep(0.04)
        try:
            await asyncio.wait_for(self._answering.wait(), timeout=self.longest)
        except asyncio.TimeoutError:
            pass

    def hold(self) -> None:
        self._answering.clear()

    def release(self) -> None:
        self._answering.set()


async def outbox_rows(session_maker: async_sessionmaker[AsyncSession], telegram_id: int | None = None) -> list[OutboxMessage]:
    async with session_maker() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if telegram_id is not None:
            query = query.join(Account, Account.id == OutboxMessage.account_id).where(Account.telegram_id == telegram_id)
        return list(await session.scalars(query))


def as_sent(row: OutboxMessage, language: str = "ru") -> dict[str, Any]:
    """A row's one message as the worker sends it, rendered in `language` (the demo accounts'): its text
    and reply markup as the Bot API request carries them."""
    [message] = render([RowView(row.id, row.kind, dict(row.payload), row.source_id)], get_translator(language))
    markup = keyboard(message.buttons)
    return {"text": message.text, "reply_markup": markup.model_dump(exclude_none=True) if markup else None}


async def account(session_maker: async_sessionmaker[AsyncSession], telegram_id: int) -> Account:
    async with session_maker() as session:
        found = await session.scalar(select(Account).where(Account.telegram_id == telegram_id))
        assert found is not None
        return found


async def update_account(session_maker: async_sessionmaker[AsyncSession], telegram_id: int, **values: Any) -> None:
    async with session_maker() as session:
        found = await session.scalar(select(Account).where(Account.telegram_id == telegram_id))
        assert found is not None
        for name, value in values.items():
            setattr(found, name, value)
        await session.commit()


def show_last_buttons(harness: Harness, user: ChatUser) -> list[str]:
    """Let `user` press the buttons of the last message the worker delivered to them."""
    for request in reversed(harness.session.requests):
        markup = getattr(request.method, "reply_markup", None)
        if request.chat_id == user.user.id and isinstance(markup, InlineKeyboardMarkup):
            user.last_markup = markup
            user.last_message = Message(message_id=1, date=dt.datetime.now(dt.timezone.utc), chat=user.chat,
                                        text=request.text)
            return user.button_labels()
    return []


# --- a Bot API over real HTTP that answers per chat and per moment -----------------------------------

@dataclass
class Call:
    at: float  # time.monotonic() when the request arrived
    chat_id: int
    text: str
    status: int = 200
    wall: float = field(default_factory=time.time)  # the same moment on the clock leases are read against


Reply = tuple[int, dict | str]
Rule = Callable[["StubApi", Call], Awaitable[Reply | None]]


@dataclass
class StubApi:
    """sendMessage only; `rule` may answer a call instead of the normal 200."""

    rule: Rule | None = None
    calls: list[Call] = field(default_factory=list)
    delivered: dict[int, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def __aenter__(self) -> StubApi:
        app = web.Application()
        app.router.add_route("POST", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        form = await request.post()
        call = Call(time.monotonic(), int(str(form["chat_id"])), str(form.get("text", "")))
        self.calls.append(call)
        reply = await self.rule(self, call) if self.rule else None
        if reply is None:
            self.delivered.setdefault(call.chat_id, []).append(call.text)
            reply = (200, {"ok": True, "result": {
                "message_id": next(self._ids), "date": int(time.time()), "text": call.text,
                "chat": {"id": call.chat_id, "type": "private"},
            }})
        call.status, body = reply
        if isinstance(body, str):
            return web.Response(status=call.status, text=body, content_type="text/html")
        return web.json_response(body, status=call.status)

    def calls_to(self, chat_id: int) -> list[Call]:
        return [call for call in self.calls if call.chat_id == chat_id]


def error(status: int, description: str, **parameters: object) -> Reply:
    body: dict = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return status, body
