"""The bot as a relay between school and home: /write conversations, /broadcast announcements, and a
parent's answer to an absence notice.

Nobody learns anybody's Telegram identity: a relayed copy names the sender only as the school knows
them (the staff member's or parent's name and role). Every message goes through the outbox and is
kept (Conversation, RelayedMessage, Broadcast, BroadcastReceipt): they are school records.
"""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Account,
    AccountBinding,
    Attendance,
    Broadcast,
    BroadcastReceipt,
    ChatMessageLink,
    Conversation,
    DeliveryMode,
    ExplanationProposal,
    Lesson,
    NotificationKind,
    OutboxMessage,
    OutboxState,
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
from services.access import ensure_can_read_student, ensure_homeroom_of
from services.actor import Actor, Role
from services.errors import AccessDenied, DomainError, NotFound, ValidationFailed
from services.notices import BroadcastCopy, Explanation, MessageHeader, Relay
from services.outbox import enqueue
from services.outbox.recipients import delivery_modes, family_accounts

CONTENT_TYPES = ("text", "photo", "document")
TEXT_LIMIT = 3500          # leaves room for the header within Telegram's 4096
ABSENCE_ANSWERS = ("ill", "excused", "unknown")


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
    student = await _student(session, student_id)
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
    names = dict((sid, name) for sid, name in await session.execute(
        select(Staff.id, Staff.full_name).where(Staff.id.in_(staff_ids), Staff.active.is_(True))
    ))
    return [
        Contact(sid, names[sid], sid == homeroom_id, tuple(subjects.get(sid, ())))
        for sid in staff_ids if sid in names
    ]


async def writable_classes(session: AsyncSession, actor: Actor) -> list[SchoolClass]:
    """Classes whose families a staff member may write to: led or taught; the whole school for the
    deputy, director and administrator."""
    if actor.staff_id is None:
        return []
    query = select(SchoolClass).order_by(SchoolClass.grade, SchoolClass.name)
    if not actor.sees_whole_school:
        taught = select(TeachingAssignment.class_id).where(TeachingAssignment.staff_id == actor.staff_id)
        query = query.where(SchoolClass.id.in_(taught) | SchoolClass.id.in_(actor.homeroom_class_ids))
    return list(await session.scalars(query))


async def class_students(session: AsyncSession, actor: Actor, class_id: int) -> list[Student]:
    if class_id not in {c.id for c in await writable_classes(session, actor)}:
        raise AccessDenied("error-not-your-class")
    return list(await session.scalars(
        select(Student).where(Student.class_id == class_id, Student.status == StudentStatus.STUDYING)
        .order_by(Student.full_name, Student.id)
    ))


# --- /write ------------------------------------------------------------------------------------

async def write_to_parents(session: AsyncSession, actor: Actor, student_id: int, content: Content,
                           now: dt.datetime | None = None) -> Relayed:
    """A staff member writes to the parents of one student."""
    if actor.staff_id is None or actor.account_id is None:
        raise AccessDenied("error-access-denied")
    await ensure_can_read_student(session, actor, student_id)
    content = content.checked()
    recipients = await family_accounts(session, student_id)
    if not recipients:
        raise DomainError("write-error-no-parents")
    conversation = Conversation(started_by_account_id=actor.account_id, student_id=student_id, created_at=now or utcnow())
    session.add(conversation)
    await session.flush()
    header = await _staff_header(session, actor.staff_id, student_id)
    await _relay(session, conversation, actor.account_id, recipients, header, content, now)
    return Relayed(conversation.id, len(recipients))


async def write_to_staff(session: AsyncSession, actor: Actor, student_id: int, staff_id: int, content: Content,
                         now: dt.datetime | None = None) -> Relayed:
    """A parent writes to their child's class teacher or to a teacher of the child's class."""
    if actor.account_id is None:
        raise AccessDenied("error-access-denied")
    contacts = await contacts_for_child(session, actor, student_id)
    if staff_id not in {contact.staff_id for contact in contacts}:
        raise AccessDenied("write-error-not-a-contact")
    content = content.checked()
    recipients = await _staff_accounts(session, staff_id)
    if not recipients:
        raise DomainError("write-error-not-connected", name=next(c.name for c in contacts if c.staff_id == staff_id))
    conversation = Conversation(started_by_account_id=actor.account_id, student_id=student_id, created_at=now or utcnow())
    session.add(conversation)
    await session.flush()
    header = await _parent_header(session, actor, student_id)
    await _relay(session, conversation, actor.account_id, recipients, header, content, now)
    return Relayed(conversation.id, len(recipients))


