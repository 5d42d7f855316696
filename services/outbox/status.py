"""What the worker and /status read of the outbox: counts by state, the oldest pending row, failures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import OutboxMessage, OutboxState


@dataclass(frozen=True)
class OutboxSummary:
    pending: int
    sending: int
    failed: int
    sent: int
    oldest_pending: dt.datetime | None


async def outbox_summary(session: AsyncSession) -> OutboxSummary:
    """Counts by state and the oldest pending row (digest rows wait for their time on purpose)."""
    counts = dict(
        (state, count)
        for state, count in await session.execute(
            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
        )
    )
    oldest = await session.scalar(
        select(func.min(OutboxMessage.created_at)).where(OutboxMessage.state == OutboxState.PENDING)
    )
    return OutboxSummary(
        pending=counts.get(OutboxState.PENDING.value, 0),
        sending=counts.get(OutboxState.SENDING.value, 0),
        failed=counts.get(OutboxState.FAILED.value, 0),
        sent=counts.get(OutboxState.SENT.value, 0),
        oldest_pending=oldest,
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
