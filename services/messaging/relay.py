"""/write: a staff member writes to a student's parents, a parent to the child's teachers, and each
answers the other; who may write to whom."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Account,
    AccountBinding,
    ChatMessageLink,
    Conversation,
    Parent,
    ParentStudent,
    PersonKind,
    RelayedMessage,
    SchoolClass,
    Staff,
    Student,
    StudentStatus,
    Subject,
    TeachingAssignment,
    utcnow,
)
from services.access import ensure_can_read_student
from services.actor import Actor
from services.errors import AccessDenied, DomainError, NotFound, ValidationFailed
from services.names import gender_of
from services.notices import MessageHeader, Relay
from services.outbox import enqueue
from services.outbox.recipients import family_accounts
from services.school_years import in_current_year

CONTENT_TYPES = ("text", "photo", "document")
TEXT_LIMIT = 3500  # leaves room for the header within Telegram's 4096


@dataclass(frozen=True)
class Content:
    """What someone sent to be relayed: a text, or a photo or document (Telegram file id) with a caption."""

    content_type: str
    text: str = ""
    file_id: str | None = None

    def checked(self) -> Content:
        if self.content_type not in CONTENT_TYPES:
            raise ValidationFailed("write-error-unsupported")
        text = (self.text or "").strip()
        if self.content_type == "text" and not text:
            raise ValidationFailed("write-error-empty")
        if len(text) > TEXT_LIMIT:
            raise ValidationFailed("write-error-too-long", limit=TEXT_LIMIT)
        if self.content_type != "text" and not self.file_id:
            raise ValidationFailed("write-error-unsupported")
        return Content(self.content_type, text, self.file_id)


@dataclass(frozen=True)
class Contact:
    """Someone a parent may write to about a child."""

    staff_id: int
    name: str
    homeroom: bool
    subjects: tuple[str, ...]


@dataclass(frozen=True)
class Relayed:
    conversation_id: int
    recipients: int


# --- who may write to whom -----------------------------------------------------------------------


async def contacts_for_child(session: AsyncSession, actor: Actor, student_id: int) -> list[Contact]:
    """A parent's choice: the child's class teacher first, then the teachers of the class's subjects."""
    if student_id not in actor.children_ids:
        raise AccessDenied("error-not-your-child")
    student = await student_by_id(session, student_id)
    if student.class_id is None:
        return []
    school_class = await session.get(SchoolClass, student.class_id)
    subjects: dict[int, list[str]] = {}
    for staff_id, subject in await session.execute(
        select(TeachingAssignment.staff_id, Subject.name)
        .join(Subject, Subject.id == TeachingAssignment.subject_id)
        .where(TeachingAssignment.class_id == student.class_id)
        .order_by(Subject.name)
    ):
        if subject not in subjects.setdefault(staff_id, []):
            subjects[staff_id].append(subject)
    homeroom_id = school_class.homeroom_teacher_id if school_class else None
    staff_ids = ([homeroom_id] if homeroom_id else []) + [sid for sid in subjects if sid != homeroom_id]
    names = dict(
        (sid, name)
        for sid, name in await session.execute(
            select(Staff.id, Staff.full_name).where(Staff.id.in_(staff_ids), Staff.active.is_(True))
        )
    )
    return [
        Contact(sid, names[sid], sid == homeroom_id, tuple(subjects.get(sid, ()))) for sid in staff_ids if sid in names
    ]


async def writable_classes(session: AsyncSession, actor: Actor) -> list[SchoolClass]:
    """Classes whose families a staff member may write to: led or taught; the whole school for the
    deputy, director and administrator."""
    if actor.staff_id is None:
        return []
    query = select(SchoolClass).where(in_current_year()).order_by(SchoolClass.grade, SchoolClass.name)
    if not actor.sees_whole_school:
        taught = select(TeachingAssignment.class_id).where(TeachingAssignment.staff_id == actor.staff_id)
        query = query.where(SchoolClass.id.in_(taught) | SchoolClass.id.in_(actor.homeroom_class_ids))
    return list(await session.scalars(query))


async def class_students(session: AsyncSession, actor: Actor, class_id: int) -> list[Student]:
    if class_id not in {c.id for c in await writable_classes(session, actor)}:
        raise AccessDenied("error-not-your-class")
    return list(
        await session.scalars(
            select(Student)
            .where(Student.class_id == class_id, Student.status == StudentStatus.STUDYING)
            .order_by(Student.full_name, Student.id)
        )
    )


# --- /write ------------------------------------------------------------------------------------


async def write_to_parents(
    session: AsyncSession, actor: Actor, student_id: int, content: Content, now: dt.datetime | None = None
) -> Relayed:
    """A staff member writes to the parents of one student."""
    if actor.staff_id is None or actor.account_id is None:
        raise AccessDenied("error-access-denied")
    await ensure_can_read_student(session, actor, student_id)
    content = content.checked()
    recipients = await family_accounts(session, student_id)
    if not recipients:
        raise DomainError("write-error-no-parents")
    conversation = Conversation(
        started_by_account_id=actor.account_id, student_id=student_id, created_at=now or utcnow()
    )
    session.add(conversation)
    await session.flush()
    header = await _staff_header(session, actor.staff_id, student_id)
    await _relay(session, conversation, actor.account_id, recipients, header, content, now)
    return Relayed(conversation.id, len(recipients))


