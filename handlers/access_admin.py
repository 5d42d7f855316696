"""Administrator: which staff members have signed in (regulation 3.1).

Inviting and revoking staff go through the shared /invite and /revoke in handlers.access_class;
the services refuse staff invitations to anyone but the administrator.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import HasRole
from bot.i18n import Translator
from handlers.access_class import access_line
from handlers.common import answer_lines
from services.actor import Actor, Role
from services.invitations.access_lists import staff_access

STAFF_KEYWORD = "staff"


async def cmd_staff_access(message: Message, session: AsyncSession, actor: Actor, i18n: Translator) -> None:
    staff = await staff_access(session, actor)
    lines = [i18n("access-staff-header"), *(access_line(i18n, person) for person in staff)]
    lines.append(i18n("access-staff-summary", signed=sum(person.signed_in for person in staff), total=len(staff)))
    await answer_lines(message, lines)


def router() -> Router:
    """The administrator's view of staff access (/access staff)."""
    router = Router(name=__name__)
    router.message.filter(HasRole(Role.ADMIN))
    router.message.register(cmd_staff_access, Command("access", magic=F.args.lower() == STAFF_KEYWORD))
    return router
