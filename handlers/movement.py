"""Movement of students: /enrol, /move and /leave, typed or from a student's card in the class list;
each is checked and shown with a confirmation, and written only when it is confirmed."""

from __future__ import annotations

import datetime as dt
import secrets

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import HasRole
from bot.i18n import Translator
from bot.text import escape, format_date
from handlers.homeroom import BUTTONS_PER_ROW, MANAGERS, STAFF_ROLES, button_rows, manages
from handlers.movement_buttons import MovementAction, MoveStep, confirmation
from handlers.subgroup_buttons import placement_question, unplaced_note
from models import MoveKind
from services import movement, subgroup_moves
from services.access import ensure_homeroom_of
from services.actor import Actor
from services.entry_parser import parse_date
from services.errors import ValidationFailed
from services.help_topics import example_args
from services.homeroom.classes import all_classes, class_by_id, find_class
from services.school_clock import SchoolClock

# --- movement: buttons -------------------------------------------------------------------


async def on_movement(
    callback: CallbackQuery,
    callback_data: MovementAction,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
    state: FSMContext,
) -> None:
    step, day = callback_data.step, dt.date.fromordinal(callback_data.day or clock.today().toordinal())
    message = callback.message if isinstance(callback.message, Message) else None
    if message is None:
        await callback.answer()
        return
    today = clock.today()
    if step is MoveStep.ENROL_HELP:
        ensure_homeroom_of(actor, callback_data.class_id)
        school_class = await class_by_id(session, callback_data.class_id)
        examples = example_args(clock.today())
        await message.answer(i18n("movement-enrol-help", class_name=escape(school_class.name), **examples))
    elif step is MoveStep.CANCEL:
        await state.update_data({PENDING_ENROL: None})
        await message.edit_text(i18n("movement-cancelled"))
    elif step is MoveStep.DO_ENROL:
        pending = (await state.get_data()).get(PENDING_ENROL)
        if not pending or pending["token"] != callback_data.student_id:  # used, or an older /enrol's button
            await callback.answer(i18n("movement-confirm-expired"), show_alert=True)
            return
        await state.update_data({PENDING_ENROL: None})
        done = await movement.enrol(
            session,
            actor,
            class_id=pending["class_id"],
            external_id=pending["id"],
            full_name=pending["name"],
            day=dt.date.fromordinal(pending["day"]),
            today=today,
        )
        await _answer_joined(message, session, actor, i18n, done)
    elif step in (MoveStep.DO_MOVE, MoveStep.DO_CORRECT):
        done = await movement.move(
            session,
            actor,
            student_id=callback_data.student_id,
            to_class_id=callback_data.class_id,
            day=day,
            today=today,
            as_correction=step is MoveStep.DO_CORRECT,
        )
        await _answer_joined(message, session, actor, i18n, done)
    elif step is MoveStep.DO_LEAVE:
        done = await movement.leave(session, actor, student_id=callback_data.student_id, day=day, today=today)
        await message.edit_text(render_movement(i18n, done))
    else:
        text, markup = await _movement_step(session, actor, i18n, callback_data, day, today)
        await message.answer(text, reply_markup=markup)
    await callback.answer()


async def _answer_joined(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, done: movement.Movement
) -> None:
    """The enrolment or move as written; then, for each subject the new class is split in, which group.

    Until one is tapped the pupil is in no group of it (services.subgroup_moves). Only the new class's
    teacher (or the administrator) places them: one moving a pupil out of their own class is told so.
    """
    assert done.student_id is not None and done.to_class is not None
    unplaced = await subgroup_moves.unplaced_subjects(session, done.student_id)
    places = manages(actor, done.to_class.id)
    await message.edit_text(render_movement(i18n, done) + unplaced_note(i18n, unplaced, done.to_class.name, places))
    for subject in unplaced if places else ():
        text, markup = placement_question(i18n, done.student_id, done.full_name, subject, done.day)
        await message.answer(text, reply_markup=markup)


