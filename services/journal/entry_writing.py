"""A lesson's planned entries (services.journal.entries) written, audited and told to the family.

The changes go in as two upserts (marks, attendance) with their audit entries, and the families'
notices into the outbox, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models import AttendanceCode, AuditAction, Lesson
from services.actor import Actor
from services.audit import record_changes
from services.journal.model import Change, EntryResult
from services.journal.rules import Target
from services.journal_rows import AttendanceRow, MarkRow, write_attendance, write_marks
from services.notices import Absence, MarkEntry
from services.outbox import FamilyNotice, notify_families
from services.school_clock import EntryClock

# --- written, audited and told to the family -------------------------------------------------


@dataclass(frozen=True)
class _RowIds:
    """Ids of the rows a change wrote, for the audit entries and the notices."""

    marks: dict[tuple[int, int], int]
    attendance: dict[int, int]

    def of(self, change: Change) -> int:
        student_id = change.entry.student.id
        return self.marks[(student_id, change.slot)] if change.entity == "mark" else self.attendance[student_id]


async def apply_changes(
    session: AsyncSession, actor: Actor, lesson: Lesson, changes: list[Change], clock: EntryClock, reason: str
) -> _RowIds:
    """The changes as two upserts (marks, attendance) and one insert of their audit entries."""
    assert actor.staff_id is not None
    marks = [
        _mark_params(change, lesson.id, actor.staff_id, clock.now) for change in changes if change.entity == "mark"
    ]
    attendance = [
        _attendance_params(change, lesson.id, actor.staff_id, clock.now)
        for change in changes
        if change.entity == "attendance"
    ]
    ids = _RowIds(await write_marks(session, marks), await write_attendance(session, attendance))
    await record_changes(
        session,
        actor,
        [
            dict(
                entity=change.entity,
                entity_id=ids.of(change),
                action=change.action,
                before=change.before,
                after=change.after,
                reason=reason,
                student_id=change.entry.student.id,
                lesson_id=lesson.id,
            )
            for change in changes
        ],
    )
    return ids


def _mark_params(change: Change, lesson_id: int, author_id: int, now: dt.datetime) -> dict[str, Any]:
    """The mark's whole new state. A new (or revived) mark starts afresh: no comment of a removed one."""
    row = change.row
    key = {"lesson_id": lesson_id, "student_id": change.entry.student.id, "slot": change.slot}
    if change.action is AuditAction.DELETE:
        assert isinstance(row, MarkRow)
        return key | {
            "value": row.value,
            "work_type_id": row.work_type_id,
            "weight": row.weight,
            "comment": row.comment,
            "author_staff_id": row.author_staff_id,
            "created_at": row.created_at,
            "updated_at": now,
            "deleted_at": now,
        }
    assert change.work_type is not None and change.after is not None
    created = change.action is AuditAction.CREATE
    return key | {
        "value": change.after["value"],
        "work_type_id": change.work_type.id,
        "weight": change.work_type.weight,
        "comment": "" if created or row is None else row.comment,
        "author_staff_id": author_id,
        "created_at": now if created or row is None else row.created_at,
        "updated_at": now,
        "deleted_at": None,
    }


def _attendance_params(change: Change, lesson_id: int, author_id: int, now: dt.datetime) -> dict[str, Any]:
    row = change.row
    key = {"lesson_id": lesson_id, "student_id": change.entry.student.id}
    if change.action is AuditAction.DELETE:
        assert isinstance(row, AttendanceRow)
        return key | {
            "code": row.code,
            "author_staff_id": row.author_staff_id,
            "created_at": row.created_at,
            "updated_at": now,
            "deleted_at": now,
        }
    assert change.after is not None
    created = change.action is AuditAction.CREATE
    return key | {
        "code": AttendanceCode(change.after["code"]),
        "author_staff_id": author_id,
        "created_at": now if created or row is None else row.created_at,
        "updated_at": now,
        "deleted_at": None,
    }


async def notify_changes(
    session: AsyncSession,
    target: Target,
    lesson: Lesson,
    changes: list[Change],
    ids: _RowIds,
    result: EntryResult,
    clock: EntryClock,
) -> None:
    """Outbox rows for the family: one set per student and kind of entry changed."""
    lines = {line.student_id: line for line in result.lines}
    touched: dict[tuple[int, str], list[Change]] = {}
    for change in changes:
        touched.setdefault((change.entry.student.id, change.entity), []).append(change)
    notices: list[FamilyNotice] = []
    for (student_id, entity), student_changes in touched.items():
        line = lines[student_id]
        if entity == "mark" and not line.marks_changed:
            continue  # only the kind of work changed: the marks the family knows stand
        about = dict(
            student_id=student_id,
            student=line.name,
            class_name=target.school_class.name,
            subject=target.subject.name,
            date=lesson.date,
            lesson_no=lesson.lesson_no,
            reason=result.reason,
        )
        notice: MarkEntry | Absence
        if entity == "mark":
            after = line.marks_after or ""
            kinds = {change.after["work_type"] for change in student_changes if change.after}
            notice = MarkEntry(
                values=tuple(int(value) for value in after.split("/") if value),
                before=line.marks_before or "",
                after=after,
                work_type=kinds.pop() if after and len(kinds) == 1 else None,
                **about,
            )
            group_key = f"mark:{student_id}:{lesson.id}"
        else:
            # A removed absence too: `code` None, `before` the code it replaces.
            bell = target.reference.bells.get(lesson.lesson_no)
            notice = Absence(
                code=line.code_after or None,
                before=line.code_before or None,
                after=line.code_after or None,
                time=bell.start.strftime("%H:%M") if bell else None,
                **about,
            )
            group_key = f"absence:{student_id}:{lesson.id}"
        notices.append(
            FamilyNotice(
                student_id,
                notice,
                source_entity=entity,
                source_id=ids.of(student_changes[0]),
                group_key=group_key,
                not_before=_told_from(target, lesson, clock) if isinstance(notice, Absence) else None,
            )
        )
    # In bulk: a 30-student line is a handful of queries, not five per student.
    await notify_families(session, notices, now=clock.now)


def _told_from(target: Target, lesson: Lesson, clock: EntryClock) -> dt.datetime | None:
    """An absence entered before its lesson (a note from home in the morning) is told to parents only
    once the lesson has begun, and after the usual grace for a slip: removed meanwhile, it never goes."""
    bell = target.reference.bells.get(lesson.lesson_no)
    if bell is None:
        return None
    return clock.lesson_start(lesson.date, bell.start) + clock.absence_grace
