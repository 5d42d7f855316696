"""Writing notifications: rows in the outbox, in the same transaction as the change that causes them.

Who hears about a student: the parents' active accounts, and the student's own account when the
student switched notifications on. Each recipient's preferences decide per kind: instant, the daily
digest (the row waits for the digest time) or off (no row at all).

The grace window: the delivery worker sends a mark's row only `NOTIFY_GRACE_SECONDS` after
`created_at` (an absence's after `ABSENCE_GRACE_SECONDS`). Until then the row is still `pending`, and a
correction rewrites it — parents never see a slip and its fix — and a deletion cancels it. Rewrites
are conditional on the row still being pending (`UPDATE … WHERE state = 'pending'`), so a row the
worker has just claimed is never changed under it: the correction then goes as "было → стало".

A row holds a typed notice (services.notices), written by notices.payload_of; the worker renders it
in the recipient's language when it sends it (bot.outbound.render).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import bindparam, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Account,
    AccountBinding,
    BellTime,
    DeliveryMode,
    NotificationKind,
    NotificationPreference,
    OutboxMessage,
    OutboxState,
    ParentStudent,
    PersonKind,
    Student,
    StudentStatus,
    utcnow,
)
from models.writing import begin_writing
from services.notices import (  # the kinds too, for readers of the outbox (outbox.MARK, …)
    ABSENCE,
    BROADCAST,
    DIGEST_FLAG,
    FINAL_MARK,
    HOMEWORK,
    MARK,
    MARK_CHANGED,
    MARK_REMOVED,
    TIMETABLE,
    Absence,
    FinalMarkSet,
    Homework,
    MarkChanged,
    MarkEntry,
    MarkItem,
    NewMarks,
    Notice,
    notice_of,
    payload_of,
)
from services.preferences import Choices, choices_of, chosen_mode

log = logging.getLogger(__name__)

MARK_KINDS = (MARK, MARK_CHANGED, MARK_REMOVED)
# Kinds whose rows wait for the grace window before the worker sends them.
MARK_GRACE_KINDS = (*MARK_KINDS, HOMEWORK, FINAL_MARK)
ABSENCE_GRACE_KINDS = (ABSENCE,)
# Which preference decides a kind; kinds not listed always go (messages, answers).
PREFERENCE_OF = {
    MARK: NotificationKind.MARKS, MARK_CHANGED: NotificationKind.MARKS, MARK_REMOVED: NotificationKind.MARKS,
    ABSENCE: NotificationKind.ABSENCES, HOMEWORK: NotificationKind.HOMEWORK, FINAL_MARK: NotificationKind.MARKS,
    BROADCAST: NotificationKind.ANNOUNCEMENTS, TIMETABLE: NotificationKind.ANNOUNCEMENTS,
}
SUPERSEDED = "superseded by a correction within the grace window"


@dataclass(frozen=True)
class Recipient:
    account_id: int
    chat_id: int | None
    is_student: bool


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


async def recipients_for_students(
    session: AsyncSession, student_ids: Iterable[int],
) -> tuple[dict[int, list[Recipient]], Choices]:
    """For each student: the parents' active accounts, and their own if they asked for notifications;
    and what those accounts chose to hear. One statement, however many students."""
    student_ids = list(student_ids)
    if not student_ids:
        return {}, {}
    parents = (
        select(ParentStudent.student_id, Account.id.label("account_id"), Account.chat_id,
               literal(False).label("is_student"))
        .join(AccountBinding, (AccountBinding.person_id == ParentStudent.parent_id)
              & (AccountBinding.person_kind == PersonKind.PARENT))
        .join(Account, Account.id == AccountBinding.account_id)
        .where(ParentStudent.student_id.in_(student_ids), AccountBinding.revoked_at.is_(None),
               Account.active.is_(True))
    )
    own = (
        select(AccountBinding.person_id, Account.id, Account.chat_id, literal(True))
        .join(Account, Account.id == AccountBinding.account_id)
        .where(AccountBinding.person_kind == PersonKind.STUDENT, AccountBinding.person_id.in_(student_ids),
               AccountBinding.revoked_at.is_(None), Account.active.is_(True), Account.wants_notifications.is_(True))
    )
    accounts = union_all(parents, own).subquery()
    preference = NotificationPreference
    rows = await session.execute(
        select(accounts, preference.student_id, preference.kind, preference.mode)
        .outerjoin(preference, preference.account_id == accounts.c.account_id)
    )
    found: dict[int, dict[int, Recipient]] = {sid: {} for sid in student_ids}
    preferences: Choices = {}
    # Parents first: an account that is both keeps the parent's (fuller) messages.
    for student_id, account_id, chat_id, is_student, child_id, kind, mode in sorted(rows, key=lambda row: bool(row[3])):
        found[student_id].setdefault(account_id, Recipient(account_id, chat_id, is_student=bool(is_student)))
        if kind is not None:
            preferences[(account_id, child_id, kind)] = mode
    recipients = {sid: sorted(by_account.values(), key=lambda r: r.account_id) for sid, by_account in found.items()}
    return recipients, preferences


async def delivery_modes(
    session: AsyncSession, account_ids: list[int], student_id: int | None, kind: NotificationKind,
) -> dict[int, DeliveryMode]:
    """Each account's mode for one kind about one child (a child's own choice beats the general one)."""
    choices = await choices_of(session, account_ids)
    return {account_id: chosen_mode(choices, account_id, student_id, kind) for account_id in account_ids}


@dataclass(frozen=True)
class FamilyNotice:
    """One thing that happened to one student, for notify_families: a notice, or a MarkEntry that
    becomes one (new marks, or a correction of marks the family was told of)."""

    student_id: int
    notice: Notice | MarkEntry
    source_entity: str | None = None
    source_id: int | None = None
    group_key: str | None = None
    not_before: dt.datetime | None = None  # not to be sent earlier (an absence: once its lesson has begun)

    @property
    def kind(self) -> str:
        return self.notice.kind if isinstance(self.notice, MarkEntry) else self.notice.KIND


async def notify_family(
    session: AsyncSession,
    student_id: int,
    notice: Notice | MarkEntry,
    *,
    source_entity: str | None = None,
    source_id: int | None = None,
    group_key: str | None = None,
    delay: dt.timedelta = dt.timedelta(0),
    now: dt.datetime | None = None,
) -> int:
    """Record what happened to a student for everyone who should hear it; nothing is sent here.

    Returns how many new rows were added (a pending row rewritten or cancelled within the grace window
    adds none). For many students at once (a line of marks) use notify_families.
    """
    family_notice = FamilyNotice(student_id, notice, source_entity, source_id, group_key)
    return await notify_families(session, [family_notice], delay=delay, now=now)


async def notify_families(
    session: AsyncSession, notices: Sequence[FamilyNotice], *,
    delay: dt.timedelta = dt.timedelta(0), now: dt.datetime | None = None,
) -> int:
    """notify_family for many notices, in a fixed handful of statements whatever their number.

    Call it in the transaction of the change it reports. It takes the write gate before reading the
    pending rows (on PostgreSQL it locks them), so the rows it rewrites are still pending when it
    rewrites them: the delivery worker can't take one in between. A row someone else holds at that
    moment (the worker taking it, another teacher adding to it) is left to them and passed over,
    never waited for: the notice then goes as a message of its own, and no two writers can deadlock.
    """
    now = now or utcnow()
    await begin_writing(session)
    added = 0
    chunk: list[FamilyNotice] = []
    for notice in notices:
        if any(other.student_id == notice.student_id for other in chunk):
            added += await _notify_chunk(session, chunk, delay, now)  # a second notice sees the first's rows
            chunk = []
        chunk.append(notice)
    if chunk:
        added += await _notify_chunk(session, chunk, delay, now)
    return added


async def _notify_chunk(session: AsyncSession, notices: list[FamilyNotice], delay: dt.timedelta,
                        now: dt.datetime) -> int:
    """Notices about distinct students: read in bulk, decide in memory, write in bulk."""
    starts = await _lesson_starts(session, {notice.notice.lesson_no for notice in notices if _untimed(notice.notice)})
    notices = [replace(notice, notice=replace(notice.notice, time=starts.get(notice.notice.lesson_no)))
               if _untimed(notice.notice) else notice for notice in notices]
    recipients, preferences = await recipients_for_students(session, [notice.student_id for notice in notices])
    account_ids = sorted({r.account_id for found in recipients.values() for r in found})
    pending = await _pending_rows(session, account_ids, notices)
    told = await _absences_told(session, notices, recipients)
    plan = _Plan(now, delay)
    for notice in notices:
        kind = PREFERENCE_OF.get(notice.kind)
        for recipient in recipients.get(notice.student_id, []):
            mode = (chosen_mode(preferences, recipient.account_id, notice.student_id, kind)
                    if kind is not None else DeliveryMode.INSTANT)
            if mode == DeliveryMode.OFF:
                continue
            mine = [row for row in pending.get(recipient.account_id, [])
                    if row.group_key in (notice.group_key, _student_group(notice.student_id))]
            _Writer(plan, recipient, notice, mode == DeliveryMode.DIGEST, mine,
                    was_told=(recipient.account_id, notice.group_key) in told).decide()
    return await plan.apply(session)


def _untimed(notice: Notice | MarkEntry) -> bool:
    """An absence whose lesson's start is not known yet: it is read from the bells."""
    return isinstance(notice, Absence) and bool(notice.lesson_no) and notice.time is None


