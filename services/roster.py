"""Who was in which class on a date, numbered as in the paper journal."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClassMove, Student


@dataclass(frozen=True)
class RosterEntry:
    number: int  # № in the class list: alphabetical, from 1
    student: Student


async def class_ids_on(session: AsyncSession, student_ids: list[int], day: dt.date) -> dict[int, int | None]:
    """Each student's class on `day` by the dated moves; a student without moves is in their current class."""
    moves = await session.scalars(
        select(ClassMove)
        .where(ClassMove.student_id.in_(student_ids))
        .order_by(ClassMove.student_id, ClassMove.date, ClassMove.id)
    )
    placed: dict[int, int | None] = {}
    for move in moves:
        if move.date <= day:
            placed[move.student_id] = move.to_class_id  # LEAVE has no to_class: out of every class
        else:
            # Before their first move a student was where that move took them from (nowhere, for ENROL).
            placed.setdefault(move.student_id, move.from_class_id)
    return placed


async def roster_on(session: AsyncSession, class_id: int, day: dt.date) -> list[RosterEntry]:
    """The class list on `day`, alphabetical (surname first, as the names are written)."""
    candidates = {
        s.id: s
        for s in await session.scalars(
            select(Student).where(
                Student.id.in_(select(ClassMove.student_id).where(
                    (ClassMove.to_class_id == class_id) | (ClassMove.from_class_id == class_id)
                ))
                | (Student.class_id == class_id)
            )
        )
    }
    if not candidates:
        return []
    placed = await class_ids_on(session, list(candidates), day)
    members = [student for student in candidates.values() if _class_on(student, placed) == class_id]
    members.sort(key=lambda s: (s.full_name.casefold(), s.id))
    return [RosterEntry(number, student) for number, student in enumerate(members, start=1)]


def _class_on(student: Student, placed: dict[int, int | None]) -> int | None:
    return placed[student.id] if student.id in placed else student.class_id
