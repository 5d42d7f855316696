"""Long-running pieces: opening the database, the polling loop."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings, SettingsError
from bot.factory import create_bot, create_dispatcher, set_bot_commands
from models.db import create_engine, create_session_maker, upgrade_database

log = logging.getLogger(__name__)


def school_today(settings: Settings) -> dt.date:
    return dt.datetime.now(settings.timezone).date()


@asynccontextmanager
async def open_database(settings: Settings, database_url: str | None = None) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Every entry point upgrades the schema first, so an old database never meets new code."""
    engine = create_engine(database_url or settings.database_url)
    try:
        if await upgrade_database(engine):
            log.info("database schema upgraded")
        yield create_session_maker(engine)
    finally:
        await engine.dispose()


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
    async with open_database(settings) as session_maker:
        bot = create_bot(settings)
        dispatcher = create_dispatcher(settings, session_maker)
        try:
            await set_bot_commands(bot)
            await bot.delete_webhook(drop_pending_updates=False)
            await dispatcher.start_polling(bot, handle_signals=True)
        finally:
            await bot.session.close()
