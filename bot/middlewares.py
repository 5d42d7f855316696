"""Per-update plumbing: one log line, friendly errors, a database session, who is acting."""
from __future__ import annotations

import asyncio
import html
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import joinedload

from bot.config import Settings
from bot.i18n import Translator, get_translator
from models import Account
from models.writing import is_busy
from services.actor import load_actor
from services.errors import DomainError

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
log = logging.getLogger("bot.updates")


@dataclass
class UpdateContext:
    """Filled in as the update travels inwards; read back by the outermost middleware."""

    account_id: int | None = None
    roles: list[str] = field(default_factory=list)
    handler: str = "-"
    translator: Translator | None = None


class UpdateGuardMiddleware(BaseMiddleware):
    """Outermost: logs one line per update, answers domain refusals and apologises for crashes.

    It sits outside the database session so that a refusal or crash is answered only after the
    session has rolled back: a refused action never leaves half of itself behind.
    """

    def __init__(self, default_language: str) -> None:
        self.default_language = default_language

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        context = UpdateContext()
        data["update_context"] = context
        started = time.perf_counter()
        outcome = "ok"
        try:
            result = await handler(event, data)
            if result is UNHANDLED:
                outcome = "unhandled"
            return result
        except DomainError as error:
            outcome = f"refused:{error.key}"
            await self._answer(event, self._translator(context)(error.key, **_escaped(error.args_for_message)))
        except Exception:
            outcome = "error"
            update_id = event.update_id if isinstance(event, Update) else "?"
            log.exception("update %s failed in %s", update_id, context.handler)
            await self._answer(event, self._translator(context)("error-unexpected"))
        finally:
            log.info(
                "update account=%s roles=%s handler=%s duration_ms=%.1f outcome=%s",
                context.account_id, ",".join(context.roles) or "-", context.handler,
                (time.perf_counter() - started) * 1000, outcome,
            )
        return None

    def _translator(self, context: UpdateContext) -> Translator:
        return context.translator or get_translator(self.default_language)

    @staticmethod
    async def _answer(event: TelegramObject, text: str) -> None:
        inner = event.event if isinstance(event, Update) else event
        try:
            if isinstance(inner, CallbackQuery):
                await inner.answer(text, show_alert=True)
            elif isinstance(inner, Message):
                await inner.answer(text)
        except Exception:  # the apology itself must never crash the dispatcher
            log.warning("could not deliver an error answer", exc_info=True)


def _escaped(args: dict[str, Any]) -> dict[str, Any]:
    """Refusals often quote what the user typed; answers are HTML, so quote it safely."""
    return {key: html.escape(value) if isinstance(value, str) else value for key, value in args.items()}


# The session of the update being handled, for CommitBeforeSending (same task, so same context).
_update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)


class DbSessionMiddleware(BaseMiddleware):
    """One AsyncSession per update: committed when the handler returns, rolled back when it raises.

    At most `limit` updates hold a session at once; the rest wait here, in memory, rather than for a
    database connection (settings.max_concurrent_updates; the pool has a connection for each).
    A database too busy to take the update's writes in time (models.writing.is_busy: the write gate,
    a lock held by another process, no free connection) is a refusal like any other: nothing was
    saved, and the user is asked to send it again.
    """

    def __init__(self, session_maker: async_sessionmaker[AsyncSession], limit: int) -> None:
        self.session_maker = session_maker
        self._slots = asyncio.Semaphore(limit)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self._slots, self.session_maker() as session:
            data["session"] = session
            token = _update_session.set(session)
            try:
                result = await handler(event, data)
                await session.commit()
                return result
            except Exception as error:
                if is_busy(error):
                    raise DomainError("error-busy-not-saved") from error
                raise
            finally:
                _update_session.reset(token)


class CommitBeforeSending(BaseRequestMiddleware):
    """Commits what the update wrote before the bot says anything.

    An answer («записано») must never go out for a change that is then lost, and on SQLite an open
    write transaction holds the write gate: it must not wait for a Telegram round trip.
    Sends outside an update (the delivery worker) pass straight through.
    """

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        session = _update_session.get()
        if session is not None and session.in_transaction():
            await session.commit()
        return await make_request(bot, method)


class ActorMiddleware(BaseMiddleware):
    """Loads the sender's account, what it is bound to, and their language."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        session: AsyncSession = data["session"]
        account = None
        if user is not None:  # with its bindings, in one statement
            account = await session.scalar(
                select(Account).where(Account.telegram_id == user.id).options(joinedload(Account.bindings)))
        if account is not None and not account.active:
            account.active = True  # they write to us again, so they unblocked the bot: deliver again
        actor = await load_actor(session, account)
        translator = get_translator((account.language if account else None) or self.settings.default_language)
        context: UpdateContext = data["update_context"]
        context.account_id = account.id if account else None
        context.roles = sorted(actor.roles)
        context.translator = translator
        data.update(account=account, actor=actor, i18n=translator)
        return await handler(event, data)


class HandlerNameMiddleware(BaseMiddleware):
    """Inner middleware: records which handler took the update, for the log line."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        handler_object = data.get("handler")
        context: UpdateContext | None = data.get("update_context")
        if context is not None and handler_object is not None:
            context.handler = getattr(handler_object.callback, "__name__", "?")
        return await handler(event, data)