async def _movement_step(
    session: AsyncSession, actor: Actor, i18n: Translator, data: MovementAction, day: dt.date, today: dt.date
) -> tuple[str, InlineKeyboardMarkup]:
    if data.step is MoveStep.CONFIRM_MOVE:
        return confirmation(
            i18n,
            await movement.check_move(
                session, actor, student_id=data.student_id, to_class_id=data.class_id, day=day, today=today
            ),
        )
    if data.step is MoveStep.CONFIRM_LEAVE:
        return confirmation(
            i18n, await movement.check_leave(session, actor, student_id=data.student_id, day=day, today=today)
        )
    student, current = await movement.studying_student(session, actor, data.student_id)
    name, ordinal = escape(student.full_name), day.toordinal()

    def button(key: str, step: MoveStep, class_id: int = 0, **args: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=i18n(key, **args),
            callback_data=MovementAction(step=step, student_id=student.id, class_id=class_id, day=ordinal).pack(),
        )

    if data.step is MoveStep.CARD:
        text = i18n("movement-card", name=name, id=escape(student.external_id), class_name=escape(current.name))
        return text, InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    button("movement-button-move", MoveStep.PICK_CLASS),
                    button("movement-button-leave", MoveStep.CONFIRM_LEAVE),
                ]
            ]
        )
    others = [c for c in await all_classes(session) if c.id != current.id]
    buttons = [button("movement-button-class", MoveStep.CONFIRM_MOVE, c.id, class_name=c.name) for c in others]
    return i18n("movement-pick-class", name=name), InlineKeyboardMarkup(
        inline_keyboard=[*button_rows(buttons, BUTTONS_PER_ROW), [button("movement-button-cancel", MoveStep.CANCEL)]]
    )


# --- movement: typed commands ------------------------------------------------------------

MOVEMENT_USAGE = {"enrol": "movement-usage-enrol", "move": "movement-usage-move", "leave": "movement-usage-leave"}


PENDING_ENROL = "pending_enrol"  # the chat state's key for a typed /enrol awaiting its confirmation
ENROL_TOKENS = 10**9  # tells one /enrol's button from an older one's


async def cmd_movement(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
    state: FSMContext,
) -> None:
    """/enrol CLASS ID [FULL NAME] [DATE] · /move ID CLASS [DATE] · /leave ID [DATE]: checked, then
    shown with a confirmation; nothing is written until it is confirmed."""
    today = clock.today()
    kind = command.command.lower()
    words, day = split_date((command.args or "").split(), today)
    if len(words) < 2 if kind == "enrol" else len(words) != (2 if kind == "move" else 1):
        raise ValidationFailed(MOVEMENT_USAGE[kind], **example_args(today))
    token = 0
    if kind == "enrol":
        school_class = await find_class(session, words[0])
        plan = await movement.check_enrol(
            session,
            actor,
            class_id=school_class.id,
            external_id=words[1],
            full_name=" ".join(words[2:]),
            day=day,
            today=today,
        )
        token = secrets.randbelow(ENROL_TOKENS) + 1
        await state.update_data(
            {
                PENDING_ENROL: {
                    "token": token,
                    "class_id": school_class.id,
                    "id": plan.external_id,
                    "name": " ".join(words[2:]),
                    "day": day.toordinal(),
                }
            }
        )
    elif kind == "move":
        student = await movement.find_student(session, words[0])
        school_class = await find_class(session, words[1])
        plan = await movement.check_move(
            session, actor, student_id=student.id, to_class_id=school_class.id, day=day, today=today
        )
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
    args = dict(
        name=escape(done.full_name), id=escape(done.external_id), date=format_date(done.day, i18n.language, "full")
    )
    if done.kind is MoveKind.ENROL:
        assert done.to_class is not None
        key = "movement-returned" if done.returning else "movement-enrolled"
        return i18n(key, class_name=escape(done.to_class.name), number=done.number or 0, **args)
    assert done.from_class is not None
    if done.kind is MoveKind.MOVE:
        assert done.to_class is not None
        return i18n(
            "movement-moved",
            from_class=escape(done.from_class.name),
            to_class=escape(done.to_class.name),
            number=done.number or 0,
            **args,
        )
    return i18n("movement-left", from_class=escape(done.from_class.name), **args)


def router() -> Router:
    """Movement (/enrol, /move, /leave) and the buttons of a student's card."""
    router = Router(name=__name__)
    router.callback_query.register(on_movement, MovementAction.filter(), HasRole(*MANAGERS))
    router.message.register(cmd_movement, Command("enrol", "move", "leave"), HasRole(*MANAGERS))
    router.message.register(cmd_movement_not_yours, Command("enrol", "move", "leave"), HasRole(*STAFF_ROLES))
    return router
