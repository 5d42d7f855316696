"""The grace window: a pending row is rewritten or cancelled rather than joined by another.

The delivery worker sends a mark's row only `NOTIFY_GRACE_SECONDS` after `created_at` (an absence's
after `ABSENCE_GRACE_SECONDS`). Until then the row is still `pending`, and a correction rewrites it —
parents never see a slip and its fix — and a deletion cancels it. Rewrites are conditional on the
row still being pending (`UPDATE … WHERE state = 'pending'`), so a row the worker has just claimed
is never changed under it: the correction then goes as "было → стало".
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import OutboxMessage, OutboxState, utcnow
from models.writing import begin_writing
from services.final_results import result_or_none
from services.notices import (
    ABSENCE,
    DIGEST_FLAG,
    FINAL_MARK,
    HOMEWORK,
    MARK,
    MARK_CHANGED,
    MARK_REMOVED,
    Absence,
    FinalMarkSet,
    MarkChanged,
    MarkEntry,
    MarkItem,
    NewMarks,
    Notice,
    notice_of,
    payload_of,
)
from services.outbox.recipients import Recipient
from services.outbox.rows import new_row_values

if TYPE_CHECKING:
    from services.outbox.family import FamilyNotice

log = logging.getLogger(__name__)

MARK_KINDS = (MARK, MARK_CHANGED, MARK_REMOVED)
# Kinds whose rows wait for the grace window before the worker sends them.
MARK_GRACE_KINDS = (*MARK_KINDS, HOMEWORK, FINAL_MARK)
ABSENCE_GRACE_KINDS = (ABSENCE,)
SUPERSEDED = "superseded by a correction within the grace window"


@dataclass
class PendingRow:
    id: int
    account_id: int
    kind: str
    group_key: str | None
    payload: dict[str, Any]
    notice: Any  # the payload read (services.notices): NewMarks for a MARK row, and so on
    created_at: dt.datetime

    @property
    def digest(self) -> bool:
        return bool(self.payload.get(DIGEST_FLAG))


def _pending_row(
    row_id: int,
    account_id: int,
    kind: str,
    group_key: str | None,
    payload: dict[str, Any] | None,
    created_at: dt.datetime,
) -> PendingRow | None:
    """A pending row as the grace window rewrites it; None (left as it is) if its payload can't be read."""
    payload = dict(payload or {})
    try:
        notice = notice_of(kind, payload)
    except (ValueError, TypeError, KeyError):
        log.warning("outbox: pending row %s (%s) cannot be read; left as it is", row_id, kind, exc_info=True)
        return None
    return PendingRow(row_id, account_id, kind, group_key, payload, notice, created_at)


# What _pending_row takes, in its order: both readers of pending rows select these.
_PENDING_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.account_id,
    OutboxMessage.kind,
    OutboxMessage.group_key,
    OutboxMessage.payload,
    OutboxMessage.created_at,
)


def student_group_key(student_id: int) -> str:
    """New marks for one child share a row while it is pending: one message for several lessons."""
    return f"marks:{student_id}"


async def pending_rows(
    session: AsyncSession, account_ids: list[int], notices: list[FamilyNotice]
) -> dict[int, list[PendingRow]]:
    """The recipients' pending rows these notices may rewrite and nobody else holds, locked (PostgreSQL)."""
    keys = {notice.group_key for notice in notices if notice.group_key is not None}
    if not account_ids or not keys:
        return {}
    keys |= {student_group_key(notice.student_id) for notice in notices}
    rows = await session.execute(
        select(*_PENDING_COLUMNS)
        .where(
            OutboxMessage.account_id.in_(account_ids),
            OutboxMessage.group_key.in_(sorted(keys)),
            OutboxMessage.state == OutboxState.PENDING,
        )
        .order_by(OutboxMessage.id)
        .with_for_update(skip_locked=True)
    )
    found: dict[int, list[PendingRow]] = {}
    for row in rows:
        if (pending := _pending_row(*row)) is not None:
            found.setdefault(pending.account_id, []).append(pending)
    return found


