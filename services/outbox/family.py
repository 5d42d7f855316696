"""What happened to a student, for everyone who should hear it: rows in the outbox, in the same
transaction as the change that causes them.

Each recipient's preferences decide per kind: instant, the daily digest (the row waits for the digest
time) or off (no row at all). A notice may rewrite or cancel a row still pending instead of adding
one: services.outbox.grace decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import BellTime, DeliveryMode, NotificationKind, Student, StudentStatus, utcnow
from models.writing import begin_writing
from services.notices import (
    ABSENCE,
    BROADCAST,
    FINAL_MARK,
    HOMEWORK,
    MARK,
    MARK_CHANGED,
    MARK_REMOVED,
    RISK,
    TIMETABLE,
    Absence,
    Homework,
    MarkEntry,
    Notice,
)
from services.outbox.grace import Plan, Writer, absences_told, pending_rows, student_group_key
from services.outbox.recipients import recipients_for_students
from services.preferences import chosen_mode

# Which preference decides a kind; kinds not listed always go (messages, answers).
PREFERENCE_OF = {
    MARK: NotificationKind.MARKS,
    MARK_CHANGED: NotificationKind.MARKS,
    MARK_REMOVED: NotificationKind.MARKS,
    ABSENCE: NotificationKind.ABSENCES,
    HOMEWORK: NotificationKind.HOMEWORK,
    FINAL_MARK: NotificationKind.MARKS,
    BROADCAST: NotificationKind.ANNOUNCEMENTS,
    TIMETABLE: NotificationKind.ANNOUNCEMENTS,
    RISK: NotificationKind.MARKS,
}
# Kinds that wait for the recipient's digest whatever their preference (unless it is off): a weekly
# heads-up is nothing to interrupt anyone's day for.
DIGEST_ONLY = frozenset({RISK})


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
    session: AsyncSession,
    notices: Sequence[FamilyNotice],
    *,
    delay: dt.timedelta = dt.timedelta(0),
    now: dt.datetime | None = None,
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


async def _notify_chunk(
    session: AsyncSession, notices: list[FamilyNotice], delay: dt.timedelta, now: dt.datetime
) -> int:
    """Notices about distinct students: read in bulk, decide in memory, write in bulk."""
    starts = await _lesson_starts(session, {notice.notice.lesson_no for notice in notices if _untimed(notice.notice)})
    notices = [
        replace(notice, notice=replace(notice.notice, time=starts.get(notice.notice.lesson_no)))
        if _untimed(notice.notice)
        else notice
        for notice in notices
    ]
    recipients, preferences = await recipients_for_students(session, [notice.student_id for notice in notices])
    account_ids = sorted({r.account_id for found in recipients.values() for r in found})
    pending = await pending_rows(session, account_ids, notices)
    told = await absences_told(session, notices, recipients)
    plan = Plan(now, delay)
    for notice in notices:
        kind = PREFERENCE_OF.get(notice.kind)
        for recipient in recipients.get(notice.student_id, []):
            mode = (
                chosen_mode(preferences, recipient.account_id, notice.student_id, kind)
                if kind is not None
                else DeliveryMode.INSTANT
            )
            if mode == DeliveryMode.OFF:
                continue
            mine = [
                row
                for row in pending.get(recipient.account_id, [])
                if row.group_key in (notice.group_key, student_group_key(notice.student_id))
            ]
            Writer(
                plan,
                recipient,
                notice,
                mode == DeliveryMode.DIGEST or notice.kind in DIGEST_ONLY,
                mine,
                was_told=(recipient.account_id, notice.group_key) in told,
            ).decide()
    return await plan.apply(session)


def _untimed(notice: Notice | MarkEntry) -> bool:
    """An absence whose lesson's start is not known yet: it is read from the bells."""
    return isinstance(notice, Absence) and bool(notice.lesson_no) and notice.time is None


async def notify_homework(
    session: AsyncSession,
    class_id: int,
    homework: Homework,
    *,
    lesson_id: int,
    now: dt.datetime | None = None,
    student_ids: Collection[int] | None = None,
) -> int:
    """Homework set for a class (or for `student_ids` of it: a group): rows for the families who
    switched homework notifications on.

    `homework` without its student: each child's notice names them. A second call for the same lesson
    within the grace window replaces the pending one (a typo fixed), so families get only the final text.
    """
    query = select(Student.id, Student.full_name).where(
        Student.class_id == class_id, Student.status == StudentStatus.STUDYING
    )
    if student_ids is not None:
        query = query.where(Student.id.in_(student_ids))
    students = list(await session.execute(query))
    return await notify_families(
        session,
        [
            FamilyNotice(
                student_id,
                replace(homework, student=name, student_id=student_id),
                source_entity="lesson",
                source_id=lesson_id,
                group_key=f"homework:{lesson_id}:{student_id}",
            )
            for student_id, name in students
        ],
        now=now,
    )


async def _lesson_starts(session: AsyncSession, lesson_numbers: set[int]) -> dict[int, str]:
    if not lesson_numbers:
        return {}
    rows = await session.execute(
        select(BellTime.lesson_no, BellTime.start).where(BellTime.lesson_no.in_(lesson_numbers))
    )
    return {number: start.strftime("%H:%M") for number, start in rows}
