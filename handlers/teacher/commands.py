"""The one-shot commands: /mark, /topic and /homework with a class, the lesson named in the command."""

from __future__ import annotations

import datetime as dt

from aiogram import Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.text import answer_long
from handlers.teacher.homework import ask_homework_choice
from handlers.teacher.lesson import ask_confirmation
from handlers.teacher.views import command_reason_hint, render_result, render_text_result
from services import journal
from services.actor import Actor
from services.entry_parser import looks_like_class
from services.errors import ConfirmationRequired
from services.journal import HomeworkExists, ReasonRequired
from services.school_clock import SchoolClock


class ClassArgument(Filter):
    """The command's first argument is a class name: `/homework 5А …` is a teacher's, `/homework week` not."""

    async def __call__(self, message: Message) -> bool:
        words = (message.text or "").split(maxsplit=2)
        return len(words) > 1 and looks_like_class(words[1])


async def cmd_mark(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
    state: FSMContext,
) -> None:
    args = (command.args or "").strip()
    if not args:
        await message.answer(i18n("entry-help-mark", minutes=clock.edit_grace // dt.timedelta(minutes=1)))
        return
    try:
        result = await journal.mark_command(session, actor, args, clock.entry())
    except ConfirmationRequired as need:
        await session.rollback()
        await ask_confirmation(message, state, need, {"command": args}, i18n)
        return
    await answer_long(
        message,
        command_reason_hint(result, args, i18n) if isinstance(result, ReasonRequired) else render_result(result, i18n),
    )


async def cmd_topic(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    result = await journal.topic_command(session, actor, command.args or "", clock.entry())
    await answer_long(message, render_text_result("entry-topic-saved", result, i18n))


async def cmd_homework(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
    state: FSMContext,
) -> None:
    args = command.args or ""
    try:
        result = await journal.homework_command(session, actor, args, clock.entry())
    except HomeworkExists as need:
        await session.rollback()
        await ask_homework_choice(message, state, need, {"command": args}, i18n)
        return
    await answer_long(message, render_text_result("entry-homework-saved", result, i18n))


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_mark, Command("mark"))
    router.message.register(cmd_topic, Command("topic"))
    router.message.register(cmd_homework, Command("homework"), ClassArgument())
    return router
