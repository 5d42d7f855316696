"""Which outbox rows a delivery worker may take, and how it holds them.

A worker claims a row by turning it `sending` with its owner id and a lease (`claimed_until`), and
renews the lease of all its rows while it works. A `sending` row is taken back by another worker only
once its lease has run out: a second worker never re-sends what the first one is sending, and the rows
of a worker killed mid-send go out again when their lease ends (only those whose request was on its
way at the kill can arrive twice).

On PostgreSQL the candidates are locked with FOR UPDATE SKIP LOCKED, so two workers claim different
rows without waiting for each other; on SQLite writes go one at a time. Either way the claiming UPDATE
re-checks each row and returns the ids it got. Leases are read against the workers' own clocks: hosts
that share a database keep them in step (NTP), far closer than a lease is long.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Account, OutboxMessage, OutboxState
from services.notices import ABSENCE, DIGEST_FLAG
from services.outbox.grace import ABSENCE_GRACE_KINDS, MARK_GRACE_KINDS
from services.outbox.rows import WORKING_HOURS_FLAG
from services.preferences import next_digest_after, quiet_hours_end


def new_owner_id() -> str:
    """Who claims: unique per process start, readable enough to find the process (host, pid)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def claimable(now: dt.datetime) -> ColumnElement[bool]:
    """Pending, or `sending` by a worker that stopped renewing its claim (or by a version without claims)."""
    return or_(
        OutboxMessage.state == OutboxState.PENDING,
        and_(
            OutboxMessage.state == OutboxState.SENDING,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        ),
    )


def due(now: dt.datetime, notify_grace: dt.timedelta, absence_grace: dt.timedelta) -> ColumnElement[bool]:
    """Its time has come, and a mark's or an absence's grace window (for a quick correction) is over."""
    return and_(
        OutboxMessage.not_before <= now,
        or_(OutboxMessage.kind.not_in(MARK_GRACE_KINDS), OutboxMessage.created_at <= now - notify_grace),
        or_(OutboxMessage.kind.not_in(ABSENCE_GRACE_KINDS), OutboxMessage.created_at <= now - absence_grace),
    )


def candidates(condition: ColumnElement[bool], now: dt.datetime, *, limit: int, per_account: int) -> Select[Any]:
    """The oldest claimable rows meeting `condition`, at most `per_account` of each recipient's (their
    digest rows all count as one): a recipient with a long queue, who can be sent to only about once a
    second, must not fill the batch while other chats wait."""
    wanted = and_(claimable(now), condition)
    numbered = (
        select(
            OutboxMessage.id,
            func.row_number().over(partition_by=OutboxMessage.account_id, order_by=OutboxMessage.id).label("n"),
            OutboxMessage.payload[DIGEST_FLAG].as_boolean().label("digest"),
        )
        .where(wanted)
        .subquery()
    )
    first_of_each = select(numbered.c.id).where(or_(numbered.c.n <= per_account, numbered.c.digest.is_(True)))
    return (
        select(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.payload,
            OutboxMessage.source_id,
            OutboxMessage.created_at,
            OutboxMessage.attempts,
            OutboxMessage.chat_id,
            OutboxMessage.state,
            OutboxMessage.account_id,
            Account.active,
            Account.chat_id.label("account_chat_id"),
            Account.language,
            Account.quiet_start,
            Account.quiet_end,
            Account.digest_time,
        )
        .outerjoin(Account, Account.id == OutboxMessage.account_id)
        # `wanted` again: on PostgreSQL a row another worker claimed meanwhile is re-checked when locked.
        .where(OutboxMessage.id.in_(first_of_each), wanted)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(of=OutboxMessage, skip_locked=True)  # PostgreSQL; SQLite has no row locks
    )


@dataclass
class Sorted:
    """What one look at the outbox found."""

    ready: list[Any] = field(default_factory=list)
    unreachable: list[int] = field(default_factory=list)
    later: dict[dt.datetime, list[int]] = field(default_factory=dict)


