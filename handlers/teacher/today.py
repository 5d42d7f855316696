"""/today: a teacher's lessons of the day, with what each still lacks, and a button to open each."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.text import answer_long
from handlers.teacher.views import render_day
from services.actor import Actor
from services.entry_parser import parse_date
from services.errors import ValidationFailed
from services.lessons import teacher_day
from services.school_clock import SchoolClock


async def cmd_today(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    today = clock.today()
    day = today
    if command.args:
        parsed = parse_date(command.args.strip(), today=today)
        if parsed is None:
            raise ValidationFailed("entry-bad-date", text=command.args.strip())
        day = parsed.date
    assert actor.staff_id is not None
    plan = await teacher_day(session, actor.staff_id, day)
    text, markup = render_day(plan, i18n)
    await answer_long(message, text, markup)


def router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_today, Command("today"))
    return router
