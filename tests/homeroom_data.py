"""Journal rows written straight into the database for the class-teacher tests.

The entry commands (/mark) have their own tests; here we only need lessons, marks and absences to exist.
Everything takes demo names: classes '5А', subjects by full name, people by external id ('s1', 't1').
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attendance, AttendanceCode, Lesson, Mark, SchoolClass, Staff, Student, Subject, WorkType, utcnow


async def class_id(session: AsyncSession, name: str) -> int:
    found = await session.scalar(select(SchoolClass.id).where(SchoolClass.name == name))
    assert found is not None, f"no class {name}"
    return found


async def student(session: AsyncSession, external_id: str) -> Student:
    found = await session.scalar(select(Student).where(Student.external_id == external_id))
    assert found is not None, f"no student {external_id}"
    return found


async def staff_id(session: AsyncSession, external_id: str) -> int:
    found = await session.scalar(select(Staff.id).where(Staff.external_id == external_id))
    assert found is not None, f"no staff {external_id}"
    return found


async def subject_id(session: AsyncSession, name: str) -> int:
    found = await session.scalar(select(Subject.id).where(Subject.name == name))
    if found is None:
        subject = Subject(name=name)
        session.add(subject)
        await session.flush()
        found = subject.id
    return found


async def lesson(
    session: AsyncSession, class_name: str, subject: str, day: dt.date, lesson_no: int, teacher: str = "t1"
) -> Lesson:
    """The lesson of that class, subject, date and number; created when missing."""
    cls, subj = await class_id(session, class_name), await subject_id(session, subject)
    found = await session.scalar(
        select(Lesson).where(
            Lesson.class_id == cls, Lesson.subject_id == subj, Lesson.date == day, Lesson.lesson_no == lesson_no
        )
    )
    if found is None:
        found = Lesson(
            class_id=cls,
            subject_id=subj,
            date=day,
            lesson_no=lesson_no,
            teacher_id=await staff_id(session, teacher),
            attendance_taken=True,
        )
        session.add(found)
        await session.flush()
    return found


async def absence(
    session: AsyncSession,
    at: Lesson,
    student_id: str,
    code: str = "н",
    *,
    explanation: str | None = None,
    teacher: str = "t1",
) -> Attendance:
    row = Attendance(
        lesson_id=at.id,
        student_id=(await student(session, student_id)).id,
        code=AttendanceCode(code),
        explanation=AttendanceCode(explanation) if explanation else None,
        author_staff_id=await staff_id(session, teacher),
    )
    session.add(row)
    await session.flush()
    return row


async def mark(
    session: AsyncSession,
    at: Lesson,
    student_id: str,
    value: int,
    weight: float = 1.0,
    *,
    slot: int = 1,
    teacher: str = "t1",
    deleted: bool = False,
) -> Mark:
    work_type = await session.scalar(select(WorkType).where(WorkType.weight == weight).limit(1))
    if work_type is None:
        work_type = WorkType(name=f"вес {weight:g}", weight=weight)
        session.add(work_type)
        await session.flush()
    row = Mark(
        lesson_id=at.id,
        student_id=(await student(session, student_id)).id,
        slot=slot,
        value=value,
        work_type_id=work_type.id,
        weight=weight,
        author_staff_id=await staff_id(session, teacher),
        deleted_at=dt.datetime.now(dt.timezone.utc) if deleted else None,
    )
    session.add(row)
    await session.flush()
    return row


# --- a scenario shared by the service and the chat tests ----------------------------------------

THURSDAY = dt.date(2026, 11, 26)  # tests.conftest.SCHOOL_TODAY
MATH, RUSSIAN, HISTORY = "Математика", "Русский язык", "История"


async def thursday_absences(session: AsyncSession) -> dict[str, int]:
    """5А on Thursday: 1 математика, 2 русский, 3 история. Returns attendance ids by name."""
    math = await lesson(session, "5А", MATH, THURSDAY, 1)
    russian = await lesson(session, "5А", RUSSIAN, THURSDAY, 2, teacher="t2")
    history = await lesson(session, "5А", HISTORY, THURSDAY, 3, teacher="d1")
    ids = {
        "s1 math": (await absence(session, math, "s1", "н", explanation="уп")).id,
        "s2 history": (await absence(session, history, "s2", "б", teacher="d1")).id,
        "s3 russian": (await absence(session, russian, "s3", "н", teacher="t2")).id,
        "s5 math": (await absence(session, math, "s5", "оп")).id,
        "s7 math": (await absence(session, math, "s7", "н")).id,
        "s7 russian": (await absence(session, russian, "s7", "н", teacher="t2")).id,
        "s7 history": (await absence(session, history, "s7", "оп", teacher="d1")).id,
    }
    # Not in today's record: another day, another class, a removed entry.
    yesterday = await lesson(session, "5А", MATH, THURSDAY - dt.timedelta(days=1), 2)
    await absence(session, yesterday, "s4", "н")
    other_class = await lesson(session, "5Б", MATH, THURSDAY, 2)
    await absence(session, other_class, "s9", "н")
    removed = await absence(session, math, "s8", "н")
    removed.deleted_at = utcnow()
    await session.commit()
    return ids
