"""The lesson view and what is typed into an open lesson.

The lesson view is one message: the class list with this lesson's marks and attendance, and buttons.
While a lesson is open (LessonEntry.open) a typed line such as «3 5, 7 4, 12 н» fills it: the answer is
one short line of what changed, and the screen is edited in place (handlers.teacher.screen). A correction
that needs a reason (the service answers services.journal.ReasonRequired, having written nothing)
is kept in the state and asked for.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.outbound.callbacks import OpenLesson
from bot.text import answer_long, escape, format_date
from handlers.teacher.homework import ask_homework_choice
from handlers.teacher.screen import show_lesson
from handlers.teacher.states import (
    LessonEntry,
    ask_reason,
    keep_open,
    lesson_in_state,
    open_key,
    put_pending,
    stored_key,
    take_pending,
)
from handlers.teacher.views import (
    Act,
    ConfirmEntry,
    LessonAction,
    command_reason_hint,
    lesson_button,
    line_value,
    render_changes,
    render_history,
    render_lesson,
    render_result,
    render_student,
    render_text_result,
    student_row,
)
from services import journal
from services.actor import Actor
from services.entry_parser import parse_value
from services.errors import ConfirmationRequired, ValidationFailed
from services.journal import EntryResult, HomeworkExists, LessonKey, ReasonRequired, StudentValue
from services.school_clock import EntryClock, SchoolClock

# --- the lesson view -------------------------------------------------------------------------


async def on_open_lesson(
    callback: CallbackQuery,
    callback_data: OpenLesson,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
) -> None:
    key = LessonKey(
        callback_data.class_id,
        callback_data.subject_id,
        dt.date.fromordinal(callback_data.day),
        callback_data.lesson_no,
        callback_data.subgroup,
    )
    view = await journal.lesson_view(session, actor, key)
    await keep_open(state, view.key)
    await callback.answer()
    if isinstance(callback.message, Message):
        text, markup = render_lesson(view, i18n)
        screen = await callback.message.answer(text, reply_markup=markup)
        await keep_open(state, view.key, screen=screen.message_id)


async def on_lesson_action(
    callback: CallbackQuery,
    callback_data: LessonAction,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
    state: FSMContext,
) -> None:
    key = LessonKey(
        callback_data.class_id,
        callback_data.subject_id,
        dt.date.fromordinal(callback_data.day),
        callback_data.lesson_no or None,
        callback_data.subgroup,
    )
    message = callback.message if isinstance(callback.message, Message) else None
    act, moment = callback_data.act, clock.entry()
    await keep_open(state, key, screen=message.message_id if message is not None else None)
    toast = None
    if act is Act.SET:
        value = parse_value(callback_data.value, allow_mark_one=True)  # the service checks the school's range
        items = [StudentValue(callback_data.student_id, value)]
        pending = {"student_id": callback_data.student_id, "value": value.token}
        try:
            result = await journal.record_entries(session, actor, key, items, clock=moment)
        except ConfirmationRequired as need:
            await session.rollback()
            await callback.answer()
            if message is not None:
                await ask_confirmation(message, state, need, dict(pending, lesson=stored_key(key)), i18n)
            return
        if isinstance(result, ReasonRequired):
            await ask_reason(state, pending)
            await callback.answer()
            if message is not None:
                await message.answer(_reason_question(result, i18n))
            return
        line = result.lines[0]
        toast = i18n("lesson-set", number=line.number, value=line_value(line, i18n))
    elif act is Act.WORK_TYPE:
        work_type_id = int(callback_data.value) if callback_data.value.isdigit() else 0
        work_type = await journal.set_work_type(session, actor, key, work_type_id, moment)
        toast = i18n("lesson-work-type-set", work_type=work_type.name)
    elif act is Act.ATTENDANCE_DONE:
        await journal.close_attendance(session, actor, key, moment)
        toast = i18n("lesson-attendance-done")
    elif act in (Act.TOPIC, Act.HOMEWORK):
        await _ask_text(callback, session, actor, i18n, state, key, act)
        return
    elif act is Act.COMMENT:
        await _ask_comment(callback, session, actor, i18n, state, key, callback_data.student_id)
        return
    await callback.answer(toast)
    if message is None:
        return
    if act is Act.STUDENT:
        view = await journal.lesson_view(session, actor, key)
        text, markup = render_student(view, callback_data.student_id, i18n)
    elif act is Act.HISTORY:
        view = await journal.lesson_view(session, actor, key)
        history = await journal.student_history(session, actor, key, callback_data.student_id)
        text, markup = render_history(view, callback_data.student_id, history, i18n, clock)
    elif act is Act.WORK_TYPES:
        text, markup = await _work_type_choice(session, key, i18n)
    else:
        text, markup = render_lesson(await journal.lesson_view(session, actor, key), i18n)
    await message.edit_text(text, reply_markup=markup)


async def _ask_text(
    callback: CallbackQuery,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
    key: LessonKey,
    act: Act,
) -> None:
    view = await journal.lesson_view(session, actor, key)
    if act is Act.TOPIC:
        question = i18n("lesson-ask-topic")
        await state.set_state(LessonEntry.topic)
    else:
        if view.attendance_only:
            raise ValidationFailed("entry-grade-one-homework", class_name=view.class_name)
        if view.homework_to is None:
            raise ValidationFailed("entry-no-next-lesson", class_name=view.class_name, subject=view.subject)
        question = i18n(
            "lesson-ask-homework",
            day=format_date(view.homework_to.date, i18n.language, "day"),
            lesson_no=view.homework_to.lesson_no,
        )
        await state.set_state(LessonEntry.homework)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(question)


async def _ask_comment(
    callback: CallbackQuery,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
    key: LessonKey,
    student_id: int,
) -> None:
    view = await journal.lesson_view(session, actor, key)
    row = student_row(view, student_id)
    await state.set_state(LessonEntry.comment)
    await state.update_data(student_id=student_id)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(i18n("lesson-ask-comment", number=row.number, name=escape(row.name)))


async def _work_type_choice(
    session: AsyncSession, key: LessonKey, i18n: Translator
) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [lesson_button(f"{work_type.name} ({work_type.weight:g})", Act.WORK_TYPE, key, value=str(work_type.id))]
        for work_type in await journal.work_types(session)
    ]
    rows.append([lesson_button(i18n("lesson-button-back"), Act.LIST, key)])
    return i18n("lesson-pick-work-type"), InlineKeyboardMarkup(inline_keyboard=rows)


# --- typing into an open lesson --------------------------------------------------------------

TYPED = (F.text, ~F.text.startswith("/"))


async def on_lesson_line(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock, state: FSMContext
) -> None:
    key = await lesson_in_state(state)
    if key is None:
        return
    try:
        result = await journal.record_line(session, actor, key, message.text or "", clock.entry())
    except ConfirmationRequired as need:
        await session.rollback()
        await ask_confirmation(message, state, need, {"line": message.text, "lesson": stored_key(key)}, i18n)
        return
    if isinstance(result, ReasonRequired):
        await ask_reason(state, {"line": message.text})
        await message.answer(_reason_question(result, i18n))
        return
    await _answer_recorded(message, session, actor, i18n, state, key, result)


async def on_reason(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock, state: FSMContext
) -> None:
    pending = (await state.get_data()).get("pending")
    key = await lesson_in_state(state)
    if key is None or not pending:
        await state.clear()
        return
    reason = (message.text or "").strip()
    result = await _record_pending(
        session, actor, key, pending, clock.entry(), reason=reason, confirmed=pending.get("confirmed", False)
    )
    if isinstance(result, ReasonRequired):  # a blank reason: still asked for
        await message.answer(i18n.refusal(result))
        return
    await keep_open(state, key)
    await _answer_recorded(message, session, actor, i18n, state, key, result)


async def _record_pending(
    session: AsyncSession,
    actor: Actor,
    key: LessonKey,
    pending: dict[str, Any],
    clock: EntryClock,
    *,
    reason: str = "",
    confirmed: bool = False,
) -> EntryResult | ReasonRequired:
    """A typed line, or one button's value, that waited for a reason or a confirmation."""
    if "line" in pending:
        return await journal.record_line(
            session, actor, key, pending["line"], clock, reason=reason, confirmed=confirmed
        )
    value = parse_value(pending["value"], allow_mark_one=True)
    return await journal.record_entries(
        session,
        actor,
        key,
        [StudentValue(pending["student_id"], value)],
        clock=clock,
        reason=reason,
        confirmed=confirmed,
    )


