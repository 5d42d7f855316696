"""Class teachers: /class — the daily record, its explanations and the parents' answers to confirm; the
class list (its text and buttons: handlers.class_list_views; the buttons open handlers.movement)."""

from __future__ import annotations

import datetime as dt

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import HasRole
from bot.i18n import Translator
from bot.outbound.callbacks import ExplainDay, LessonsOf
from bot.outbound.views import lesson_text, record_keyboard, render_daily_record
from bot.text import answer_long, escape, format_date, split_message
from handlers.class_list_views import button_rows, class_list_buttons, render_class_list
from models import EXPLANATION_CODES, AttendanceCode, SchoolClass
from services.access import ensure_homeroom_of
from services.actor import Actor, Role
from services.entry_parser import parse_date
from services.errors import ValidationFailed
from services.help_topics import example_args
from services.homeroom.class_list import class_list
from services.homeroom.classes import all_classes, classes_led_by, find_class
from services.homeroom.daily_record import DailyRecord, daily_record
from services.homeroom.explanations import PROPOSED_CODES, Explained, confirm_proposal, explain_day, explain_lesson
from services.school_clock import SchoolClock

STAFF_ROLES = (Role.TEACHER, Role.CLASS_TEACHER, Role.ADMIN, Role.DEPUTY, Role.DIRECTOR)
MANAGERS = (Role.CLASS_TEACHER, Role.ADMIN)
LIST_WORDS = frozenset({"students", "list", "ученики", "список"})
BUTTONS_PER_ROW = 4


# --- callback data ---------------------------------------------------------------------------


class ClassView(CallbackData, prefix="hr"):
    class_id: int
    day: int  # date.toordinal()
    students: bool = False


class ConfirmProposal(CallbackData, prefix="hrxp"):
    """Confirm the explanation a parent proposed for one absence (the service reads which it is)."""

    attendance_id: int
    class_id: int
    day: int


class ExplainLesson(CallbackData, prefix="hrxa"):
    attendance_id: int
    class_id: int
    student_id: int
    day: int
    code: AttendanceCode


# --- /class --------------------------------------------------------------------------------


async def cmd_class(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock
) -> None:
    today = clock.today()
    day, school_class, students = today, None, False
    for token in (command.args or "").split():
        if token.casefold() in LIST_WORDS:
            students = True
        elif (parsed := parse_date(token, today=today)) is not None:
            day = parsed.date
        elif school_class is None:
            school_class = await find_class(session, token)
        else:
            raise ValidationFailed("homeroom-usage-class", **example_args(today))
    if school_class is None:
        choices = await classes_led_by(session, actor)
        if not choices and actor.sees_whole_school:
            choices = await all_classes(session)
        if not choices:
            await message.answer(i18n("homeroom-no-class"))
            return
        if len(choices) > 1:
            await message.answer(i18n("homeroom-pick-class"), reply_markup=_class_buttons(choices, day, students))
            return
        school_class = choices[0]
    await _answer_class(message, session, actor, i18n, school_class.id, day, students, today)


async def on_class_view(
    callback: CallbackQuery,
    callback_data: ClassView,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    day = dt.date.fromordinal(callback_data.day)
    if isinstance(callback.message, Message):
        await _answer_class(
            callback.message, session, actor, i18n, callback_data.class_id, day, callback_data.students, clock.today()
        )
    await callback.answer()


async def _answer_class(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    class_id: int,
    day: dt.date,
    students: bool,
    today: dt.date,
) -> None:
    if students:
        listing = await class_list(session, actor, class_id, day)
        buttons = class_list_buttons(i18n, listing, today) if manages(actor, class_id) else None
        await answer_long(message, render_class_list(i18n, listing), buttons)
        return
    record = await daily_record(session, actor, class_id, day)
    await answer_long(message, render_daily_record(i18n, record), record_buttons(i18n, actor, record))


def _class_buttons(classes: list[SchoolClass], day: dt.date, students: bool) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            text=c.name, callback_data=ClassView(class_id=c.id, day=day.toordinal(), students=students).pack()
        )
        for c in classes
    ]
    return InlineKeyboardMarkup(inline_keyboard=button_rows(buttons, BUTTONS_PER_ROW))


# --- the daily record ----------------------------------------------------------------------


def record_buttons(i18n: Translator, actor: Actor, record: DailyRecord) -> InlineKeyboardMarkup | None:
    """The explaining buttons, and one to confirm each parent's answer that proposes an explanation."""
    if not manages(actor, record.class_id):
        return None
    rows = [
        [
            InlineKeyboardButton(
                text=i18n(
                    "homeroom-button-confirm-proposal",
                    number=student.number or "–",
                    lesson_no=lesson.lesson_no,
                    code=PROPOSED_CODES[lesson.proposal].value,
                ),
                callback_data=ConfirmProposal(
                    attendance_id=lesson.attendance_id, class_id=record.class_id, day=record.day.toordinal()
                ).pack(),
            )
        ]
        for student in record.students
        for lesson in student.lessons
        if lesson.proposal in PROPOSED_CODES and lesson.explainable
    ]
    explaining = record_keyboard(i18n, record)
    rows += explaining.inline_keyboard if explaining is not None else []
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def manages(actor: Actor, class_id: int) -> bool:
    return class_id in actor.homeroom_class_ids or actor.has(Role.ADMIN)


