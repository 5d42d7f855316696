"""Deputy and director: /journal, read-only."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import HasRole
from bot.i18n import Translator
from bot.text import answer_long
from handlers.period import forget_sheet, render_sheet
from services import final_marks, grades
from services.access import ensure_school_reader
from services.actor import Actor, Role
from services.errors import ValidationFailed
from services.homeroom.classes import find_class
from services.school_clock import SchoolClock
from services.school_years import split_year_word, year_from_word


async def cmd_journal(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    """/journal CLASS [YEAR] SUBJECT [PERIOD]: the class's marks, averages and suggestions; no buttons.
    With a school year («/journal 5А 2026/27 матем»), that year's 5А, the whole year unless a period is named."""
    ensure_school_reader(actor)
    words = (command.args or "").split()
    year_word, rest = split_year_word(" ".join(words[1:]))
    if len(words) < 2 or not rest:
        raise ValidationFailed("journal-usage")
    today = clock.today()
    if year_word is None:
        school_class = await find_class(session, words[0])
        subject, scope = await grades.subject_and_scope(session, rest, school_class.id, today, subject_required=True)
        scope = scope or await grades.current_scope(session, today)
    else:
        year = await year_from_word(session, year_word)
        school_class = await find_class(session, words[0], year.id)
        subject, scope = await grades.subject_and_scope_in_year(
            session, rest, school_class.id, year, subject_required=True
        )
    sheet = await final_marks.journal_page(session, actor, school_class.id, subject.id, scope, today)
    await forget_sheet(state)
    await answer_long(message, render_sheet(i18n, sheet, with_marks=True, with_year=year_word is not None))


def router() -> Router:
    """/journal for the deputy, the director and the administrator."""
    router = Router(name=__name__)
    router.message.filter(HasRole(Role.DEPUTY, Role.DIRECTOR, Role.ADMIN))
    router.message.register(cmd_journal, Command("journal"))
    return router