async def absences_told(
    session: AsyncSession, notices: list[FamilyNotice], recipients: dict[int, list[Recipient]]
) -> set[tuple[int, str]]:
    """(account, group key) of absences taken back here that the recipient has been told of, or will be:
    sent, being sent, or pending but held by someone else this moment (the worker about to send it,
    services.delivery_claims) — the rows this transaction holds are rewritten instead."""
    removed = {
        notice.group_key: notice.student_id
        for notice in notices
        if isinstance(notice.notice, Absence) and notice.group_key is not None and not notice.notice.code
    }
    accounts = {r.account_id for student_id in removed.values() for r in recipients.get(student_id, [])}
    if not removed or not accounts:
        return set()
    rows = await session.execute(
        select(OutboxMessage.account_id, OutboxMessage.group_key).where(
            OutboxMessage.account_id.in_(sorted(accounts)),
            OutboxMessage.group_key.in_(sorted(removed)),
            OutboxMessage.kind == ABSENCE,
            OutboxMessage.state.in_([OutboxState.SENT, OutboxState.SENDING, OutboxState.PENDING]),
        )
    )
    return {(account_id, key) for account_id, key in rows}


@dataclass
class Plan:
    """What a set of notices does to the outbox: rows to add, pending rows to rewrite or cancel."""

    now: dt.datetime
    delay: dt.timedelta
    new_rows: list[dict[str, Any]] = field(default_factory=list)
    changed: dict[int, dict[str, Any]] = field(default_factory=dict)  # pending row id → its new state

    def add(
        self, recipient: Recipient, notice: Notice, digest: bool, group_key: str | None, family_notice: FamilyNotice
    ) -> None:
        row = new_row_values(
            recipient,
            notice,
            digest,
            group_key,
            family_notice.source_entity,
            family_notice.source_id,
            self.now,
            self.delay,
        )
        if family_notice.not_before is not None:
            row["not_before"] = max(row["not_before"], family_notice.not_before)
        self.new_rows.append(row)

    def rewrite(self, row: PendingRow, *, notice: Notice, digest: bool, created_at: dt.datetime | None = None) -> None:
        self.changed[row.id] = {
            "kind": notice.KIND,
            "payload": payload_of(notice, digest=digest),
            "created_at": created_at or row.created_at,
            "state": OutboxState.PENDING,
            "last_error": "",
        }

    def cancel(self, row: PendingRow) -> None:
        self.changed[row.id] = {
            "kind": row.kind,
            "payload": row.payload,
            "created_at": row.created_at,
            "state": OutboxState.CANCELLED,
            "last_error": SUPERSEDED,
        }

    async def apply(self, session: AsyncSession) -> int:
        """At most two statements: one UPDATE for every rewritten or cancelled row, one INSERT."""
        table = OutboxMessage.__table__
        if self.changed:
            await session.execute(
                table.update()
                .where(table.c.id == bindparam("row_id"), table.c.state == OutboxState.PENDING)
                .values(
                    kind=bindparam("new_kind"),
                    payload=bindparam("new_payload"),
                    created_at=bindparam("new_created_at"),
                    state=bindparam("new_state"),
                    last_error=bindparam("new_last_error"),
                ),
                [
                    {"row_id": row_id, **{f"new_{key}": value for key, value in values.items()}}
                    for row_id, values in self.changed.items()
                ],
            )
        if self.new_rows:
            await session.execute(table.insert(), self.new_rows)
        return len(self.new_rows)


