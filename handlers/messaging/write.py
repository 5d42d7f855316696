"""/write in every allowed direction (services.messaging.directions): whom to write to, chosen by
buttons or `/write 5А 3`, then the message; /cancel ends it (or a /broadcast)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings, conversation_rules
from bot.i18n import Translator
from bot.text import escape, short_name
from handlers.messaging.keyboards import (
    WriteChild,
    WriteClass,
    WriteClassParents,
    WriteColleague,
    WriteColleagues,
    WritePupil,
    WriteStudent,
    WriteTo,
    contact_label,
    markup,
)
from handlers.messaging.outgoing import relayable, sent_text
from handlers.messaging.states import TYPED, BroadcastFlow, WriteFlow
from models import Student
from services.actor import Actor
from services.errors import ValidationFailed
from services.homeroom.classes import find_class
from services.messaging import directions, relay
from services.names import name_in_case
from services.roster import roster_on
from services.school_clock import SchoolClock


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
    content = await relayable(message, i18n)
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


def router() -> Router:
    """/write, its buttons and the message composed; /cancel, which ends a /write or a /broadcast."""
    router = Router(name=__name__)
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
    return router
