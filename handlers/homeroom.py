"""Class teachers: /class — the daily record, the class list, movement (/enrol, /move, /leave)."""
from __future__ import annotations

import datetime as dt
import enum
import secrets

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import HasRole
from bot.i18n import Translator
from bot.outbound.callbacks import ExplainDay, LessonsOf
from bot.outbound.views import lesson_text, record_keyboard, render_daily_record
from bot.text import answer_long, escape, format_average, format_date, split_message
from handlers.subgroup_buttons import placement_question, unplaced_note
from models import AttendanceCode, EXPLANATION_CODES, MoveKind, SchoolClass
from services import movement, subgroup_moves
from services.access import ensure_homeroom_of
from services.actor import Actor, Role
from services.entry_parser import parse_date
from services.errors import ValidationFailed
from services.homeroom.class_list import ClassList, SignIn, class_list
from services.homeroom.classes import all_classes, class_by_id, classes_led_by, find_class
from services.homeroom.daily_record import DailyRecord, daily_record
from services.homeroom.explanations import Explained, explain_day, explain_lesson
from services.names import grammatical_gender
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


class ExplainLesson(CallbackData, prefix="hrxa"):
    attendance_id: int
    class_id: int
    student_id: int
    day: int
    code: AttendanceCode


class MoveStep(str, enum.Enum):
    CARD = "card"            # the student's actions
    PICK_CLASS = "pick"      # where to move
    CONFIRM_MOVE = "cmove"
    DO_MOVE = "move"
    DO_CORRECT = "fix"       # a move across grades, confirmed by the administrator as a correction of data
    CONFIRM_LEAVE = "cleave"
    DO_LEAVE = "leave"
    DO_ENROL = "enrol1"      # the typed /enrol waiting in the chat's state (an id and a name don't fit a button)
    ENROL_HELP = "enrol"
    CANCEL = "cancel"


class MovementAction(CallbackData, prefix="hrm"):
    step: MoveStep
    student_id: int = 0
    class_id: int = 0        # the class the list was opened for (ENROL_HELP), or the target class
    day: int = 0


# --- /class --------------------------------------------------------------------------------

async def cmd_class(message: Message, command: CommandObject, session: AsyncSession, actor: Actor,
                    i18n: Translator, clock: SchoolClock) -> None:
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
            raise ValidationFailed("homeroom-usage-class")
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


async def on_class_view(callback: CallbackQuery, callback_data: ClassView, session: AsyncSession, actor: Actor,
                        i18n: Translator, clock: SchoolClock) -> None:
    day = dt.date.fromordinal(callback_data.day)
    if isinstance(callback.message, Message):
        await _answer_class(callback.message, session, actor, i18n, callback_data.class_id, day,
                            callback_data.students, clock.today())
    await callback.answer()


async def _answer_class(message: Message, session: AsyncSession, actor: Actor, i18n: Translator, class_id: int,
                        day: dt.date, students: bool, today: dt.date) -> None:
    if students:
        listing = await class_list(session, actor, class_id, day)
        await answer_long(message, render_class_list(i18n, listing), _list_buttons(i18n, actor, listing, today))
        return
    record = await daily_record(session, actor, class_id, day)
    await answer_long(message, render_daily_record(i18n, record), record_buttons(i18n, actor, record))


def _class_buttons(classes: list[SchoolClass], day: dt.date, students: bool) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(text=c.name, callback_data=ClassView(class_id=c.id, day=day.toordinal(),
                                                                   students=students).pack())
        for c in classes
    ]
    return InlineKeyboardMarkup(inline_keyboard=_rows(buttons, BUTTONS_PER_ROW))


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + width] for i in range(0, len(buttons), width)]


# --- the daily record ----------------------------------------------------------------------

def record_buttons(i18n: Translator, actor: Actor, record: DailyRecord) -> InlineKeyboardMarkup | None:
    return record_keyboard(i18n, record) if _manages(actor, record.class_id) else None


def _manages(actor: Actor, class_id: int) -> bool:
    return class_id in actor.homeroom_class_ids or actor.has(Role.ADMIN)


