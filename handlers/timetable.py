"""Lessons outside the timetable: /lesson add|remove (teacher), /substitute (deputy, administrator).

Typed and by buttons alike; the rules are services.timetable_changes'.
"""

from __future__ import annotations

import datetime as dt

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import HasRole, router_for
from bot.i18n import Translator
from bot.text import escape, format_date
from services.actor import Actor, Role
from services.errors import AccessDenied, ValidationFailed
from services.extra_lessons import ExtraLessonConfirmation, add_extra_lesson, remove_lesson
from services.journal import load_catalog
from services.school_clock import SchoolClock
from services.school_reference import school_reference
from services.timetable_changes import DayChange, record_substitution
from services.timetable_commands import parse_lesson_address, parse_substitution
from services.timetable_day import class_day


class LessonOutsideTimetable(CallbackData, prefix="xl"):
    """«Добавить» (act "add") confirming /lesson add, naming its date and number; «Убрать урок» (act
    "remove") on the lesson view of an extra lesson."""

    act: str
    class_id: int
    subject_id: int
    day: int  # date.toordinal()
    lesson_no: int


class PickLesson(CallbackData, prefix="sbl"):
    """/substitute's day: one lesson of the class chosen."""

    class_id: int
    day: int
    lesson_no: int


class SetSubstitution(CallbackData, prefix="sbs"):
    """/substitute's lesson: a teacher chosen (staff_id), or «c» cancel, or «r» as in the timetable."""

    class_id: int
    day: int
    lesson_no: int
    act: str
    staff_id: int = 0


def _ensure_deputy(actor: Actor) -> None:
    if not actor.has(Role.DEPUTY, Role.ADMIN):
        raise AccessDenied("timetable-deputy-only")


def render_change(change: DayChange, i18n: Translator) -> str:
    text = i18n(
        f"timetable-done-{change.kind}",
        class_name=escape(change.class_name),
        date=format_date(change.date, i18n.language),
        day=change.date.strftime("%d.%m"),
        lesson_no=change.lesson_no,
        subject=escape(change.subject),
        teacher=escape(change.teacher),
    )
    return text + ("\n" + i18n("timetable-told-families") if change.told else "")


# --- /lesson add | remove ------------------------------------------------------------------------------


async def cmd_lesson(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    verb, _, rest = (command.args or "").strip().partition(" ")
    if verb.casefold() not in ("add", "remove", "добавить", "убрать"):
        await message.answer(i18n("timetable-usage-lesson"))
        return
    now, today = clock.utcnow(), clock.today()
    address = parse_lesson_address(rest, await load_catalog(session, today), usage_key="timetable-usage-lesson")
    where = (actor, address.school_class.id, address.subject.id, address.date, address.lesson_no)
    if verb.casefold() in ("remove", "убрать"):
        change = await remove_lesson(session, *where, now=now, today=today)
        await message.answer(render_change(change, i18n))
        return
    try:
        change = await add_extra_lesson(session, *where, confirmed=False, now=now, today=today)
    except ExtraLessonConfirmation as question:
        await session.rollback()
        button = InlineKeyboardButton(
            text=i18n("timetable-extra-button", date=address.date.strftime("%d.%m"), lesson_no=address.lesson_no),
            callback_data=LessonOutsideTimetable(
                act="add",
                class_id=address.school_class.id,
                subject_id=address.subject.id,
                day=address.date.toordinal(),
                lesson_no=address.lesson_no,
            ).pack(),
        )
        await message.answer(i18n.refusal(question), reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]]))


