"""A Bot API session that never touches the network: it records calls and makes up plausible answers.

The console mode prints what it records; the tests assert on it.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import EditMessageReplyMarkup, EditMessageText, GetMe, SendDocument, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, Message, User

BOT_USER = User(id=1, is_bot=True, first_name="Школьный журнал", username="school_journal_demo_bot")


@dataclass
class SentRequest:
    method: TelegramMethod[Any]

    @property
    def chat_id(self) -> int | str | None:
        return getattr(self.method, "chat_id", None)

    @property
    def text(self) -> str | None:
        return getattr(self.method, "text", None) or getattr(self.method, "caption", None)


class OfflineSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[SentRequest] = []
        self._message_ids = itertools.count(1000)

    async def make_request(self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None) -> TelegramType:
        self.requests.append(SentRequest(method))
        self.on_request(method)
        return self.fake_result(method)

    def on_request(self, method: TelegramMethod[Any]) -> None:
        """Hook for subclasses (the console prints here)."""

    def fake_result(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            return BOT_USER
        if isinstance(method, (SendMessage, SendDocument, EditMessageText, EditMessageReplyMarkup)):
            chat_id = int(method.chat_id) if method.chat_id is not None else 0
            return Message(
                message_id=getattr(method, "message_id", None) or next(self._message_ids),
                date=dt.datetime.now(dt.timezone.utc),
                chat=Chat(id=chat_id, type="private"),
                from_user=BOT_USER,
                text=getattr(method, "text", None),
                reply_markup=getattr(method, "reply_markup", None),
            )
        return True

    async def stream_content(self, url: str, headers: dict[str, Any] | None = None, timeout: int = 30,
                             chunk_size: int = 65536, raise_for_status: bool = True) -> AsyncGenerator[bytes, None]:
        yield b""

    async def close(self) -> None:
        pass