async def reply(session: AsyncSession, actor: Actor, relayed_id: int, content: Content,
                now: dt.datetime | None = None) -> Relayed:
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
        header = await _parent_header(session, actor, student_id, reply=True)
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
        .where(ChatMessageLink.chat_id == chat_id, ChatMessageLink.message_id == message_id,
               RelayedMessage.recipient_account_id == actor.account_id)
    )
    return found


async def _relay(session: AsyncSession, conversation: Conversation, sender_account_id: int, recipients: list[Account],
                 header: MessageHeader, content: Content, now: dt.datetime | None) -> None:
    for account in recipients:
        relayed = RelayedMessage(
            conversation_id=conversation.id, sender_account_id=sender_account_id, recipient_account_id=account.id,
            content_type=content.content_type, text=content.text, file_id=content.file_id, created_at=now or utcnow(),
        )
        session.add(relayed)
        await session.flush()
        notice = Relay(relayed.id, header, content.text, content.content_type, content.file_id)
        row = enqueue(session, account, notice, source_entity="relayed_message", source_id=relayed.id, now=now)
        await session.flush()
        relayed.outbox_id = row.id
    await session.flush()


async def _staff_header(session: AsyncSession, staff_id: int, student_id: int | None, *,
                        reply: bool = False) -> MessageHeader:
    staff = await session.get(Staff, staff_id)
    assert staff is not None
    header = MessageHeader("school", staff.full_name, "↩️" if reply else "✉️")
    if student_id is not None:
        student = await _student(session, student_id)
        school_class = await session.get(SchoolClass, student.class_id) if student.class_id else None
        header = replace(header, student=student.full_name, class_name=school_class.name if school_class else "")
        subjects = list(await session.scalars(
            select(Subject.name).join(TeachingAssignment, TeachingAssignment.subject_id == Subject.id)
            .where(TeachingAssignment.staff_id == staff_id, TeachingAssignment.class_id == student.class_id)
            .distinct().order_by(Subject.name)
        ))
        if school_class is not None and school_class.homeroom_teacher_id == staff_id:
            header = replace(header, role="homeroom")
        elif subjects:
            header = replace(header, role="teacher", subjects=", ".join(subjects))
    return header


async def _parent_header(session: AsyncSession, actor: Actor, student_id: int, *,
                         reply: bool = False) -> MessageHeader:
    parent_name = await session.scalar(
        select(Parent.full_name).join(ParentStudent, ParentStudent.parent_id == Parent.id)
        .where(ParentStudent.student_id == student_id, Parent.id.in_(actor.parent_ids)).order_by(Parent.id).limit(1)
    )
    student = await _student(session, student_id)
    school_class = await session.get(SchoolClass, student.class_id) if student.class_id else None
    return MessageHeader("parent", parent_name or "", "↩️" if reply else "✉️", student.full_name,
                         school_class.name if school_class else "")


async def _staff_accounts(session: AsyncSession, staff_id: int) -> list[Account]:
    return list(await session.scalars(
        select(Account).join(AccountBinding, AccountBinding.account_id == Account.id)
        .where(AccountBinding.person_kind == PersonKind.STAFF, AccountBinding.person_id == staff_id,
               AccountBinding.revoked_at.is_(None), Account.active.is_(True))
        .distinct()
    ))


async def _student(session: AsyncSession, student_id: int) -> Student:
    student = await session.get(Student, student_id)
    if student is None:
        raise NotFound("error-student-not-found")
    return student


# --- /broadcast ----------------------------------------------------------------------------------

class Audience(str, enum.Enum):
    CLASS_PARENTS = "class_parents"
    CLASS_STUDENTS = "class_students"
    CLASS_ALL = "class_all"
    STAFF = "staff"
    SCHOOL = "school"

    @property
    def for_class(self) -> bool:
        return self in (Audience.CLASS_PARENTS, Audience.CLASS_STUDENTS, Audience.CLASS_ALL)


@dataclass(frozen=True)
class AudienceChoice:
    audience: Audience
    class_id: int | None
    class_name: str | None


@dataclass(frozen=True)
class BroadcastReport:
    broadcast_id: int
    total: int
    delivered: int
    pending: int
    blocked: int
    failed: int
    read: int
    off: int = 0  # recipients who switched announcements off


