"""Rows for one account (messages, broadcasts, answers, staff notices) and for many at once (a job's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models import Account, OutboxMessage, OutboxState, utcnow
from services.notices import Notice, payload_of
from services.outbox.recipients import Recipient

# Payload key: a family's message to a staff member. Its not_before already waits out the staff member's
# hours off work (services.messaging.limits), which stand in for their quiet hours: the worker doesn't
# hold it again until the end of those (a teacher who works until 23:00 reads it at 22:00).
WORKING_HOURS_FLAG = "working_hours"


def enqueue(
    session: AsyncSession,
    account: Account,
    notice: Notice,
    *,
    digest: bool = False,
    group_key: str | None = None,
    source_entity: str | None = None,
    source_id: int | None = None,
    now: dt.datetime | None = None,
    delay: dt.timedelta = dt.timedelta(0),
    working_hours: bool = False,
) -> OutboxMessage:
    """One row for one account (messages, broadcasts, answers): the caller flushes and commits. With
    `working_hours`, `delay` is the recipient's hours off work, and their quiet hours don't apply."""
    values = new_row_values(
        Recipient(account.id, account.chat_id, False),
        notice,
        digest,
        group_key,
        source_entity,
        source_id,
        now or utcnow(),
        delay,
    )
    if working_hours:
        values["payload"][WORKING_HOURS_FLAG] = True
    row = OutboxMessage(**values)
    session.add(row)
    return row


class NoticeQueue:
    """Notices for many readers (a scheduled job's), written to the outbox in one statement."""

    def __init__(self) -> None:
        self._rows: list[dict[str, Any]] = []

    def add(self, account: Account, notice: Notice) -> None:
        self._rows.append(
            new_row_values(Recipient(account.id, account.chat_id, False), notice, False, None, None, None, utcnow())
        )

    async def write(self, session: AsyncSession) -> int:
        """Inserts everything added; returns the number of notices."""
        if self._rows:
            await session.execute(OutboxMessage.__table__.insert(), self._rows)
        return len(self._rows)


def new_row_values(
    recipient: Recipient,
    notice: Notice,
    digest: bool,
    group_key: str | None,
    source_entity: str | None,
    source_id: int | None,
    now: dt.datetime,
    delay: dt.timedelta = dt.timedelta(0),
) -> dict[str, Any]:
    return dict(
        kind=notice.KIND,
        account_id=recipient.account_id,
        chat_id=recipient.chat_id,
        payload=payload_of(notice, digest=digest),
        group_key=group_key,
        source_entity=source_entity,
        source_id=source_id,
        state=OutboxState.PENDING,
        created_at=now,
        not_before=now + delay,
        attempts=0,
        last_error="",
    )