async def on_explain_day(callback: CallbackQuery, callback_data: ExplainDay, session: AsyncSession, actor: Actor,
                         i18n: Translator) -> None:
    day = dt.date.fromordinal(callback_data.day)
    done = await explain_day(session, actor, class_id=callback_data.class_id,
                             student_id=callback_data.student_id, day=day, explanation=callback_data.code)
    record = await daily_record(session, actor, callback_data.class_id, day)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(
            split_message(render_daily_record(i18n, record))[0], reply_markup=record_buttons(i18n, actor, record),
        )
    await callback.answer(_explained_text(i18n, done))


def _explained_text(i18n: Translator, done: Explained) -> str:
    return i18n("homeroom-explained", name=done.student_name, code=done.explanation.value, lessons=done.lessons)


async def on_lessons_of(callback: CallbackQuery, callback_data: LessonsOf, session: AsyncSession, actor: Actor,
                        i18n: Translator) -> None:
    if isinstance(callback.message, Message):
        text, markup = await _lessons_view(session, actor, i18n, callback_data.class_id, callback_data.student_id,
                                           dt.date.fromordinal(callback_data.day))
        await callback.message.answer(text, reply_markup=markup)
    await callback.answer()


async def on_explain_lesson(callback: CallbackQuery, callback_data: ExplainLesson, session: AsyncSession,
                            actor: Actor, i18n: Translator) -> None:
    done = await explain_lesson(session, actor, attendance_id=callback_data.attendance_id,
                                explanation=callback_data.code)
    if isinstance(callback.message, Message):
        text, markup = await _lessons_view(session, actor, i18n, callback_data.class_id, callback_data.student_id,
                                           dt.date.fromordinal(callback_data.day))
        await callback.message.edit_text(text, reply_markup=markup)
    await callback.answer(_explained_text(i18n, done))


async def _lessons_view(session: AsyncSession, actor: Actor, i18n: Translator, class_id: int, student_id: int,
                        day: dt.date) -> tuple[str, InlineKeyboardMarkup | None]:
    """One student's lessons that day, each with its own б / уп / нп buttons."""
    ensure_homeroom_of(actor, class_id)
    record = await daily_record(session, actor, class_id, day)
    student = next((s for s in record.students if s.student_id == student_id), None)
    if student is None:
        return i18n("homeroom-nothing-to-explain"), None
    text = "\n".join([
        i18n("homeroom-lessons-title", name=escape(student.full_name), date=format_date(day, i18n.language, "day")),
        *(lesson_text(i18n, lesson) for lesson in student.lessons),
    ])
    rows = [
        [
            InlineKeyboardButton(
                text=i18n("homeroom-button-explain-lesson", lesson_no=lesson.lesson_no, code=code.value),
                callback_data=ExplainLesson(attendance_id=lesson.attendance_id, class_id=class_id,
                                            student_id=student_id, day=day.toordinal(), code=code).pack(),
            )
            for code in EXPLANATION_CODES
        ]
        for lesson in student.lessons if lesson.explainable
    ]
    rows.append([InlineKeyboardButton(text=i18n("homeroom-button-back"),
                                      callback_data=ClassView(class_id=class_id, day=day.toordinal()).pack())])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


# --- the class list ------------------------------------------------------------------------

def render_class_list(i18n: Translator, listing: ClassList) -> str:
    lines = [i18n("homeroom-list-title", class_name=escape(listing.class_name),
                  date=format_date(listing.day, i18n.language, "full"))]
    if listing.period is not None:
        lines.append(i18n("homeroom-list-period", period=escape(listing.period.name)))
    if not listing.entries:
        lines.append(i18n("homeroom-list-empty"))
        return "\n".join(lines)
    flagged = sum(1 for entry in listing.entries if entry.flagged)
    lines.append(i18n("homeroom-list-flagged", count=flagged))
    for entry in listing.entries:
        lines.append("")
        if entry.left_on is not None:
            lines.append(i18n("homeroom-list-left", number=entry.number, name=escape(entry.full_name),
                              id=escape(entry.external_id), gender=grammatical_gender(entry.full_name),
                              date=entry.left_on.strftime("%d.%m")))
            continue
        lines.append(i18n("homeroom-list-student", number=entry.number, name=escape(entry.full_name),
                          id=escape(entry.external_id), state=_sign_in(i18n, entry.sign_in)))
        for parent in entry.parents:
            phone = f", {escape(parent.phone)}" if parent.phone else ""
            lines.append(i18n("homeroom-list-parent", name=escape(parent.full_name), phone=phone,
                              state=_sign_in(i18n, parent.sign_in)))
        if not entry.parents:
            lines.append(i18n("homeroom-list-no-parents"))
        for low in entry.low_averages:
            lines.append(i18n("homeroom-flag-average", subject=escape(low.subject),
                              average=format_average(low.average, i18n.language)))
        if entry.missed is not None:
            lines.append(i18n("homeroom-flag-missed", missed=entry.missed.missed, held=entry.missed.held,
                              percent=round(entry.missed.share * 100)))
    return "\n".join(lines)