async def notify_homework(
    session: AsyncSession, class_id: int, homework: Homework, *, lesson_id: int,
    now: dt.datetime | None = None, student_ids: Collection[int] | None = None,
) -> int:
    """Homework set for a class (or for `student_ids` of it: a group): rows for the families who
    switched homework notifications on.

    `homework` without its student: each child's notice names them. A second call for the same lesson
    within the grace window replaces the pending one (a typo fixed), so families get only the final text.
    """
    query = select(Student.id, Student.full_name).where(
        Student.class_id == class_id, Student.status == StudentStatus.STUDYING)
    if student_ids is not None:
        query = query.where(Student.id.in_(student_ids))
    students = list(await session.execute(query))
    return await notify_families(session, [
        FamilyNotice(student_id, replace(homework, student=name, student_id=student_id),
                     source_entity="lesson", source_id=lesson_id, group_key=f"homework:{lesson_id}:{student_id}")
        for student_id, name in students
    ], now=now)


def enqueue(
    session: AsyncSession, account: Account, notice: Notice, *, digest: bool = False,
    group_key: str | None = None, source_entity: str | None = None, source_id: int | None = None,
    now: dt.datetime | None = None, delay: dt.timedelta = dt.timedelta(0),
) -> OutboxMessage:
    """One row for one account (messages, broadcasts, answers): the caller flushes and commits."""
    row = OutboxMessage(**_new_row_values(Recipient(account.id, account.chat_id, False), notice, digest,
                                          group_key, source_entity, source_id, now or utcnow(), delay))
    session.add(row)
    return row