async def write_to_staff(
    session: AsyncSession,
    actor: Actor,
    student_id: int,
    staff_id: int,
    content: Content,
    now: dt.datetime | None = None,
) -> Relayed:
    """A parent writes to their child's class teacher or to a teacher of the child's class."""
    if actor.account_id is None:
        raise AccessDenied("error-access-denied")
    contacts = await contacts_for_child(session, actor, student_id)
    if staff_id not in {contact.staff_id for contact in contacts}:
        raise AccessDenied("write-error-not-a-contact")
    content = content.checked()
    recipients = await staff_accounts(session, staff_id)
    if not recipients:
        name = next(contact.name for contact in contacts if contact.staff_id == staff_id)
        raise DomainError("write-error-not-connected", name=name, gender=gender_of(name))
    conversation = Conversation(
        started_by_account_id=actor.account_id, student_id=student_id, created_at=now or utcnow()
    )
    session.add(conversation)
    await session.flush()
    header = await parent_header(session, actor, student_id)
    await _relay(session, conversation, actor.account_id, recipients, header, content, now)
    return Relayed(conversation.id, len(recipients))


async def reply(
    session: AsyncSession, actor: Actor, relayed_id: int, content: Content, now: dt.datetime | None = None
) -> Relayed:
    """An answer to a relayed message goes back to whoever sent it."""
    original = await session.get(RelayedMessage, relayed_id)
    if original is None or actor.account_id is None or original.recipient_account_id != actor.account_id:
        raise AccessDenied("write-error-not-yours")
    content = content.checked()
    conversation = await session.get(Conversation, original.conversation_id)
    assert conversation is not None
    target = await session.get(Account, original.sender_account_id)
    if target is None or not target.active:
        raise DomainError("write-error-recipient-gone")
    student_id = conversation.student_id
    if student_id is not None and student_id in actor.children_ids:
        header = await parent_header(session, actor, student_id, reply=True)
    elif actor.staff_id is not None:
        header = await _staff_header(session, actor.staff_id, student_id, reply=True)
    else:
        raise AccessDenied("write-error-not-yours")
    await _relay(session, conversation, actor.account_id, [target], header, content, now)
    return Relayed(conversation.id, 1)


async def relayed_for_reply(session: AsyncSession, actor: Actor, chat_id: int, message_id: int) -> int | None:
    """The relayed message a Telegram reply answers, when it is one this account received."""
    found = await session.scalar(
        select(RelayedMessage.id)
        .join(ChatMessageLink, ChatMessageLink.outbox_id == RelayedMessage.outbox_id)
        .where(
            ChatMessageLink.chat_id == chat_id,
            ChatMessageLink.message_id == message_id,
            RelayedMessage.recipient_account_id == actor.account_id,
        )
    )
    return found


async def _relay(
    session: AsyncSession,
    conversation: Conversation,
    sender_account_id: int,
    recipients: list[Account],
    header: MessageHeader,
    content: Content,
    now: dt.datetime | None,
) -> None:
    for account in recipients:
        relayed = RelayedMessage(
            conversation_id=conversation.id,
            sender_account_id=sender_account_id,
            recipient_account_id=account.id,
            content_type=content.content_type,
            text=content.text,
            file_id=content.file_id,
            created_at=now or utcnow(),
        )
        session.add(relayed)
        await session.flush()
        notice = Relay(relayed.id, header, content.text, content.content_type, content.file_id)
        row = enqueue(session, account, notice, source_entity="relayed_message", source_id=relayed.id, now=now)
        await session.flush()
        relayed.outbox_id = row.id
    await session.flush()


async def _staff_header(
    session: AsyncSession, staff_id: int, student_id: int | None, *, reply: bool = False
) -> MessageHeader:
    staff = await session.get(Staff, staff_id)
    assert staff is not None
    header = MessageHeader("school", staff.full_name, "↩️" if reply else "✉️")
    if student_id is not None:
        student = await student_by_id(session, student_id)
        school_class = await session.get(SchoolClass, student.class_id) if student.class_id else None
        header = replace(header, student=student.full_name, class_name=school_class.name if school_class else "")
        subjects = list(
            await session.scalars(
                select(Subject.name)
                .join(TeachingAssignment, TeachingAssignment.subject_id == Subject.id)
                .where(TeachingAssignment.staff_id == staff_id, TeachingAssignment.class_id == student.class_id)
                .distinct()
                .order_by(Subject.name)
            )
        )
        if school_class is not None and school_class.homeroom_teacher_id == staff_id:
            header = replace(header, role="homeroom")
        elif subjects:
            header = replace(header, role="teacher", subjects=", ".join(subjects))
    return header


async def parent_header(session: AsyncSession, actor: Actor, student_id: int, *, reply: bool = False) -> MessageHeader:
    parent_name = await session.scalar(
        select(Parent.full_name)
        .join(ParentStudent, ParentStudent.parent_id == Parent.id)
        .where(ParentStudent.student_id == student_id, Parent.id.in_(actor.parent_ids))
        .order_by(Parent.id)
        .limit(1)
    )
    student = await student_by_id(session, student_id)
    school_class = await session.get(SchoolClass, student.class_id) if student.class_id else None
    return MessageHeader(
        "parent", parent_name or "", "↩️" if reply else "✉️", student.full_name, school_class.name if school_class else ""
    )


async def staff_accounts(session: AsyncSession, staff_id: int) -> list[Account]:
    return list(
        await session.scalars(
            select(Account)
            .join(AccountBinding, AccountBinding.account_id == Account.id)
            .where(
                AccountBinding.person_kind == PersonKind.STAFF,
                AccountBinding.person_id == staff_id,
                AccountBinding.revoked_at.is_(None),
                Account.active.is_(True),
            )
            .distinct()
        )
    )


async def student_by_id(session: AsyncSession, student_id: int) -> Student:
    student = await session.get(Student, student_id)
    if student is None:
        raise NotFound("error-student-not-found")
    return student