def _sign_in(i18n: Translator, state: SignIn) -> str:
    return i18n("homeroom-sign-in", state=state.value)


def _list_buttons(i18n: Translator, actor: Actor, listing: ClassList, today: dt.date) -> InlineKeyboardMarkup | None:
    if not _manages(actor, listing.class_id):
        return None
    day = today.toordinal()
    buttons = [
        InlineKeyboardButton(
            text=i18n("homeroom-button-student", number=entry.number, name=_short_name(entry.full_name)),
            callback_data=MovementAction(step=MoveStep.CARD, student_id=entry.student_id, day=day).pack(),
        )
        for entry in listing.entries if entry.left_on is None
    ]
    rows = _rows(buttons, 2)
    rows.append([InlineKeyboardButton(
        text=i18n("homeroom-button-enrol"),
        callback_data=MovementAction(step=MoveStep.ENROL_HELP, class_id=listing.class_id, day=day).pack(),
    )])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _short_name(full_name: str) -> str:
    """'Васильев Кирилл Андреевич' → 'Васильев К.'"""
    parts = full_name.split()
    return f"{parts[0]} {parts[1][0]}." if len(parts) > 1 else full_name


# --- movement: buttons -------------------------------------------------------------------

async def on_movement(callback: CallbackQuery, callback_data: MovementAction, session: AsyncSession, actor: Actor,
                      i18n: Translator, clock: SchoolClock, state: FSMContext) -> None:
    step, day = callback_data.step, dt.date.fromordinal(callback_data.day or clock.today().toordinal())
    message = callback.message if isinstance(callback.message, Message) else None
    if message is None:
        await callback.answer()
        return
    today = clock.today()
    if step is MoveStep.ENROL_HELP:
        ensure_homeroom_of(actor, callback_data.class_id)
        school_class = await class_by_id(session, callback_data.class_id)
        await message.answer(i18n("movement-enrol-help", class_name=escape(school_class.name)))
    elif step is MoveStep.CANCEL:
        await state.update_data({PENDING_ENROL: None})
        await message.edit_text(i18n("movement-cancelled"))
    elif step is MoveStep.DO_ENROL:
        pending = (await state.get_data()).get(PENDING_ENROL)
        if not pending or pending["token"] != callback_data.student_id:  # used, or an older /enrol's button
            await callback.answer(i18n("movement-confirm-expired"), show_alert=True)
            return
        await state.update_data({PENDING_ENROL: None})
        done = await movement.enrol(session, actor, class_id=pending["class_id"], external_id=pending["id"],
                                    full_name=pending["name"], day=dt.date.fromordinal(pending["day"]), today=today)
        await _answer_joined(message, session, actor, i18n, done)
    elif step in (MoveStep.DO_MOVE, MoveStep.DO_CORRECT):
        done = await movement.move(session, actor, student_id=callback_data.student_id,
                                   to_class_id=callback_data.class_id, day=day, today=today,
                                   as_correction=step is MoveStep.DO_CORRECT)
        await _answer_joined(message, session, actor, i18n, done)
    elif step is MoveStep.DO_LEAVE:
        done = await movement.leave(session, actor, student_id=callback_data.student_id, day=day, today=today)
        await message.edit_text(render_movement(i18n, done))
    else:
        text, markup = await _movement_step(session, actor, i18n, callback_data, day, today)
        await message.answer(text, reply_markup=markup)
    await callback.answer()


