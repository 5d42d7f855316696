"""Per-update plumbing: one log line, friendly errors, a database session, who is acting."""

from __future__ import annotations

import asyncio
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
from bot.metrics import Metrics
from bot.text import ALERT_LIMIT, one_message, shorten, visible_text
from models import Account
from models.writing import is_busy
from services.actor import load_actor
from services.errors import DomainError
from services.short_lived import ShortLived, carry

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

    The answer itself cannot fail the update: a refusal that cannot be rendered or sent is replaced
    by the apology, and an apology that cannot be sent by LAST_RESORT, a fixed text in plain text.
    """

    def __init__(self, default_language: str, metrics: Metrics | None = None) -> None:
        self.default_language = default_language
        self.metrics = metrics

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
            await self._answer(event, context, error)
        except Exception:
            outcome = "error"
            update_id = event.update_id if isinstance(event, Update) else "?"
            log.exception("update %s failed in %s", update_id, context.handler)
            await self._answer(event, context, None)
        finally:
            seconds = time.perf_counter() - started
            log.info(
                "update account=%s roles=%s handler=%s duration_ms=%.1f outcome=%s",
                context.account_id,
                ",".join(context.roles) or "-",
                context.handler,
                seconds * 1000,
                outcome,
            )
            if self.metrics is not None:
                self.metrics.update_handled(context.handler, outcome, seconds)
        return None

    def _translator(self, context: UpdateContext) -> Translator:
        return context.translator or get_translator(self.default_language)

    async def _answer(self, event: TelegramObject, context: UpdateContext, error: DomainError | None) -> None:
        """The refusal (or, for error None, the apology); the apology if that fails; then LAST_RESORT."""
        inner = event.event if isinstance(event, Update) else event
        if not isinstance(inner, (CallbackQuery, Message)):
            return
        translator = self._translator(context)
        attempts: list[tuple[str, Callable[[], str]]] = [("error-unexpected", lambda: translator("error-unexpected"))]
        if error is not None:
            attempts.insert(0, (error.key, lambda: translator.refusal(error)))
        for key, render in attempts:
            try:
                await _send(inner, render())
                return
            except Exception:
                log.warning("could not answer with %s", key, exc_info=True)
        try:
            await _send(inner, LAST_RESORT, html=False)
        except Exception:  # Telegram unreachable: nothing more to try, and the dispatcher must go on
            log.warning("could not deliver an error answer", exc_info=True)


# Sent when even the apology cannot be: no Fluent, no HTML, short enough for a button's alert.
LAST_RESORT = "⚠️ Что-то пошло не так. Попробуйте ещё раз. / Something went wrong. Please try again."


async def _send(inner: CallbackQuery | Message, text: str, *, html: bool = True) -> None:
    """An answer to a button is an alert: plain text of at most ALERT_LIMIT characters. An answer to a
    message is one message: a longer one is cut (a refusal is read, not kept)."""
    if isinstance(inner, CallbackQuery):
        await inner.answer(shorten(visible_text(text) if html else text, ALERT_LIMIT), show_alert=True)
    elif html:
        await inner.answer(one_message(text))
    else:
        await inner.answer(text, parse_mode=None)


# The session of the update being handled, for CommitBeforeSending (same task, so same context).
_update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)


class DbSessionMiddleware(BaseMiddleware):
    """One AsyncSession per update: committed when the handler returns, rolled back when it raises.

    At most `limit` updates hold a session at once; the rest wait here, in memory, rather than for a
    database connection (settings.max_concurrent_updates; the pool has a connection for each).
    A database too busy to take the update's writes in time (models.writing.is_busy: the write gate,
    a lock held by another process, no free connection) is a refusal like any other: nothing was
    saved, and the user is asked to send it again.
    The session carries the bot's short-lived counters (Redis, when configured) to the services.
    """

    def __init__(
        self, session_maker: async_sessionmaker[AsyncSession], limit: int, short_lived: ShortLived | None = None
    ) -> None:
        self.session_maker = session_maker
        self._slots = asyncio.Semaphore(limit)
        self.short_lived = short_lived

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self._slots, self.session_maker() as session:
            carry(session, self.short_lived)
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
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
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
            found = await session.scalars(
                select(Account).where(Account.telegram_id == user.id).options(joinedload(Account.bindings))
            )
            account = found.unique().one_or_none()
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
