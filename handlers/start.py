"""/start: sign-in by invitation (regulation 2.2), or a welcome."""

from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from handlers.common import help_text, role_label
from handlers.settings import SettingsAction
from models import InviteRole
from services.actor import Actor, load_actor
from services.errors import ConfirmationRequired
from services.invitations.accounts import bound_people
from services.invitations.sign_in import redeem_invitation
from services.school_clock import SchoolClock


class AddPerson(CallbackData, prefix="sia"):
    """«Yes, add this person to my account»: the link's code again (the user holds it anyway)."""

    code: str


async def cmd_start_with_code(
    message: Message, command: CommandObject, session: AsyncSession, i18n: Translator, clock: SchoolClock
) -> None:
    await _sign_in(message, session, i18n, clock, message.from_user.id, command.args, confirmed=False)


async def on_add_person(
    callback: CallbackQuery, callback_data: AddPerson, session: AsyncSession, i18n: Translator, clock: SchoolClock
) -> None:
    await callback.answer()
    if isinstance(callback.message, Message):
        await _sign_in(
            callback.message, session, i18n, clock, callback.from_user.id, callback_data.code, confirmed=True
        )


async def _sign_in(
    message: Message,
    session: AsyncSession,
    i18n: Translator,
    clock: SchoolClock,
    telegram_id: int,
    code: str,
    *,
    confirmed: bool,
) -> None:
    """Redeem the code for the user and greet them; answer in `message`'s chat."""
    code = code.strip()
    try:
        redeemed = await redeem_invitation(session, telegram_id, message.chat.id, code, confirmed=confirmed)
    except ConfirmationRequired as need:
        await session.rollback()
        button = InlineKeyboardButton(
            text=i18n("start-button-add-person", **need.args_for_message), callback_data=AddPerson(code=code).pack()
        )
        await message.answer(i18n.refusal(need), reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]]))
        return
    actor = await load_actor(session, redeemed.account)
    name = html.escape(redeemed.person_name)
    if redeemed.already_bound:
        greeting = i18n("start-already-signed-in", name=name)
    else:
        greeting = i18n("start-signed-in", name=name, role=role_label(i18n, redeemed.role.value))
    if redeemed.ended_elsewhere:
        greeting += "\n" + i18n("start-ended-elsewhere")
    await message.answer(f"{greeting}\n\n{help_text(i18n, actor, clock.today())}")
    if redeemed.role is InviteRole.STUDENT and not redeemed.already_bound:
        await message.answer(i18n("start-student-notices"), reply_markup=student_notices_question(i18n))


def student_notices_question(i18n: Translator) -> InlineKeyboardMarkup:
    """«Присылать уведомления об отметках?» for a pupil just signed in: off until they say so. The
    buttons are /settings' own (handlers.settings), and answer with the settings as they now are."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=i18n("start-student-notices-yes"),
                    callback_data=SettingsAction(act="student", value="on").pack(),
                ),
                InlineKeyboardButton(
                    text=i18n("start-student-notices-no"),
                    callback_data=SettingsAction(act="student", value="off").pack(),
                ),
            ]
        ]
    )


async def cmd_start(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    if not actor.is_bound:
        await message.answer(i18n("start-welcome"))
        return
    names = ", ".join(html.escape(person.name) for person in await bound_people(session, actor))
    await message.answer(f"{i18n('start-greeting', name=names)}\n\n{help_text(i18n, actor, clock.today())}")


def router() -> Router:
    """/start with an invitation code, and without one."""
    router = Router(name=__name__)
    router.message.register(cmd_start_with_code, CommandStart(deep_link=True))
    router.callback_query.register(on_add_person, AddPerson.filter())
    router.message.register(cmd_start, CommandStart(deep_link=False))
    return router
