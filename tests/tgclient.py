"""Talk to the real dispatcher as a Telegram user would: send text, press buttons, read answers.

The Bot's HTTP layer is replaced by `OfflineSession`, which records every request.
"""
from __future__ import annotations

import datetime as dt
import itertools
from contextvars import ContextVar
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update, User

from bot.offline_session import OfflineSession, SentRequest

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)
# The requests made while handling the update this task is feeding (updates may be fed concurrently).
_answers: ContextVar[list[SentRequest] | None] = ContextVar("answers", default=None)


async def _capture(make_request, bot: Bot, method):
    result = await make_request(bot, method)  # a request that failed was not sent
    answers = _answers.get()
    if answers is not None:
        answers.append(SentRequest(method))
    return result


@dataclass
class Harness:
    bot: Bot
    dispatcher: Dispatcher
    session: OfflineSession

    def __post_init__(self) -> None:
        self.bot.session.middleware(_capture)

    def user(self, telegram_id: int, first_name: str = "Тест") -> ChatUser:
        return ChatUser(self, User(id=telegram_id, is_bot=False, first_name=first_name))

    async def feed(self, update: Update) -> list[SentRequest]:
        """What the bot sent while handling this update (the handler runs in this task)."""
        answers: list[SentRequest] = []
        token = _answers.set(answers)
        try:
            await self.dispatcher.feed_update(self.bot, update)
        finally:
            _answers.reset(token)
        return answers

    def sent_to(self, chat_id: int) -> list[str]:
        """Texts of everything the bot sent or edited into one chat, oldest first."""
        return [r.text for r in self.session.requests if r.chat_id == chat_id and r.text]


@dataclass
class ChatUser:
    harness: Harness
    user: User
    last_markup: InlineKeyboardMarkup | None = None
    last_message: Message | None = field(default=None)

    @property
    def chat(self) -> Chat:
        return Chat(id=self.user.id, type="private")

    async def sends(self, text: str) -> list[str]:
        """Send a message; returns the texts the bot answered with (to this chat)."""
        message = Message(
            message_id=next(_message_ids), date=dt.datetime.now(dt.timezone.utc),
            chat=self.chat, from_user=self.user, text=text,
        )
        return self._read(await self.harness.feed(Update(update_id=next(_update_ids), message=message)))

    async def clicks(self, label: str) -> list[str]:
        """Press the inline button whose text contains `label`, on the last message that had buttons."""
        assert self.last_markup is not None, "no buttons to press"
        buttons = [b for row in self.last_markup.inline_keyboard for b in row if label in b.text]
        assert buttons, f"no button {label!r} in {[b.text for row in self.last_markup.inline_keyboard for b in row]}"
        return await self.presses(buttons[0].callback_data)

    async def presses(self, callback_data: str) -> list[str]:
        """Send a callback query with raw data (also how tests forge a button they should not have)."""
        message = self.last_message or Message(
            message_id=next(_message_ids), date=dt.datetime.now(dt.timezone.utc), chat=self.chat, text="…",
        )
        query = CallbackQuery(
            id=str(next(_update_ids)), from_user=self.user, chat_instance="test", data=callback_data,
            message=message,
        )
        return self._read(await self.harness.feed(Update(update_id=next(_update_ids), callback_query=query)))

    def button_labels(self) -> list[str]:
        if self.last_markup is None:
            return []
        return [b.text for row in self.last_markup.inline_keyboard for b in row]

    def _read(self, requests: list[SentRequest]) -> list[str]:
        texts: list[str] = []
        for request in requests:
            method = request.method
            if isinstance(method, AnswerCallbackQuery):
                if method.text:
                    texts.append(method.text)
                continue
            if request.chat_id != self.user.id:
                continue
            if isinstance(method, (SendMessage, EditMessageText)):
                texts.append(method.text)
                if isinstance(method.reply_markup, InlineKeyboardMarkup):
                    self.last_markup = method.reply_markup
                    self.last_message = Message(
                        message_id=getattr(method, "message_id", None) or next(_message_ids),
                        date=dt.datetime.now(dt.timezone.utc), chat=self.chat, text=method.text,
                    )
        return texts
