"""One lesson's marks and attendance rows: read as plain values, written by upsert on their natural keys.

A mark is keyed by (lesson, student, slot), an attendance entry by (lesson, student). Writes are
INSERT … ON CONFLICT DO UPDATE with the row's whole new state, many rows in one statement: a line of
30 students is one statement for the marks and one for the absences, on SQLite and PostgreSQL alike,
and a row someone else created a moment ago is updated rather than tripped over. Removal is a soft
delete (deleted_at); writing a removed slot again revives the row, so there is never a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, Integer, String, Text, literal, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attendance, AttendanceCode, Lesson, Mark, WorkType
from models.writing import upsert
from services.lessons import LessonSlot


class _SoftDeleted:
    deleted_at: dt.datetime | None

    @property
    def live(self) -> bool:
        """Not removed (removal keeps the row, with the time it was removed)."""
        return self.deleted_at is None


@dataclass(frozen=True)
class MarkRow(_SoftDeleted):
    id: int
    student_id: int
    slot: int
    value: int
    work_type_id: int
    work_type: str
    weight: float
    comment: str
    author_staff_id: int
    created_at: dt.datetime
    deleted_at: dt.datetime | None


@dataclass(frozen=True)
class AttendanceRow(_SoftDeleted):
    id: int
    student_id: int
    code: AttendanceCode
    explanation: AttendanceCode | None
    author_staff_id: int
    created_at: dt.datetime
    deleted_at: dt.datetime | None


@dataclass(frozen=True)
class LessonRows:
    """Marks by (student, slot) and attendance by student, removed rows included."""

    marks: dict[tuple[int, int], MarkRow]
    attendance: dict[int, AttendanceRow]

    def marks_text(self, student_id: int) -> str:
        """«5», «3/4» or "" (the live marks in slot order)."""
        live = sorted(
            (row for (sid, _), row in self.marks.items() if sid == student_id and row.live), key=lambda row: row.slot
        )
        return "/".join(str(row.value) for row in live)

    def live_attendance(self, student_id: int) -> AttendanceRow | None:
        row = self.attendance.get(student_id)
        return row if row is not None and row.live else None

    def code(self, student_id: int) -> str:
        row = self.live_attendance(student_id)
        return AttendanceCode(row.code).value if row is not None else ""

    def explanation(self, student_id: int) -> str:
        row = self.live_attendance(student_id)
        return AttendanceCode(row.explanation).value if row is not None and row.explanation else ""


NO_ROWS = LessonRows({}, {})


async def lesson_rows(session: AsyncSession, slot: LessonSlot, student_ids: Sequence[int]) -> LessonRows:
    """The rows of the lesson at `slot` for these students, as they are in the database now.

    Found by the lesson's natural key rather than its id: a writer who holds the lesson
    (services.lessons.lesson_lock) sees rows of a lesson row created a moment before it got its turn.
    """
    if not student_ids:
        return NO_ROWS
    lesson = (
        (Lesson.class_id == slot.class_id)
        & (Lesson.subject_id == slot.subject_id)
        & (Lesson.date == slot.date)
        & (Lesson.lesson_no == slot.lesson_no)
        & (Lesson.subgroup == slot.subgroup)
    )
    # Both kinds in one statement: a mark's columns, then an attendance entry's, the other's left empty.
    marks = (
        select(
            literal("mark", String).label("entity"),
            Mark.id,
            Mark.student_id,
            Mark.slot,
            Mark.value,
            Mark.work_type_id,
            WorkType.name,
            Mark.weight,
            Mark.comment,
            null().cast(String),
            null().cast(String),
            Mark.author_staff_id,
            Mark.created_at,
            Mark.deleted_at,
        )
        .join(Lesson, Lesson.id == Mark.lesson_id)
        .join(WorkType, WorkType.id == Mark.work_type_id)
        .where(lesson, Mark.student_id.in_(student_ids))
    )
    attendance = (
        select(
            literal("attendance", String),
            Attendance.id,
            Attendance.student_id,
            null().cast(Integer),
            null().cast(Integer),
            null().cast(Integer),
            null().cast(String),
            null().cast(Float),
            null().cast(Text),
            Attendance.code,
            Attendance.explanation,
            Attendance.author_staff_id,
            Attendance.created_at,
            Attendance.deleted_at,
        )
        .join(Lesson, Lesson.id == Attendance.lesson_id)
        .where(lesson, Attendance.student_id.in_(student_ids))
    )
    found = LessonRows({}, {})
    for (
        entity,
        row_id,
        student_id,
        mark_slot,
        value,
        work_type_id,
        work_type,
        weight,
        comment,
        code,
        explanation,
        author,
        created_at,
        deleted_at,
    ) in await session.execute(union_all(marks, attendance)):
        if entity == "mark":
            found.marks[(student_id, mark_slot)] = MarkRow(
                row_id,
                student_id,
                mark_slot,
                value,
                work_type_id,
                work_type,
                weight,
                comment,
                author,
                created_at,
                deleted_at,
            )
        else:
            found.attendance[student_id] = AttendanceRow(
                row_id,
                student_id,
                AttendanceCode(code),
                AttendanceCode(explanation) if explanation else None,
                author,
                created_at,
                deleted_at,
            )
    return found


# What a mark's upsert may change; the key columns (lesson, student, slot) never change.
MARK_STATE = ("value", "work_type_id", "weight", "comment", "author_staff_id", "created_at", "updated_at", "deleted_at")
ATTENDANCE_STATE = ("code", "author_staff_id", "created_at", "updated_at", "deleted_at")


async def write_marks(session: AsyncSession, rows: list[dict[str, Any]]) -> dict[tuple[int, int], int]:
    """Upsert mark rows (key and MARK_STATE columns each); returns their ids by (student, slot)."""
    return {
        (student_id, slot): row_id
        for row_id, student_id, slot in await _upsert(
            session, Mark, rows, ("lesson_id", "student_id", "slot"), MARK_STATE, (Mark.id, Mark.student_id, Mark.slot)
        )
    }


async def write_attendance(session: AsyncSession, rows: list[dict[str, Any]]) -> dict[int, int]:
    """Upsert attendance rows (key and ATTENDANCE_STATE columns each); returns their ids by student."""
    return {
        student_id: row_id
        for row_id, student_id in await _upsert(
            session,
            Attendance,
            rows,
            ("lesson_id", "student_id"),
            ATTENDANCE_STATE,
            (Attendance.id, Attendance.student_id),
        )
    }


async def _upsert(
    session: AsyncSession,
    model: type,
    rows: list[dict[str, Any]],
    key: tuple[str, ...],
    state: tuple[str, ...],
    returning: tuple[Any, ...],
) -> list[Any]:
    if not rows:
        return []
    insert = upsert(session, model)
    statement = insert.on_conflict_do_update(
        index_elements=list(key), set_={column: insert.excluded[column] for column in state}
    ).returning(*returning)
    return list(await session.execute(statement, rows))
