"""/start: sign-in by invitation (regulation 2.2), or a welcome."""
from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from handlers.common import help_text, role_label
from services.actor import Actor, load_actor
from services.invitations import bound_people, redeem_invitation

router = Router(name=__name__)


@router.message(CommandStart(deep_link=True))
async def cmd_start_with_code(message: Message, command: CommandObject, session: AsyncSession, i18n: Translator) -> None:
    redeemed = await redeem_invitation(session, message.from_user.id, message.chat.id, command.args)
    actor = await load_actor(session, redeemed.account)
    name = html.escape(redeemed.person_name)
    if redeemed.already_bound:
        greeting = i18n("start-already-signed-in", name=name)
    else:
        greeting = i18n("start-signed-in", name=name, role=role_label(i18n, redeemed.role.value))
    await message.answer(f"{greeting}\n\n{help_text(i18n, actor)}")


@router.message(CommandStart(deep_link=False))
async def cmd_start(message: Message, session: AsyncSession, actor: Actor, i18n: Translator) -> None:
    if not actor.is_bound:
        await message.answer(i18n("start-welcome"))
        return
    names = ", ".join(html.escape(person.name) for person in await bound_people(session, actor))
    await message.answer(f"{i18n('start-greeting', name=names)}\n\n{help_text(i18n, actor)}")
