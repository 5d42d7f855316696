"""The composition root: settings → database → Bot → Dispatcher. Nothing is built at import time."""

from __future__ import annotations

import gc
import logging

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import AiogramError
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import BotCommand
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings, school_clock
from bot.i18n import get_translator
from bot.metrics import Metrics
from bot.middlewares import (
    ActorMiddleware,
    CommitBeforeSending,
    DbSessionMiddleware,
    HandlerNameMiddleware,
    UpdateGuardMiddleware,
)
from handlers import all_routers
from services.school_clock import SchoolClock
from services.short_lived import ShortLived

log = logging.getLogger(__name__)

# Placeholder token for offline use (console, tests): it never reaches a server.
OFFLINE_TOKEN = "1:offline"


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    if session is None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    session.middleware(CommitBeforeSending())
    return Bot(token_of(settings), session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


def create_dispatcher(
    settings: Settings, session_maker: async_sessionmaker[AsyncSession], clock: SchoolClock | None = None
) -> Dispatcher:
    """Handlers get `settings`, `session_maker` and the school's `clock` (default: the settings') by name;
    the runner finds the dispatcher's `metrics` in it too."""
    metrics = Metrics()
    storage = fsm_storage(settings)
    dispatcher = Dispatcher(
        storage=storage,
        settings=settings,
        session_maker=session_maker,
        clock=clock or school_clock(settings),
        metrics=metrics,
    )
    dispatcher.update.outer_middleware(UpdateGuardMiddleware(settings.default_language, metrics))
    dispatcher.update.outer_middleware(
        DbSessionMiddleware(session_maker, settings.max_concurrent_updates, short_lived(settings, storage))
    )
    dispatcher.update.outer_middleware(ActorMiddleware(settings))
    dispatcher.message.middleware(HandlerNameMiddleware())
    dispatcher.callback_query.middleware(HandlerNameMiddleware())
    dispatcher.include_routers(*all_routers())
    return dispatcher


# Keys look like journal:<bot id>:<chat>:<user>:…: two bots (or two schools) on one Redis never mix.
REDIS_KEY_PREFIX = "journal"


def fsm_storage(settings: Settings) -> BaseStorage:
    """Conversation state (a lesson opened, a form half filled): in Redis when REDIS_URL is set, so that
    every process of the bot continues it; else in this process's memory."""
    if settings.redis_url is None:
        return MemoryStorage()
    return RedisStorage.from_url(
        settings.redis_url, key_builder=DefaultKeyBuilder(prefix=REDIS_KEY_PREFIX, with_bot_id=True)
    )


def short_lived(settings: Settings, storage: BaseStorage) -> ShortLived | None:
    """The sign-in lock-out's and the message limit's counters (services.short_lived): in Redis beside the
    conversation state, on its connections, when REDIS_URL is set; else None, and they stay in the database."""
    if not isinstance(storage, RedisStorage):
        return None
    return ShortLived(storage.redis, f"{REDIS_KEY_PREFIX}:{bot_id(settings)}")


def token_of(settings: Settings) -> str:
    return settings.bot_token.get_secret_value() if settings.bot_token else OFFLINE_TOKEN


def bot_id(settings: Settings) -> int:
    """The bot's id, the token's first part (as aiogram's Bot.id reads it)."""
    return int(token_of(settings).partition(":")[0])


def freeze_startup_heap() -> None:
    """What start-up built lives as long as the process: keep it out of the garbage collector's way.

    A full collection walks every tracked object, and after start-up there are some 275,000 of them
    (the modules, SQLAlchemy's and aiogram's machinery): 0.1–0.2 s in which nobody gets an answer,
    every so often under load. gc.freeze() moves them to a generation the collector skips; what is
    made later is collected as usual.
    """
    gc.collect()
    gc.freeze()


# Shown in Telegram's menu; the full per-role list is in /help.
MENU_COMMANDS = ("start", "help", "whoami", "language")


async def set_bot_commands(bot: Bot) -> None:
    """Nice to have: a minimal Bot API server may refuse it, and the bot goes on."""
    for language in ("ru", "en"):
        translate = get_translator(language)
        commands = [BotCommand(command=name, description=translate(f"menu-{name}")) for name in MENU_COMMANDS]
        try:
            await bot.set_my_commands(commands, language_code=None if language == "ru" else language)
        except AiogramError as error:
            log.warning("setMyCommands refused (%s); going on without a command menu", error)
            return