async def audience_choices(session: AsyncSession, actor: Actor) -> list[AudienceChoice]:
    """The class teacher: their class's parents, students or both; administrator and director: the
    staff or the whole school."""
    choices: list[AudienceChoice] = []
    for school_class in await session.scalars(
        select(SchoolClass).where(SchoolClass.id.in_(actor.homeroom_class_ids)).order_by(SchoolClass.grade, SchoolClass.name)
    ):
        choices += [AudienceChoice(audience, school_class.id, school_class.name)
                    for audience in (Audience.CLASS_PARENTS, Audience.CLASS_STUDENTS, Audience.CLASS_ALL)]
    if actor.has(Role.ADMIN, Role.DIRECTOR):
        choices += [AudienceChoice(Audience.STAFF, None, None), AudienceChoice(Audience.SCHOOL, None, None)]
    return choices


def ensure_may_broadcast(actor: Actor, audience: Audience, class_id: int | None) -> None:
    if audience.for_class:
        if class_id is None:
            raise ValidationFailed("broadcast-error-no-class")
        ensure_homeroom_of(actor, class_id)
    elif not actor.has(Role.ADMIN, Role.DIRECTOR):
        raise AccessDenied("broadcast-error-school-wide")


async def audience_accounts(session: AsyncSession, audience: Audience, class_id: int | None) -> list[Account]:
    """Everyone the audience reaches, once each (a teacher who is also a parent gets one copy)."""
    studying = select(Student.id).where(Student.status == StudentStatus.STUDYING)
    if audience.for_class:
        studying = studying.where(Student.class_id == class_id)
    bound: list = []
    if audience in (Audience.CLASS_PARENTS, Audience.CLASS_ALL, Audience.SCHOOL):
        parents = select(ParentStudent.parent_id).where(ParentStudent.student_id.in_(studying))
        bound.append((AccountBinding.person_kind == PersonKind.PARENT) & AccountBinding.person_id.in_(parents))
    if audience in (Audience.CLASS_STUDENTS, Audience.CLASS_ALL, Audience.SCHOOL):
        bound.append((AccountBinding.person_kind == PersonKind.STUDENT) & AccountBinding.person_id.in_(studying))
    if audience in (Audience.STAFF, Audience.SCHOOL):
        active_staff = select(Staff.id).where(Staff.active.is_(True))
        bound.append((AccountBinding.person_kind == PersonKind.STAFF) & AccountBinding.person_id.in_(active_staff))
    condition = bound[0]
    for extra in bound[1:]:
        condition = condition | extra
    ids = select(AccountBinding.account_id).where(AccountBinding.revoked_at.is_(None), condition)
    return list(await session.scalars(select(Account).where(Account.id.in_(ids)).order_by(Account.id)))


async def count_audience(session: AsyncSession, actor: Actor, audience: Audience, class_id: int | None) -> int:
    ensure_may_broadcast(actor, audience, class_id)
    return len([a for a in await audience_accounts(session, audience, class_id) if a.id != actor.account_id])


async def send_broadcast(session: AsyncSession, actor: Actor, audience: Audience, class_id: int | None, text: str,
                         now: dt.datetime | None = None) -> Broadcast:
    ensure_may_broadcast(actor, audience, class_id)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("write-error-empty")
    if len(text) > TEXT_LIMIT:
        raise ValidationFailed("write-error-too-long", limit=TEXT_LIMIT)
    assert actor.account_id is not None
    now = now or utcnow()
    broadcast = Broadcast(sender_account_id=actor.account_id, audience=audience.value, class_id=class_id, text=text,
                          created_at=now)
    session.add(broadcast)
    await session.flush()
    notice = replace(await sender_label(session, actor, audience, class_id), broadcast_id=broadcast.id, text=text)
    accounts = [a for a in await audience_accounts(session, audience, class_id) if a.id != actor.account_id]
    modes = await delivery_modes(session, [a.id for a in accounts], None, NotificationKind.ANNOUNCEMENTS)
    for account in accounts:
        receipt = BroadcastReceipt(broadcast_id=broadcast.id, account_id=account.id)
        session.add(receipt)
        mode = modes[account.id]
        if mode == DeliveryMode.OFF:
            continue
        row = enqueue(session, account, notice, digest=mode == DeliveryMode.DIGEST,
                      source_entity="broadcast", source_id=broadcast.id, now=now)
        await session.flush()
        receipt.outbox_id = row.id
    await session.flush()
    return broadcast


async def sender_label(session: AsyncSession, actor: Actor, audience: Audience, class_id: int | None) -> BroadcastCopy:
    """An announcement of the actor's to `audience`, without its text yet: who it is from."""
    name = (await session.get(Staff, actor.staff_id)).full_name if actor.staff_id else ""
    if audience.for_class:
        school_class = await session.get(SchoolClass, class_id)
        return BroadcastCopy(sender=name, role="homeroom", class_name=school_class.name if school_class else "")
    return BroadcastCopy(sender=name, role="director" if actor.has(Role.DIRECTOR) else "admin")


