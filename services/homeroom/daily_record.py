"""The daily record: who of a class missed (or came late to) which lessons on a day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attendance, AttendanceCode, ExplanationProposal, Lesson, Student, Subject
from services.actor import Actor
from services.homeroom.classes import class_by_id, ensure_reads_class
from services.roster import roster_on


@dataclass(frozen=True)
class MissedLesson:
    attendance_id: int
    lesson_no: int
    subject: str
    code: AttendanceCode
    explanation: AttendanceCode | None
    proposal: str | None = None  # a parent's answer still to be confirmed: ill, excused, unknown

    @property
    def unexplained(self) -> bool:
        return self.code == AttendanceCode.ABSENT and self.explanation is None

    @property
    def explainable(self) -> bool:
        return self.code == AttendanceCode.ABSENT


@dataclass(frozen=True)
class StudentDay:
    student_id: int
    number: int | None  # № in the class list that day; None if no longer in the class
    full_name: str
    lessons: tuple[MissedLesson, ...]

    @property
    def unexplained(self) -> bool:
        return any(lesson.unexplained for lesson in self.lessons)

    @property
    def explainable(self) -> bool:
        return any(lesson.explainable for lesson in self.lessons)


@dataclass(frozen=True)
class DailyRecord:
    class_id: int
    class_name: str
    day: dt.date
    class_size: int
    students: tuple[StudentDay, ...]  # unexplained absences first, then by №

    @property
    def absent_count(self) -> int:
        return sum(1 for student in self.students if any(l.code != AttendanceCode.LATE for l in student.lessons))


async def daily_record(session: AsyncSession, actor: Actor, class_id: int, day: dt.date) -> DailyRecord:
    """Who missed (or came late to) which lessons of the class on `day`."""
    ensure_reads_class(actor, class_id)
    school_class = await class_by_id(session, class_id)
    rows = (await session.execute(absences_on(day).where(Lesson.class_id == class_id))).all()
    roster = await roster_on(session, class_id, day)
    numbers = {entry.student.id: entry.number for entry in roster}
    proposals = await pending_proposals(session, [row[0] for row in rows])
    return build_daily_record(class_id, school_class.name, day, rows, numbers, proposals)


async def pending_proposals(session: AsyncSession, attendance_ids: list[int]) -> dict[int, str]:
    """Attendance id → the latest unresolved explanation a parent proposed for it."""
    if not attendance_ids:
        return {}
    rows = await session.scalars(
        select(ExplanationProposal)
        .where(ExplanationProposal.attendance_id.in_(attendance_ids), ExplanationProposal.resolved_at.is_(None))
        .order_by(ExplanationProposal.created_at, ExplanationProposal.id)
    )
    return {row.attendance_id: row.proposal for row in rows}


def absences_on(day: dt.date) -> Select:
    """(attendance id, student id, code, explanation, class id, lesson №, subject, student's name) on `day`."""
    return (
        select(
            Attendance.id,
            Attendance.student_id,
            Attendance.code,
            Attendance.explanation,
            Lesson.class_id,
            Lesson.lesson_no,
            Subject.name,
            Student.full_name,
        )
        .join(Lesson, Lesson.id == Attendance.lesson_id)
        .join(Subject, Subject.id == Lesson.subject_id)
        .join(Student, Student.id == Attendance.student_id)
        .where(Lesson.date == day, Attendance.deleted_at.is_(None))
        .order_by(Lesson.class_id, Lesson.lesson_no, Subject.name)
    )


def build_daily_record(
    class_id: int,
    class_name: str,
    day: dt.date,
    rows: Sequence[Row],
    numbers: dict[int, int],
    proposals: dict[int, str] | None = None,
) -> DailyRecord:
    """The record from the class's rows of `absences_on` (in their order) and its list that day
    (student id → № in it), with the parents' answers still to confirm (pending_proposals)."""
    proposals = proposals or {}
    lessons: dict[int, list[MissedLesson]] = defaultdict(list)
    names: dict[int, str] = {}
    for attendance_id, student_id, code, explanation, _, lesson_no, subject, full_name in rows:
        names[student_id] = full_name
        lessons[student_id].append(
            MissedLesson(
                attendance_id,
                lesson_no,
                subject,
                AttendanceCode(code),
                AttendanceCode(explanation) if explanation else None,
                None if explanation else proposals.get(attendance_id),
            )
        )
    students = [
        StudentDay(student_id, numbers.get(student_id), names[student_id], tuple(missed))
        for student_id, missed in lessons.items()
    ]
    students.sort(key=lambda s: (not s.unexplained, s.number is None, s.number or 0, s.full_name.casefold()))
    return DailyRecord(class_id, class_name, day, len(numbers), tuple(students))