# --- confirming an absence over marks ---------------------------------------------------------


async def ask_confirmation(
    message: Message, state: FSMContext, need: ConfirmationRequired, pending: dict[str, Any], i18n: Translator
) -> None:
    token = await put_pending(state, "confirm", pending)
    button = InlineKeyboardButton(
        text=i18n("entry-confirm-button", **need.args_for_message), callback_data=ConfirmEntry(token=token).pack()
    )
    await answer_long(message, i18n.refusal(need), reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]]))


async def on_confirm_entry(
    callback: CallbackQuery,
    callback_data: ConfirmEntry,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
    state: FSMContext,
) -> None:
    taken = await take_pending(callback, state, "confirm", callback_data.token, i18n, "entry-confirm-nothing")
    if taken is None:
        return
    pending, message = taken
    moment = clock.entry()
    if "command" in pending:
        result = await journal.mark_command(session, actor, pending["command"], moment, confirmed=True)
        await callback.answer()
        await answer_long(
            message,
            command_reason_hint(result, pending["command"], i18n)
            if isinstance(result, ReasonRequired)
            else render_result(result, i18n),
        )
        return
    key = open_key({"lesson": pending["lesson"]})
    assert key is not None
    await keep_open(state, key)
    result = await _record_pending(session, actor, key, pending, moment, confirmed=True)
    if isinstance(result, ReasonRequired):
        await ask_reason(state, dict(pending, confirmed=True))
        await callback.answer()
        await message.answer(_reason_question(result, i18n))
        return
    await callback.answer()
    await _answer_recorded(message, session, actor, i18n, state, key, result)