async def broadcast_report(session: AsyncSession, actor: Actor, broadcast_id: int) -> BroadcastReport:
    """Delivered, still pending, blocked (the recipient blocked the bot), failed, read — for the sender."""
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise NotFound("broadcast-error-not-found")
    if broadcast.sender_account_id != actor.account_id and not actor.has(Role.ADMIN):
        raise AccessDenied("broadcast-error-not-yours")
    rows = list(await session.execute(
        select(BroadcastReceipt.read_at, OutboxMessage.state, OutboxMessage.last_error)
        .outerjoin(OutboxMessage, OutboxMessage.id == BroadcastReceipt.outbox_id)
        .where(BroadcastReceipt.broadcast_id == broadcast_id)
    ))
    counts = {"delivered": 0, "pending": 0, "blocked": 0, "failed": 0, "off": 0}
    for _, state, error in rows:
        if state is None:
            counts["off"] += 1
        elif state == OutboxState.SENT:
            counts["delivered"] += 1
        elif state in (OutboxState.PENDING, OutboxState.SENDING):
            counts["pending"] += 1
        elif (error or "").startswith("blocked"):
            counts["blocked"] += 1
        else:
            counts["failed"] += 1
    return BroadcastReport(broadcast_id, len(rows), read=sum(1 for read_at, _, _ in rows if read_at), **counts)


async def recent_broadcasts(session: AsyncSession, actor: Actor, limit: int = 5) -> list[Broadcast]:
    return list(await session.scalars(
        select(Broadcast).where(Broadcast.sender_account_id == actor.account_id)
        .order_by(Broadcast.id.desc()).limit(limit)
    ))


async def mark_read(session: AsyncSession, actor: Actor, broadcast_id: int, now: dt.datetime | None = None) -> bool:
    """«Ознакомлен(а)»: True the first time, False when already noted."""
    receipt = await session.scalar(select(BroadcastReceipt).where(
        BroadcastReceipt.broadcast_id == broadcast_id, BroadcastReceipt.account_id == actor.account_id))
    if receipt is None:
        raise AccessDenied("broadcast-error-not-yours")
    if receipt.read_at is not None:
        return False
    receipt.read_at = now or utcnow()
    await session.flush()
    return True


# --- a parent's answer to an absence notice ------------------------------------------------------

async def propose_explanation(session: AsyncSession, actor: Actor, attendance_id: int, answer: str,
                              now: dt.datetime | None = None) -> ExplanationProposal:
    """Recorded as a proposal and passed to the class teacher; the attendance record is not touched."""
    if answer not in ABSENCE_ANSWERS or actor.account_id is None:
        raise ValidationFailed("explain-error-answer")
    attendance = await session.get(Attendance, attendance_id)
    if attendance is None or attendance.student_id not in actor.children_ids:
        raise AccessDenied("error-not-your-child")
    if attendance.deleted_at is not None:
        raise DomainError("explain-error-withdrawn")
    now = now or utcnow()
    proposal = await session.scalar(select(ExplanationProposal).where(
        ExplanationProposal.attendance_id == attendance_id, ExplanationProposal.account_id == actor.account_id,
        ExplanationProposal.resolved_at.is_(None)))
    if proposal is None:
        proposal = ExplanationProposal(attendance_id=attendance_id, account_id=actor.account_id, proposal=answer,
                                       created_at=now)
        session.add(proposal)
    else:
        proposal.proposal, proposal.created_at = answer, now
    await session.flush()
    await _tell_class_teacher(session, actor, attendance, answer, now)
    return proposal


async def _tell_class_teacher(session: AsyncSession, actor: Actor, attendance: Attendance, answer: str,
                              now: dt.datetime) -> None:
    lesson = await session.get(Lesson, attendance.lesson_id)
    student = await _student(session, attendance.student_id)
    school_class = await session.get(SchoolClass, student.class_id) if student.class_id else None
    if lesson is None or school_class is None or school_class.homeroom_teacher_id is None:
        return
    subject = await session.get(Subject, lesson.subject_id)
    parent = await _parent_header(session, actor, student.id)
    notice = Explanation(parent.sender, student.full_name, school_class.name, lesson.date, lesson.lesson_no,
                         subject.name if subject else "", answer)
    for account in await _staff_accounts(session, school_class.homeroom_teacher_id):
        enqueue(session, account, notice, source_entity="explanation_proposal", now=now)
    await session.flush()


