"""Telegram as the delivery worker's channel (services.channel.Channel), with aiogram's errors mapped."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from services.channel import Blocked, Buttons, Refused, RetryAfter, Unavailable

# Telegram's words for a chat we can never write to again (besides any 403).
GONE_CHAT_PHRASES = ("chat not found", "user is deactivated", "bot was blocked", "user not found")

T = TypeVar("T")


def keyboard(buttons: Buttons) -> InlineKeyboardMarkup | None:
    """Rows of (label, callback data) as Telegram's inline keyboard; none without buttons."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=label, callback_data=data) for label, data in row] for row in buttons
        ]
    )


class TelegramChannel:
    """Sends through a Bot; a refusal comes back as the services.channel exception that says what to do."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send_text(self, chat_id: int, text: str, buttons: Buttons = (), *, timeout: float) -> int | None:
        return await self._message_id(
            lambda: self.bot.send_message(chat_id, text, reply_markup=keyboard(buttons), request_timeout=int(timeout))
        )

    async def send_photo(
        self, chat_id: int, photo: str, caption: str | None, buttons: Buttons = (), *, timeout: float
    ) -> int | None:
        return await self._message_id(
            lambda: self.bot.send_photo(
                chat_id, photo, caption=caption, reply_markup=keyboard(buttons), request_timeout=int(timeout)
            )
        )

    async def send_document(
        self, chat_id: int, document: str, caption: str | None, buttons: Buttons = (), *, timeout: float
    ) -> int | None:
        return await self._message_id(
            lambda: self.bot.send_document(
                chat_id, document, caption=caption, reply_markup=keyboard(buttons), request_timeout=int(timeout)
            )
        )

    async def edit_text(
        self, chat_id: int, message_id: int, text: str, buttons: Buttons = (), *, timeout: float
    ) -> None:
        await _mapped(
            lambda: self.bot.edit_message_text(
                text,
                chat_id=chat_id,
                message_id=message_id,
                reply_markup=keyboard(buttons),
                request_timeout=int(timeout),
            )
        )

    @staticmethod
    async def _message_id(request: Callable[[], Awaitable[Any]]) -> int | None:
        return getattr(await _mapped(request), "message_id", None)


async def _mapped(request: Callable[[], Awaitable[T]]) -> T:
    """The request's result, or aiogram's error as the channel's: what the delivery worker acts on."""
    try:
        return await request()
    except TelegramRetryAfter as error:
        raise RetryAfter(error.retry_after, error.message) from error
    except TelegramForbiddenError as error:
        raise Blocked(error.message) from error
    except TelegramBadRequest as error:
        if any(phrase in error.message.lower() for phrase in GONE_CHAT_PHRASES):
            raise Blocked(error.message) from error
        raise Refused(error.message) from error
    except (TelegramServerError, TelegramNetworkError, ClientDecodeError) as error:
        raise Unavailable(type(error).__name__, getattr(error, "message", None) or type(error).__name__) from error
    except TelegramAPIError as error:  # 401, 404, 409, 413, migrate: no retry helps
        raise Refused(f"{type(error).__name__}: {error.message}") from error
