"""Writing notifications: rows in the outbox, in the same transaction as the change that causes them.

Delivery (the worker, grace windows, preferences, rate limits) belongs to the notification layer;
this module only decides who should hear about a student and records what happened.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Account, AccountBinding, OutboxMessage, ParentStudent, PersonKind, utcnow


async def family_accounts(session: AsyncSession, student_id: int) -> list[Account]:
    """Active accounts bound to the student's parents."""
    parent_ids = select(ParentStudent.parent_id).where(ParentStudent.student_id == student_id)
    return list(await session.scalars(
        select(Account)
        .join(AccountBinding, AccountBinding.account_id == Account.id)
        .where(
            AccountBinding.revoked_at.is_(None),
            AccountBinding.person_kind == PersonKind.PARENT,
            AccountBinding.person_id.in_(parent_ids),
            Account.active.is_(True),
        )
        .distinct()
    ))


async def notify_family(
    session: AsyncSession,
    student_id: int,
    kind: str,
    payload: dict[str, Any],
    *,
    source_entity: str | None = None,
    source_id: int | None = None,
    group_key: str | None = None,
    delay: dt.timedelta = dt.timedelta(0),
) -> list[OutboxMessage]:
    """One outbox row per parent account; nothing is sent here."""
    rows = [
        OutboxMessage(
            kind=kind, account_id=account.id, chat_id=account.chat_id, payload=payload,
            source_entity=source_entity, source_id=source_id, group_key=group_key,
            not_before=utcnow() + delay,
        )
        for account in await family_accounts(session, student_id)
    ]
    session.add_all(rows)
    return rows
