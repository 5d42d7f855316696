"""Groups (подгруппы) of a class: a tap places a pupil who joined (asked after /enrol and /move),
/group moves one between groups from a date, /groups shows who is in which group."""

from __future__ import annotations

import datetime as dt

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import HasRole
from bot.i18n import Translator
from bot.text import answer_long, escape, format_date, short_name
from handlers.homeroom import MANAGERS, STAFF_ROLES
from handlers.movement import split_date
from handlers.subgroup_buttons import PlaceInGroup, render_group_change
from models import SchoolClass
from services import movement, subgroup_moves
from services.actor import Actor
from services.entry_parser import resolve_subject
from services.errors import ValidationFailed
from services.help_topics import example_args
from services.homeroom.classes import classes_led_by, find_class
from services.journal import load_catalog
from services.school_clock import SchoolClock
from services.subgroup_moves import SubjectGroups


async def on_place_in_group(
    callback: CallbackQuery,
    callback_data: PlaceInGroup,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    done = await subgroup_moves.place_in_group(
        session,
        actor,
        student_id=callback_data.student_id,
        subject_id=callback_data.subject_id,
        subgroup=callback_data.subgroup,
        today=clock.today(),
    )
    if isinstance(callback.message, Message):
        await callback.message.edit_text(render_group_change(i18n, done))
    await callback.answer()


async def cmd_group(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    """/group ID SUBJECT GROUP [DATE]: into that group from the date (today without one)."""
    today = clock.today()
    words, day = split_date((command.args or "").split(), today)
    if len(words) < 3:
        raise ValidationFailed("subgroup-usage", **example_args(today))
    student = await movement.find_student(session, words[0])
    subject = resolve_subject(words[1:-1], await load_catalog(session, today), student.class_id or 0)
    done = await subgroup_moves.move_to_group(
        session, actor, student_id=student.id, subject_id=subject.id, subgroup=words[-1], since=day, today=today
    )
    await message.answer(render_group_change(i18n, done))


async def cmd_groups(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    """/groups [CLASS]: one's own class, or the class named (for those who read several)."""
    today = clock.today()
    school_class = await _class_asked(session, actor, command.args)
    listing = await subgroup_moves.class_groups(session, actor, school_class.id, today)
    await answer_long(message, render_class_groups(i18n, school_class.name, today, listing))


async def _class_asked(session: AsyncSession, actor: Actor, args: str | None) -> SchoolClass:
    if args and args.strip():
        return await find_class(session, args.strip())
    led = await classes_led_by(session, actor)
    if len(led) != 1:
        raise ValidationFailed("subgroup-usage-groups")
    return led[0]


def render_class_groups(i18n: Translator, class_name: str, day: dt.date, listing: list[SubjectGroups]) -> str:
    lines = [i18n("subgroup-view-title", cls=escape(class_name), date=format_date(day, i18n.language, "full"))]
    if not listing:
        lines.append(i18n("subgroup-view-none", cls=escape(class_name)))
    for subject in listing:
        lines += ["", i18n("subgroup-view-subject", subject=escape(subject.subject))]
        lines += [
            i18n("subgroup-view-group", group=escape(group), names=_names(i18n, names))
            for group, names in subject.groups
        ]
        if subject.unplaced:
            lines.append(i18n("subgroup-view-unplaced", names=_names(i18n, subject.unplaced)))
    return "\n".join(lines)


def _names(i18n: Translator, full_names: tuple[str, ...]) -> str:
    return ", ".join(escape(short_name(name)) for name in full_names) or i18n("subgroup-view-nobody")


def router() -> Router:
    """Groups (подгруппы): placing a pupil by a tap, /group and /groups."""
    router = Router(name=__name__)
    router.callback_query.register(on_place_in_group, PlaceInGroup.filter(), HasRole(*MANAGERS))
    router.message.register(cmd_group, Command("group"), HasRole(*STAFF_ROLES))
    router.message.register(cmd_groups, Command("groups"), HasRole(*STAFF_ROLES))
    return router