class NoticeQueue:
    """Notices for many readers (a scheduled job's), written to the outbox in one statement."""

    def __init__(self) -> None:
        self._rows: list[dict[str, Any]] = []

    def add(self, account: Account, notice: Notice) -> None:
        self._rows.append(_new_row_values(Recipient(account.id, account.chat_id, False), notice, False,
                                          None, None, None, utcnow()))

    async def write(self, session: AsyncSession) -> int:
        """Inserts everything added; returns the number of notices."""
        if self._rows:
            await session.execute(OutboxMessage.__table__.insert(), self._rows)
        return len(self._rows)


# --- what the worker and /status read ----------------------------------------------------------

@dataclass(frozen=True)
class OutboxSummary:
    pending: int
    sending: int
    failed: int
    sent: int
    oldest_pending: dt.datetime | None


async def outbox_summary(session: AsyncSession) -> OutboxSummary:
    """Counts by state and the oldest pending row (digest rows wait for their time on purpose)."""
    counts = dict((state, count) for state, count in await session.execute(
        select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    ))
    oldest = await session.scalar(
        select(func.min(OutboxMessage.created_at)).where(OutboxMessage.state == OutboxState.PENDING)
    )
    return OutboxSummary(
        pending=counts.get(OutboxState.PENDING.value, 0), sending=counts.get(OutboxState.SENDING.value, 0),
        failed=counts.get(OutboxState.FAILED.value, 0), sent=counts.get(OutboxState.SENT.value, 0),
        oldest_pending=oldest,
    )


async def recent_failures(session: AsyncSession, limit: int = 20) -> list[OutboxMessage]:
    """Failed rows, newest first, with their error: what the administrator looks at."""
    return list(await session.scalars(
        select(OutboxMessage).where(OutboxMessage.state == OutboxState.FAILED)
        .order_by(OutboxMessage.id.desc()).limit(limit)
    ))


# --- the grace window ------------------------------------------------------------------------------

@dataclass
class _PendingRow:
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


def _pending_row(row_id: int, account_id: int, kind: str, group_key: str | None, payload: dict[str, Any] | None,
                 created_at: dt.datetime) -> _PendingRow | None:
    """A pending row as the grace window rewrites it; None (left as it is) if its payload can't be read."""
    payload = dict(payload or {})
    try:
        notice = notice_of(kind, payload)
    except (ValueError, TypeError, KeyError):
        log.warning("outbox: pending row %s (%s) cannot be read; left as it is", row_id, kind, exc_info=True)
        return None
    return _PendingRow(row_id, account_id, kind, group_key, payload, notice, created_at)


