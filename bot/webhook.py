"""Webhook mode (WEBHOOK_URL set): the bot as a web server, any number of processes with the same settings.

Telegram POSTs each update to WEBHOOK_URL; a reverse proxy hands it to one of the processes on
WEBHOOK_LISTEN. aiogram's SimpleRequestHandler checks WEBHOOK_SECRET on every request (401 and nothing
handled without it), answers at once and handles the update in the background. What the processes share
lives in the database (the journal, the outbox's claims, the scheduler's lease) and in Redis (the
conversation state). Every process sends the outbox; the one holding the scheduler's lease runs the jobs
and is the one that tells Telegram the webhook's address, so that processes starting together do not
race to set it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.exceptions import AiogramError
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings, school_clock, store_school_settings
from bot.factory import create_bot, create_dispatcher, freeze_startup_heap, set_bot_commands
from bot.health import add_status_routes, serving
from bot.outbound.delivery import delivery_worker
from models.db import open_database
from scheduler.setup import attach_scheduler
from services import delivery_claims
from services.process_lock import hold_file_lock

log = logging.getLogger(__name__)

MAX_RETRY_PAUSE = 60.0  # seconds between tries of setWebhook, at most


async def run_webhook(settings: Settings) -> None:
    """Serve until SIGTERM or SIGINT. The lock file is shared by this host's processes: `restore` is
    refused while any of them runs (AlreadyRunning only when a polling bot holds it here)."""
    with hold_file_lock(settings.bot_lock_file, shared=True):
        async with open_database(settings.database_url, connections=settings.database_connections) as session_maker:
            await store_school_settings(session_maker, settings)
            bot = create_bot(settings)
            dispatcher = create_dispatcher(settings, session_maker, school_clock(settings))
            bot.session.middleware(dispatcher["metrics"].request_middleware())
            attach_scheduler(
                dispatcher, settings, session_maker, leased=True, on_lead=lambda: set_webhook(bot, dispatcher, settings)
            )
            app = webhook_app(dispatcher, bot, settings, session_maker)
            try:
                async with (
                    delivery_worker(bot, session_maker, settings, owner=delivery_claims.new_owner_id()),
                    serving(app, settings.webhook_listen),
                ):
                    freeze_startup_heap()
                    await stop_signal()
            finally:
                await dispatcher.storage.close()
                await bot.session.close()


def webhook_app(
    dispatcher: Dispatcher, bot: Bot, settings: Settings, session_maker: async_sessionmaker[AsyncSession]
) -> web.Application:
    """The webhook at WEBHOOK_URL's path, /healthz and /metrics. On shutdown the updates being handled
    finish before the dispatcher (and with it the scheduler) stops."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    handler = SimpleRequestHandler(
        dispatcher, bot, handle_in_background=True, secret_token=settings.webhook_secret.get_secret_value()
    )
    app = web.Application()

    async def finish_updates(_: web.Application) -> None:
        # aiogram keeps the background tasks but does not wait for them: an update taken is finished.
        await asyncio.gather(*handler._background_feed_update_tasks, return_exceptions=True)

    app.on_shutdown.append(finish_updates)
    setup_application(app, dispatcher, bot=bot)
    handler.register(app, path=webhook_path(settings.webhook_url))
    add_status_routes(app, dispatcher, session_maker)
    return app


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


async def set_webhook(bot: Bot, dispatcher: Dispatcher, settings: Settings) -> None:
    """Done by the process that has just taken the scheduler's lease: one at a time, never a race.
    Telegram unreachable: tried again, a little later each time, until it is set (or the process stops)."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    await set_bot_commands(bot)
    pause = 1.0
    while True:
        try:
            await bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=dispatcher.resolve_used_update_types(),
                drop_pending_updates=False,
            )
        except AiogramError as error:
            log.warning("setWebhook failed (%s); trying again in %.0f s", error, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, MAX_RETRY_PAUSE)
        else:
            log.info("webhook set")
            return


async def stop_signal() -> None:
    """Until SIGTERM or SIGINT."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    try:
        await stop.wait()
    finally:
        for number in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(number)
