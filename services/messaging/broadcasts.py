"""/broadcast: announcements to a class's families, a parallel's parents, the staff or the whole school,
and what became of each copy (delivered, pending, blocked, failed, read).

Who may announce to whom: a class teacher to their class's parents, pupils or both; the deputy and the
director to any class's parents and to a parallel's; they and the administrator to the staff and the
whole school."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Account,
    AccountBinding,
    Broadcast,
    BroadcastReceipt,
    DeliveryMode,
    NotificationKind,
    OutboxMessage,
    OutboxState,
    ParentStudent,
    PersonKind,
    SchoolClass,
    Staff,
    Student,
    StudentStatus,
    utcnow,
)
from services.access import ensure_homeroom_of
from services.actor import Actor, Role
from services.errors import AccessDenied, NotFound, ValidationFailed
from services.messaging.content import TEXT_LIMIT
from services.notices import BroadcastCopy
from services.outbox import enqueue
from services.outbox.recipients import delivery_modes
from services.school_reference import school_reference
from services.school_years import in_current_year

ADMINISTRATION = (Role.DEPUTY, Role.DIRECTOR)  # any class's parents, a parallel's parents
SCHOOL_WIDE = (Role.ADMIN, Role.DEPUTY, Role.DIRECTOR)  # the staff, the whole school


class Audience(str, enum.Enum):
    CLASS_PARENTS = "class_parents"
    CLASS_STUDENTS = "class_students"
    CLASS_ALL = "class_all"
    PARALLEL_PARENTS = "parallel_parents"
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
    grade: int | None = None  # PARALLEL_PARENTS


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
    """The class teacher: their class's parents, students or both; the deputy and director: then every
    other class's parents and each parallel's; they and the administrator: the staff or the whole school."""
    choices: list[AudienceChoice] = []
    classes = sorted((await school_reference(session)).current_classes(), key=lambda c: (c.grade, c.name))
    for school_class in classes:
        if school_class.id in actor.homeroom_class_ids:
            choices += [
                AudienceChoice(audience, school_class.id, school_class.name)
                for audience in (Audience.CLASS_PARENTS, Audience.CLASS_STUDENTS, Audience.CLASS_ALL)
            ]
    if actor.has(*ADMINISTRATION):
        choices += [
            AudienceChoice(Audience.CLASS_PARENTS, c.id, c.name)
            for c in classes
            if c.id not in actor.homeroom_class_ids
        ]
        grades = sorted({c.grade for c in classes})
        choices += [AudienceChoice(Audience.PARALLEL_PARENTS, None, None, grade) for grade in grades]
    if actor.has(*SCHOOL_WIDE):
        choices += [AudienceChoice(Audience.STAFF, None, None), AudienceChoice(Audience.SCHOOL, None, None)]
    return choices


async def ensure_may_broadcast(
    session: AsyncSession, actor: Actor, audience: Audience, class_id: int | None, grade: int | None = None
) -> None:
    """Refused unless the actor may announce to `audience` (of `class_id`, or of the parallel `grade`)."""
    if audience == Audience.PARALLEL_PARENTS:
        if not actor.has(*ADMINISTRATION):
            raise AccessDenied("broadcast-error-parallel")
        if grade not in {c.grade for c in (await school_reference(session)).current_classes()}:
            raise ValidationFailed("broadcast-error-no-parallel")
    elif audience.for_class:
        if class_id is None:
            raise ValidationFailed("broadcast-error-no-class")
        if audience != Audience.CLASS_PARENTS or not actor.has(*ADMINISTRATION):
            ensure_homeroom_of(actor, class_id)
        elif class_id not in {c.id for c in (await school_reference(session)).current_classes()}:
            raise ValidationFailed("broadcast-error-no-class")
    elif not actor.has(*SCHOOL_WIDE):
        raise AccessDenied("broadcast-error-school-wide")


async def audience_accounts(
    session: AsyncSession, audience: Audience, class_id: int | None, grade: int | None = None
) -> list[Account]:
    """Everyone the audience reaches, once each (a teacher who is also a parent gets one copy)."""
    studying = select(Student.id).where(Student.status == StudentStatus.STUDYING)
    if audience.for_class:
        studying = studying.where(Student.class_id == class_id)
    elif audience == Audience.PARALLEL_PARENTS:
        parallel = select(SchoolClass.id).where(in_current_year(), SchoolClass.grade == grade)
        studying = studying.where(Student.class_id.in_(parallel))
    bound: list = []
    if audience in (Audience.CLASS_PARENTS, Audience.CLASS_ALL, Audience.PARALLEL_PARENTS, Audience.SCHOOL):
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


async def count_audience(
    session: AsyncSession, actor: Actor, audience: Audience, class_id: int | None, grade: int | None = None
) -> int:
    await ensure_may_broadcast(session, actor, audience, class_id, grade)
    return len([a for a in await audience_accounts(session, audience, class_id, grade) if a.id != actor.account_id])


async def send_broadcast(
    session: AsyncSession,
    actor: Actor,
    audience: Audience,
    class_id: int | None,
    text: str,
    now: dt.datetime | None = None,
    *,
    grade: int | None = None,
) -> Broadcast:
    await ensure_may_broadcast(session, actor, audience, class_id, grade)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("write-error-empty")
    if len(text) > TEXT_LIMIT:
        raise ValidationFailed("write-error-too-long", limit=TEXT_LIMIT)
    assert actor.account_id is not None
    now = now or utcnow()
    broadcast = Broadcast(
        sender_account_id=actor.account_id,
        audience=audience.value,
        class_id=class_id,
        grade=grade if audience == Audience.PARALLEL_PARENTS else None,
        text=text,
        created_at=now,
    )
    session.add(broadcast)
    await session.flush()
    notice = replace(await sender_label(session, actor, audience, class_id), broadcast_id=broadcast.id, text=text)
    accounts = [a for a in await audience_accounts(session, audience, class_id, grade) if a.id != actor.account_id]
    modes = await delivery_modes(session, [a.id for a in accounts], None, NotificationKind.ANNOUNCEMENTS)
    for account in accounts:
        receipt = BroadcastReceipt(broadcast_id=broadcast.id, account_id=account.id)
        session.add(receipt)
        mode = modes[account.id]
        if mode == DeliveryMode.OFF:
            continue
        row = enqueue(
            session,
            account,
            notice,
            digest=mode == DeliveryMode.DIGEST,
            source_entity="broadcast",
            source_id=broadcast.id,
            now=now,
        )
        await session.flush()
        receipt.outbox_id = row.id
    await session.flush()
    return broadcast


async def sender_label(session: AsyncSession, actor: Actor, audience: Audience, class_id: int | None) -> BroadcastCopy:
    """An announcement of the actor's to `audience`, without its text yet: who it is from — the class
    teacher of their class, else the director, a deputy or the administration."""
    name = (await session.get(Staff, actor.staff_id)).full_name if actor.staff_id else ""
    if audience.for_class and class_id in actor.homeroom_class_ids:
        school_class = await session.get(SchoolClass, class_id)
        return BroadcastCopy(sender=name, role="homeroom", class_name=school_class.name if school_class else "")
    role = next((role for role in (Role.DIRECTOR, Role.DEPUTY) if actor.has(role)), "admin")
    return BroadcastCopy(sender=name, role=role)


async def broadcast_report(session: AsyncSession, actor: Actor, broadcast_id: int) -> BroadcastReport:
    """Delivered, still pending, blocked (the recipient blocked the bot), failed, read — for the sender."""
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise NotFound("broadcast-error-not-found")
    if broadcast.sender_account_id != actor.account_id and not actor.has(Role.ADMIN):
        raise AccessDenied("broadcast-error-not-yours")
    rows = list(
        await session.execute(
            select(BroadcastReceipt.read_at, OutboxMessage.state, OutboxMessage.last_error)
            .outerjoin(OutboxMessage, OutboxMessage.id == BroadcastReceipt.outbox_id)
            .where(BroadcastReceipt.broadcast_id == broadcast_id)
        )
    )
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
    return list(
        await session.scalars(
            select(Broadcast)
            .where(Broadcast.sender_account_id == actor.account_id)
            .order_by(Broadcast.id.desc())
            .limit(limit)
        )
    )


async def mark_read(session: AsyncSession, actor: Actor, broadcast_id: int, now: dt.datetime | None = None) -> bool:
    """«Принято к сведению»: True the first time, False when already noted."""
    receipt = await session.scalar(
        select(BroadcastReceipt).where(
            BroadcastReceipt.broadcast_id == broadcast_id, BroadcastReceipt.account_id == actor.account_id
        )
    )
    if receipt is None:
        raise AccessDenied("broadcast-error-not-yours")
    if receipt.read_at is not None:
        return False
    receipt.read_at = now or utcnow()
    await session.flush()
    return True
