"""The lesson screen in the chat: one message, edited in place as the lesson fills (its id kept in the
lesson's state), or sent anew when it can no longer be edited. No router."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from handlers.teacher.states import keep_open, screen_of
from handlers.teacher.views import render_lesson
from services import journal
from services.actor import Actor
from services.journal import LessonKey


async def show_lesson(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, state: FSMContext, key: LessonKey
) -> None:
    """The lesson screen brought up to date: the message kept in the state edited in place, or, when
    there is none or it can no longer be edited (too old, deleted), a new one that is kept from now on."""
    text, markup = render_lesson(await journal.lesson_view(session, actor, key), i18n)
    screen = screen_of(await state.get_data())
    if screen is not None:
        try:
            await message.bot.edit_message_text(text, chat_id=message.chat.id, message_id=screen, reply_markup=markup)
            return
        except TelegramBadRequest as error:
            if "not modified" in error.message.lower():  # the screen already shows this
                return
    sent = await message.answer(text, reply_markup=markup)
    await keep_open(state, key, screen=sent.message_id)
