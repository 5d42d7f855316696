"""/invite, /access, /revoke: class teachers for their own class, the administrator for anyone.

One set of handlers serves both: the services decide who may invite or revoke whom
(services.access.ensure_can_manage_access), so the chat layer only parses and renders.
"""

from __future__ import annotations

import asyncio
import html

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.filters import HasRole, router_for
from bot.i18n import Translator
from handlers.common import answer_lines, role_label
from models import InviteRole
from services.actor import Actor, Role
from services.documents.slips import slips_pdf
from services.errors import ValidationFailed
from services.invitations.access_lists import PersonAccess, class_access, class_for_command
from services.invitations.handouts import ClassHandouts, class_handouts
from services.invitations.issuing import (
    AlreadySignedIn,
    ClassInvitations,
    IssuedInvitation,
    create_invitation,
    invitation_link,
    invite_class,
    reissue_invitation,
)
from services.invitations.revoking import revoke_access
from services.school_clock import SchoolClock

CLASS_KEYWORD = "class"
# `/invite class [класс] pdf`: the class's links as slips to print (regulation 2.2), not as a list.
PDF_KEYWORD = "pdf"
# `/invite parent p3 again`: the typed «yes» to «already signed in, issue a new link?».
AGAIN_KEYWORD = "again"


class InviteAgain(CallbackData, prefix="iag"):
    """«Issue a new link anyway» for a person who has signed in already."""

    role: str
    person_id: int


async def cmd_invite(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    settings: Settings,
    clock: SchoolClock,
    bot: Bot,
) -> None:
    head, argument = _split_args(command)
    username = await _bot_username(bot, settings)
    if head == CLASS_KEYWORD:
        await _invite_class(message, command, session, actor, i18n, settings, clock, username)
        return
    role = _parse_role(head, usage="invite-usage")
    again = _third_word(command) == AGAIN_KEYWORD
    try:
        issued = await create_invitation(
            session, role, argument, ttl_days=settings.invite_ttl_days, created_by=actor, confirmed=again
        )
    except AlreadySignedIn as need:
        await session.rollback()
        await _ask_again(message, i18n, need)
        return
    await _answer_link(message, i18n, clock, username, issued)


async def _ask_again(message: Message, i18n: Translator, need: AlreadySignedIn) -> None:
    """«Already signed in: a new link?», with the button and the typed form (people from the import have an id)."""
    again = InviteAgain(role=need.role.value, person_id=need.person_id).pack()
    button = InlineKeyboardButton(text=i18n("invite-button-again"), callback_data=again)
    lines = [i18n.refusal(need)]
    if external_id := need.args_for_message["id"]:
        lines.append(i18n("invite-again-typed", role=need.role.value, id=html.escape(external_id)))
    await message.answer("\n".join(lines), reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]]))


async def on_invite_again(
    callback: CallbackQuery,
    callback_data: InviteAgain,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    settings: Settings,
    clock: SchoolClock,
    bot: Bot,
) -> None:
    issued = await reissue_invitation(
        session,
        actor,
        _parse_role(callback_data.role, usage="invite-usage"),
        callback_data.person_id,
        ttl_days=settings.invite_ttl_days,
    )
    await callback.answer()
    if isinstance(callback.message, Message):
        await _answer_link(callback.message, i18n, clock, await _bot_username(bot, settings), issued)


async def _answer_link(
    message: Message, i18n: Translator, clock: SchoolClock, username: str, issued: IssuedInvitation
) -> None:
    lines = [
        i18n(
            "invite-link",
            name=html.escape(issued.person_name),
            role=role_label(i18n, issued.role.value),
            link=invitation_link(username, issued.code),
            until=clock.local(issued.expires_at).date(),
        )
    ]
    if issued.withdrawn:
        lines.append(i18n("invite-withdrawn", count=issued.withdrawn))
    await message.answer("\n".join(lines), disable_web_page_preview=True)


async def _invite_class(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    settings: Settings,
    clock: SchoolClock,
    username: str,
) -> None:
    """`/invite class [класс] [pdf]`: the links as a list, or as slips to print."""
    class_name, as_pdf = _class_request(command)
    class_id = (await class_for_command(session, actor, class_name)).id
    if as_pdf:
        handouts = await class_handouts(
            session, actor, class_id, ttl_days=settings.invite_ttl_days, bot_username=username, clock=clock
        )
        await _answer_class_slips(message, i18n, handouts)
    else:
        issued = await invite_class(session, actor, class_id, ttl_days=settings.invite_ttl_days)
        await _answer_class_links(message, i18n, clock, username, issued)


async def _answer_class_links(
    message: Message, i18n: Translator, clock: SchoolClock, username: str, result: ClassInvitations
) -> None:
    if not result.issued:
        await message.answer(i18n("invite-class-none", class_name=html.escape(result.class_name)))
        return
    lines = [i18n("invite-class-header", class_name=html.escape(result.class_name))]
    lines += [_class_invitation_line(i18n, username, issued) for issued in result.issued]
    lines.append(i18n("invite-class-footer", until=clock.local(result.issued[0].expires_at).date()))
    lines += _class_notes(i18n, result.skipped_signed_in, sum(issued.withdrawn for issued in result.issued))
    await answer_lines(message, lines)


