"""Homework where some is set already: «Заменить / Добавить / Отмена». Asked by /homework with a class
(handlers.teacher.commands) and by the lesson screen's homework (handlers.teacher.lesson); what waits
for the answer is in the state under `homework`."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.text import answer_long
from handlers.teacher.screen import show_lesson
from handlers.teacher.states import open_key, put_pending, take_pending
from handlers.teacher.views import HomeworkChoice, homework_choice_keyboard, render_text_result
from services import journal
from services.actor import Actor
from services.journal import HomeworkExists, HomeworkMode
from services.school_clock import SchoolClock

MODES = ("", HomeworkMode.REPLACE.value, HomeworkMode.ADD.value)  # "": keep the homework as it is


async def ask_homework_choice(
    message: Message, state: FSMContext, need: HomeworkExists, pending: dict[str, Any], i18n: Translator
) -> None:
    """Ask «Заменить / Добавить / Отмена»; `pending` is the /homework command's arguments or the lesson's
    text. The homework shown is kept with it: the choice is made over that text and no other."""
    token = await put_pending(state, "homework", dict(pending, existing=need.existing))
    await answer_long(message, i18n.refusal(need), reply_markup=homework_choice_keyboard(i18n, token))


async def on_homework_choice(
    callback: CallbackQuery,
    callback_data: HomeworkChoice,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
    state: FSMContext,
) -> None:
    taken = await take_pending(callback, state, "homework", callback_data.token, i18n, "entry-homework-choice-expired")
    if taken is None:
        return
    pending, message = taken
    if not callback_data.mode:
        await callback.answer()
        await message.edit_text(i18n("entry-homework-kept"))
        return
    mode, moment = HomeworkMode(callback_data.mode), clock.entry()
    answer = "entry-homework-added" if mode is HomeworkMode.ADD else "entry-homework-saved"
    # The button is answered once written: a refusal (homework added grown too long) is the answer instead.
    key = open_key({"lesson": pending["lesson"]}) if "lesson" in pending else None
    expected = pending.get("existing")
    try:
        if key is None:
            result = await journal.homework_command(session, actor, pending["command"], moment, mode, expected)
        else:
            result = await journal.set_homework(
                session,
                actor,
                key.class_id,
                key.subject_id,
                pending["text"],
                moment,
                after=key.date,
                mode=mode,
                expected=expected,
            )
    except HomeworkExists as need:  # changed since the question was asked: asked again over the new text
        await session.rollback()
        await callback.answer()
        await ask_homework_choice(message, state, need, pending, i18n)
        return
    await callback.answer()
    await message.edit_text(render_text_result(answer, result, i18n))
    if key is not None:
        await show_lesson(message, session, actor, i18n, state, key)


def router() -> Router:
    """The «Заменить / Добавить / Отмена» buttons."""
    router = Router(name=__name__)
    router.callback_query.register(on_homework_choice, HomeworkChoice.filter(F.mode.in_(MODES)))
    return router
