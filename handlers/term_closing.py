"""The deputy or director: /period close N (what is missing, then a confirmation), /period reopen N reason."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import HasRole
from bot.i18n import Translator
from bot.text import answer_long, escape, short_name
from models import Period
from services import grades, term_closing
from services.actor import Actor, Role
from services.errors import NotFound, ValidationFailed
from services.grades import Scope
from services.school_clock import SchoolClock
from services.term_closing import MissingMarks

CLOSE_WORDS = frozenset({"close", "закрыть"})
REOPEN_WORDS = frozenset({"reopen", "открыть"})


class TermAction(CallbackData, prefix="term"):
    action: str  # "close" or "cancel"
    period_id: int


def _first_word(command: CommandObject) -> str:
    words = (command.args or "").split()
    return words[0].lower() if words else ""


def _after_first_word(command: CommandObject) -> str:
    parts = (command.args or "").split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


async def _scope(session: AsyncSession, text: str, clock: SchoolClock, usage: str) -> Scope:
    scope = await grades.scope_from_text(session, text, clock.today()) if text.strip() else None
    if scope is None:
        raise ValidationFailed(usage)
    return scope


async def cmd_close(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    scope = await _scope(session, _after_first_word(command), clock, "period-close-usage")
    missing = await term_closing.closing_check(session, actor, scope, clock.today())
    period = scope.period
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=i18n("period-close-button"),
                    callback_data=TermAction(action="close", period_id=period.id).pack(),
                ),
                InlineKeyboardButton(
                    text=i18n("period-close-cancel-button"),
                    callback_data=TermAction(action="cancel", period_id=period.id).pack(),
                ),
            ]
        ]
    )
    await answer_long(message, render_closing(i18n, period, missing), markup)


def render_closing(i18n: Translator, period: Period, missing: list[MissingMarks]) -> str:
    lines = [i18n("period-close-ask", period=escape(period.name))]
    if not missing:
        lines.append(i18n("period-close-nothing-missing"))
    else:
        lines.append(i18n("period-close-missing", count=sum(len(item.pupils) for item in missing)))
        for item in missing:
            pupils = ", ".join(f"№{number} {escape(short_name(name))}" for number, name in item.pupils)
            lines.append(
                i18n(
                    "period-close-missing-line",
                    class_name=escape(item.class_name),
                    subject=escape(item.subject),
                    count=len(item.pupils),
                    pupils=pupils,
                )
            )
    return "\n".join(lines)


async def on_close(
    callback: CallbackQuery,
    callback_data: TermAction,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    scope = await _period_scope(session, callback_data.period_id)
    period = await term_closing.close_period(session, actor, scope, clock.today(), clock.utcnow())
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(i18n("period-closed", period=escape(period.name)))


async def on_cancel(callback: CallbackQuery, callback_data: TermAction, i18n: Translator) -> None:
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(i18n("period-close-cancelled"))


async def _period_scope(session: AsyncSession, period_id: int) -> Scope:
    period = await session.get(Period, period_id)
    if period is None:
        raise NotFound("period-class-or-subject-gone")
    return await grades.scope_by_id(session, period.year_id, period.id)


async def cmd_reopen(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    """/period reopen 2 // причина, or /period reopen 2 причина."""
    text = _after_first_word(command)
    if "//" in text:
        which, reason = (part.strip() for part in text.split("//", 1))
    else:
        which, _, reason = text.partition(" ")
    scope = await _scope(session, which, clock, "period-reopen-usage")
    period = await term_closing.reopen_period(session, actor, scope, reason, clock.utcnow())
    await message.answer(i18n("period-reopened", period=escape(period.name), reason=escape(reason.strip())))


def router() -> Router:
    """/period close and /period reopen."""
    router = Router(name=__name__)
    router.message.filter(HasRole(Role.TEACHER, Role.DEPUTY, Role.DIRECTOR, Role.ADMIN))
    router.callback_query.filter(HasRole(Role.DEPUTY, Role.DIRECTOR))
    router.message.register(cmd_close, Command("period"), lambda message, command: _first_word(command) in CLOSE_WORDS)
    router.callback_query.register(on_close, TermAction.filter(F.action == "close"))
    router.callback_query.register(on_cancel, TermAction.filter(F.action == "cancel"))
    router.message.register(
        cmd_reopen, Command("period"), lambda message, command: _first_word(command) in REOPEN_WORDS
    )
    return router