def _student_group(student_id: int) -> str:
    """New marks for one child share a row while it is pending: one message for several lessons."""
    return f"marks:{student_id}"


async def _pending_rows(
    session: AsyncSession, account_ids: list[int], notices: list[FamilyNotice],
) -> dict[int, list[_PendingRow]]:
    """The recipients' pending rows these notices may rewrite and nobody else holds, locked (PostgreSQL)."""
    keys = {notice.group_key for notice in notices if notice.group_key is not None}
    if not account_ids or not keys:
        return {}
    keys |= {_student_group(notice.student_id) for notice in notices}
    rows = await session.execute(
        select(OutboxMessage.id, OutboxMessage.account_id, OutboxMessage.kind, OutboxMessage.group_key,
               OutboxMessage.payload, OutboxMessage.created_at)
        .where(OutboxMessage.account_id.in_(account_ids), OutboxMessage.group_key.in_(sorted(keys)),
               OutboxMessage.state == OutboxState.PENDING)
        .order_by(OutboxMessage.id)
        .with_for_update(skip_locked=True)
    )
    found: dict[int, list[_PendingRow]] = {}
    for row in rows:
        if (pending := _pending_row(*row)) is not None:
            found.setdefault(pending.account_id, []).append(pending)
    return found


async def _absences_told(
    session: AsyncSession, notices: list[FamilyNotice], recipients: dict[int, list[Recipient]],
) -> set[tuple[int, str]]:
    """(account, group key) of absences taken back here that the recipient has been told of, or will be:
    sent, being sent, or pending but held by someone else this moment (the worker about to send it,
    services.delivery_claims) — the rows this transaction holds are rewritten instead."""
    removed = {notice.group_key: notice.student_id for notice in notices
               if isinstance(notice.notice, Absence) and notice.group_key is not None and not notice.notice.code}
    accounts = {r.account_id for student_id in removed.values() for r in recipients.get(student_id, [])}
    if not removed or not accounts:
        return set()
    rows = await session.execute(
        select(OutboxMessage.account_id, OutboxMessage.group_key).where(
            OutboxMessage.account_id.in_(sorted(accounts)), OutboxMessage.group_key.in_(sorted(removed)),
            OutboxMessage.kind == ABSENCE,
            OutboxMessage.state.in_([OutboxState.SENT, OutboxState.SENDING, OutboxState.PENDING]),
        )
    )
    return {(account_id, key) for account_id, key in rows}


@dataclass
class _Plan:
    """What a set of notices does to the outbox: rows to add, pending rows to rewrite or cancel."""

    now: dt.datetime
    delay: dt.timedelta
    new_rows: list[dict[str, Any]] = field(default_factory=list)
    changed: dict[int, dict[str, Any]] = field(default_factory=dict)  # pending row id → its new state

    def add(self, recipient: Recipient, notice: Notice, digest: bool, group_key: str | None,
            family_notice: FamilyNotice) -> None:
        row = _new_row_values(recipient, notice, digest, group_key, family_notice.source_entity,
                              family_notice.source_id, self.now, self.delay)
        if family_notice.not_before is not None:
            row["not_before"] = max(row["not_before"], family_notice.not_before)
        self.new_rows.append(row)

    def rewrite(self, row: _PendingRow, *, notice: Notice, digest: bool, created_at: dt.datetime | None = None) -> None:
        self.changed[row.id] = {"kind": notice.KIND, "payload": payload_of(notice, digest=digest),
                                "created_at": created_at or row.created_at, "state": OutboxState.PENDING,
                                "last_error": ""}

    def cancel(self, row: _PendingRow) -> None:
        self.changed[row.id] = {"kind": row.kind, "payload": row.payload, "created_at": row.created_at,
                                "state": OutboxState.CANCELLED, "last_error": SUPERSEDED}

    async def apply(self, session: AsyncSession) -> int:
        """At most two statements: one UPDATE for every rewritten or cancelled row, one INSERT."""
        table = OutboxMessage.__table__
        if self.changed:
            await session.execute(
                table.update()
                .where(table.c.id == bindparam("row_id"), table.c.state == OutboxState.PENDING)
                .values(kind=bindparam("new_kind"), payload=bindparam("new_payload"),
                        created_at=bindparam("new_created_at"), state=bindparam("new_state"),
                        last_error=bindparam("new_last_error")),
                [{"row_id": row_id, **{f"new_{key}": value for key, value in values.items()}}
                 for row_id, values in self.changed.items()],
            )
        if self.new_rows:
            await session.execute(table.insert(), self.new_rows)
        return len(self.new_rows)


