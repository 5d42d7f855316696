"""A fake Telegram Bot API over real HTTP on 127.0.0.1: the one every HTTP test talks to.

End-to-end tests run the real program against it; the delivery tests point a real aiogram Bot (or a
worker process) at it. It implements only what the bot needs to talk to one user: getMe, getUpdates
(long polling), sendMessage, sendDocument and sendPhoto (the files are kept in `files`),
editMessageText, editMessageReplyMarkup, answerCallbackQuery, deleteMessage, setWebhook and deleteWebhook.
Anything else gets Telegram's 404 answer, so the bot must cope with refusals (setMyCommands, for one).
A test pushes updates in (for getUpdates) or posts them to a bot process's webhook, as Telegram would,
with the secret of the last setWebhook, and reads what the bot sent.

Misbehaving on purpose, two ways: `script(method, *replies)` queues the next answers of a method
(a 429, then a 502…); `rule` is asked about every call and may answer it instead, or wait first
(403 for one chat, 429 for a while, a 500 for one text, a slow server: `SlowTelegram`). Either way
the call is recorded with its status and the moment it arrived.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

JsonDict = dict[str, Any]
MethodHandler = Callable[[JsonDict], Awaitable[Any]]
Rule = Callable[["FakeBotApi", "ApiCall"], Awaitable["ScriptedReply | None"]]

# aiogram sends form fields, JSON-encoding everything that is not already a string. These fields are
# meant as text even when they look like JSON ("5", "true"), so they are never decoded.
RAW_STRING_FIELDS = frozenset({"text", "caption", "callback_query_id", "callback_data", "data", "url", "secret_token"})


@dataclass
class ApiCall:
    """One request the bot made, with its decoded parameters and the status it was answered with."""

    method: str
    params: JsonDict
    status: int = 200
    at: float = field(default_factory=time.monotonic)  # for intervals between calls
    wall: float = field(default_factory=time.time)  # the same moment on the clock leases are read against

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))


@dataclass
class SentMessage:
    """A message as it stands after sendMessage, or a new version of it after an edit."""

    method: str
    chat_id: int
    message_id: int
    text: str
    reply_markup: JsonDict | None = None

    def button_labels(self) -> list[str]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button["text"] for row in rows for button in row]


@dataclass(frozen=True)
class SentFile:
    """A document or photo the bot uploaded, as the recipient would save it."""

    method: str
    chat_id: int
    message_id: int
    name: str
    content: bytes
    caption: str


@dataclass(frozen=True)
class ScriptedReply:
    """An answer to give instead of the normal one. A str body is sent as HTML, like a proxy's error page."""

    status: int
    body: JsonDict | str

    @classmethod
    def error(cls, status: int, description: str, **parameters: Any) -> ScriptedReply:
        body: JsonDict = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters  # e.g. retry_after=3 for a 429
        return cls(status, body)

    @classmethod
    def ok(cls, result: Any) -> ScriptedReply:
        return cls(200, {"ok": True, "result": result})


NOT_FOUND = ScriptedReply.error(404, "Not Found: method not found")


