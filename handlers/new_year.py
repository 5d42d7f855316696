"""/newyear (administrator): what is still missing before the move to the next year, what the move
will do, and how to run it (services.new_year; the move itself is `python -m bot new-year WORKBOOK`)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.filters import IsBound, router_for
from bot.i18n import Translator
from bot.text import answer_long, escape
from services.actor import Actor
from services.new_year import NewYearOutlook, new_year_outlook
from services.school_clock import SchoolClock


async def cmd_newyear(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock, settings: Settings
) -> None:
    outlook = await new_year_outlook(session, actor, clock.today(), clock.timezone, last_grade=settings.last_grade)
    await answer_long(message, render_outlook(i18n, outlook))


def render_outlook(i18n: Translator, outlook: NewYearOutlook) -> str:
    lines = [i18n("newyear-title", year=escape(outlook.year))]
    if outlook.missing:
        lines.append(i18n("newyear-missing", count=len(outlook.missing)))
        lines += [f"• {i18n.refusal(reason)}" for reason in outlook.missing]
    else:
        lines.append(i18n("newyear-ready"))
    lines.append(i18n("newyear-will-do"))
    for school_class in outlook.classes:
        if school_class.next_name is None:
            lines.append(
                i18n("newyear-class-graduates", class_name=escape(school_class.name), count=school_class.pupils)
            )
        else:
            lines.append(
                i18n(
                    "newyear-class-moves",
                    class_name=escape(school_class.name),
                    next_name=escape(school_class.next_name),
                    count=school_class.pupils,
                )
            )
    lines.append(i18n("newyear-graduating", count=outlook.graduating))
    lines.append(i18n("newyear-how"))
    return "\n".join(lines)


def router() -> Router:
    """/newyear for the administrator (anyone else signed in is refused by the service)."""
    router = router_for(__name__, IsBound())
    router.message.register(cmd_newyear, Command("newyear"))
    return router