async def _answer_class_slips(message: Message, i18n: Translator, handouts: ClassHandouts) -> None:
    class_name = html.escape(handouts.class_name)
    if not handouts.slips:
        await message.answer(i18n("invite-class-none", class_name=class_name))
        return
    pdf = await asyncio.to_thread(slips_pdf, handouts.slips)  # a class's QR codes and fonts: not on the event loop
    lines = [i18n("invite-class-pdf-caption", class_name=class_name, count=len(handouts.slips), until=handouts.expires)]
    lines += _class_notes(i18n, handouts.skipped_signed_in, handouts.withdrawn)
    document = BufferedInputFile(pdf, filename=f"invitations-{handouts.class_name}.pdf")
    await message.answer_document(document, caption="\n".join(lines))


def _class_notes(i18n: Translator, skipped_signed_in: int, withdrawn: int) -> list[str]:
    """Under a class's invitations: who got none for having signed in, and how many older links died."""
    notes = []
    if skipped_signed_in:
        notes.append(i18n("invite-class-skipped", count=skipped_signed_in))
    if withdrawn:
        notes.append(i18n("invite-withdrawn", count=withdrawn))
    return notes


def _class_invitation_line(i18n: Translator, username: str, issued: IssuedInvitation) -> str:
    return i18n(
        "invite-class-line",
        role=role_label(i18n, issued.role.value),
        name=html.escape(issued.person_name),
        link=invitation_link(username, issued.code),
    )


async def cmd_access(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    school_class = await class_for_command(session, actor, command.args)
    class_name = html.escape(school_class.name)
    rows = await class_access(session, actor, school_class.id)
    if not rows:
        await message.answer(i18n("access-empty", class_name=class_name))
        return
    lines = [i18n("access-header", class_name=class_name)]
    for row in rows:
        lines.append(access_line(i18n, row.student))
        if row.parents:
            lines.append(i18n("access-parents", parents=", ".join(access_line(i18n, p) for p in row.parents)))
        else:
            lines.append(i18n("access-no-parents"))
    # A parent of two children in the class counts once.
    parents = {parent.external_id: parent for row in rows for parent in row.parents}.values()
    lines.append(
        i18n(
            "access-summary",
            students=sum(row.student.signed_in for row in rows),
            students_total=len(rows),
            parents=sum(parent.signed_in for parent in parents),
            parents_total=len(parents),
        )
    )
    await answer_lines(message, lines)


def access_line(i18n: Translator, person: PersonAccess) -> str:
    return i18n(
        "access-person",
        signed="yes" if person.signed_in else "no",
        name=html.escape(person.name),
        id=html.escape(person.external_id),
    )


async def cmd_revoke(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    head, person_id = _split_args(command)
    role = _parse_role(head, usage="revoke-usage")
    if person_id is None:
        raise ValidationFailed("revoke-usage")
    result = await revoke_access(session, actor, role, person_id)
    await message.answer(
        i18n(
            "revoke-done" if result.bindings or result.invitations else "revoke-nothing",
            name=html.escape(result.person_name),
            bindings=result.bindings,
            invitations=result.invitations,
        )
    )


def _split_args(command: CommandObject) -> tuple[str, str | None]:
    """`/invite parent p3` → ("parent", "p3"); the second word is None when missing."""
    words = (command.args or "").split()
    head = words[0].lower() if words else ""
    return head, words[1] if len(words) > 1 else None


def _class_request(command: CommandObject) -> tuple[str | None, bool]:
    """`/invite class 5б pdf` → ("5б", True); the class may come before or after `pdf`, or not at all."""
    words = (command.args or "").split()[1:]
    named = [word for word in words if word.lower() != PDF_KEYWORD]
    return (named[0] if named else None), len(named) < len(words)


def _third_word(command: CommandObject) -> str:
    words = (command.args or "").split()
    return words[2].lower() if len(words) > 2 else ""


def _parse_role(word: str, *, usage: str) -> InviteRole:
    try:
        return InviteRole(word)
    except ValueError:
        raise ValidationFailed(usage) from None


async def _bot_username(bot: Bot, settings: Settings) -> str:
    # aiogram caches getMe, so asking the bot costs one request per process.
    return settings.bot_username or (await bot.me()).username or ""


def router() -> Router:
    """Invitations and access for a class teacher's class, and for the administrator."""
    router = router_for(__name__, HasRole(Role.CLASS_TEACHER, Role.ADMIN))
    router.message.register(cmd_invite, Command("invite"))
    router.callback_query.register(on_invite_again, InviteAgain.filter())
    router.message.register(cmd_access, Command("access"))
    router.message.register(cmd_revoke, Command("revoke"))
    return router
