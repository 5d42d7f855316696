"""What the worker and /status read of the outbox: counts by state, the oldest pending row, failures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import OutboxMessage, OutboxState, utcnow


@dataclass(frozen=True)
class OutboxSummary:
    pending: int
    sending: int
    failed: int
    sent: int
    oldest_due: dt.datetime | None  # since when the longest-waiting row due now has been due


async def outbox_summary(session: AsyncSession, now: dt.datetime | None = None) -> OutboxSummary:
    """Counts by state, and when the oldest pending row that is due became due: rows held on purpose
    (a message until a teacher's working hours, notices until the end of quiet hours or the digest's
    time) wait from their `not_before`, so a night of them is no backlog."""
    counts = dict(
        (state, count)
        for state, count in await session.execute(
            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
        )
    )
    oldest = await session.scalar(
        select(func.min(OutboxMessage.not_before)).where(
            OutboxMessage.state == OutboxState.PENDING, OutboxMessage.not_before <= (now or utcnow())
        )
    )
    return OutboxSummary(
        pending=counts.get(OutboxState.PENDING.value, 0),
        sending=counts.get(OutboxState.SENDING.value, 0),
        failed=counts.get(OutboxState.FAILED.value, 0),
        sent=counts.get(OutboxState.SENT.value, 0),
        oldest_due=oldest,
    )


async def recent_failures(session: AsyncSession, limit: int = 20) -> list[OutboxMessage]:
    """Failed rows, newest first, with their error: what the administrator looks at."""
    return list(
        await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.FAILED)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )
