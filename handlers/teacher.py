"""Teachers: /today, the lesson view, /mark, /homework and /topic.

The lesson view is one message: the class list with this lesson's marks and attendance, and buttons.
While a lesson is open (LessonEntry.open) a typed line such as «3 5, 7 4, 12 н» fills it. A correction
that needs a reason (the service answers services.journal.ReasonRequired, having written nothing)
is kept in the state and asked for.
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, Filter, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import HasRole, router_for
from bot.i18n import Translator
from bot.outbound.callbacks import OpenLesson
from bot.text import answer_long, escape, format_date, format_time, one_message, shorten, table
from handlers.timetable import LessonOutsideTimetable
from services import journal
from services.actor import Actor, Role
from services.entry_parser import looks_like_class, parse_date, parse_value
from services.errors import ConfirmationRequired, ValidationFailed
from services.journal import (
    EntryLine, EntryResult, HistoryLine, LessonKey, LessonRow, LessonView,
    ReasonRequired, StudentValue, TextResult,
)
from services.lessons import TeacherDay, teacher_day
from services.school_clock import EntryClock, SchoolClock

# Teachers write their lessons; the deputy and the administrator may correct any (with a reason).
WRITERS = (Role.TEACHER, Role.DEPUTY, Role.ADMIN)

NUMBERS_PER_ROW = 6
# A card is one message edited in place under its buttons: of a topic, homework, comment or reason it
# shows this much (each was echoed whole when it was saved), and the card is cut to one message.
CARD_EXCERPT = 200


class Act(str, enum.Enum):
    LIST = "l"
    STUDENT = "s"
    SET = "v"
    HISTORY = "h"
    TOPIC = "t"
    HOMEWORK = "hw"
    WORK_TYPES = "wl"
    WORK_TYPE = "w"
    ATTENDANCE_DONE = "a"
    COMMENT = "c"


class LessonAction(CallbackData, prefix="ls"):
    act: Act
    class_id: int
    subject_id: int
    day: int
    lesson_no: int
    student_id: int = 0
    value: str = ""  # a value token (5, 3/4, н, -, +) or a work type id
    subgroup: str = ""


class ConfirmEntry(CallbackData, prefix="ecf"):
    """«Yes, mark absent»: the entry waiting in the state (`confirm`) is written after all."""


class LessonEntry(StatesGroup):
    open = State()      # typed lines fill the lesson
    topic = State()
    homework = State()
    reason = State()    # a correction waits for its reason
    comment = State()   # a comment on one student's marks of the lesson


class ClassArgument(Filter):
    """The command's first argument is a class name: `/homework 5А …` is a teacher's, `/homework week` not."""

    async def __call__(self, message: Message) -> bool:
        words = (message.text or "").split(maxsplit=2)
        return len(words) > 1 and looks_like_class(words[1])


# --- /today ----------------------------------------------------------------------------------

async def cmd_today(message: Message, command: CommandObject, session: AsyncSession, actor: Actor,
                    i18n: Translator, clock: SchoolClock) -> None:
    today = clock.today()
    day = today
    if command.args:
        parsed = parse_date(command.args.strip(), today=today)
        if parsed is None:
            raise ValidationFailed("entry-bad-date", text=command.args.strip())
        day = parsed.date
    assert actor.staff_id is not None
    plan = await teacher_day(session, actor.staff_id, day)
    text, markup = render_day(plan, i18n)
    await answer_long(message, text, markup)


def render_day(plan: TeacherDay, i18n: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [i18n("today-header", day=format_date(plan.date, i18n.language, "day"))]
    if not plan.in_year:
        lines.append(i18n("today-outside-year"))
    elif plan.holiday is not None:
        lines.append(i18n("today-holiday", holiday=escape(plan.holiday.name)))
    elif not plan.lessons:
        lines.append(i18n("today-no-lessons"))
    buttons = []
    for item in plan.lessons:
        due = item.due
        lines.append(i18n(
            "today-lesson", lesson_no=due.lesson_no, time=_times(due.starts, item.ends),
            class_name=escape(due.class_name), subject=escape(due.subject),
        ) + (f" ({i18n(f'timetable-mark-{due.change}')})" if due.change else ""))
        missing = ", ".join(i18n(f"today-missing-{need}") for need in item.missing)
        lines.append("    " + (i18n("today-missing", items=missing) if missing else i18n("today-complete")))
        buttons.append([InlineKeyboardButton(
            text=i18n("today-button", lesson_no=due.lesson_no, class_name=due.class_name, subject=due.subject),
            callback_data=OpenLesson(class_id=due.class_id, subject_id=due.subject_id, day=due.date.toordinal(),
                                     lesson_no=due.lesson_no, subgroup=due.subgroup).pack(),
        )])
    if buttons:
        lines.append(i18n("today-open-hint"))
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=buttons) if buttons else None


def _times(starts: dt.time | None, ends: dt.time | None) -> str:
    if starts is None:
        return ""
    return format_time(starts) + (f"–{format_time(ends)}" if ends else "")


# --- the lesson view -------------------------------------------------------------------------

async def on_open_lesson(callback: CallbackQuery, callback_data: OpenLesson, session: AsyncSession, actor: Actor,
                         i18n: Translator, state: FSMContext) -> None:
    key = LessonKey(callback_data.class_id, callback_data.subject_id, dt.date.fromordinal(callback_data.day),
                    callback_data.lesson_no, callback_data.subgroup)
    view = await journal.lesson_view(session, actor, key)
    await _keep_open(state, view.key)
    await callback.answer()
    if isinstance(callback.message, Message):
        text, markup = render_lesson(view, i18n)
        await callback.message.answer(text, reply_markup=markup)


async def on_lesson_action(callback: CallbackQuery, callback_data: LessonAction, session: AsyncSession,
                           actor: Actor, i18n: Translator, clock: SchoolClock, state: FSMContext) -> None:
    key = LessonKey(callback_data.class_id, callback_data.subject_id, dt.date.fromordinal(callback_data.day),
                    callback_data.lesson_no or None, callback_data.subgroup)
    message = callback.message if isinstance(callback.message, Message) else None
    act, moment = callback_data.act, clock.entry()
    await _keep_open(state, key)
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
                await _ask_confirmation(message, state, need, dict(pending, lesson=_stored_key(key)), i18n)
            return
        if isinstance(result, ReasonRequired):
            await _ask_reason(state, pending)
            await callback.answer()
            if message is not None:
                await message.answer(_reason_question(result, i18n))
            return
        line = result.lines[0]
        toast = i18n("lesson-set", number=line.number, value=_line_value(line, i18n))
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


async def _ask_text(callback: CallbackQuery, session: AsyncSession, actor: Actor, i18n: Translator,
                    state: FSMContext, key: LessonKey, act: Act) -> None:
    view = await journal.lesson_view(session, actor, key)
    if act is Act.TOPIC:
        question = i18n("lesson-ask-topic")
        await state.set_state(LessonEntry.topic)
    else:
        if view.attendance_only:
            raise ValidationFailed("entry-grade-one-homework", class_name=view.class_name)
        if view.homework_to is None:
            raise ValidationFailed("entry-no-next-lesson", class_name=view.class_name, subject=view.subject)
        question = i18n("lesson-ask-homework", day=format_date(view.homework_to.date, i18n.language, "day"),
                        lesson_no=view.homework_to.lesson_no)
        await state.set_state(LessonEntry.homework)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(question)


async def _ask_comment(callback: CallbackQuery, session: AsyncSession, actor: Actor, i18n: Translator,
                       state: FSMContext, key: LessonKey, student_id: int) -> None:
    view = await journal.lesson_view(session, actor, key)
    row = _student_row(view, student_id)
    await state.set_state(LessonEntry.comment)
    await state.update_data(student_id=student_id)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(i18n("lesson-ask-comment", number=row.number, name=escape(row.name)))


async def _work_type_choice(session: AsyncSession, key: LessonKey,
                            i18n: Translator) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [_button(f"{work_type.name} ({work_type.weight:g})", Act.WORK_TYPE, key, value=str(work_type.id))]
        for work_type in await journal.work_types(session)
    ]
    rows.append([_button(i18n("lesson-button-back"), Act.LIST, key)])
    return i18n("lesson-pick-work-type"), InlineKeyboardMarkup(inline_keyboard=rows)


def _button(text: str, act: Act, key: LessonKey, student_id: int = 0, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=LessonAction(
        act=act, class_id=key.class_id, subject_id=key.subject_id, day=key.date.toordinal(),
        lesson_no=key.lesson_no or 0, student_id=student_id, value=value, subgroup=key.subgroup or "",
    ).pack())


def render_lesson(view: LessonView, i18n: Translator) -> tuple[str, InlineKeyboardMarkup]:
    key, language = view.key, i18n.language
    lines = [
        i18n("lesson-title", class_name=escape(view.class_name), subject=escape(view.subject)),
        i18n("lesson-when", day=format_date(key.date, language, "day"), lesson_no=key.lesson_no or 0,
             time=_times(view.starts, view.ends)),
        i18n("lesson-topic", topic=_excerpt(view.topic)) if view.topic else i18n("lesson-no-topic"),
    ]
    if not view.attendance_only:
        lines.append(i18n("lesson-work-type", work_type=escape(view.work_type)))
        if view.homework_to is not None:
            day = format_date(view.homework_to.date, language, "day")
            lines.append(i18n("lesson-homework", day=day, text=_excerpt(view.homework)) if view.homework
                         else i18n("lesson-no-homework", day=day))
    lines.append(i18n("lesson-attendance-taken" if view.attendance_taken else "lesson-attendance-open"))
    if view.rows:
        lines.append(table(
            [(row.number, _surname_and_name(row.name), row.marks, _code(row.code, row.explanation))
             for row in view.rows],
            right=(0,),
        ))
        lines.append(i18n("lesson-hint-grade-one" if view.attendance_only else "lesson-hint", lowest=view.lowest_mark))
    else:
        lines.append(i18n("lesson-empty-class"))
    numbers = [_button(str(row.number), Act.STUDENT, key, student_id=row.student_id) for row in view.rows]
    keyboard = [numbers[i:i + NUMBERS_PER_ROW] for i in range(0, len(numbers), NUMBERS_PER_ROW)]
    tools = [_button(i18n("lesson-button-topic"), Act.TOPIC, key)]
    if not view.attendance_only:
        tools += [_button(i18n("lesson-button-homework"), Act.HOMEWORK, key),
                  _button(i18n("lesson-button-work-type"), Act.WORK_TYPES, key)]
    keyboard.append(tools)
    keyboard.append([_button(i18n("lesson-button-attendance-done"), Act.ATTENDANCE_DONE, key),
                     _button(i18n("lesson-button-refresh"), Act.LIST, key)])
    if view.removable:
        keyboard.append([InlineKeyboardButton(text=i18n("timetable-button-remove"), callback_data=LessonOutsideTimetable(
            act="remove", class_id=key.class_id, subject_id=key.subject_id, day=key.date.toordinal(),
            lesson_no=key.lesson_no or 0).pack())])
    return one_message("\n".join(lines)), InlineKeyboardMarkup(inline_keyboard=keyboard)


def _excerpt(text: str) -> str:
    return escape(shorten(text, CARD_EXCERPT))


def _student_row(view: LessonView, student_id: int) -> LessonRow:
    row = next((r for r in view.rows if r.student_id == student_id), None)
    if row is None:  # no longer on the list of that day (a move entered meanwhile)
        raise ValidationFailed("entry-student-not-in-class", class_name=view.class_name,
                               date=view.key.date.strftime("%d.%m.%Y"))
    return row


def render_student(view: LessonView, student_id: int, i18n: Translator) -> tuple[str, InlineKeyboardMarkup]:
    row, key = _student_row(view, student_id), view.key
    lines = [i18n("lesson-student", number=row.number, name=escape(row.name))]
    if row.marks:
        lines.append(i18n("lesson-student-marks", marks=row.marks))
    if row.code:
        lines.append(i18n("lesson-student-code", code=_code(row.code, row.explanation)))
    lines.append(i18n("lesson-student-pick"))
    keyboard = []
    if not view.attendance_only:
        keyboard.append([_button(str(mark), Act.SET, key, student_id, str(mark))
                         for mark in range(view.lowest_mark, 6)])
    keyboard.append([_button(code, Act.SET, key, student_id, code) for code in ("н", "б", "оп")])
    last = [_button(i18n("lesson-button-present"), Act.SET, key, student_id, "+")]
    if not view.attendance_only:
        last.insert(0, _button(i18n("lesson-button-remove"), Act.SET, key, student_id, "-"))
    keyboard.append(last)
    if row.marks:  # a comment goes with the marks (services.journal.set_mark_comment)
        keyboard.append([_button(i18n("lesson-button-comment"), Act.COMMENT, key, student_id)])
    keyboard.append([_button(i18n("lesson-button-history"), Act.HISTORY, key, student_id),
                     _button(i18n("lesson-button-back"), Act.LIST, key)])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=keyboard)


def render_history(view: LessonView, student_id: int, history: list[HistoryLine], i18n: Translator,
                   clock: SchoolClock) -> tuple[str, InlineKeyboardMarkup]:
    row = next((r for r in view.rows if r.student_id == student_id), None)
    lines = [i18n("lesson-history-title", number=row.number if row else "?", name=escape(row.name if row else ""))]
    for entry in history:
        at = clock.local(entry.at)
        what = i18n("lesson-history-mark" if entry.entity == "mark" else "lesson-history-attendance")
        before, after = _state_text(entry.before), _state_text(entry.after)
        if entry.before is None:
            change = i18n("lesson-history-created", after=after)
        elif entry.after is None:
            change = i18n("lesson-history-removed", before=before)
        else:
            change = i18n("lesson-history-changed", before=before, after=after)
        line = f"{format_date(at.date(), i18n.language)} {at:%H:%M} · {escape(entry.who)} · {what}: {change}"
        if entry.reason:
            line += f" ({i18n('entry-reason', reason=_excerpt(entry.reason))})"
        lines.append(line)
    if not history:
        lines.append(i18n("lesson-history-empty"))
    back = _button(i18n("lesson-button-back"), Act.STUDENT, view.key, student_id)
    return one_message("\n".join(lines)), InlineKeyboardMarkup(inline_keyboard=[[back]])


def _state_text(state: dict[str, Any] | None) -> str:
    if not state:
        return "—"
    if "code" in state:  # the class teacher's explanation is kept beside the teacher's code
        return escape(_code(state["code"], state.get("explanation") or ""))
    work_type = f" ({escape(state['work_type'])})" if state.get("work_type") else ""
    comment = f" «{_excerpt(state['comment'])}»" if state.get("comment") else ""
    return f"{state['value']}{work_type}{comment}"


def _code(code: str, explanation: str) -> str:
    return f"{code}→{explanation}" if explanation and explanation != code else code


def _surname_and_name(full_name: str) -> str:
    """As in the paper journal: «Васильев Кирилл Андреевич» → «Васильев Кирилл»."""
    return " ".join(full_name.split()[:2])


async def _keep_open(state: FSMContext, key: LessonKey) -> None:
    """Typed lines now go to this lesson; anything half-asked (a reason, a topic) is dropped."""
    await state.set_state(LessonEntry.open)
    await state.set_data({"lesson": _stored_key(key)})


def _stored_key(key: LessonKey) -> list[int | str]:
    """A lesson as the state keeps it (plain JSON values, for any FSM storage)."""
    return [key.class_id, key.subject_id, key.date.toordinal(), key.lesson_no or 0, key.subgroup or ""]


def _open_key(data: dict[str, Any]) -> LessonKey | None:
    stored = data.get("lesson")
    if not stored:
        return None
    class_id, subject_id, day, lesson_no, *group = stored  # (kept before groups: four values)
    return LessonKey(class_id, subject_id, dt.date.fromordinal(day), lesson_no or None, group[0] if group else "")


# --- typing into an open lesson --------------------------------------------------------------

TYPED = (F.text, ~F.text.startswith("/"))


async def on_lesson_line(message: Message, session: AsyncSession, actor: Actor, i18n: Translator,
                         clock: SchoolClock, state: FSMContext) -> None:
    key = await _lesson_in_state(state)
    if key is None:
        return
    try:
        result = await journal.record_line(session, actor, key, message.text or "", clock.entry())
    except ConfirmationRequired as need:
        await session.rollback()
        await _ask_confirmation(message, state, need, {"line": message.text, "lesson": _stored_key(key)}, i18n)
        return
    if isinstance(result, ReasonRequired):
        await _ask_reason(state, {"line": message.text})
        await message.answer(_reason_question(result, i18n))
        return
    await _answer_recorded(message, session, actor, i18n, key, result)


async def on_reason(message: Message, session: AsyncSession, actor: Actor, i18n: Translator,
                    clock: SchoolClock, state: FSMContext) -> None:
    pending = (await state.get_data()).get("pending")
    key = await _lesson_in_state(state)
    if key is None or not pending:
        await state.clear()
        return
    reason = (message.text or "").strip()
    result = await _record_pending(session, actor, key, pending, clock.entry(), reason=reason,
                                   confirmed=pending.get("confirmed", False))
    if isinstance(result, ReasonRequired):  # a blank reason: still asked for
        await message.answer(i18n.refusal(result))
        return
    await _keep_open(state, key)
    await _answer_recorded(message, session, actor, i18n, key, result)


async def _record_pending(session: AsyncSession, actor: Actor, key: LessonKey, pending: dict[str, Any],
                          clock: EntryClock, *, reason: str = "",
                          confirmed: bool = False) -> EntryResult | ReasonRequired:
    """A typed line, or one button's value, that waited for a reason or a confirmation."""
    if "line" in pending:
        return await journal.record_line(session, actor, key, pending["line"], clock, reason=reason,
                                         confirmed=confirmed)
    value = parse_value(pending["value"], allow_mark_one=True)
    return await journal.record_entries(
        session, actor, key, [StudentValue(pending["student_id"], value)], clock=clock, reason=reason,
        confirmed=confirmed,
    )


# --- confirming an absence over marks ---------------------------------------------------------

async def _ask_confirmation(message: Message, state: FSMContext, need: ConfirmationRequired,
                            pending: dict[str, Any], i18n: Translator) -> None:
    await state.update_data(confirm=pending)
    button = InlineKeyboardButton(text=i18n("entry-confirm-button", **need.args_for_message),
                                  callback_data=ConfirmEntry().pack())
    await answer_long(message, i18n.refusal(need), reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]]))


async def on_confirm_entry(callback: CallbackQuery, session: AsyncSession, actor: Actor, i18n: Translator,
                           clock: SchoolClock, state: FSMContext) -> None:
    pending = (await state.get_data()).get("confirm")
    await state.update_data(confirm=None)
    message = callback.message if isinstance(callback.message, Message) else None
    if not pending or message is None:
        await callback.answer(i18n("entry-confirm-nothing"), show_alert=True)
        return
    moment = clock.entry()
    if "command" in pending:
        result = await journal.mark_command(session, actor, pending["command"], moment, confirmed=True)
        await callback.answer()
        await answer_long(message, _command_reason_hint(result, pending["command"], i18n)
                          if isinstance(result, ReasonRequired) else render_result(result, i18n))
        return
    key = _open_key({"lesson": pending["lesson"]})
    assert key is not None
    await _keep_open(state, key)
    result = await _record_pending(session, actor, key, pending, moment, confirmed=True)
    if isinstance(result, ReasonRequired):
        await _ask_reason(state, dict(pending, confirmed=True))
        await callback.answer()
        await message.answer(_reason_question(result, i18n))
        return
    await callback.answer()
    await _answer_recorded(message, session, actor, i18n, key, result)


async def on_lesson_text(message: Message, session: AsyncSession, actor: Actor, i18n: Translator,
                         clock: SchoolClock, state: FSMContext) -> None:
    """The topic of the open lesson, or the homework for the lesson after it."""
    asked = await state.get_state()
    key = await _lesson_in_state(state)
    if key is None:
        return
    text, moment = message.text or "", clock.entry()
    if asked == LessonEntry.topic.state:
        result, answer = await journal.set_topic(session, actor, key, text, moment), "entry-topic-saved"
    else:
        result = await journal.set_homework(session, actor, key.class_id, key.subject_id, text, moment,
                                            after=key.date)
        answer = "entry-homework-saved"
    await _keep_open(state, key)
    await answer_long(message, render_text_result(answer, result, i18n))
    await _answer_lesson(message, session, actor, i18n, key)


async def on_mark_comment(message: Message, session: AsyncSession, actor: Actor, i18n: Translator,
                          clock: SchoolClock, state: FSMContext) -> None:
    """The comment on the marks of the student picked in the lesson view («-» removes it)."""
    student_id = (await state.get_data()).get("student_id")
    key = await _lesson_in_state(state)
    if key is None:
        return
    if not student_id:
        await _keep_open(state, key)
        return
    comment = await journal.set_mark_comment(session, actor, key, student_id, message.text or "",
                                             clock.entry())
    await _keep_open(state, key)
    await answer_long(message, i18n("entry-comment-saved", comment=escape(comment)) if comment
                      else i18n("entry-comment-removed"))
    await _answer_lesson(message, session, actor, i18n, key)


