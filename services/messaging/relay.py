"""/write: a message passed on in each allowed direction (services.messaging.directions), and each answer
back to whoever wrote. Each copy is kept (RelayedMessage) and goes out through the outbox; a family's
message to staff is held to MESSAGE_RATE_PER_HOUR and waits out the staff member's hours off work
(services.messaging.limits); a recipient who muted the sender gets nothing (services.messaging.mutes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Account,
    AccountBinding,
    ChatMessageLink,
    Conversation,
    ConversationKind,
    PersonKind,
    RelayedMessage,
    Student,
    StudentStatus,
    utcnow,
)
from services.actor import Actor
from services.errors import AccessDenied, DomainError
from services.messaging import directions
from services.messaging.broadcasts import Audience, audience_accounts
from services.messaging.content import TEXT_LIMIT, Content
from services.messaging.headers import parent_header, pupil_header, staff_header
from services.messaging.limits import ConversationRules, delivered_at, ensure_within_rate, is_family
from services.messaging.mutes import unmuted
from services.names import gender_of
from services.notices import MessageHeader, Relay
from services.outbox import enqueue
from services.outbox.recipients import family_accounts

__all__ = ["TEXT_LIMIT", "Content", "Relayed"]


@dataclass(frozen=True)
class Relayed:
    conversation_id: int
    recipients: int
    delivered_at: dt.datetime | None = None  # a staff member off work reads it then (UTC); None: at once


# --- staff → families ------------------------------------------------------------------------------


async def write_to_parents(
    session: AsyncSession,
    actor: Actor,
    student_id: int,
    content: Content,
    rules: ConversationRules,
    now: dt.datetime | None = None,
) -> Relayed:
    """A staff member writes to the parents of one pupil of a class they lead or teach (or, the deputy,
    director and administrator, of any class)."""
    await directions.ensure_staff_may_write_about(session, actor, student_id)
    recipients = await family_accounts(session, student_id)
    if not recipients:
        raise DomainError("write-error-no-parents")
    return await _start(session, actor, ConversationKind.FAMILY, recipients, content, rules, now, student_id=student_id)


async def write_to_pupil(
    session: AsyncSession,
    actor: Actor,
    student_id: int,
    content: Content,
    rules: ConversationRules,
    now: dt.datetime | None = None,
) -> Relayed:
    """A staff member writes to one pupil of a class they lead or teach."""
    await directions.ensure_staff_may_write_about(session, actor, student_id)
    recipients = await directions.pupil_accounts(session, student_id)
    if not recipients:
        raise DomainError("write-error-pupil-not-connected")
    return await _start(session, actor, ConversationKind.PUPIL, recipients, content, rules, now, student_id=student_id)


async def write_to_class_parents(
    session: AsyncSession,
    actor: Actor,
    class_id: int,
    content: Content,
    rules: ConversationRules,
    now: dt.datetime | None = None,
) -> Relayed:
    """A teacher writes to all the parents of a class they lead or teach; each may answer."""
    directions.ensure_staff(actor)
    await directions.ensure_writable_class(session, actor, class_id)
    recipients = [
        a for a in await audience_accounts(session, Audience.CLASS_PARENTS, class_id) if a.id != actor.account_id
    ]
    if not recipients:
        raise DomainError("write-error-no-class-parents")
    return await _start(session, actor, ConversationKind.CLASS, recipients, content, rules, now, class_id=class_id)


# --- families → staff, staff → staff ------------------------------------------------------------


async def write_to_staff(
    session: AsyncSession,
    actor: Actor,
    student_id: int,
    staff_id: int,
    content: Content,
    rules: ConversationRules,
    now: dt.datetime | None = None,
) -> Relayed:
    """A parent (about their child) or a pupil writes to one of their contacts."""
    if actor.account_id is None:
        raise AccessDenied("error-access-denied")
    contact = await directions.ensure_contact(session, actor, student_id, staff_id)
    recipients = await directions.staff_accounts(session, staff_id)
    if not recipients:
        raise DomainError("write-error-not-connected", name=contact.name, gender=gender_of(contact.name))
    if student_id in actor.children_ids:
        header = await parent_header(session, actor, student_id)
        kind = ConversationKind.FAMILY
    else:
        header, kind = await pupil_header(session, student_id), ConversationKind.PUPIL
    conversation = _conversation(actor, kind, now, student_id=student_id)
    return await _send(session, actor, conversation, recipients, header, content, rules, conversation.created_at)


async def write_to_colleague(
    session: AsyncSession,
    actor: Actor,
    staff_id: int,
    content: Content,
    rules: ConversationRules,
    now: dt.datetime | None = None,
) -> Relayed:
    """Staff to staff: a teacher to a deputy, a deputy to a teacher, the director to anyone."""
    directions.ensure_staff(actor)
    contact = await directions.ensure_colleague(session, actor, staff_id)
    recipients = await directions.staff_accounts(session, staff_id)
    if not recipients:
        raise DomainError("write-error-not-connected", name=contact.name, gender=gender_of(contact.name))
    return await _start(session, actor, ConversationKind.STAFF, recipients, content, rules, now)


# --- answers ---------------------------------------------------------------------------------------


async def reply(
    session: AsyncSession,
    actor: Actor,
    relayed_id: int,
    content: Content,
    rules: ConversationRules,
    now: dt.datetime | None = None,
) -> Relayed:
    """An answer to a relayed message goes back to whoever sent it."""
    original = await session.get(RelayedMessage, relayed_id)
    if original is None or actor.account_id is None or original.recipient_account_id != actor.account_id:
        raise AccessDenied("write-error-not-yours")
    conversation = await session.get(Conversation, original.conversation_id)
    assert conversation is not None
    target = await session.get(Account, original.sender_account_id)
    if target is None or not target.active:
        raise DomainError("write-error-recipient-gone")
    header = await _answer_header(session, actor, conversation)
    return await _send(session, actor, conversation, [target], header, content, rules, now or utcnow())


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


async def _answer_header(session: AsyncSession, actor: Actor, conversation: Conversation) -> MessageHeader:
    """Who answers, in the thread's terms: the parent or pupil it is about, else a staff member."""
    student_id = conversation.student_id
    if conversation.kind == ConversationKind.CLASS and actor.children_ids:
        student_id = await session.scalar(
            select(Student.id)
            .where(
                Student.id.in_(actor.children_ids),
                Student.class_id == conversation.class_id,
                Student.status == StudentStatus.STUDYING,
            )
            .order_by(Student.full_name)
            .limit(1)
        )
    if student_id is not None and student_id in actor.children_ids:
        return await parent_header(session, actor, student_id, reply=True)
    if student_id is not None and student_id == actor.student_id:
        return await pupil_header(session, student_id, reply=True)
    if actor.staff_id is not None:
        return await staff_header(
            session,
            actor.staff_id,
            ConversationKind(conversation.kind),
            student_id=conversation.student_id,
            class_id=conversation.class_id,
            reply=True,
        )
    raise AccessDenied("write-error-not-yours")