async def _answer_joined(message: Message, session: AsyncSession, actor: Actor, i18n: Translator,
                         done: movement.Movement) -> None:
    """The enrolment or move as written; then, for each subject the new class is split in, which group.

    Until one is tapped the pupil is in no group of it (services.subgroup_moves). Only the new class's
    teacher (or the administrator) places them: one moving a pupil out of their own class is told so.
    """
    assert done.student_id is not None and done.to_class is not None
    unplaced = await subgroup_moves.unplaced_subjects(session, done.student_id)
    places = _manages(actor, done.to_class.id)
    await message.edit_text(render_movement(i18n, done) + unplaced_note(i18n, unplaced, done.to_class.name, places))
    for subject in unplaced if places else ():
        text, markup = placement_question(i18n, done.student_id, done.full_name, subject, done.day)
        await message.answer(text, reply_markup=markup)


async def _movement_step(session: AsyncSession, actor: Actor, i18n: Translator, data: MovementAction,
                         day: dt.date, today: dt.date) -> tuple[str, InlineKeyboardMarkup]:
    if data.step is MoveStep.CONFIRM_MOVE:
        return confirmation(i18n, await movement.check_move(
            session, actor, student_id=data.student_id, to_class_id=data.class_id, day=day, today=today))
    if data.step is MoveStep.CONFIRM_LEAVE:
        return confirmation(i18n, await movement.check_leave(
            session, actor, student_id=data.student_id, day=day, today=today))
    student, current = await movement.studying_student(session, actor, data.student_id)
    name, ordinal = escape(student.full_name), day.toordinal()

    def button(key: str, step: MoveStep, class_id: int = 0, **args: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=i18n(key, **args), callback_data=MovementAction(
            step=step, student_id=student.id, class_id=class_id, day=ordinal).pack())

    if data.step is MoveStep.CARD:
        text = i18n("movement-card", name=name, id=escape(student.external_id), class_name=escape(current.name))
        return text, InlineKeyboardMarkup(inline_keyboard=[
            [button("movement-button-move", MoveStep.PICK_CLASS),
             button("movement-button-leave", MoveStep.CONFIRM_LEAVE)],
        ])
    others = [c for c in await all_classes(session) if c.id != current.id]
    buttons = [button("movement-button-class", MoveStep.CONFIRM_MOVE, c.id, class_name=c.name) for c in others]
    return i18n("movement-pick-class", name=name), InlineKeyboardMarkup(
        inline_keyboard=[*_rows(buttons, BUTTONS_PER_ROW), [button("movement-button-cancel", MoveStep.CANCEL)]])


def confirmation(i18n: Translator, plan: movement.Movement, enrol_token: int = 0) -> tuple[str, InlineKeyboardMarkup]:
    """What will be written, with «Подтвердить» and «Отмена»: the same for a typed command and the buttons.

    A new student has no id to put on the button yet: an enrolment's button carries `enrol_token`,
    which names the /enrol kept in the chat's state.
    """
    args = dict(name=escape(plan.full_name), id=escape(plan.external_id),
                date=format_date(plan.day, i18n.language, "full"))
    confirm, student_id, class_id = "movement-button-confirm", plan.student_id or 0, 0
    if plan.kind is MoveKind.ENROL:
        assert plan.to_class is not None
        text = i18n("movement-confirm-return" if plan.returning else "movement-confirm-enrol",
                    class_name=escape(plan.to_class.name), **args)
        step, student_id, class_id = MoveStep.DO_ENROL, enrol_token, plan.to_class.id
    elif plan.kind is MoveKind.MOVE:
        assert plan.from_class is not None and plan.to_class is not None
        text = i18n("movement-confirm-correction" if plan.correction else "movement-confirm-move",
                    from_class=escape(plan.from_class.name), to_class=escape(plan.to_class.name), **args)
        step, class_id = (MoveStep.DO_CORRECT if plan.correction else MoveStep.DO_MOVE), plan.to_class.id
        if plan.correction:
            confirm = "movement-button-confirm-correction"
    else:
        assert plan.from_class is not None
        text = i18n("movement-confirm-leave", from_class=escape(plan.from_class.name), **args)
        step = MoveStep.DO_LEAVE

    def button(key: str, button_step: MoveStep) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=i18n(key), callback_data=MovementAction(
            step=button_step, student_id=student_id, class_id=class_id, day=plan.day.toordinal()).pack())

    return text, InlineKeyboardMarkup(inline_keyboard=[
        [button(confirm, step), button("movement-button-cancel", MoveStep.CANCEL)]])


