"""The delivery worker as the bot runs it: the outbox sent through Telegram, rendered when sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.outbound.render import render_rows
from bot.outbound.telegram import TelegramChannel
from services.delivery import DeliveryWorker, running
from services.delivery_config import DeliveryConfig, at_once


def telegram_worker(
    bot: Bot,
    session_maker: async_sessionmaker[AsyncSession],
    settings: Settings,
    config: DeliveryConfig | None = None,
    *,
    owner: str | None = None,
) -> DeliveryWorker:
    return DeliveryWorker(TelegramChannel(bot), render_rows, session_maker, settings, config, owner=owner)


@asynccontextmanager
async def delivery_worker(
    bot: Bot,
    session_maker: async_sessionmaker[AsyncSession],
    settings: Settings,
    config: DeliveryConfig | None = None,
    *,
    owner: str | None = None,
) -> AsyncIterator[DeliveryWorker]:
    """`async with delivery_worker(...)`: the worker runs in the background for the block's duration."""
    async with running(telegram_worker(bot, session_maker, settings, config, owner=owner)) as worker:
        yield worker


async def deliver_everything_now(bot: Bot, session_maker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    """The console: every pending row at once, ignoring grace windows, quiet hours and digest times."""
    await telegram_worker(bot, session_maker, settings, at_once(settings)).drain(everything=True)
