"""Conversations through the bot: /write in every allowed direction (services.messaging.directions),
replies to relayed messages, and the buttons under notifications (a parent's answer to an absence,
«Принято к сведению» under an announcement, «Ответить» and «Не получать неделю» under a message).
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

from bot.config import Settings, conversation_rules
from bot.filters import IsBound, router_for
from bot.i18n import Translator
from bot.outbound.callbacks import AbsenceAnswer, BroadcastRead, RelayMute, RelayReply
from bot.text import escape, format_date, format_time, short_name
from models import Student
from services.actor import Actor
from services.errors import ValidationFailed
from services.homeroom.classes import find_class
from services.messaging import directions, relay
from services.messaging.absence_answers import AnswerOutcome, propose_explanation
from services.messaging.broadcasts import mark_read
from services.messaging.content import Content
from services.messaging.mutes import mute_sender
from services.names import name_in_case
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
    role: str = ""  # the contact's (services.messaging.directions.Contact); "" any


class WriteClass(CallbackData, prefix="wcl"):
    class_id: int


class WriteStudent(CallbackData, prefix="wst"):
    """A staff member writes to the parents of `student_id`."""

    student_id: int


class WritePupil(CallbackData, prefix="wpu"):
    """A staff member writes to the pupil `student_id`."""

    student_id: int


class WriteClassParents(CallbackData, prefix="wcp"):
    """A teacher writes to all the parents of `class_id`."""

    class_id: int


class WriteColleagues(CallbackData, prefix="wcs"):
    """A staff member's list of the colleagues they may write to."""


class WriteColleague(CallbackData, prefix="wcg"):
    staff_id: int


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
        student = await _parents_to_write(session, actor, entry.student.id)
        await _compose_to_parents(message, i18n, state, student)
        return
    rows: list[list[tuple[str, str]]] = []
    for child_id in sorted(actor.children_ids):
        child = await session.get(Student, child_id)
        if child is not None:
            rows.append([(i18n("write-button-child", name=child.full_name), WriteChild(student_id=child_id).pack())])
    if actor.student_id is not None:
        rows.append([(i18n("write-button-my-teachers"), WriteChild(student_id=actor.student_id).pack())])
    for school_class in await directions.writable_classes(session, actor):
        rows.append(
            [(i18n("write-button-class", class_name=school_class.name), WriteClass(class_id=school_class.id).pack())]
        )
    if await directions.staff_contacts(session, actor):
        rows.append([(i18n("write-button-colleagues"), WriteColleagues().pack())])
    if not rows:
        await message.answer(i18n("write-nobody"))
        return
    await message.answer(i18n("write-choose"), reply_markup=markup(rows))