# --- the topic, homework and a comment, asked for --------------------------------------------


async def on_lesson_text(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock, state: FSMContext
) -> None:
    """The topic of the open lesson, or the homework for the lesson after it."""
    asked = await state.get_state()
    key = await lesson_in_state(state)
    if key is None:
        return
    text, moment = message.text or "", clock.entry()
    if asked == LessonEntry.topic.state:
        result, answer = await journal.set_topic(session, actor, key, text, moment), "entry-topic-saved"
    else:
        try:
            result = await journal.set_homework(
                session, actor, key.class_id, key.subject_id, text, moment, after=key.date
            )
        except HomeworkExists as need:
            await session.rollback()
            await keep_open(state, key)
            await ask_homework_choice(message, state, need, {"lesson": stored_key(key), "text": text}, i18n)
            return
        answer = "entry-homework-saved"
    await keep_open(state, key)
    await answer_long(message, render_text_result(answer, result, i18n))
    await show_lesson(message, session, actor, i18n, state, key)


async def on_mark_comment(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, clock: SchoolClock, state: FSMContext
) -> None:
    """The comment on the marks of the student picked in the lesson view («-» removes it)."""
    student_id = (await state.get_data()).get("student_id")
    key = await lesson_in_state(state)
    if key is None:
        return
    if not student_id:
        await keep_open(state, key)
        return
    comment = await journal.set_mark_comment(session, actor, key, student_id, message.text or "", clock.entry())
    await keep_open(state, key)
    await answer_long(
        message, i18n("entry-comment-saved", comment=escape(comment)) if comment else i18n("entry-comment-removed")
    )
    await show_lesson(message, session, actor, i18n, state, key)


async def cmd_cancel(message: Message, i18n: Translator, state: FSMContext) -> None:
    """In a question: back to the open lesson. In the open lesson: close it."""
    key = open_key(await state.get_data())
    if await state.get_state() == LessonEntry.open.state or key is None:
        await state.clear()
        await message.answer(i18n("lesson-closed"))
        return
    await keep_open(state, key)
    await message.answer(i18n("lesson-cancelled"))


def _reason_question(need: ReasonRequired, i18n: Translator) -> str:
    return i18n.refusal(need) + "\n" + i18n("entry-reason-ask")


async def _answer_recorded(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
    key: LessonKey,
    result: EntryResult,
) -> None:
    """One short line of what changed; the lesson screen shows the rest, edited in place."""
    await answer_long(message, render_changes(result, i18n))
    await show_lesson(message, session, actor, i18n, state, key)


def router() -> Router:
    """The lesson view's buttons, typed lines and answers in an open lesson, and /cancel there."""
    router = Router(name=__name__)
    router.callback_query.register(on_open_lesson, OpenLesson.filter())
    router.callback_query.register(on_lesson_action, LessonAction.filter())
    router.message.register(on_lesson_line, LessonEntry.open, *TYPED)
    router.message.register(on_reason, LessonEntry.reason, *TYPED)
    router.callback_query.register(on_confirm_entry, ConfirmEntry.filter())
    router.message.register(on_lesson_text, StateFilter(LessonEntry.topic, LessonEntry.homework), *TYPED)
    router.message.register(on_mark_comment, LessonEntry.comment, *TYPED)
    router.message.register(cmd_cancel, Command("cancel"), StateFilter(LessonEntry))
    return router
