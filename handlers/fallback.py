"""Last resort: anything no other router took gets a short, helpful answer."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from services.actor import Actor


async def on_unknown_command(message: Message, actor: Actor, i18n: Translator) -> None:
    await message.answer(i18n("fallback-unknown-command" if actor.is_bound else "fallback-need-invitation"))


async def on_other_message(message: Message, actor: Actor, i18n: Translator) -> None:
    await message.answer(i18n("fallback-not-understood" if actor.is_bound else "fallback-need-invitation"))


async def on_stale_button(callback: CallbackQuery, i18n: Translator) -> None:
    await callback.answer(i18n("fallback-stale-button"), show_alert=True)


def router() -> Router:
    """The last router: what no other took."""
    router = Router(name=__name__)
    router.message.register(on_unknown_command, F.text.startswith("/"))
    router.message.register(on_other_message)
    router.callback_query.register(on_stale_button)
    return router
