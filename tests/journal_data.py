"""Journal rows written straight into the database, for tests that read the journal.

Names as in the demo school: students s1…, staff t1…, subjects by any prefix («матем»), work types by
prefix («контр»). Nothing here goes through the mark-entry service: these tests are about reading.
Lessons, students and staff are found with tests.homeroom_data's helpers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import (
    AcademicYear,
    Attendance,
    AttendanceCode,
    Lesson,
    Mark,
    Period,
    SchoolClass,
    Subject,
    WorkType,
    utcnow,
)
from services.errors import DomainError
from services.names import normalize_text_key
from tests import homeroom_data
from tests.homeroom_data import class_id, staff_id, student

__all__ = [
    "add_absence",
    "add_mark",
    "class_id",
    "lesson",
    "period",
    "staff_id",
    "student",
    "subject",
    "work_type",
    "year",
]


async def _by_prefix(session: AsyncSession, model, prefix: str):
    key = normalize_text_key(prefix)
    found = [row for row in await session.scalars(select(model)) if normalize_text_key(row.name).startswith(key)]
    assert len(found) == 1, f"{model.__name__} {prefix!r}: {[row.name for row in found]}"
    return found[0]


async def subject(session: AsyncSession, prefix: str) -> Subject:
    return await _by_prefix(session, Subject, prefix)


async def work_type(session: AsyncSession, prefix: str) -> WorkType:
    return await _by_prefix(session, WorkType, prefix)


async def period(session: AsyncSession, number: int) -> Period:
    """The Nth period (1-based) of the school's calendar."""
    return list(await session.scalars(select(Period).order_by(Period.start)))[number - 1]


async def year(session: AsyncSession) -> AcademicYear:
    return await session.scalar(select(AcademicYear).order_by(AcademicYear.start).limit(1))


async def lesson(
    session: AsyncSession,
    class_name: str,
    subject_prefix: str,
    date: dt.date,
    lesson_no: int = 1,
    teacher: str = "t1",
    homework: str | None = None,
) -> Lesson:
    """The dated lesson, created when missing (as the journal does when a lesson is first written to)."""
    found = await homeroom_data.lesson(
        session, class_name, (await subject(session, subject_prefix)).name, date, lesson_no, teacher
    )
    if homework is not None:
        found.homework = homework
        await session.flush()
    return found


async def _class_name(session: AsyncSession, student_ext: str) -> str:
    return (await session.get(SchoolClass, (await student(session, student_ext)).class_id)).name


async def add_mark(
    session: AsyncSession,
    student_ext: str,
    subject_prefix: str,
    date: dt.date,
    value: int,
    work_type: str = "контрольная работа",
    lesson_no: int = 1,
    teacher: str = "t1",
    *,
    slot: int = 1,
    comment: str = "",
    deleted: bool = False,
) -> Mark:
    """A mark in the student's class's lesson, with the work type's current weight as its snapshot."""
    held = await lesson(session, await _class_name(session, student_ext), subject_prefix, date, lesson_no, teacher)
    kind = await _by_prefix(session, WorkType, work_type)
    mark = Mark(
        lesson_id=held.id,
        student_id=(await student(session, student_ext)).id,
        slot=slot,
        value=value,
        work_type_id=kind.id,
        weight=kind.weight,
        comment=comment,
        author_staff_id=await staff_id(session, teacher),
        deleted_at=utcnow() if deleted else None,
    )
    session.add(mark)
    await session.flush()
    return mark


async def add_absence(
    session: AsyncSession,
    student_ext: str,
    subject_prefix: str,
    date: dt.date,
    code: str = "н",
    explanation: str | None = None,
    lesson_no: int = 1,
    teacher: str = "t1",
    *,
    deleted: bool = False,
) -> Attendance:
    held = await lesson(session, await _class_name(session, student_ext), subject_prefix, date, lesson_no, teacher)
    author = await staff_id(session, teacher)
    row = Attendance(
        lesson_id=held.id,
        student_id=(await student(session, student_ext)).id,
        code=AttendanceCode(code),
        explanation=AttendanceCode(explanation) if explanation else None,
        author_staff_id=author,
        explained_by_staff_id=author if explanation else None,
        deleted_at=utcnow() if deleted else None,
    )
    session.add(row)
    await session.flush()
    return row


async def row_counts(session_maker: async_sessionmaker[AsyncSession], **tables: type) -> dict[str, int]:
    """How many rows each named table holds: what a refusal must leave as it was."""
    async with session_maker() as session:
        return {name: await session.scalar(select(func.count()).select_from(model)) for name, model in tables.items()}


async def attempt(
    session_maker: async_sessionmaker[AsyncSession], action: Callable[[AsyncSession], Awaitable[Any]]
) -> Any:
    """Run one action in its own transaction; a refusal comes back as the error.

    The refused transaction is committed, not rolled back: whatever the service wrote before refusing
    (or before answering that a reason is needed) would stay, so "records nothing" below proves the
    checks come before any write.
    """
    async with session_maker() as session:
        try:
            result = await action(session)
        except DomainError as error:
            await session.commit()
            return error
        await session.commit()
        return result
