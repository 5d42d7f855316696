"""«Не получать неделю» under a relayed message: its recipient hears nothing more from its sender for a
week. When a parent is muted, the pupil's class teacher and the administrators are told. The sender is
only told that the message cannot be delivered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Account,
    AccountBinding,
    Conversation,
    ConversationMute,
    Parent,
    ParentStudent,
    PersonKind,
    RelayedMessage,
    SchoolClass,
    Staff,
    StaffRole,
    Student,
    StudentStatus,
)
from models.writing import begin_writing
from services.actor import Actor
from services.control_reports import accounts_with_role
from services.errors import AccessDenied, DomainError
from services.messaging.directions import staff_accounts, student_by_id
from services.outbox import enqueue
from services.school_clock import SchoolClock
from services.staff_notices import SenderMuted

MUTE_FOR = dt.timedelta(days=7)


@dataclass(frozen=True)
class Muted:
    until: dt.datetime
    told: int  # class teachers and administrators told of a parent muted


async def mute_sender(session: AsyncSession, actor: Actor, relayed_id: int, clock: SchoolClock) -> Muted:
    """The recipient of `relayed_id` mutes its sender for a week (again: the week starts anew); the
    day it ends is the school's (`clock`), as the notices say it."""
    now = clock.utcnow()
    original = await session.get(RelayedMessage, relayed_id)
    if original is None or actor.account_id is None or original.recipient_account_id != actor.account_id:
        raise AccessDenied("write-error-not-yours")
    await begin_writing(session, f"mute:{actor.account_id}")
    mute = await session.scalar(
        select(ConversationMute).where(
            ConversationMute.account_id == actor.account_id,
            ConversationMute.muted_account_id == original.sender_account_id,
        )
    )
    until = now + MUTE_FOR
    if mute is None:
        session.add(
            ConversationMute(
                account_id=actor.account_id, muted_account_id=original.sender_account_id, until=until, created_at=now
            )
        )
    else:
        mute.until = until
    await session.flush()
    conversation = await session.get(Conversation, original.conversation_id)
    assert conversation is not None
    told = await _tell_about_parent(
        session, actor, original.sender_account_id, conversation, clock.local(until).date(), now
    )
    return Muted(until, told)


async def unmuted(
    session: AsyncSession, sender_account_id: int, recipients: list[Account], now: dt.datetime
) -> list[Account]:
    """The recipients who have not muted the sender; DomainError when that leaves nobody."""
    if not recipients:
        return recipients
    muting = set(
        await session.scalars(
            select(ConversationMute.account_id).where(
                ConversationMute.muted_account_id == sender_account_id,
                ConversationMute.account_id.in_([a.id for a in recipients]),
                ConversationMute.until > now,
            )
        )
    )
    left = [account for account in recipients if account.id not in muting]
    if not left:
        raise DomainError("write-error-muted")
    return left


async def _tell_about_parent(
    session: AsyncSession,
    actor: Actor,
    sender_account_id: int,
    conversation: Conversation,
    until: dt.date,
    now: dt.datetime,
) -> int:
    """The class teacher of the pupil the thread is about (of the class, in a thread to a whole class),
    and the administrators, hear of a parent muted."""
    parent_ids = select(AccountBinding.person_id).where(
        AccountBinding.account_id == sender_account_id,
        AccountBinding.person_kind == PersonKind.PARENT,
        AccountBinding.revoked_at.is_(None),
    )
    query = select(Parent).where(Parent.id.in_(parent_ids)).order_by(Parent.id)
    student = class_name = None
    readers: dict[int, Account] = {}
    if conversation.student_id is not None:
        student = await student_by_id(session, conversation.student_id)
    elif conversation.class_id is not None:  # a teacher's message to the whole class: the parent's child in it
        student = await session.scalar(
            select(Student)
            .join(ParentStudent, ParentStudent.student_id == Student.id)
            .where(
                ParentStudent.parent_id.in_(parent_ids),
                Student.class_id == conversation.class_id,
                Student.status == StudentStatus.STUDYING,
            )
            .order_by(Student.full_name)
            .limit(1)
        )
    if student is not None:
        query = query.join(ParentStudent, ParentStudent.parent_id == Parent.id).where(
            ParentStudent.student_id == student.id
        )
    class_id = student.class_id if student is not None else conversation.class_id
    school_class = await session.get(SchoolClass, class_id) if class_id else None
    if school_class is not None:
        class_name = school_class.name
        if school_class.homeroom_teacher_id is not None:
            readers |= {a.id: a for a in await staff_accounts(session, school_class.homeroom_teacher_id)}
    parent = await session.scalar(query.limit(1))
    if parent is None:
        return 0  # a staff member or a pupil was muted
    readers |= {a.id: a for a in await accounts_with_role(session, StaffRole.ADMIN)}
    readers.pop(actor.account_id or 0, None)
    by = await session.get(Staff, actor.staff_id) if actor.staff_id else None
    notice = SenderMuted(
        parent=parent.full_name,
        by=by.full_name if by else "",
        student=student.full_name if student else "",
        class_name=class_name or "",
        until=until,
    )
    for account in readers.values():
        enqueue(session, account, notice, source_entity="conversation_mute", now=now)
    await session.flush()
    return len(readers)
