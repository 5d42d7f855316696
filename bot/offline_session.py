"""A Bot API session that never touches the network: it records calls and makes up plausible answers.

The console mode shows what it records; the tests assert on it. A test may script the next answers
to a method, as aiogram's own tests do (their tests/mocked_bot.py): `add_result_for(SendMessage,
ok=False, error_code=403, description="Forbidden: bot was blocked by the user")` makes the next
sendMessage raise TelegramForbiddenError, exactly as the real session would on that answer.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict, deque
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import EditMessageReplyMarkup, EditMessageText, GetMe, SendDocument, SendMessage, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import Chat, Message, ResponseParameters, User

BOT_USER = User(id=1, is_bot=True, first_name="Школьный журнал", username="school_journal_demo_bot")


@dataclass
class SentRequest:
    method: TelegramMethod[Any]
    result: Any = None  # what the Bot API answered (a sent message carries its message_id)

    @property
    def chat_id(self) -> int | str | None:
        return getattr(self.method, "chat_id", None)

    @property
    def text(self) -> str | None:
        return getattr(self.method, "text", None) or getattr(self.method, "caption", None)


class OfflineSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[SentRequest] = []  # answered as sent
        self.refused: list[tuple[TelegramMethod[Any], str]] = []  # answered with an error, and why
        self._message_ids = itertools.count(1000)
        self._scripted: defaultdict[type[TelegramMethod[Any]], deque[Response[Any]]] = defaultdict(deque)

    def add_result_for(
        self,
        method: type[TelegramMethod[TelegramType]],
        ok: bool = True,
        result: TelegramType | None = None,
        description: str | None = None,
        error_code: int = 200,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> Response[TelegramType]:
        """The next call of `method` gets this answer instead of a made-up one; several queue in order.

        ok=False: the call raises what aiogram makes of such an answer (403 → TelegramForbiddenError,
        a retry_after → TelegramRetryAfter…). ok=True: it returns `result`, or the made-up answer when
        there is none.
        """
        parameters = None
        if retry_after is not None or migrate_to_chat_id is not None:
            parameters = ResponseParameters(retry_after=retry_after, migrate_to_chat_id=migrate_to_chat_id)
        response = Response[method.__returning__](
            ok=ok, result=result, description=description, error_code=error_code, parameters=parameters
        )
        self._scripted[method].append(response)
        return response

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        scripted = self._scripted[type(method)]
        response = scripted.popleft() if scripted else None
        if response is not None and not response.ok:
            self.refused.append((method, response.description or ""))
            self.check_response(bot, method, response.error_code or 0, response.model_dump_json())  # raises
        self.requests.append(SentRequest(method))
        if response is not None and response.result is not None:
            return response.result
        return self.fake_result(method)

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

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield b""

    async def close(self) -> None:
        pass