# --- passing it on ------------------------------------------------------------------------------


async def _start(
    session: AsyncSession,
    actor: Actor,
    kind: ConversationKind,
    recipients: list[Account],
    content: Content,
    rules: ConversationRules,
    now: dt.datetime | None,
    *,
    student_id: int | None = None,
    class_id: int | None = None,
) -> Relayed:
    """A staff member's new thread, and its first message."""
    assert actor.staff_id is not None
    conversation = _conversation(actor, kind, now, student_id=student_id, class_id=class_id)
    header = await staff_header(session, actor.staff_id, kind, student_id=student_id, class_id=class_id)
    return await _send(session, actor, conversation, recipients, header, content, rules, conversation.created_at)


def _conversation(
    actor: Actor,
    kind: ConversationKind,
    now: dt.datetime | None,
    *,
    student_id: int | None = None,
    class_id: int | None = None,
) -> Conversation:
    """A new thread (added to the session once its first message passes the checks)."""
    assert actor.account_id is not None
    return Conversation(
        started_by_account_id=actor.account_id,
        kind=kind,
        student_id=student_id,
        class_id=class_id,
        created_at=now or utcnow(),
    )


async def _send(
    session: AsyncSession,
    actor: Actor,
    conversation: Conversation,
    recipients: list[Account],
    header: MessageHeader,
    content: Content,
    rules: ConversationRules,
    now: dt.datetime,
) -> Relayed:
    """Checked content, to the recipients who haven't muted the sender; a family's message to staff
    within the hour's limit, each copy waiting for the end of its reader's hours off work."""
    assert actor.account_id is not None
    content = content.checked()
    recipients = await unmuted(session, actor.account_id, recipients, now)
    staff = await _staff_account_ids(session, [a.id for a in recipients])
    if staff:
        await ensure_within_rate(session, actor, rules, now)
    if conversation.id is None:
        session.add(conversation)
        await session.flush()
    latest: dt.datetime | None = None
    for account in recipients:
        working_hours = account.id in staff and is_family(actor)
        at = delivered_at(actor, account, rules, now) if working_hours else None
        relayed = RelayedMessage(
            conversation_id=conversation.id,
            sender_account_id=actor.account_id,
            recipient_account_id=account.id,
            content_type=content.content_type,
            text=content.text,
            file_id=content.file_id,
            created_at=now,
        )
        session.add(relayed)
        await session.flush()
        notice = Relay(relayed.id, header, content.text, content.content_type, content.file_id)
        row = enqueue(
            session,
            account,
            notice,
            source_entity="relayed_message",
            source_id=relayed.id,
            now=now,
            delay=(at - now) if at else dt.timedelta(0),
            working_hours=working_hours,
        )
        await session.flush()
        relayed.outbox_id = row.id
        latest = max(latest, at) if latest and at else (at or latest)
    await session.flush()
    return Relayed(conversation.id, len(recipients), latest)


async def _staff_account_ids(session: AsyncSession, account_ids: list[int]) -> set[int]:
    return set(
        await session.scalars(
            select(AccountBinding.account_id).where(
                AccountBinding.account_id.in_(account_ids),
                AccountBinding.person_kind == PersonKind.STAFF,
                AccountBinding.revoked_at.is_(None),
            )
        )
    )
