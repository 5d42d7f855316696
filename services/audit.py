"""The append-only audit trail of the journal: who changed what, when, from what to what, and why."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditAction, AuditEntry, utcnow
from services.actor import Actor


def record_change(
    session: AsyncSession,
    actor: Actor,
    *,
    entity: str,
    entity_id: int,
    action: AuditAction,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str = "",
    student_id: int | None = None,
    lesson_id: int | None = None,
) -> AuditEntry:
    """Adds the entry to the session: it commits (or rolls back) together with the change itself."""
    entry = AuditEntry(
        entity=entity,
        entity_id=entity_id,
        action=action,
        before=before,
        after=after,
        reason=reason,
        student_id=student_id,
        lesson_id=lesson_id,
        actor_staff_id=actor.staff_id,
        actor_account_id=actor.account_id,
    )
    session.add(entry)
    return entry


async def record_changes(session: AsyncSession, actor: Actor, changes: list[dict[str, Any]]) -> None:
    """Many entries in one statement (a whole typed line), each dict holding record_change's keywords.

    One executemany instead of one INSERT per entry: on SQLite every statement is a round trip to
    the driver's thread, and a 30-student line would otherwise spend most of its time here.
    """
    if changes:
        who = {"actor_staff_id": actor.staff_id, "actor_account_id": actor.account_id}
        await session.execute(
            insert(AuditEntry),
            [
                {"reason": "", "student_id": None, "lesson_id": None, **change, **who, "at": utcnow()}
                for change in changes
            ],
        )


async def history_of(session: AsyncSession, *, student_id: int, lesson_id: int | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.student_id == student_id)
    if lesson_id is not None:
        query = query.where(AuditEntry.lesson_id == lesson_id)
    return list(await session.scalars(query.order_by(AuditEntry.at, AuditEntry.id)))
