"""The polling loop and what it needs from Telegram."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot, Dispatcher
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings, SettingsError, school_clock, store_school_settings
from bot.factory import create_bot, create_dispatcher, freeze_startup_heap, set_bot_commands
from bot.health import status_server
from bot.outbound.delivery import delivery_worker
from models.db import open_database
from scheduler.setup import attach_scheduler
from services import delivery_claims
from services.process_lock import LockLost, Singleton, hold_database_lock, hold_file_lock

log = logging.getLogger(__name__)


async def bot_username(settings: Settings) -> str:
    if settings.bot_username:
        return settings.bot_username.lstrip("@")
    if settings.bot_token is None:
        raise SettingsError("BOT_USERNAME: needed for invitation links when BOT_TOKEN is not set")
    bot = create_bot(settings)
    try:
        return (await bot.get_me()).username or ""
    finally:
        await bot.session.close()


async def run_polling(settings: Settings) -> None:
    """Take the bot's locks first (AlreadyRunning: another bot runs, nothing was started), then run the
    scheduler, the delivery worker and polling until a signal or until the lock is lost (LockLost)."""
    with hold_file_lock(settings.bot_lock_file):
        async with (
            open_database(settings.database_url, connections=settings.database_connections) as session_maker,
            hold_database_lock(session_maker, settings.bot_lock_file) as singleton,
        ):
            await store_school_settings(session_maker, settings)
            await _run_holding(settings, session_maker, singleton)


async def _run_holding(
    settings: Settings, session_maker: async_sessionmaker[AsyncSession], singleton: Singleton
) -> None:
    """The bot, its scheduler and delivery worker, while this process holds the locks."""
    if singleton.dead_owner is not None:
        released = await delivery_claims.release(session_maker, singleton.dead_owner)
        log.warning(
            "the previous bot process stopped without cleaning up; %d messages it was sending "
            "go out again (any already on their way arrive twice)",
            released,
        )
    bot = create_bot(settings)
    dispatcher = create_dispatcher(settings, session_maker, school_clock(settings))
    bot.session.middleware(dispatcher["metrics"].request_middleware())
    attach_scheduler(dispatcher, settings, session_maker)  # started and stopped with the dispatcher, on its clock
    try:
        await set_bot_commands(bot)
        await bot.delete_webhook(drop_pending_updates=False)
        # The outbox is sent while polling runs, under the lock's owner id: a successor knows its rows.
        async with (
            delivery_worker(bot, session_maker, settings, owner=singleton.owner),
            status_server(settings.metrics_listen, dispatcher, session_maker),
        ):
            freeze_startup_heap()
            await poll_while_held(dispatcher, bot, singleton)
    finally:
        await dispatcher.storage.close()
        await bot.session.close()


async def poll_while_held(dispatcher: Dispatcher, bot: Bot, singleton: Singleton) -> None:
    """Poll until a signal stops it; if the lock is lost meanwhile, stop polling and raise LockLost."""
    polling = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=True), name="polling")
    lost = asyncio.create_task(singleton.lost.wait(), name="lock-lost")
    await asyncio.wait({polling, lost}, return_when=asyncio.FIRST_COMPLETED)
    lost.cancel()
    if not polling.done():
        try:
            await dispatcher.stop_polling()
        except RuntimeError:  # polling had not started yet
            polling.cancel()
        await asyncio.gather(polling, return_exceptions=True)
        raise LockLost("the bot lock could not be renewed and may be another process's now: stopped")
    polling.result()