@dataclass
class FakeBotApi:
    token: str = "123456:TEST"
    username: str = "fake_journal_bot"
    rule: Rule | None = None
    calls: list[ApiCall] = field(default_factory=list)
    messages: list[SentMessage] = field(default_factory=list)  # a file's caption is a message too
    files: list[SentFile] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bot_id = int(self.token.partition(":")[0])
        self._pending_updates: list[JsonDict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._scripted: dict[str, deque[ScriptedReply]] = defaultdict(deque)
        self._read_upto: dict[int, int] = defaultdict(int)  # chat id → index in `messages`
        self._updates_arrived = asyncio.Event()
        self._message_arrived = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.url = ""
        self._methods: dict[str, MethodHandler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._say_true,
            "deleteMessage": self._say_true,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
        }
        self.webhook: JsonDict | None = None  # the parameters of the last setWebhook, until deleteWebhook

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> FakeBotApi:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self

    async def stop(self) -> None:
        self._closing = True
        self._updates_arrived.set()  # long polls still waiting return at once
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- what a test does ---------------------------------------------------------------------

    def push_update(self, **update: Any) -> int:
        """Queue an update for the next getUpdates, e.g. push_update(message={...})."""
        update_id = next(self._update_ids)
        self._pending_updates.append({"update_id": update_id, **update})
        self._updates_arrived.set()
        return update_id

    def push_text(self, user_id: int, text: str, first_name: str = "Тест", language_code: str = "ru") -> int:
        """A private message from a user, as Telegram would deliver it."""
        return self.push_update(message=self._text_message(user_id, text, first_name, language_code))

    async def post_text(
        self, target: str, user_id: int, text: str, *, secret: str | None = None, first_name: str = "Тест"
    ) -> int:
        """The same message posted to a bot process's webhook at `target` (http://host:port/path); the
        HTTP status it answered. `secret` default: the one the bot set with setWebhook."""
        return await self.post_update(target, secret=secret, message=self._text_message(user_id, text, first_name))

    async def post_update(self, target: str, *, secret: str | None = None, **update: Any) -> int:
        """An update posted to a webhook, as Telegram does: JSON, the secret in its header."""
        if secret is None and self.webhook is not None:
            secret = self.webhook.get("secret_token")
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
        body = {"update_id": next(self._update_ids), **update}
        async with aiohttp.ClientSession() as session, session.post(target, json=body, headers=headers) as response:
            return response.status

    def _text_message(self, user_id: int, text: str, first_name: str, language_code: str = "ru") -> JsonDict:
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": first_name},
            "from": user,
            "text": text,
        }

    def push_button_press(
        self, user_id: int, message: SentMessage, callback_data: str, first_name: str = "Тест"
    ) -> int:
        """The user presses an inline button of a message the bot sent them."""
        return self.push_update(callback_query=self._button_press(user_id, message, callback_data, first_name))

    async def post_button_press(
        self, target: str, user_id: int, message: SentMessage, label: str, first_name: str = "Тест"
    ) -> int:
        """The user presses the button of `message` whose label contains `label`, posted to a webhook."""
        [data] = [
            button["callback_data"]
            for row in (message.reply_markup or {}).get("inline_keyboard", [])
            for button in row
            if label in button["text"]
        ]
        return await self.post_update(target, callback_query=self._button_press(user_id, message, data, first_name))

    def _button_press(self, user_id: int, message: SentMessage, callback_data: str, first_name: str) -> JsonDict:
        return {
            "id": str(next(self._update_ids)),
            "chat_instance": str(user_id),
            "data": callback_data,
            "from": {"id": user_id, "is_bot": False, "first_name": first_name},
            "message": self._message_json(message),
        }

    def script(self, method: str, *replies: ScriptedReply) -> None:
        """The next calls of `method` get these answers, in order, instead of the normal one."""
        self._scripted[method].extend(replies)

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    def calls_to_chat(self, chat_id: int) -> list[ApiCall]:
        return [call for call in self.calls if call.chat_id == chat_id]

    @property
    def delivered(self) -> dict[int, list[str]]:
        """The texts each chat received by sendMessage, in order (refused calls are not among them)."""
        texts: dict[int, list[str]] = {}
        for message in self.messages:
            if message.method == "sendMessage":
                texts.setdefault(message.chat_id, []).append(message.text)
        return texts

    async def wait_for_message(
        self, chat_id: int, predicate: Callable[[SentMessage], bool] | None = None, timeout: float = 10
    ) -> SentMessage:
        """The next message (or edit) to `chat_id` that matches, read like a chat: each is returned once.

        Messages to that chat which come before the match and do not match are passed over.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            found = self._read_next(chat_id, predicate)
            if found is not None:
                return found
            self._message_arrived.clear()
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                await asyncio.wait_for(self._message_arrived.wait(), max(remaining, 0))
            except TimeoutError:
                texts = [m.text for m in self.messages if m.chat_id == chat_id]
                raise AssertionError(f"no matching message to {chat_id} within {timeout}s; it got {texts}") from None

    def _read_next(self, chat_id: int, predicate: Callable[[SentMessage], bool] | None) -> SentMessage | None:
        for index in range(self._read_upto[chat_id], len(self.messages)):
            message = self.messages[index]
            if message.chat_id == chat_id and (predicate is None or predicate(message)):
                self._read_upto[chat_id] = index + 1
                return message
        return None

    # --- HTTP -----------------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._reply(ScriptedReply.error(401, "Unauthorized"))
        call = ApiCall(method, await self._read_params(request))
        self.calls.append(call)
        reply = await self._misbehaviour(call) or await self._normal_reply(call)
        call.status = reply.status
        return self._reply(reply)

    async def _misbehaviour(self, call: ApiCall) -> ScriptedReply | None:
        if self._scripted[call.method]:
            return self._scripted[call.method].popleft()
        if self.rule is not None:
            return await self.rule(self, call)
        return None

    async def _normal_reply(self, call: ApiCall) -> ScriptedReply:
        answer = self._methods.get(call.method)
        if answer is None:
            return NOT_FOUND
        return ScriptedReply.ok(await answer(call.params))

    @staticmethod
    def _reply(reply: ScriptedReply) -> web.Response:
        if isinstance(reply.body, str):
            return web.Response(status=reply.status, text=reply.body, content_type="text/html")
        return web.json_response(reply.body, status=reply.status)

    @staticmethod
    async def _read_params(request: web.Request) -> JsonDict:
        params: JsonDict = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
            return params
        for key, value in (await request.post()).items():
            params[key] = value if key in RAW_STRING_FIELDS or not isinstance(value, str) else _json_or_text(value)
        return params

    # --- the methods ----------------------------------------------------------------------------

    async def _get_me(self, params: JsonDict) -> JsonDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Journal",
            "username": self.username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, params: JsonDict) -> list[JsonDict]:
        offset = int(params.get("offset") or 0)
        self._pending_updates = [u for u in self._pending_updates if u["update_id"] >= offset]
        if not self._pending_updates and not self._closing:
            self._updates_arrived.clear()
            try:
                await asyncio.wait_for(self._updates_arrived.wait(), float(params.get("timeout") or 0))
            except TimeoutError:
                pass
        if self._closing:
            return []
        return self._pending_updates[: int(params.get("limit") or 100)]

    async def _send_message(self, params: JsonDict) -> JsonDict:
        message = SentMessage(
            "sendMessage", int(params["chat_id"]), next(self._message_ids), params["text"], params.get("reply_markup")
        )
        return self._record(message)

    async def _send_document(self, params: JsonDict) -> JsonDict:
        return self._send_file("sendDocument", params, params["document"])

    async def _send_photo(self, params: JsonDict) -> JsonDict:
        return self._send_file("sendPhoto", params, params["photo"])

    def _send_file(self, method: str, params: JsonDict, upload: Any) -> JsonDict:
        """An upload (a multipart file field, which aiogram names in the parameter as attach://<field>), or a
        file id sent again (a plain string: no content here)."""
        if isinstance(upload, str) and upload.startswith("attach://"):
            upload = params[upload.removeprefix("attach://")]
        name, content = (upload.filename, upload.file.read()) if hasattr(upload, "file") else (str(upload), b"")
        message = SentMessage(
            method,
            int(params["chat_id"]),
            next(self._message_ids),
            str(params.get("caption") or ""),
            params.get("reply_markup"),
        )
        self.files.append(SentFile(method, message.chat_id, message.message_id, name, content, message.text))
        return self._record(message)

    async def _edit_message_text(self, params: JsonDict) -> JsonDict:
        return self._record(self._edited("editMessageText", params, text=params["text"]))

    async def _edit_message_reply_markup(self, params: JsonDict) -> JsonDict:
        return self._record(self._edited("editMessageReplyMarkup", params))

    async def _say_true(self, params: JsonDict) -> bool:
        return True

    async def _set_webhook(self, params: JsonDict) -> bool:
        self.webhook = params
        return True

    async def _delete_webhook(self, params: JsonDict) -> bool:
        self.webhook = None
        return True

    def _edited(self, method: str, params: JsonDict, text: str | None = None) -> SentMessage:
        """The new version of a message; as in Telegram, an edit without reply_markup drops the buttons."""
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        if text is None:
            earlier = [m.text for m in self.messages if m.chat_id == chat_id and m.message_id == message_id]
            text = earlier[-1] if earlier else ""
        return SentMessage(method, chat_id, message_id, text, params.get("reply_markup"))

    def _record(self, message: SentMessage) -> JsonDict:
        self.messages.append(message)
        self._message_arrived.set()
        return self._message_json(message)

    def _message_json(self, message: SentMessage) -> JsonDict:
        body: JsonDict = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": message.chat_id, "type": "private"},
            "from": {"id": self.bot_id, "is_bot": True, "first_name": "Journal", "username": self.username},
            "text": message.text,
        }
        if message.reply_markup:
            body["reply_markup"] = message.reply_markup
        return body


class SlowTelegram:
    """A rule: each message is answered after 40 ms, so some requests are always in flight (the message
    counts as delivered when its request arrives). `hold()` keeps the answers back until `release()`,
    at most `longest` seconds (None: for as long as it takes), so that a test can act while requests
    are surely in flight however slowly a loaded machine runs the bot."""

    def __init__(self, longest: float | None = None) -> None:
        self.longest = longest
        self._answering = asyncio.Event()
        self._answering.set()

    async def __call__(self, api: FakeBotApi, call: ApiCall) -> None:
        if call.method != "sendMessage":
            return
        await asyncio.sleep(0.04)
        try:
            await asyncio.wait_for(self._answering.wait(), timeout=self.longest)
        except TimeoutError:
            pass

    def hold(self) -> None:
        self._answering.clear()

    def release(self) -> None:
        self._answering.set()


def _json_or_text(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value
