"""Who was in which class on a date, numbered as in the paper journal (services.class_numbers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClassMove, ClassNumber, Student
from services.class_numbers import numbered


@dataclass(frozen=True)
class RosterEntry:
    number: int  # № in the class list: fixed for the year (services.class_numbers)
    student: Student
    left_on: dt.date | None = None  # set for a student who had left the class by the list's date

    @property
    def present(self) -> bool:
        return self.left_on is None


async def class_ids_on(session: AsyncSession, student_ids: list[int], day: dt.date) -> dict[int, int | None]:
    """Each student's class on `day` by the dated moves; a student without moves is in their current class."""
    moves = await session.execute(
        select(ClassMove.student_id, ClassMove.date, ClassMove.from_class_id, ClassMove.to_class_id)
        .where(ClassMove.student_id.in_(student_ids))
        .order_by(ClassMove.student_id, ClassMove.date, ClassMove.id)
    )
    placed: dict[int, int | None] = {}
    for student_id, date, from_class_id, to_class_id in moves:
        _place(placed, student_id, date, from_class_id, to_class_id, day)
    return placed


def _place(
    placed: dict[int, int | None],
    student_id: int,
    date: dt.date,
    from_class_id: int | None,
    to_class_id: int | None,
    day: dt.date,
) -> None:
    """One move, taken in date order, into where the student was on `day`."""
    if date <= day:
        placed[student_id] = to_class_id  # LEAVE has no to_class: out of every class
    else:
        # Before their first move a student was where that move took them from (nowhere, for ENROL).
        placed.setdefault(student_id, from_class_id)


async def roster_on(
    session: AsyncSession, class_id: int, day: dt.date, *, with_leavers: bool = False
) -> list[RosterEntry]:
    """The class list on `day` in the order of its fixed numbers.

    `with_leavers`: also those who had left the class by `day` and keep their number in it (this
    year's), each with the date they left; nothing may be recorded for them after that date.
    One statement: everyone who is or ever was in the class, with their moves and their № in it.
    """
    ever_moved_here = select(ClassMove.student_id).where(
        (ClassMove.to_class_id == class_id) | (ClassMove.from_class_id == class_id)
    )
    rows = await session.execute(
        select(Student, ClassMove.date, ClassMove.from_class_id, ClassMove.to_class_id, ClassNumber.number)
        .outerjoin(ClassMove, ClassMove.student_id == Student.id)
        .outerjoin(ClassNumber, (ClassNumber.student_id == Student.id) & (ClassNumber.class_id == class_id))
        .where(Student.id.in_(ever_moved_here) | (Student.class_id == class_id))
        .order_by(Student.id, ClassMove.date, ClassMove.id)
    )
    candidates: dict[int, Student] = {}
    placed: dict[int, int | None] = {}
    left_on: dict[int, dt.date] = {}
    stored: dict[int, int] = {}  # student id → № in this class
    for student, date, from_class_id, to_class_id, number in rows:
        candidates[student.id] = student
        if number is not None:
            stored[student.id] = number
        if date is not None:
            _place(placed, student.id, date, from_class_id, to_class_id, day)
            if date <= day and from_class_id == class_id and to_class_id != class_id:
                left_on[student.id] = date
    members = [student for student in candidates.values() if _class_on(student, placed) == class_id]
    numbers = numbered([(student.id, student.full_name) for student in members], stored)
    entries = [RosterEntry(numbers[student.id], student) for student in members]
    if with_leavers:
        entries += [
            RosterEntry(stored[student.id], student, left_on[student.id])
            for student in candidates.values()
            if student.id in left_on and student.id in stored and student.id not in numbers
        ]
    return sorted(entries, key=lambda entry: entry.number)


def _class_on(student: Student, placed: dict[int, int | None]) -> int | None:
    return placed.get(student.id, student.class_id)
