"""Helpers for the notification tests: a delivery worker with tiny waits, and reading the outbox."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from sqlalchemy import null, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat_client import ChatClient, ChatUser
from bot.config import Settings
from bot.i18n import get_translator
from bot.outbound.delivery import telegram_worker
from bot.outbound.render import render
from bot.outbound.telegram import keyboard
from models import Account, OutboxMessage, OutboxState, utcnow
from services.channel import RowView
from services.delivery import DeliveryWorker
from services.delivery_config import DeliveryConfig
from services.notices import DIGEST_FLAG


def account_without_quiet_hours(chat_id: int) -> Account:
    """An account whose notices are due at any hour. NULL is spelled out: the ORM takes a plain None for
    «not given» and fills in the column's default (21:00–08:00), which held these notices whenever the
    suite ran in the evening or at night."""
    return Account(telegram_id=chat_id, chat_id=chat_id, quiet_start=null(), quiet_end=null())


def fast_config(settings: Settings, **overrides: Any) -> DeliveryConfig:
    """The production rules (grace windows from `settings`) with waits shrunk to milliseconds."""
    values: dict[str, Any] = dict(
        per_chat_interval=0.01,
        rate_per_second=1000,
        global_burst=100,
        per_second_cap=10_000,
        poll_interval=0.02,
        backoff_base=0.01,
        backoff_cap=0.05,
        retry_after_unit=0.05,
        request_timeout=5,
        stop_timeout=2,
    )
    values.update(overrides)
    return DeliveryConfig.from_settings(settings, **values)


async def deliver(
    bot: Bot,
    session_maker: async_sessionmaker[AsyncSession],
    settings: Settings,
    now: dt.datetime | None = None,
    **overrides: Any,
) -> DeliveryWorker:
    """One pass of the worker at `now` (default: the clock, which tests move with time-machine)."""
    worker = telegram_worker(bot, session_maker, settings, fast_config(settings, **overrides))
    await worker.drain(now)
    return worker


async def fill_chats(
    session_maker: async_sessionmaker[AsyncSession], chats: int = 20, per_chat: int = 10, first_chat: int = 800
) -> list[str]:
    """`per_chat` plain notices to each of `chats` accounts without quiet hours, round after round."""
    async with session_maker() as session:
        accounts = [account_without_quiet_hours(first_chat + n) for n in range(chats)]
        session.add_all(accounts)
        await session.flush()
        texts = []
        for number in range(per_chat):
            for account in accounts:
                texts.append(f"notification {account.chat_id}/{number}")
                queue_text(session, account, texts[-1])
        await session.commit()
    return texts


def queue_text(
    session: AsyncSession, account: Account, text: str, *, digest: bool = False, now: dt.datetime | None = None
) -> OutboxMessage:
    """A row holding a finished text, as rows were written before notices were typed (a kind of its own,
    the payload without a version): the worker sends such a text as it is. The delivery tests send these,
    so that what a chat receives is exactly the text queued."""
    now = now or utcnow()
    payload: dict[str, Any] = {"text": text, **({DIGEST_FLAG: True} if digest else {})}
    row = OutboxMessage(
        kind="test",
        account_id=account.id,
        chat_id=account.chat_id,
        payload=payload,
        state=OutboxState.PENDING,
        created_at=now,
        not_before=now,
        attempts=0,
        last_error="",
    )
    session.add(row)
    return row


async def wait_for(condition: Callable[[], Awaitable[bool]], timeout: float = 60, step: float = 0.02) -> None:
    """Until `condition()` holds; fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(step)


async def outbox_rows(
    session_maker: async_sessionmaker[AsyncSession], telegram_id: int | None = None
) -> list[OutboxMessage]:
    async with session_maker() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if telegram_id is not None:
            query = query.join(Account, Account.id == OutboxMessage.account_id).where(
                Account.telegram_id == telegram_id
            )
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


def show_last_buttons(harness: ChatClient, user: ChatUser) -> list[str]:
    """Let `user` press the buttons of the last message the worker delivered to them."""
    shown = harness.keyboard_in(user.user.id)
    if shown is None:
        return []
    user.sees(shown)
    return user.button_labels()