def sort_candidates(
    rows: list[Any],
    now: dt.datetime | None,
    tz: ZoneInfo,
    *,
    queued: Mapping[int, int],
    held: Container[int],
    per_chat: int,
) -> Sorted:
    """Which candidates go now, which never can, and which wait for the end of the recipient's quiet
    hours or their digest time (with `now` None: none waits). A chat with `queued` units already in
    hand takes new ones up to `per_chat`; an account's digest rows make one unit."""
    found = Sorted()
    queued = dict(queued)
    digests: set[int] = set()  # accounts whose digest unit this batch already starts
    for row in rows:
        if row.id in held:
            continue  # the worker's already: its lease is renewed with the others
        chat_id = row.chat_id or row.account_chat_id
        if row.account_id is None or not row.active or chat_id is None:
            found.unreachable.append(row.id)
            continue
        if now is not None and (wait_until := _wait_until(row, now, tz)) is not None:
            found.later.setdefault(wait_until, []).append(row.id)
            continue
        digest = bool((row.payload or {}).get(DIGEST_FLAG))
        if not (digest and row.account_id in digests):  # a unit of its own
            if queued.get(chat_id, 0) >= per_chat:
                continue
            queued[chat_id] = queued.get(chat_id, 0) + 1
            if digest:
                digests.add(row.account_id)
        found.ready.append(row)
    return found


def _wait_until(row: Any, now: dt.datetime, tz: ZoneInfo) -> dt.datetime | None:
    payload = row.payload or {}
    # Absences go even in quiet hours; a family's message to staff keeps to the working hours alone.
    quiet = row.kind != ABSENCE and not payload.get(WORKING_HOURS_FLAG)
    if quiet and (end := quiet_hours_end(now, row.quiet_start, row.quiet_end, tz)):
        return end
    if payload.get(DIGEST_FLAG):
        digest_at = next_digest_after(row.created_at, row.digest_time, tz)
        return digest_at if digest_at > now else None
    return None


async def claim(
    session: AsyncSession,
    ids: list[int],
    owner: str,
    now: dt.datetime,
    until: dt.datetime,
    condition: ColumnElement[bool] | None = None,
) -> dict[int, tuple[str, dict[str, Any]]]:
    """Those of `ids` still claimable (and still meeting `condition`: due) become `owner`'s until `until`;
    returns their (kind, payload) by id.

    What is sent is what the claim took: until then a pending row may still be rewritten (a mark
    corrected within its grace window, another lesson's marks joining a child's message, whose window
    then starts again; services.outbox.grace), so what the candidates read a moment earlier may be out of date.
    """
    if not ids:
        return {}
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), claimable(now), condition if condition is not None else true())
        .values(state=OutboxState.SENDING, claimed_by=owner, claimed_until=until)
        .returning(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.payload)
    )
    return {row_id: (kind, dict(payload or {})) for row_id, kind, payload in result}


async def settle_unclaimed(
    session: AsyncSession, ids: list[int], now: dt.datetime, *, state: OutboxState = OutboxState.PENDING, **values: Any
) -> None:
    """Rows this worker looked at but does not send now (failed at once, or to wait) get `state`,
    unclaimed, even one taken back from a worker whose lease ran out."""
    if ids:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), claimable(now))
            .values(state=state, claimed_by=None, claimed_until=None, **values)
            .execution_options(synchronize_session=False)
        )


async def renew(session_maker: async_sessionmaker[AsyncSession], owner: str, until: dt.datetime) -> set[int]:
    """Push the lease of every row `owner` is sending to `until`; returns the ids that are still its."""
    async with session_maker() as session:
        result = await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.claimed_by == owner, OutboxMessage.state == OutboxState.SENDING)
            .values(claimed_until=until)
            .returning(OutboxMessage.id)
        )
        kept = set(result.scalars())
        await session.commit()
    return kept


async def release(session_maker: async_sessionmaker[AsyncSession], owner: str, ids: list[int] | None = None) -> int:
    """`owner`'s rows (all of them, or `ids`) go back to `pending` unsent; returns how many."""
    condition = and_(OutboxMessage.claimed_by == owner, OutboxMessage.state == OutboxState.SENDING)
    if ids is not None:
        if not ids:
            return 0
        condition = and_(condition, OutboxMessage.id.in_(ids))
    async with session_maker() as session:
        result = await session.execute(
            update(OutboxMessage)
            .where(condition)
            .values(state=OutboxState.PENDING, claimed_by=None, claimed_until=None)
            .execution_options(synchronize_session=False)
        )
        await session.commit()
    return result.rowcount