async def _lesson_in_state(state: FSMContext) -> LessonKey | None:
    """The lesson typed lines go to; a state without one (left from an older version) is dropped."""
    key = _open_key(await state.get_data())
    if key is None:
        await state.clear()
    return key


async def cmd_cancel(message: Message, i18n: Translator, state: FSMContext) -> None:
    """In a question: back to the open lesson. In the open lesson: close it."""
    key = _open_key(await state.get_data())
    if await state.get_state() == LessonEntry.open.state or key is None:
        await state.clear()
        await message.answer(i18n("lesson-closed"))
        return
    await _keep_open(state, key)
    await message.answer(i18n("lesson-cancelled"))


async def _ask_reason(state: FSMContext, pending: dict[str, Any]) -> None:
    await state.set_state(LessonEntry.reason)
    await state.update_data(pending=pending)


def _reason_question(need: ReasonRequired, i18n: Translator) -> str:
    return i18n.refusal(need) + "\n" + i18n("entry-reason-ask")


async def _answer_recorded(message: Message, session: AsyncSession, actor: Actor, i18n: Translator,
                           key: LessonKey, result: EntryResult) -> None:
    await answer_long(message, render_result(result, i18n))
    await _answer_lesson(message, session, actor, i18n, key)


async def _answer_lesson(message: Message, session: AsyncSession, actor: Actor, i18n: Translator,
                         key: LessonKey) -> None:
    text, markup = render_lesson(await journal.lesson_view(session, actor, key), i18n)
    await message.answer(text, reply_markup=markup)