@dataclass
class _Writer:
    """Decides, for one recipient and one notice, whether it rewrites a pending row, cancels it or adds one."""

    plan: _Plan
    recipient: Recipient
    notice: FamilyNotice
    digest: bool  # the recipient hears of this kind in the daily digest
    pending: list[_PendingRow]
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
        student_group = _student_group(self.notice.student_id)
        [item] = _new_marks(entry, self.group_key).items
        fresh = next((row for row in self.pending if row.kind == MARK and row.group_key == student_group), None)
        correction = next((row for row in self.pending
                           if row.kind in (MARK_CHANGED, MARK_REMOVED) and row.group_key == self.group_key), None)
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
                return self.plan.rewrite(fresh, notice=replace(fresh.notice, items=(*items, item)),
                                         digest=fresh.digest, created_at=self.plan.now)
            return self._add(_new_marks(entry, self.group_key), student_group)
        # A correction of marks the parent has been told about ("было → стало").
        if correction is not None:
            told = correction.notice.before  # what the parent saw before the pending correction
            if entry.after == (told or ""):
                return self.plan.cancel(correction)
            return self.plan.rewrite(correction, notice=MarkChanged.of(entry, told), digest=self.digest)
        # Nothing pending any more (the worker has taken it): the change since then, as it is.
        return self._add(MarkChanged.of(entry, entry.before), self.group_key)

    def _final_mark(self, pending: _PendingRow, mark: FinalMarkSet) -> None:
        """A term mark changed again before the family heard of it: they hear only how it stands,
        against the mark they know (none, or the one before); back to that one, they hear nothing."""
        told = pending.notice.before
        if told is not None and told == mark.value:
            return self.plan.cancel(pending)
        return self.plan.rewrite(pending, notice=replace(mark, before=told), digest=self.digest)

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
    return NewMarks(entry.student_id, entry.student, entry.class_name, (MarkItem(
        entry.subject, entry.date, entry.lesson_no, entry.values, entry.work_type, entry.comment, key),))


async def comment_pending_mark(session: AsyncSession, student_id: int, lesson_id: int, comment: str) -> int:
    """A teacher's comment on a lesson's marks, into the family's messages about them that are still pending.

    Returns how many rows were rewritten; a message already taken by the worker is left as it went.
    """
    await begin_writing(session)
    key = f"mark:{student_id}:{lesson_id}"
    rows = await session.execute(
        select(OutboxMessage.id, OutboxMessage.account_id, OutboxMessage.kind, OutboxMessage.group_key,
               OutboxMessage.payload, OutboxMessage.created_at)
        .where(OutboxMessage.kind == MARK, OutboxMessage.group_key == _student_group(student_id),
               OutboxMessage.state == OutboxState.PENDING)
        .order_by(OutboxMessage.id)
        .with_for_update(skip_locked=True)
    )
    plan = _Plan(utcnow(), dt.timedelta(0))
    for row in rows:
        if (pending := _pending_row(*row)) is None:
            continue
        items = tuple(replace(item, comment=comment) if item.key == key else item for item in pending.notice.items)
        if items != pending.notice.items:
            plan.rewrite(pending, notice=replace(pending.notice, items=items), digest=pending.digest)
    await plan.apply(session)
    return len(plan.changed)


def _new_row_values(
    recipient: Recipient, notice: Notice, digest: bool, group_key: str | None,
    source_entity: str | None, source_id: int | None, now: dt.datetime, delay: dt.timedelta = dt.timedelta(0),
) -> dict[str, Any]:
    return dict(
        kind=notice.KIND, account_id=recipient.account_id, chat_id=recipient.chat_id,
        payload=payload_of(notice, digest=digest), group_key=group_key, source_entity=source_entity,
        source_id=source_id, state=OutboxState.PENDING, created_at=now, not_before=now + delay, attempts=0,
        last_error="",
    )


async def _lesson_starts(session: AsyncSession, lesson_numbers: set[int]) -> dict[int, str]:
    if not lesson_numbers:
        return {}
    rows = await session.execute(select(BellTime.lesson_no, BellTime.start).where(BellTime.lesson_no.in_(lesson_numbers)))
    return {number: start.strftime("%H:%M") for number, start in rows}