# --- movement: typed commands ------------------------------------------------------------

MOVEMENT_USAGE = {"enrol": "movement-usage-enrol", "move": "movement-usage-move", "leave": "movement-usage-leave"}


PENDING_ENROL = "pending_enrol"  # the chat state's key for a typed /enrol awaiting its confirmation
ENROL_TOKENS = 10**9  # tells one /enrol's button from an older one's


async def cmd_movement(message: Message, command: CommandObject, session: AsyncSession, actor: Actor,
                       i18n: Translator, clock: SchoolClock, state: FSMContext) -> None:
    """/enrol CLASS ID [FULL NAME] [DATE] · /move ID CLASS [DATE] · /leave ID [DATE]: checked, then
    shown with a confirmation; nothing is written until it is confirmed."""
    today = clock.today()
    kind = command.command.lower()
    words, day = split_date((command.args or "").split(), today)
    if len(words) < 2 if kind == "enrol" else len(words) != (2 if kind == "move" else 1):
        raise ValidationFailed(MOVEMENT_USAGE[kind])
    token = 0
    if kind == "enrol":
        school_class = await find_class(session, words[0])
        plan = await movement.check_enrol(session, actor, class_id=school_class.id, external_id=words[1],
                                          full_name=" ".join(words[2:]), day=day, today=today)
        token = secrets.randbelow(ENROL_TOKENS) + 1
        await state.update_data({PENDING_ENROL: {"token": token, "class_id": school_class.id, "id": plan.external_id,
                                                 "name": " ".join(words[2:]), "day": day.toordinal()}})
    elif kind == "move":
        student = await movement.find_student(session, words[0])
        school_class = await find_class(session, words[1])
        plan = await movement.check_move(session, actor, student_id=student.id, to_class_id=school_class.id,
                                         day=day, today=today)
    else:
        student = await movement.find_student(session, words[0])
        plan = await movement.check_leave(session, actor, student_id=student.id, day=day, today=today)
    text, markup = confirmation(i18n, plan, token)
    await message.answer(text, reply_markup=markup)


async def cmd_movement_not_yours(message: Message, i18n: Translator) -> None:
    """Other staff (a deputy, a subject teacher) are told who records movement, not «unknown command»."""
    await message.answer(i18n("movement-managers-only"))


def split_date(words: list[str], today: dt.date) -> tuple[list[str], dt.date]:
    """A date may end a command (a movement, a group move); without one it is dated today."""
    if words and (parsed := parse_date(words[-1], today=today)) is not None:
        return words[:-1], parsed.date
    return words, today


def render_movement(i18n: Translator, done: movement.Movement) -> str:
    args = dict(name=escape(done.full_name), id=escape(done.external_id),
                date=format_date(done.day, i18n.language, "full"))
    if done.kind is MoveKind.ENROL:
        assert done.to_class is not None
        key = "movement-returned" if done.returning else "movement-enrolled"
        return i18n(key, class_name=escape(done.to_class.name), number=done.number or 0, **args)
    assert done.from_class is not None
    if done.kind is MoveKind.MOVE:
        assert done.to_class is not None
        return i18n("movement-moved", from_class=escape(done.from_class.name), to_class=escape(done.to_class.name),
                    number=done.number or 0, **args)
    return i18n("movement-left", from_class=escape(done.from_class.name), **args)


def router() -> Router:
    """The class teacher's /class, explanations of absences, and movement (/enrol, /move, /leave)."""
    router = Router(name=__name__)
    router.message.register(cmd_class, Command("class"), HasRole(*STAFF_ROLES))
    router.callback_query.register(on_class_view, ClassView.filter())
    router.callback_query.register(on_explain_day, ExplainDay.filter(F.code.in_(EXPLANATION_CODES)))
    router.callback_query.register(on_lessons_of, LessonsOf.filter())
    router.callback_query.register(on_explain_lesson, ExplainLesson.filter(F.code.in_(EXPLANATION_CODES)))
    router.callback_query.register(on_movement, MovementAction.filter(), HasRole(*MANAGERS))
    router.message.register(cmd_movement, Command("enrol", "move", "leave"), HasRole(*MANAGERS))
    router.message.register(cmd_movement_not_yours, Command("enrol", "move", "leave"), HasRole(*STAFF_ROLES))
    return router
