"""The buttons under notices: a parent's answer to an absence (services.messaging.absence_answers),
ticked on the notice, and «Принято к сведению» under an announcement."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.outbound.callbacks import AbsenceAnswer, BroadcastRead
from services.actor import Actor
from services.messaging.absence_answers import AnswerOutcome, propose_explanation
from services.messaging.broadcasts import mark_read

ANSWER_TOASTS = {
    AnswerOutcome.NEW: "explain-sent",
    AnswerOutcome.CHANGED: "explain-changed",
    AnswerOutcome.SAME: "explain-same",  # pressed again: nothing changed
}


async def on_absence_answer(
    callback: CallbackQuery, callback_data: AbsenceAnswer, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    outcome = await propose_explanation(session, actor, callback_data.attendance_id, callback_data.answer)
    await callback.answer(i18n(ANSWER_TOASTS[outcome]), show_alert=True)
    if isinstance(callback.message, Message) and callback.message.reply_markup and outcome is not AnswerOutcome.SAME:
        await callback.message.edit_reply_markup(reply_markup=_ticked(callback.message.reply_markup, callback.data))


def _ticked(markup: InlineKeyboardMarkup, pressed: str | None) -> InlineKeyboardMarkup:
    """The notice's answers as they were worded for the child, the pressed one ticked: another press
    moves the tick (services.messaging.absence_answers)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button.model_copy(
                    update={"text": ("✓ " if button.callback_data == pressed else "") + button.text.removeprefix("✓ ")}
                )
                for button in row
            ]
            for row in markup.inline_keyboard
        ]
    )


async def on_broadcast_read(
    callback: CallbackQuery, callback_data: BroadcastRead, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    first = await mark_read(session, actor, callback_data.broadcast_id)
    await callback.answer(i18n("broadcast-read-thanks" if first else "broadcast-read-already"))


def router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_absence_answer, AbsenceAnswer.filter())
    router.callback_query.register(on_broadcast_read, BroadcastRead.filter())
    return router
