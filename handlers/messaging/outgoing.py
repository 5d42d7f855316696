"""What a typed message becomes to be passed on, and what its writer is told (no router)."""

from __future__ import annotations

from aiogram.types import Message

from bot.i18n import Translator
from bot.text import format_date, format_time
from services.messaging import relay
from services.messaging.content import Content
from services.school_clock import SchoolClock


def content_of(message: Message) -> Content | None:
    """Text, a photo (the largest size) or a document; None for anything else."""
    if message.photo:
        return Content("photo", message.caption or "", message.photo[-1].file_id)
    if message.document:
        return Content("document", message.caption or "", message.document.file_id)
    if message.text is not None:
        return Content("text", message.text)
    return None


async def relayable(message: Message, i18n: Translator) -> Content | None:
    """What can be passed on, or None after saying that this kind of message cannot."""
    content = content_of(message)
    if content is None:
        await message.answer(i18n("write-error-unsupported"))
    return content


def sent_text(i18n: Translator, clock: SchoolClock, result: relay.Relayed, key: str) -> str:
    """«Отправлено», or, to a staff member off work, when it will reach them."""
    if result.delivered_at is None:
        return i18n(key, count=result.recipients)
    at = clock.local(result.delivered_at)
    day = i18n("write-today") if at.date() == clock.today() else format_date(at.date(), i18n.language, "day")
    return i18n("write-sent-later", day=day, time=format_time(at.time()))