@dataclass
class Writer:
    """Decides, for one recipient and one notice, whether it rewrites a pending row, cancels it or adds one."""

    plan: Plan
    recipient: Recipient
    notice: FamilyNotice
    digest: bool  # the recipient hears of this kind in the daily digest
    pending: list[PendingRow]
    was_told: bool

    @property
    def group_key(self) -> str | None:
        return self.notice.group_key

    def decide(self) -> None:
        kind, data = self.notice.kind, self.notice.notice
        if isinstance(data, MarkEntry):
            if self.group_key is not None:
                return self._mark(data)
            return self._add(_new_marks(data) if kind == MARK else MarkChanged.of(data, data.before), None)
        if isinstance(data, Absence) and self.group_key is not None:
            return self._absence(data)
        same = next((row for row in self.pending if row.kind == kind and row.group_key == self.group_key), None)
        if isinstance(data, FinalMarkSet) and same is not None:
            return self._final_mark(same, data)
        if same is not None and self.group_key is not None:
            return self.plan.rewrite(same, notice=data, digest=self.digest)  # homework with a typo fixed
        return self._add(data, self.group_key)

    def _add(self, notice: Notice, group_key: str | None) -> None:
        self.plan.add(self.recipient, notice, self.digest, group_key, self.notice)

    def _mark(self, entry: MarkEntry) -> None:
        student_group = student_group_key(self.notice.student_id)
        [item] = _new_marks(entry, self.group_key).items
        fresh = next((row for row in self.pending if row.kind == MARK and row.group_key == student_group), None)
        correction = next(
            (
                row
                for row in self.pending
                if row.kind in (MARK_CHANGED, MARK_REMOVED) and row.group_key == self.group_key
            ),
            None,
        )
        items = list(fresh.notice.items) if fresh is not None else []
        unsent = next((i for i in items if i.key == self.group_key), None)
        if fresh is not None and unsent is not None:
            # The parent has not heard of this lesson's marks yet: say only how they stand now.
            if item.values:
                item = replace(item, comment=item.comment or unsent.comment)
                items = [item if i is unsent else i for i in items]
            else:
                items.remove(unsent)
            if items:
                return self.plan.rewrite(fresh, notice=replace(fresh.notice, items=tuple(items)), digest=fresh.digest)
            return self.plan.cancel(fresh)
        if entry.kind == MARK and correction is None:
            if fresh is not None:
                # Another lesson for the same child: one message; the window restarts for the newcomer.
                return self.plan.rewrite(
                    fresh,
                    notice=replace(fresh.notice, items=(*items, item)),
                    digest=fresh.digest,
                    created_at=self.plan.now,
                )
            return self._add(_new_marks(entry, self.group_key), student_group)
        # A correction of marks the parent has been told about ("было → стало").
        if correction is not None:
            told = correction.notice.before  # what the parent saw before the pending correction
            if entry.after == (told or ""):
                return self.plan.cancel(correction)
            return self.plan.rewrite(correction, notice=MarkChanged.of(entry, told), digest=self.digest)
        # Nothing pending any more (the worker has taken it): the change since then, as it is.
        return self._add(MarkChanged.of(entry, entry.before), self.group_key)

    def _final_mark(self, pending: PendingRow, mark: FinalMarkSet) -> None:
        """A term mark changed again before the family heard of it: they hear only how it stands,
        against the mark they know (none, or the one before); back to that one, they hear nothing."""
        was = pending.notice
        told = result_or_none(was.before, was.before_special)
        if told is not None and told == result_or_none(mark.value, mark.special):
            return self.plan.cancel(pending)
        told_again = replace(mark, before=was.before, before_special=was.before_special)
        return self.plan.rewrite(pending, notice=told_again, digest=self.digest)

    def _absence(self, absence: Absence) -> None:
        pending = next((row for row in self.pending if row.kind == ABSENCE and row.group_key == self.group_key), None)
        code = absence.code
        if pending is not None:
            told = pending.notice.before  # what the parent knows, if the pending row is a correction
            if not code and not told:
                return self.plan.cancel(pending)  # entered and removed within the window: the parent hears nothing
            if code and code == told:
                return self.plan.cancel(pending)  # changed back to what the parent was told
            return self.plan.rewrite(pending, notice=replace(absence, before=told), digest=self.digest)
        if not code and not self.was_told:
            return None  # nothing to take back
        return self._add(absence, self.group_key)


def _new_marks(entry: MarkEntry, key: str | None = None) -> NewMarks:
    """The notice of `entry`'s marks as new ones; `key` finds its item again while the row is pending."""
    return NewMarks(
        entry.student_id,
        entry.student,
        entry.class_name,
        (MarkItem(entry.subject, entry.date, entry.lesson_no, entry.values, entry.work_type, entry.comment, key),),
    )


async def comment_pending_mark(session: AsyncSession, student_id: int, lesson_id: int, comment: str) -> int:
    """A teacher's comment on a lesson's marks, into the family's messages about them that are still pending.

    Returns how many rows were rewritten; a message already taken by the worker is left as it went.
    """
    await begin_writing(session)
    key = f"mark:{student_id}:{lesson_id}"
    rows = await session.execute(
        select(*_PENDING_COLUMNS)
        .where(
            OutboxMessage.kind == MARK,
            OutboxMessage.group_key == student_group_key(student_id),
            OutboxMessage.state == OutboxState.PENDING,
        )
        .order_by(OutboxMessage.id)
        .with_for_update(skip_locked=True)
    )
    plan = Plan(utcnow(), dt.timedelta(0))
    for row in rows:
        if (pending := _pending_row(*row)) is None:
            continue
        items = tuple(replace(item, comment=comment) if item.key == key else item for item in pending.notice.items)
        if items != pending.notice.items:
            plan.rewrite(pending, notice=replace(pending.notice, items=items), digest=pending.digest)
    await plan.apply(session)
    return len(plan.changed)
