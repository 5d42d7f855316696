"""Talk to the real dispatcher as Telegram users would: send text, press buttons, see what arrives.

One client for the console (`python -m bot console`) and the tests, in the spirit of aiogram_dialog's
test_tools/bot_client.py. The Bot's HTTP layer is an OfflineSession, so nothing leaves the machine.
The client watches every request that goes through the Bot, whoever makes it (a handler answering,
the delivery worker sending a notice): it keeps each chat's last message with buttons, as the user's
screen shows it, and hands each request and its answer to its watchers (the console prints them).

    client = ChatClient(create_bot(settings, session=OfflineSession()), create_dispatcher(settings, ...))
    teacher = client.user(1001)
    await teacher.sends("/mark 5А матем 1:5")  # → the texts the bot answered with
    await teacher.clicks("Подтвердить")
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, cast

from aiogram import Bot, Dispatcher
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update, User

from bot.offline_session import OfflineSession, SentRequest

Watcher = Callable[[TelegramMethod[Any], Any], None]

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)
# The requests made while handling the update this task is feeding (updates may be fed concurrently).
_answers: ContextVar[list[SentRequest] | None] = ContextVar("answers", default=None)


class ChatClient:
    """The dispatcher and its Bot, seen from the chats: users to act as, and what each chat shows."""

    def __init__(self, bot: Bot, dispatcher: Dispatcher) -> None:
        self.bot = bot
        self.dispatcher = dispatcher
        self.watchers: list[Watcher] = []
        self._keyboards: dict[int, Message] = {}  # chat id → the last message there with inline buttons
        bot.session.middleware(self._watch)

    @property
    def session(self) -> OfflineSession:
        return cast(OfflineSession, self.bot.session)

    def user(self, telegram_id: int, first_name: str = "Тест", language_code: str | None = None) -> ChatUser:
        return ChatUser(self, User(id=telegram_id, is_bot=False, first_name=first_name, language_code=language_code))

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

    def keyboard_in(self, chat_id: int) -> Message | None:
        """The last message in the chat that still has inline buttons, as Telegram has it."""
        return self._keyboards.get(chat_id)

    async def _watch(self, make_request, bot: Bot, method: TelegramMethod[Any]) -> Any:
        result = await make_request(bot, method)  # a request that failed was not sent
        answers = _answers.get()
        if answers is not None:
            answers.append(SentRequest(method, result))
        self._remember_buttons(method, result)
        for watcher in self.watchers:
            watcher(method, result)
        return result

    def _remember_buttons(self, method: TelegramMethod[Any], result: Any) -> None:
        if isinstance(method, DeleteMessage):
            self._forget_buttons(int(method.chat_id), method.message_id)
        if not isinstance(result, Message):
            return
        if isinstance(result.reply_markup, InlineKeyboardMarkup):
            self._keyboards[result.chat.id] = result
        else:  # an edit without buttons takes them away, as in Telegram
            self._forget_buttons(result.chat.id, result.message_id)

    def _forget_buttons(self, chat_id: int, message_id: int) -> None:
        shown = self._keyboards.get(chat_id)
        if shown is not None and shown.message_id == message_id:
            del self._keyboards[chat_id]


@dataclass
class ChatUser:
    """One person in their private chat with the bot. `last_markup` holds the last buttons the bot
    answered this person with; `clicks` presses one of them."""

    client: ChatClient
    user: User
    last_markup: InlineKeyboardMarkup | None = None
    last_message: Message | None = field(default=None)
    _read_upto: int = field(default=0, repr=False)  # index into the session's requests: see `receives`

    @property
    def chat(self) -> Chat:
        return Chat(id=self.user.id, type="private")

    async def sends(self, text: str) -> list[str]:
        """Send a message; returns the texts the bot answered with (to this chat)."""
        return await self.sends_message(
            Message(message_id=next(_message_ids), date=_now(), chat=self.chat, from_user=self.user, text=text)
        )

    async def sends_message(self, message: Message) -> list[str]:
        """Send a message made by the caller (a reply, a photo, a voice note); returns the answers."""
        return self._read(await self.client.feed(Update(update_id=next(_update_ids), message=message)))

    async def clicks(self, label: str) -> list[str]:
        """Press the inline button whose text contains `label`, on the last message that had buttons."""
        assert self.last_markup is not None, "no buttons to press"
        buttons = [b for row in self.last_markup.inline_keyboard for b in row if label in b.text]
        assert buttons, f"no button {label!r} in {self.button_labels()}"
        return await self.presses(buttons[0].callback_data)

    async def presses(self, callback_data: str, message: Message | None = None) -> list[str]:
        """Send a callback query with raw data, from `message` (default: the last one with buttons).
        Also how tests forge a button they should not have."""
        message = (
            message
            or self.last_message
            or Message(message_id=next(_message_ids), date=_now(), chat=self.chat, text="…")
        )
        query = CallbackQuery(
            id=str(next(_update_ids)),
            from_user=self.user,
            chat_instance=str(self.user.id),
            data=callback_data,
            message=message,
        )
        return self._read(await self.client.feed(Update(update_id=next(_update_ids), callback_query=query)))

    def receives(self) -> list[str]:
        """What arrived in this chat since the last look, whoever sent it (answers, delivered notices)."""
        requests = self.client.session.requests
        start, self._read_upto = self._read_upto, len(requests)
        return [r.text for r in requests[start:] if r.chat_id == self.user.id and r.text]

    def sees(self, message: Message) -> None:
        """Take `message`'s buttons as the ones to press next (a notice the worker delivered, say)."""
        self.last_message = message
        self.last_markup = message.reply_markup if isinstance(message.reply_markup, InlineKeyboardMarkup) else None

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
            if isinstance(method, EditMessageReplyMarkup) and isinstance(method.reply_markup, InlineKeyboardMarkup):
                self.last_markup = method.reply_markup  # the same message, its buttons changed
                continue
            if isinstance(method, (SendMessage, EditMessageText)):
                texts.append(method.text)
                if isinstance(method.reply_markup, InlineKeyboardMarkup):
                    self.last_markup = method.reply_markup
                    self.last_message = Message(
                        message_id=getattr(request.result, "message_id", None)
                        or getattr(method, "message_id", None)
                        or next(_message_ids),
                        date=_now(),
                        chat=self.chat,
                        text=method.text,
                    )
        return texts


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