async def on_lesson_outside_timetable(
    callback: CallbackQuery,
    callback_data: LessonOutsideTimetable,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    now, today = clock.utcnow(), clock.today()
    where = (
        actor,
        callback_data.class_id,
        callback_data.subject_id,
        dt.date.fromordinal(callback_data.day),
        callback_data.lesson_no,
    )
    if callback_data.act == "add":
        change = await add_extra_lesson(session, *where, confirmed=True, now=now, today=today)
    else:
        change = await remove_lesson(session, *where, now=now, today=today)
    await _answer(callback, render_change(change, i18n))


async def _answer(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=markup)


# --- /substitute ---------------------------------------------------------------------------------------


async def cmd_substitute(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    _ensure_deputy(actor)
    if not (command.args or "").strip():
        await message.answer(i18n("timetable-usage-substitute"))
        return
    now, today = clock.utcnow(), clock.today()
    typed = parse_substitution(command.args or "", await load_catalog(session, today), await school_reference(session))
    class_id, day = typed.school_class.id, typed.date
    if typed.lesson_no is None:
        text, markup = await _day_choice(session, class_id, day, i18n)
        await message.answer(text, reply_markup=markup)
        return
    if not typed.has_change:
        text, markup = await _lesson_choice(session, class_id, day, typed.lesson_no, i18n)
        await message.answer(text, reply_markup=markup)
        return
    change = await record_substitution(
        session,
        actor,
        class_id,
        day,
        typed.lesson_no,
        teacher_id=typed.teacher_id,
        subject_id=typed.subject_id,
        cancel=typed.cancel,
        restore=typed.restore,
        now=now,
        today=today,
    )
    await message.answer(render_change(change, i18n))


async def on_pick_lesson(
    callback: CallbackQuery, callback_data: PickLesson, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    _ensure_deputy(actor)
    text, markup = await _lesson_choice(
        session, callback_data.class_id, dt.date.fromordinal(callback_data.day), callback_data.lesson_no, i18n
    )
    await _answer(callback, text, markup)


async def on_set_substitution(
    callback: CallbackQuery,
    callback_data: SetSubstitution,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    now, today = clock.utcnow(), clock.today()
    day, act = dt.date.fromordinal(callback_data.day), callback_data.act
    change = await record_substitution(
        session,
        actor,
        callback_data.class_id,
        day,
        callback_data.lesson_no,
        teacher_id=callback_data.staff_id or None,
        cancel=act == "c",
        restore=act == "r",
        now=now,
        today=today,
    )
    await _answer(callback, render_change(change, i18n))


async def _day_choice(
    session: AsyncSession, class_id: int, day: dt.date, i18n: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    reference = await school_reference(session)
    found = await class_day(session, class_id, day)
    class_name, date = escape(reference.classes[class_id].name), format_date(day, i18n.language)
    lessons = sorted([*found.lessons, *found.cancelled], key=lambda lesson: lesson.lesson_no)
    if not lessons:
        return i18n("timetable-day-none", class_name=class_name, date=date), None
    buttons = []
    for lesson in lessons:
        subject = reference.subject(lesson.subject_id)
        mark = "cancelled" if lesson in found.cancelled else lesson.change
        label = f"{lesson.lesson_no} — {subject.name if subject else '?'}"
        if mark:
            label += f" ({i18n(f'timetable-mark-{mark}')})"
        buttons.append(
            [
                InlineKeyboardButton(
                    text=label,
                    callback_data=PickLesson(class_id=class_id, day=day.toordinal(), lesson_no=lesson.lesson_no).pack(),
                )
            ]
        )
    return (
        i18n("timetable-day-header", class_name=class_name, date=date),
        InlineKeyboardMarkup(inline_keyboard=buttons),
    )


async def _lesson_choice(
    session: AsyncSession, class_id: int, day: dt.date, lesson_no: int, i18n: Translator
) -> tuple[str, InlineKeyboardMarkup]:
    """The lesson as it stands, and a button per teacher, «cancel» and «as in the timetable»."""
    reference = await school_reference(session)
    found = await class_day(session, class_id, day)
    current = next((lesson for lesson in found.lessons if lesson.lesson_no == lesson_no), None) or next(
        (lesson for lesson in found.cancelled if lesson.lesson_no == lesson_no), None
    )
    if current is None:
        raise ValidationFailed("timetable-need-lesson-no", example=f"{reference.classes[class_id].name} {day:%d.%m}/1")
    subject = reference.subject(current.subject_id)
    teacher = reference.staff.get(current.teacher_id) if current.teacher_id else None
    text = i18n(
        "timetable-lesson-header",
        class_name=escape(reference.classes[class_id].name),
        date=format_date(day, i18n.language),
        lesson_no=lesson_no,
        subject=escape(subject.name if subject else "?"),
        teacher=escape(teacher.full_name if teacher else "—"),
    )
    teachers = sorted(
        (
            staff
            for staff in reference.staff.values()
            if staff.active and Role.TEACHER in {role.value for role in staff.roles}
        ),
        key=lambda staff: staff.full_name,
    )

    def button(label: str, act: str, staff_id: int = 0) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=label,
            callback_data=SetSubstitution(
                class_id=class_id, day=day.toordinal(), lesson_no=lesson_no, act=act, staff_id=staff_id
            ).pack(),
        )

    rows = [[button(staff.full_name, "t", staff.id)] for staff in teachers]
    rows.append([button(i18n("timetable-button-cancel"), "c"), button(i18n("timetable-button-restore"), "r")])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def router() -> Router:
    """/lesson and /substitute: changes to the day's timetable."""
    router = router_for(__name__, HasRole(Role.TEACHER, Role.DEPUTY, Role.ADMIN))
    router.message.register(cmd_lesson, Command("lesson"))
    router.callback_query.register(on_lesson_outside_timetable, LessonOutsideTimetable.filter())
    router.message.register(cmd_substitute, Command("substitute"))
    router.callback_query.register(on_pick_lesson, PickLesson.filter())
    router.callback_query.register(on_set_substitution, SetSubstitution.filter())
    return router