async def on_write_child(
    callback: CallbackQuery, callback_data: WriteChild, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    contacts = await directions.contacts_for_child(session, actor, callback_data.student_id)
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    if not contacts:
        await callback.message.answer(i18n("write-no-contacts"))
        return
    rows = [
        [
            (
                contact_label(i18n, contact),
                WriteTo(student_id=callback_data.student_id, staff_id=contact.staff_id, role=contact.role).pack(),
            )
        ]
        for contact in contacts
    ]
    await callback.message.answer(i18n("write-choose-teacher"), reply_markup=markup(rows))


def contact_label(i18n: Translator, contact: directions.Contact) -> str:
    """«Иванова Мария Петровна — классный руководитель», «… — Литература, Русский язык», «… — директор»."""
    if contact.role == "teacher" and contact.subjects:
        return i18n("write-button-teacher", name=contact.name, subjects=", ".join(contact.subjects))
    return i18n("write-button-contact", name=contact.name, role=contact.role)


async def on_write_to(
    callback: CallbackQuery,
    callback_data: WriteTo,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
) -> None:
    contact = await directions.ensure_contact(
        session, actor, callback_data.student_id, callback_data.staff_id, callback_data.role or None
    )
    prompt = _prompt_to(i18n, contact.name)
    await _compose(callback, state, prompt, to="staff", student_id=callback_data.student_id, staff_id=contact.staff_id)


async def on_write_class(
    callback: CallbackQuery,
    callback_data: WriteClass,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    school_class = await directions.ensure_writable_class(session, actor, callback_data.class_id)
    roster = await roster_on(session, callback_data.class_id, clock.today())
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    if not roster:
        await callback.message.answer(i18n("write-no-students"))
        return
    rows = [
        [
            (
                i18n("write-button-class-parents", class_name=school_class.name),
                WriteClassParents(class_id=school_class.id).pack(),
            )
        ]
    ]
    rows += [
        [
            (
                i18n("write-button-student-parents", number=entry.number, name=short_name(entry.student.full_name)),
                WriteStudent(student_id=entry.student.id).pack(),
            ),
            (i18n("write-button-pupil"), WritePupil(student_id=entry.student.id).pack()),
        ]
        for entry in roster
    ]
    await callback.message.answer(i18n("write-choose-student"), reply_markup=markup(rows))


async def on_write_pupil(
    callback: CallbackQuery,
    callback_data: WritePupil,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
) -> None:
    await directions.ensure_staff_may_write_about(session, actor, callback_data.student_id)
    student = await directions.student_by_id(session, callback_data.student_id)
    await _compose(callback, state, _prompt_to(i18n, student.full_name), to="pupil", student_id=student.id)


async def on_write_class_parents(
    callback: CallbackQuery,
    callback_data: WriteClassParents,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
) -> None:
    directions.ensure_staff(actor)
    school_class = await directions.ensure_writable_class(session, actor, callback_data.class_id)
    prompt = i18n("write-prompt-class-parents", class_name=escape(school_class.name))
    await _compose(callback, state, prompt, to="class", class_id=school_class.id)


async def on_write_colleagues(callback: CallbackQuery, session: AsyncSession, actor: Actor, i18n: Translator) -> None:
    contacts = await directions.staff_contacts(session, actor)
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    if not contacts:
        await callback.message.answer(i18n("write-nobody"))
        return
    rows = [[(contact_label(i18n, c), WriteColleague(staff_id=c.staff_id).pack())] for c in contacts]
    await callback.message.answer(i18n("write-choose-colleague"), reply_markup=markup(rows))


async def on_write_colleague(
    callback: CallbackQuery,
    callback_data: WriteColleague,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
) -> None:
    contact = await directions.ensure_colleague(session, actor, callback_data.staff_id)
    await _compose(callback, state, _prompt_to(i18n, contact.name), to="colleague", staff_id=contact.staff_id)


def _prompt_to(i18n: Translator, name: str) -> str:
    """«Напишите сообщение Ивановой Марии Петровне»: the person written to, in the dative."""
    return i18n("write-prompt", name=escape(name), name_datv=escape(name_in_case(name, "datv")))


async def _compose(callback: CallbackQuery, state: FSMContext, prompt: str, **to: object) -> None:
    """The next message the user sends goes `to` the chosen people."""
    await state.set_state(WriteFlow.composing)
    await state.update_data(**to)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(prompt)


async def on_write_student(
    callback: CallbackQuery,
    callback_data: WriteStudent,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
) -> None:
    # Checked before the button is answered: a refusal is the button's one answer.
    student = await _parents_to_write(session, actor, callback_data.student_id)
    await callback.answer()
    if isinstance(callback.message, Message):
        await _compose_to_parents(callback.message, i18n, state, student)


async def _parents_to_write(session: AsyncSession, actor: Actor, student_id: int) -> Student:
    """The pupil whose parents the staff member may write to (AccessDenied if not theirs)."""
    await directions.ensure_staff_may_write_about(session, actor, student_id)
    return await directions.student_by_id(session, student_id)


async def _compose_to_parents(message: Message, i18n: Translator, state: FSMContext, student: Student) -> None:
    await state.set_state(WriteFlow.composing)
    await state.update_data(to="parents", student_id=student.id)
    name = student.full_name
    await message.answer(i18n("write-prompt-parents", name=escape(name), name_gent=escape(name_in_case(name, "gent"))))


async def cmd_cancel(message: Message, i18n: Translator, state: FSMContext) -> None:
    await state.clear()
    await message.answer(i18n("write-cancelled"))


async def on_write_message(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
    settings: Settings,
    clock: SchoolClock,
) -> None:
    content = await _relayable(message, i18n)
    if content is None:
        return
    data, rules = await state.get_data(), conversation_rules(settings)
    to = data.get("to")
    if to == "staff":
        result = await relay.write_to_staff(session, actor, data["student_id"], data["staff_id"], content, rules)
    elif to == "colleague":
        result = await relay.write_to_colleague(session, actor, data["staff_id"], content, rules)
    elif to == "pupil":
        result = await relay.write_to_pupil(session, actor, data["student_id"], content, rules)
    elif to == "class":
        result = await relay.write_to_class_parents(session, actor, data["class_id"], content, rules)
    else:
        result = await relay.write_to_parents(session, actor, data["student_id"], content, rules)
    await state.clear()
    await message.answer(sent_text(i18n, clock, result, "write-sent"))


def sent_text(i18n: Translator, clock: SchoolClock, result: relay.Relayed, key: str) -> str:
    """«Отправлено», or, to a staff member off work, when it will reach them."""
    if result.delivered_at is None:
        return i18n(key, count=result.recipients)
    at = clock.local(result.delivered_at)
    day = i18n("write-today") if at.date() == clock.today() else format_date(at.date(), i18n.language, "day")
    return i18n("write-sent-later", day=day, time=format_time(at.time()))


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
    message: Message,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    state: FSMContext,
    settings: Settings,
    clock: SchoolClock,
) -> None:
    content = await _relayable(message, i18n)
    if content is None:
        return
    relayed_id = (await state.get_data())["relayed_id"]
    result = await relay.reply(session, actor, relayed_id, content, conversation_rules(settings))
    await state.clear()
    await message.answer(sent_text(i18n, clock, result, "write-reply-sent"))


async def on_telegram_reply(
    message: Message,
    relayed_id: int,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    settings: Settings,
    clock: SchoolClock,
) -> None:
    content = await _relayable(message, i18n)
    if content is None:
        return
    result = await relay.reply(session, actor, relayed_id, content, conversation_rules(settings))
    await message.answer(sent_text(i18n, clock, result, "write-reply-sent"))


async def on_mute_button(
    callback: CallbackQuery,
    callback_data: RelayMute,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    clock: SchoolClock,
) -> None:
    muted = await mute_sender(session, actor, callback_data.relayed_id, clock)
    day = format_date(clock.local(muted.until).date(), i18n.language, "day")
    await callback.answer(i18n("write-muted", until=day), show_alert=True)


# --- buttons under notifications ----------------------------------------------------------------------


ANSWER_TOASTS = {
    AnswerOutcome.NEW: "explain-sent",
    AnswerOutcome.CHANGED: "explain-changed",
    AnswerOutcome.SAME: "explain-same",  # pressed again: nothing changed
}


async def on_absence_answer(
    callback: CallbackQuery, callback_data: AbsenceAnswer, session: AsyncSession, actor: Actor, i18n: Translator
) -> None:
    outcome = await propose_explanation(session, actor, callback_data.attendance_id, callback_data.answer)
    await callback.answer(i18n(ANSWER_TOASTS[outcome]), show_alert=True)
    if isinstance(callback.message, Message) and callback.message.reply_markup and outcome is not AnswerOutcome.SAME:
        await callback.message.edit_reply_markup(reply_markup=_ticked(callback.message.reply_markup, callback.data))


def _ticked(markup: InlineKeyboardMarkup, pressed: str | None) -> InlineKeyboardMarkup:
    """The notice's answers as they were worded for the child, the pressed one ticked: another press
    moves the tick (services.messaging.absence_answers)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button.model_copy(
                    update={"text": ("✓ " if button.callback_data == pressed else "") + button.text.removeprefix("✓ ")}
                )
                for button in row
            ]
            for row in markup.inline_keyboard
        ]
    )


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
    router.callback_query.register(on_write_pupil, WritePupil.filter())
    router.callback_query.register(on_write_class_parents, WriteClassParents.filter())
    router.callback_query.register(on_write_colleagues, WriteColleagues.filter())
    router.callback_query.register(on_write_colleague, WriteColleague.filter())
    router.message.register(cmd_cancel, Command("cancel"), StateFilter(WriteFlow, BroadcastFlow))
    router.message.register(on_write_message, WriteFlow.composing, TYPED)
    router.callback_query.register(on_reply_button, RelayReply.filter())
    router.callback_query.register(on_mute_button, RelayMute.filter())
    router.message.register(on_reply_message, WriteFlow.replying, TYPED)
    router.message.register(on_telegram_reply, RepliesToRelayed())
    router.callback_query.register(on_absence_answer, AbsenceAnswer.filter())
    router.callback_query.register(on_broadcast_read, BroadcastRead.filter())
    return router