async def on_explain_day(
    callback: CallbackQuery, callback_data: ExplainDay, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    day = dt.date.fromordinal(callback_data.day)
    done = await explain_day(
        session,
        actor,
        class_id=callback_data.class_id,
        student_id=callback_data.student_id,
        day=day,
        explanation=callback_data.code,
    )
    await _record_explained(callback, session, actor, i18n, callback_data.class_id, day, done)


async def on_confirm_proposal(
    callback: CallbackQuery, callback_data: ConfirmProposal, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    done = await confirm_proposal(session, actor, attendance_id=callback_data.attendance_id)
    day = dt.date.fromordinal(callback_data.day)
    await _record_explained(callback, session, actor, i18n, callback_data.class_id, day, done)


async def _record_explained(
    callback: CallbackQuery,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    class_id: int,
    day: dt.date,
    done: Explained,
) -> None:
    """The daily record again, in place, and what was explained in a toast."""
    record = await daily_record(session, actor, class_id, day)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(
            split_message(render_daily_record(i18n, record))[0], reply_markup=record_buttons(i18n, actor, record)
        )
    await callback.answer(_explained_text(i18n, done))


def _explained_text(i18n: Translator, done: Explained) -> str:
    return i18n("homeroom-explained", name=done.student_name, code=done.explanation.value, lessons=done.lessons)


async def on_lessons_of(
    callback: CallbackQuery, callback_data: LessonsOf, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    if isinstance(callback.message, Message):
        text, markup = await _lessons_view(
            session,
            actor,
            i18n,
            callback_data.class_id,
            callback_data.student_id,
            dt.date.fromordinal(callback_data.day),
        )
        await callback.message.answer(text, reply_markup=markup)
    await callback.answer()


async def on_explain_lesson(
    callback: CallbackQuery, callback_data: ExplainLesson, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    done = await explain_lesson(
        session, actor, attendance_id=callback_data.attendance_id, explanation=callback_data.code
    )
    if isinstance(callback.message, Message):
        text, markup = await _lessons_view(
            session,
            actor,
            i18n,
            callback_data.class_id,
            callback_data.student_id,
            dt.date.fromordinal(callback_data.day),
        )
        await callback.message.edit_text(text, reply_markup=markup)
    await callback.answer(_explained_text(i18n, done))


async def _lessons_view(
    session: AsyncSession, actor: Actor, i18n: Translator, class_id: int, student_id: int, day: dt.date
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One student's lessons that day, each with its own б / уп / нп buttons."""
    ensure_homeroom_of(actor, class_id)
    record = await daily_record(session, actor, class_id, day)
    student = next((s for s in record.students if s.student_id == student_id), None)
    if student is None:
        return i18n("homeroom-nothing-to-explain"), None
    text = "\n".join(
        [
            i18n("homeroom-lessons-title", name=escape(student.full_name), date=format_date(day, i18n.language, "day")),
            *(lesson_text(i18n, student, lesson) for lesson in student.lessons),
        ]
    )
    rows = [
        [
            InlineKeyboardButton(
                text=i18n("homeroom-button-explain-lesson", lesson_no=lesson.lesson_no, code=code.value),
                callback_data=ExplainLesson(
                    attendance_id=lesson.attendance_id,
                    class_id=class_id,
                    student_id=student_id,
                    day=day.toordinal(),
                    code=code,
                ).pack(),
            )
            for code in EXPLANATION_CODES
        ]
        for lesson in student.lessons
        if lesson.explainable
    ]
    rows.append(
        [
            InlineKeyboardButton(
                text=i18n("homeroom-button-back"),
                callback_data=ClassView(class_id=class_id, day=day.toordinal()).pack(),
            )
        ]
    )
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def router() -> Router:
    """The class teacher's /class and explanations of absences."""
    router = Router(name=__name__)
    router.message.register(cmd_class, Command("class"), HasRole(*STAFF_ROLES))
    router.callback_query.register(on_class_view, ClassView.filter())
    router.callback_query.register(on_explain_day, ExplainDay.filter(F.code.in_(EXPLANATION_CODES)))
    router.callback_query.register(on_confirm_proposal, ConfirmProposal.filter())
    router.callback_query.register(on_lessons_of, LessonsOf.filter())
    router.callback_query.register(on_explain_lesson, ExplainLesson.filter(F.code.in_(EXPLANATION_CODES)))
    return router