# --- one-shot commands -----------------------------------------------------------------------

async def cmd_mark(message: Message, command: CommandObject, session: AsyncSession, actor: Actor,
                   i18n: Translator, clock: SchoolClock, state: FSMContext) -> None:
    args = (command.args or "").strip()
    if not args:
        await message.answer(i18n("entry-help-mark", minutes=clock.edit_grace // dt.timedelta(minutes=1)))
        return
    try:
        result = await journal.mark_command(session, actor, args, clock.entry())
    except ConfirmationRequired as need:
        await session.rollback()
        await _ask_confirmation(message, state, need, {"command": args}, i18n)
        return
    await answer_long(message, _command_reason_hint(result, args, i18n) if isinstance(result, ReasonRequired)
                      else render_result(result, i18n))


def _command_reason_hint(need: ReasonRequired, args: str, i18n: Translator) -> str:
    example = escape(f"/mark {args} // …")
    return i18n.refusal(need) + "\n" + i18n("entry-reason-hint-command", example=example)


async def cmd_topic(message: Message, command: CommandObject, session: AsyncSession, actor: Actor,
                    i18n: Translator, clock: SchoolClock) -> None:
    result = await journal.topic_command(session, actor, command.args or "", clock.entry())
    await answer_long(message, render_text_result("entry-topic-saved", result, i18n))


async def cmd_homework(message: Message, command: CommandObject, session: AsyncSession, actor: Actor,
                       i18n: Translator, clock: SchoolClock) -> None:
    result = await journal.homework_command(session, actor, command.args or "", clock.entry())
    await answer_long(message, render_text_result("entry-homework-saved", result, i18n))


# --- answers ---------------------------------------------------------------------------------

def render_result(result: EntryResult, i18n: Translator) -> str:
    """«5А, Математика, 26.11, урок 2 (контрольная работа):» and a line per student with the names."""
    args = dict(class_name=escape(result.class_name), subject=escape(result.subject),
                date=format_date(result.date, i18n.language), lesson_no=result.lesson_no)
    header = (i18n("entry-recorded-header-work-type", work_type=escape(result.work_type), **args)
              if result.work_type and any(line.marks_after for line in result.lines)
              else i18n("entry-recorded-header", **args))
    lines = [header]
    lines += [f"{line.number}. {escape(_surname_and_name(line.name))} — {_line_value(line, i18n)}"
              for line in result.lines]
    if result.reason:
        lines.append(i18n("entry-reason", reason=escape(result.reason)))
    return "\n".join(lines)


def _line_value(line: EntryLine, i18n: Translator) -> str:
    parts = []
    if line.work_type_change is not None:  # «4 → 5 (вид работы: работа на уроке → контрольная работа)»
        before, after = line.work_type_change
        changed = i18n("entry-work-type-changed", before=escape(before), after=escape(after))
        marks = line.marks_after if line.marks_after is not None else line.marks_before
        shown = f"{line.marks_before} → {marks}" if line.marks_changed and line.marks_before else marks
        parts.append(f"{shown} ({changed})")
    elif line.marks_after is not None:
        parts.append(_change_text(line.marks_before, line.marks_after, i18n("entry-removed"), i18n))
    if line.code_after is not None:
        parts.append(_change_text(line.code_before, line.code_after, i18n("entry-present"), i18n))
    return ", ".join(parts)


def _change_text(before: str, after: str, gone: str, i18n: Translator) -> str:
    if before == after:
        return f"{after or '—'} ({i18n('entry-unchanged')})"
    if not before:
        return after
    return f"{before} → {after or gone}"


def render_text_result(key: str, result: TextResult, i18n: Translator) -> str:
    return i18n(key, class_name=escape(result.class_name), subject=escape(result.subject),
                date=format_date(result.date, i18n.language), lesson_no=result.lesson_no, text=escape(result.text))


def router() -> Router:
    """/today, the lesson view, typed lines in an open lesson, /mark, /topic and /homework."""
    router = router_for(__name__, HasRole(*WRITERS))
    router.message.register(cmd_today, Command("today"))
    router.callback_query.register(on_open_lesson, OpenLesson.filter())
    router.callback_query.register(on_lesson_action, LessonAction.filter())
    router.message.register(on_lesson_line, LessonEntry.open, *TYPED)
    router.message.register(on_reason, LessonEntry.reason, *TYPED)
    router.callback_query.register(on_confirm_entry, ConfirmEntry.filter())
    router.message.register(on_lesson_text, StateFilter(LessonEntry.topic, LessonEntry.homework), *TYPED)
    router.message.register(on_mark_comment, LessonEntry.comment, *TYPED)
    router.message.register(cmd_cancel, Command("cancel"), StateFilter(LessonEntry))
    router.message.register(cmd_mark, Command("mark"))
    router.message.register(cmd_topic, Command("topic"))
    router.message.register(cmd_homework, Command("homework"), ClassArgument())
    return router
