"""Lessons missed, by reason, as the сводная ведомость and the табель count them.

An attendance row is a missed lesson unless the teacher marked a lateness («оп»); its reason is the
class teacher's explanation where one is set, else the teacher's code: «б» по болезни, «уп»
уважительная, «нп» неуважительная (an unexplained «н» counts in the total only). Removed rows
(deleted_at) count nowhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attendance, AttendanceCode, Lesson
from services.reports.document import CellKind, Column

ABSENCE_COLUMNS = (
    Column("Пропущено уроков", 10, CellKind.INTEGER),
    Column("По болезни", 9, CellKind.INTEGER),
    Column("Уважительные", 12, CellKind.INTEGER),
    Column("Неуважительные", 14, CellKind.INTEGER),
    Column("Опоздания", 10, CellKind.INTEGER),
)


@dataclass(frozen=True, slots=True)
class AbsenceRow:
    student_id: int
    date: dt.date
    code: str
    explanation: str | None

    @property
    def late(self) -> bool:
        return self.code == AttendanceCode.LATE.value

    @property
    def reason(self) -> str:
        return self.explanation or self.code


@dataclass(frozen=True)
class Absences:
    missed: int = 0
    ill: int = 0
    excused: int = 0
    unexcused: int = 0
    late: int = 0

    @property
    def cells(self) -> tuple[int, ...]:
        """Under ABSENCE_COLUMNS."""
        return (self.missed, self.ill, self.excused, self.unexcused, self.late)


def count_absences(rows: Iterable[AbsenceRow]) -> Absences:
    rows = list(rows)
    reasons = [row.reason for row in rows if not row.late]
    return Absences(
        missed=len(reasons),
        ill=reasons.count(AttendanceCode.ILL.value),
        excused=reasons.count(AttendanceCode.EXCUSED.value),
        unexcused=reasons.count(AttendanceCode.UNEXCUSED.value),
        late=len(rows) - len(reasons),
    )


async def absence_rows(
    session: AsyncSession, student_ids: Sequence[int], start: dt.date, end: dt.date
) -> list[AbsenceRow]:
    """The pupils' attendance rows of lessons from `start` to `end`, in any class (one statement)."""
    if not student_ids:
        return []
    rows = await session.execute(
        select(Attendance.student_id, Lesson.date, Attendance.code, Attendance.explanation)
        .join(Lesson, Lesson.id == Attendance.lesson_id)
        .where(
            Attendance.student_id.in_(student_ids),
            Attendance.deleted_at.is_(None),
            Lesson.date >= start,
            Lesson.date <= end,
        )
    )
    return [AbsenceRow(student_id, date, code, explanation) for student_id, date, code, explanation in rows]
