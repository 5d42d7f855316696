"""Answers to a relayed message, by its «Ответить» button or as a Telegram reply to it, back to whoever
wrote; and «Не получать неделю» under it (services.messaging.mutes)."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings, conversation_rules
from bot.i18n import Translator
from bot.outbound.callbacks import RelayMute, RelayReply
from bot.text import format_date
from handlers.messaging.outgoing import relayable, sent_text
from handlers.messaging.states import TYPED, WriteFlow
from services.actor import Actor
from services.messaging import relay
from services.messaging.mutes import mute_sender
from services.school_clock import SchoolClock


class RepliesToRelayed(Filter):
    """A Telegram reply to a message the bot relayed to this account: passes its id on as `relayed_id`."""

    async def __call__(self, message: Message, session: AsyncSession, actor: Actor) -> bool | dict[str, Any]:
        replied = message.reply_to_message
        if replied is None or (message.text or "").startswith("/"):
            return False
        relayed_id = await relay.relayed_for_reply(session, actor, message.chat.id, replied.message_id)
        return {"relayed_id": relayed_id} if relayed_id is not None else False


async def on_reply_button(
    callback: CallbackQuery, callback_data: RelayReply, i18n: Translator, state: FSMContext
) -> None:
    await state.set_state(WriteFlow.replying)
    await state.update_data(relayed_id=callback_data.relayed_id)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(i18n("write-reply-prompt"))


async def on_reply_message(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
    settings: Settings,
    clock: SchoolClock,
) -> None:
    relayed_id = (await state.get_data())["relayed_id"]
    if await on_telegram_reply(message, relayed_id, session, actor, i18n, settings, clock):
        await state.clear()


async def on_telegram_reply(
    message: Message,
    relayed_id: int,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    settings: Settings,
    clock: SchoolClock,
) -> bool:
    """`message` back to whoever wrote `relayed_id`; False when it is nothing that can be passed on."""
    content = await relayable(message, i18n)
    if content is None:
        return False
    result = await relay.reply(session, actor, relayed_id, content, conversation_rules(settings))
    await message.answer(sent_text(i18n, clock, result, "write-reply-sent"))
    return True


async def on_mute_button(
    callback: CallbackQuery,
    callback_data: RelayMute,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    muted = await mute_sender(session, actor, callback_data.relayed_id, clock)
    day = format_date(clock.local(muted.until).date(), i18n.language, "day")
    await callback.answer(i18n("write-muted", until=day), show_alert=True)


def router() -> Router:
    """«Ответить» and «Не получать неделю» under a relayed message, the answer typed, a Telegram reply."""
    router = Router(name=__name__)
    router.callback_query.register(on_reply_button, RelayReply.filter())
    router.callback_query.register(on_mute_button, RelayMute.filter())
    router.message.register(on_reply_message, WriteFlow.replying, TYPED)
    router.message.register(on_telegram_reply, RepliesToRelayed())
    return router
