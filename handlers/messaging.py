"""School ↔ home through the bot: /write, replies to relayed messages, and the buttons under
notifications («Болел(а)» under an absence, «Ознакомлен(а)» under an announcement, «Ответить»).
/broadcast is handlers.broadcasts'; /cancel, which ends either flow, is here."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, Filter, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import IsBound, router_for
from bot.i18n import Translator
from bot.outbound.callbacks import AbsenceAnswer, BroadcastRead, RelayReply
from bot.outbound.render import absence_answer_buttons
from bot.outbound.telegram import keyboard
from bot.text import escape, short_name
from models import Student
from services.access import ensure_can_read_student
from services.actor import Actor
from services.errors import AccessDenied, ValidationFailed
from services.homeroom.classes import find_class
from services.messaging import relay
from services.messaging.absence_answers import AnswerOutcome, propose_explanation
from services.messaging.broadcasts import mark_read
from services.messaging.relay import Content
from services.roster import roster_on
from services.school_clock import SchoolClock


class WriteFlow(StatesGroup):
    composing = State()  # the next message goes to the chosen people
    replying = State()  # the next message answers a relayed one


class BroadcastFlow(StatesGroup):
    composing = State()
    confirming = State()


class WriteChild(CallbackData, prefix="wch"):
    student_id: int


class WriteTo(CallbackData, prefix="wto"):
    """A parent writes about `student_id` to the staff member `staff_id`."""

    student_id: int
    staff_id: int


class WriteClass(CallbackData, prefix="wcl"):
    class_id: int


class WriteStudent(CallbackData, prefix="wst"):
    """A staff member writes to the parents of `student_id`."""

    student_id: int


TYPED = ~F.text.startswith("/")


def markup(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=label, callback_data=data) for label, data in row] for row in rows]
    )


def content_of(message: Message) -> Content | None:
    """Text, a photo (the largest size) or a document; None for anything else."""
    if message.photo:
        return Content("photo", message.caption or "", message.photo[-1].file_id)
    if message.document:
        return Content("document", message.caption or "", message.document.file_id)
    if message.text is not None:
        return Content("text", message.text)
    return None


async def _relayable(message: Message, i18n: Translator) -> Content | None:
    """What can be passed on, or None after saying that this kind of message cannot."""
    content = content_of(message)
    if content is None:
        await message.answer(i18n("write-error-unsupported"))
    return content


# --- /write ------------------------------------------------------------------------------------


async def cmd_write(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
    state: FSMContext,
) -> None:
    await state.clear()
    args = (command.args or "").split()
    if len(args) == 2 and actor.staff_id is not None:
        # `/write 5А 3`: the parents of № 3 in 5А's list.
        school_class = await find_class(session, args[0])
        roster = await roster_on(session, school_class.id, clock.today())
        entry = next((e for e in roster if str(e.number) == args[1]), None)
        if entry is None:
            raise ValidationFailed("write-error-number", number=args[1], class_name=school_class.name)
        await _start_to_parents(message, session, actor, i18n, state, entry.student.id)
        return
    rows: list[list[tuple[str, str]]] = []
    for child_id in sorted(actor.children_ids):
        child = await session.get(Student, child_id)
        if child is not None:
            rows.append([(i18n("write-button-child", name=child.full_name), WriteChild(student_id=child_id).pack())])
    for school_class in await relay.writable_classes(session, actor):
        rows.append(
            [(i18n("write-button-class", class_name=school_class.name), WriteClass(class_id=school_class.id).pack())]
        )
    if not rows:
        await message.answer(i18n("write-nobody"))
        return
    await message.answer(i18n("write-choose"), reply_markup=markup(rows))


async def on_write_child(
    callback: CallbackQuery, callback_data: WriteChild, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    contacts = await relay.contacts_for_child(session, actor, callback_data.student_id)
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    if not contacts:
        await callback.message.answer(i18n("write-no-contacts"))
        return
    rows = [
        [
            (
                i18n("write-button-homeroom", name=contact.name)
                if contact.homeroom
                else i18n("write-button-teacher", name=contact.name, subjects=", ".join(contact.subjects)),
                WriteTo(student_id=callback_data.student_id, staff_id=contact.staff_id).pack(),
            )
        ]
        for contact in contacts
    ]
    await callback.message.answer(i18n("write-choose-teacher"), reply_markup=markup(rows))


async def on_write_to(
    callback: CallbackQuery,
    callback_data: WriteTo,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
) -> None:
    contacts = await relay.contacts_for_child(session, actor, callback_data.student_id)
    contact = next((c for c in contacts if c.staff_id == callback_data.staff_id), None)
    if contact is None:
        raise AccessDenied("write-error-not-a-contact")
    await state.set_state(WriteFlow.composing)
    await state.update_data(to="staff", student_id=callback_data.student_id, staff_id=contact.staff_id)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(i18n("write-prompt", name=escape(contact.name)))


async def on_write_class(
    callback: CallbackQuery,
    callback_data: WriteClass,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    await relay.class_students(session, actor, callback_data.class_id)  # access check
    roster = await roster_on(session, callback_data.class_id, clock.today())
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    rows = [
        [(f"{entry.number}. {short_name(entry.student.full_name)}", WriteStudent(student_id=entry.student.id).pack())]
        for entry in roster
    ]
    if not rows:
        await callback.message.answer(i18n("write-no-students"))
        return
    await callback.message.answer(i18n("write-choose-student"), reply_markup=markup(rows))


async def on_write_student(
    callback: CallbackQuery,
    callback_data: WriteStudent,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
) -> None:
    await callback.answer()
    if isinstance(callback.message, Message):
        await _start_to_parents(callback.message, session, actor, i18n, state, callback_data.student_id)


async def _start_to_parents(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, state: FSMContext, student_id: int
) -> None:
    if actor.staff_id is None:
        raise AccessDenied("error-access-denied")
    await ensure_can_read_student(session, actor, student_id)
    student = await session.get(Student, student_id)
    await state.set_state(WriteFlow.composing)
    await state.update_data(to="parents", student_id=student_id)
    await message.answer(i18n("write-prompt-parents", name=escape(student.full_name if student else "")))


async def cmd_cancel(message: Message, i18n: Translator, state: FSMContext) -> None:
    await state.clear()
    await message.answer(i18n("write-cancelled"))


async def on_write_message(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, state: FSMContext
) -> None:
    content = await _relayable(message, i18n)
    if content is None:
        return
    data = await state.get_data()
    if data.get("to") == "staff":
        result = await relay.write_to_staff(session, actor, data["student_id"], data["staff_id"], content)
    else:
        result = await relay.write_to_parents(session, actor, data["student_id"], content)
    await state.clear()
    await message.answer(i18n("write-sent", count=result.recipients))


# --- replies ---------------------------------------------------------------------------------------


class RepliesToRelayed(Filter):
    """A Telegram reply to a message the bot relayed to this account: passes its id on as `relayed_id`."""

    async def __call__(self, message: Message, session: AsyncSession, actor: Actor) -> bool | dict[str, Any]:
        replied = message.reply_to_message
        if replied is None or (message.text or "").startswith("/"):
            return False
        relayed_id = await relay.relayed_for_reply(session, actor, message.chat.id, replied.message_id)
        return {"relayed_id": relayed_id} if relayed_id is not None else False


async def on_reply_button(
    callback: CallbackQuery, callback_data: RelayReply, i18n: Translator, state: FSMContext
) -> None:
    await state.set_state(WriteFlow.replying)
    await state.update_data(relayed_id=callback_data.relayed_id)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(i18n("write-reply-prompt"))


async def on_reply_message(
    message: Message, session: AsyncSession, actor: Actor, i18n: Translator, state: FSMContext
) -> None:
    content = await _relayable(message, i18n)
    if content is None:
        return
    await relay.reply(session, actor, (await state.get_data())["relayed_id"], content)
    await state.clear()
    await message.answer(i18n("write-reply-sent"))


async def on_telegram_reply(
    message: Message, relayed_id: int, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    content = await _relayable(message, i18n)
    if content is None:
        return
    await relay.reply(session, actor, relayed_id, content)
    await message.answer(i18n("write-reply-sent"))


# --- buttons under notifications ----------------------------------------------------------------------


async def on_absence_answer(
    callback: CallbackQuery, callback_data: AbsenceAnswer, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    outcome = await propose_explanation(session, actor, callback_data.attendance_id, callback_data.answer)
    await callback.answer(i18n("explain-sent" if outcome is AnswerOutcome.NEW else "explain-changed"), show_alert=True)
    if isinstance(callback.message, Message) and outcome is not AnswerOutcome.SAME:
        buttons = absence_answer_buttons(i18n, callback_data.attendance_id, chosen=callback_data.answer)
        await callback.message.edit_reply_markup(reply_markup=keyboard(buttons))


async def on_broadcast_read(
    callback: CallbackQuery, callback_data: BroadcastRead, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    first = await mark_read(session, actor, callback_data.broadcast_id)
    await callback.answer(i18n("broadcast-read-thanks" if first else "broadcast-read-already"))


def router() -> Router:
    """/write, replies to relayed messages and the buttons under notifications (/broadcast: handlers.broadcasts)."""
    router = router_for(__name__, IsBound())
    router.message.register(cmd_write, Command("write"))
    router.callback_query.register(on_write_child, WriteChild.filter())
    router.callback_query.register(on_write_to, WriteTo.filter())
    router.callback_query.register(on_write_class, WriteClass.filter())
    router.callback_query.register(on_write_student, WriteStudent.filter())
    router.message.register(cmd_cancel, Command("cancel"), StateFilter(WriteFlow, BroadcastFlow))
    router.message.register(on_write_message, WriteFlow.composing, TYPED)
    router.callback_query.register(on_reply_button, RelayReply.filter())
    router.message.register(on_reply_message, WriteFlow.replying, TYPED)
    router.message.register(on_telegram_reply, RepliesToRelayed())
    router.callback_query.register(on_absence_answer, AbsenceAnswer.filter())
    router.callback_query.register(on_broadcast_read, BroadcastRead.filter())
    return router
