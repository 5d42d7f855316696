"""An offline Bot API session that refuses what Telegram refuses: texts over its limits, broken HTML.

OfflineSession answers everything; Telegram answers «Bad Request: message is too long» or «can't parse
entities» instead, and a handler that sends such a text fails after the user's input was accepted.
Tests of long and odd texts use this session so that such an answer fails the test as it would fail
in production. Lengths are counted as Telegram counts them: after entities parsing, in UTF-16 units.
"""

from __future__ import annotations

import re
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendDocument, SendMessage, SendPhoto, TelegramMethod
from aiogram.methods.base import TelegramType
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat_client import ChatClient
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from bot.offline_session import OfflineSession
from bot.text import ALERT_LIMIT, CAPTION_LIMIT, TELEGRAM_LIMIT, telegram_length, visible_length

# Telegram's HTML: these tags, entities &lt; &gt; &amp; &quot; and numeric ones; any other «<» or «&» is an error.
ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
_MARKUP = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?>|&(?:lt|gt|amp|quot|#[0-9]+|#[xX][0-9a-fA-F]+);|[<&]")


def html_problem(text: str) -> str | None:
    """Why Telegram would refuse `text` as HTML, or None."""
    open_tags: list[str] = []
    for match in _MARKUP.finditer(text):
        token = match.group(0)
        if token in ("<", "&"):
            return f"can't parse entities: unescaped {token!r} at {match.start()}"
        if match.group(2) is None:
            continue  # an entity
        closing, name = match.group(1), match.group(2).lower()
        if name not in ALLOWED_TAGS:
            return f"can't parse entities: unsupported tag {name!r}"
        if not closing:
            open_tags.append(name)
        elif not open_tags or open_tags.pop() != name:
            return f"can't parse entities: unexpected end tag {name!r}"
    if open_tags:
        return f"can't parse entities: unclosed {open_tags[-1]!r}"
    return None


def telegram_refusal(method: TelegramMethod[Any], html: bool = True) -> str | None:
    """What Telegram would answer instead of sending `method` (read as HTML or as plain text), or None."""
    if isinstance(method, AnswerCallbackQuery):
        # Plain text: no parse mode exists for alerts.
        if method.text and telegram_length(method.text) > ALERT_LIMIT:
            return "MESSAGE_TOO_LONG"
        return None
    if isinstance(method, (SendMessage, EditMessageText)):
        text, limit = method.text, TELEGRAM_LIMIT
    elif isinstance(method, (SendPhoto, SendDocument)):
        text, limit = method.caption or "", CAPTION_LIMIT
    else:
        return None
    if html and (problem := html_problem(text)):
        return problem
    length = visible_length(text) if html else telegram_length(text)
    if length > limit:
        return "message is too long" if limit == TELEGRAM_LIMIT else "message caption is too long"
    if isinstance(method, (SendMessage, EditMessageText)) and not text.strip():
        return "message text is empty"
    return None


class StrictOfflineSession(OfflineSession):
    """OfflineSession that raises TelegramBadRequest where Telegram would; refused requests are kept apart."""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        problem = telegram_refusal(method, html=_parse_mode(bot, method) == "HTML")
        if problem is not None:
            self.refused.append((method, problem))
            raise TelegramBadRequest(method=method, message=f"Bad Request: {problem}")
        return await super().make_request(bot, method, timeout)


def _parse_mode(bot: Bot, method: TelegramMethod[Any]) -> str | None:
    """The parse mode Telegram will apply: the request's own (None: plain text), or the bot's default."""
    value = getattr(method, "parse_mode", None)
    if value is None or isinstance(value, str):
        return value
    return bot.default.parse_mode  # the request holds a Default("parse_mode") placeholder


def strict_harness(settings: Settings, session_maker: async_sessionmaker[AsyncSession]) -> ChatClient:
    """The real dispatcher (as tests/conftest.py's `harness`) talking to a StrictOfflineSession."""
    return ChatClient(create_bot(settings, session=StrictOfflineSession()), create_dispatcher(settings, session_maker))
