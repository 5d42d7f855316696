"""The way out, as the delivery worker sees it: a messenger that sends texts and files, and says no.

services.delivery sends through a `Channel` and renders through a `Renderer`; both are handed to it
by the messenger's side (bot.outbound for Telegram), which maps its own library's errors onto the
exceptions here. Nothing in this module knows which messenger it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

Button = tuple[str, str]  # label, callback data (what the chat side's handlers answer)
Buttons = tuple[tuple[Button, ...], ...]  # rows of buttons


@dataclass(frozen=True)
class Outgoing:
    """One message: a text, or a photo or document (by the messenger's file id) with an optional caption."""

    text: str = ""
    buttons: Buttons = ()
    photo: str | None = None
    document: str | None = None


@dataclass(frozen=True)
class RowView:
    """What rendering needs of an outbox row: its kind and payload as the claim took them."""

    id: int
    kind: str
    payload: dict[str, Any] = field(default_factory=dict)
    source_id: int | None = None


class Renderer(Protocol):
    """Rows → the messages the recipient reads, in `language` (one row, or all of a digest's)."""

    def __call__(self, rows: Sequence[RowView], language: str) -> list[Outgoing]: ...


class Channel(Protocol):
    """A messenger. Each call returns the message's id in the chat (None if the messenger gives none),
    or raises one of the ChannelError classes below; `timeout` is in seconds."""

    async def send_text(self, chat_id: int, text: str, buttons: Buttons = (), *, timeout: float) -> int | None: ...

    async def send_photo(
        self, chat_id: int, photo: str, caption: str | None, buttons: Buttons = (), *, timeout: float
    ) -> int | None: ...

    async def send_document(
        self, chat_id: int, document: str, caption: str | None, buttons: Buttons = (), *, timeout: float
    ) -> int | None: ...

    async def edit_text(
        self, chat_id: int, message_id: int, text: str, buttons: Buttons = (), *, timeout: float
    ) -> None: ...


async def send(channel: Channel, chat_id: int, message: Outgoing, *, timeout: float) -> int | None:
    """`message` through `channel`: a photo, a document (the text is their caption) or a text."""
    if message.photo:
        return await channel.send_photo(chat_id, message.photo, message.text or None, message.buttons, timeout=timeout)
    if message.document:
        return await channel.send_document(
            chat_id, message.document, message.text or None, message.buttons, timeout=timeout
        )
    return await channel.send_text(chat_id, message.text, message.buttons, timeout=timeout)


# --- what can go wrong -------------------------------------------------------------------------------


class ChannelError(Exception):
    """A messenger's refusal; `description` is what it said, as the outbox row's last error keeps it."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class RetryAfter(ChannelError):
    """Too many requests: nothing may be sent for `seconds`; then the same message goes again."""

    def __init__(self, seconds: float, description: str = "") -> None:
        super().__init__(description or f"retry after {seconds}")
        self.seconds = seconds


class Blocked(ChannelError):
    """The recipient blocked the bot or is gone: nothing to them will ever arrive."""


class Refused(ChannelError):
    """A bad request, or another refusal that no second try changes."""


class Unavailable(ChannelError):
    """The messenger's server or the network failed (`name` says how): worth trying again later."""

    def __init__(self, name: str, description: str) -> None:
        super().__init__(description)
        self.name = name
