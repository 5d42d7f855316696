"""The polling loop and what it needs from Telegram."""
from __future__ import annotations

import logging

from bot.config import Settings, SettingsError
from bot.factory import create_bot, create_dispatcher, set_bot_commands
from models.db import open_database
from scheduler.setup import attach_scheduler
from services.delivery import delivery_worker

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
    async with open_database(settings.database_url) as session_maker:
        bot = create_bot(settings)
        dispatcher = create_dispatcher(settings, session_maker)
        attach_scheduler(dispatcher, settings, session_maker)  # started and stopped with the dispatcher
        try:
            await set_bot_commands(bot)
            await bot.delete_webhook(drop_pending_updates=False)
            async with delivery_worker(bot, session_maker, settings):  # the outbox is sent while polling runs
                await dispatcher.start_polling(bot, handle_signals=True)
        finally:
            await bot.session.close()
