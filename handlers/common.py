"""/help, /whoami, /language: for everyone (an unbound account gets /help and /language too)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import SUPPORTED_LANGUAGES
from bot.filters import IsBound
from bot.i18n import Translator, get_translator
from bot.text import split_message
from models import PersonKind
from services.actor import Actor, Role
from services.help_topics import UNBOUND, example_args, help_keys
from services.invitations.accounts import BoundPerson, bound_people, set_language
from services.school_clock import SchoolClock

# Staff roles in the order /whoami names them.
STAFF_ROLE_ORDER = (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.TEACHER)
LANGUAGE_LABELS = {"ru": "Русский", "en": "English"}
# What `/language …` accepts: the codes, and each language's name in either language.
LANGUAGE_WORDS = {
    **{code: code for code in SUPPORTED_LANGUAGES},
    **{label.lower(): code for code, label in LANGUAGE_LABELS.items()},
    "английский": "en",
    "russian": "ru",
    "рус": "ru",
    "англ": "en",
}


class LanguageChoice(CallbackData, prefix="lang"):
    language: str


def help_text(i18n: Translator, actor: Actor, today: dt.date) -> str:
    """The commands of the actor's roles, in the actor's language, the examples dated from `today`."""
    if not actor.is_bound:
        return i18n(UNBOUND)
    examples = example_args(today)
    return "\n\n".join(i18n(key, **examples) for key in help_keys(actor.roles))


def role_label(i18n: Translator, role: str) -> str:
    """A role name (services.actor.Role or InviteRole value) as the user reads it."""
    return i18n("role-name", role=role)


async def answer_lines(message: Message, lines: Iterable[str]) -> None:
    """Answer with the lines, in as many messages as Telegram's length limit needs."""
    for part in split_message("\n".join(lines)):
        await message.answer(part, disable_web_page_preview=True)


async def cmd_help(message: Message, actor: Actor, i18n: Translator, clock: SchoolClock) -> None:
    await message.answer(help_text(i18n, actor, clock.today()))


async def cmd_whoami(message: Message, session: AsyncSession, actor: Actor, i18n: Translator) -> None:
    people = await bound_people(session, actor)
    await message.answer("\n".join([i18n("whoami-header"), *(_whoami_line(i18n, person) for person in people)]))


def _whoami_line(i18n: Translator, person: BoundPerson) -> str:
    name = html.escape(person.name)
    if person.kind == PersonKind.STAFF:
        roles = [role_label(i18n, role) for role in STAFF_ROLE_ORDER if role in person.roles]
        if person.classes:
            roles.append(i18n("whoami-homeroom", classes=html.escape(", ".join(person.classes))))
        return i18n("whoami-staff", name=name, roles=", ".join(roles))
    if person.kind == PersonKind.PARENT:
        children = ", ".join(
            i18n("whoami-child", name=html.escape(child), class_name=_class_or_none(i18n, school_class))
            for child, school_class in person.children
        )
        return i18n("whoami-parent", name=name, children=children)
    return i18n("whoami-student", name=name, class_name=_class_or_none(i18n, next(iter(person.classes), None)))


def _class_or_none(i18n: Translator, class_name: str | None) -> str:
    return html.escape(class_name) if class_name else i18n("whoami-no-class")


async def cmd_language(message: Message, command: CommandObject, session: AsyncSession, i18n: Translator) -> None:
    """`/language en` switches at once; `/language` alone, or with a word it can't read, shows the buttons."""
    wanted = (command.args or "").strip()
    if wanted:
        code = LANGUAGE_WORDS.get(wanted.lower())
        if code is not None:
            await set_language(session, message.from_user.id, message.chat.id, code)
            await message.answer(get_translator(code)("language-set"))
            return
    buttons = [
        InlineKeyboardButton(text=LANGUAGE_LABELS[code], callback_data=LanguageChoice(language=code).pack())
        for code in SUPPORTED_LANGUAGES
    ]
    text = i18n("language-unknown", text=html.escape(wanted)) if wanted else i18n("language-choose")
    await message.answer(text, reply_markup=InlineKeyboardMarkup(inline_keyboard=[buttons]))


async def on_language_chosen(callback: CallbackQuery, callback_data: LanguageChoice, session: AsyncSession) -> None:
    # The account is created if need be: an unbound user may choose a language before signing in.
    message = callback.message if isinstance(callback.message, Message) else None
    await set_language(session, callback.from_user.id, message.chat.id if message else None, callback_data.language)
    text = get_translator(callback_data.language)("language-set")
    if message is not None:
        await message.edit_text(text)
    await callback.answer()


def router() -> Router:
    """/help, /whoami and /language: for everyone."""
    router = Router(name=__name__)
    router.message.register(cmd_help, Command("help"))
    router.message.register(cmd_whoami, Command("whoami"), IsBound())
    router.message.register(cmd_language, Command("language"))
    router.callback_query.register(on_language_chosen, LanguageChoice.filter(F.language.in_(SUPPORTED_LANGUAGES)))
    return router
