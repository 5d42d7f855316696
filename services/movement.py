"""«Движение учащихся»: enrolling, moving to another class, leaving — each dated, each kept.

Every movement writes a ClassMove row (never rewritten) and updates the student's current class
and status. Marks and attendance stay with the student: nothing here touches them.

Dates are checked so that the dated history stays consistent with the journal:
- no future dates: a movement is recorded when it has happened (the student's current class
  changes at once, and a class list for a day before the move must not show it yet);
- no date before the student's last recorded movement (history is told in order);
- a move or leaving dated in the past is refused while the student has marks or attendance in
  the old class on or after that date: those entries would then belong to a class the student
  was no longer in. Remove or correct them first, or give a later date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attendance, ClassMove, Lesson, Mark, MoveKind, SchoolClass, Student, StudentStatus
from services.access import ensure_homeroom_of
from services.actor import Actor
from services.errors import NotFound, ValidationFailed
from services.homeroom import class_by_id
from services.names import normalize_text_key

# As long as the journal keeps them (and the school import accepts).
MAX_NAME_LENGTH = Student.__table__.c.full_name.type.length
MAX_ID_LENGTH = Student.__table__.c.external_id.type.length


@dataclass(frozen=True)
class Movement:
    kind: MoveKind
    student: Student
    from_class: SchoolClass | None
    to_class: SchoolClass | None
    day: dt.date
    returning: bool = False  # an enrolment of someone who had left


async def find_student(session: AsyncSession, external_id: str) -> Student:
    student = await session.scalar(select(Student).where(Student.external_id == external_id.strip()))
    if student is None:
        raise NotFound("movement-unknown-student", id=external_id)
    return student


async def enrol(
    session: AsyncSession, actor: Actor, *, class_id: int, external_id: str, full_name: str, day: dt.date,
    today: dt.date,
) -> Movement:
    """A new student (id and full name), or one who left coming back (id; the name may be omitted)."""
    ensure_homeroom_of(actor, class_id)
    to_class = await class_by_id(session, class_id)
    _not_in_future(day, today)
    external_id = external_id.strip()
    full_name = " ".join(full_name.split())
    if len(external_id) > MAX_ID_LENGTH:
        raise ValidationFailed("movement-id-too-long", limit=MAX_ID_LENGTH)
    if len(full_name) > MAX_NAME_LENGTH:
        raise ValidationFailed("movement-name-too-long", limit=MAX_NAME_LENGTH)
    student = await session.scalar(select(Student).where(Student.external_id == external_id))
    returning = student is not None
    if student is None:
        if len(full_name.split()) < 2:
            raise ValidationFailed("movement-name-needed")
        student = Student(external_id=external_id, full_name=full_name, status=StudentStatus.STUDYING)
        session.add(student)
        await session.flush()
    else:
        if student.class_id is not None and student.status != StudentStatus.LEFT:
            current = await class_by_id(session, student.class_id)
            raise ValidationFailed("movement-already-studying", id=external_id, cls=current.name)
        if full_name and normalize_text_key(full_name) != normalize_text_key(student.full_name):
            raise ValidationFailed("movement-id-taken", id=external_id)
        await _after_last_move(session, student, day)
    student.class_id = to_class.id
    student.status = StudentStatus.STUDYING
    _record(session, actor, student, MoveKind.ENROL, None, to_class, day)
    await session.flush()
    return Movement(MoveKind.ENROL, student, None, to_class, day, returning=returning)


async def move(
    session: AsyncSession, actor: Actor, *, student_id: int, to_class_id: int, day: dt.date, today: dt.date,
) -> Movement:
    """To another class of the school from `day` on."""
    student, from_class = await studying_student(session, actor, student_id)
    to_class = await class_by_id(session, to_class_id)
    if to_class.id == from_class.id:
        raise ValidationFailed("movement-same-class", name=student.full_name, cls=to_class.name)
    await _check_date(session, student, from_class, day, today)
    student.class_id = to_class.id
    _record(session, actor, student, MoveKind.MOVE, from_class, to_class, day)
    await session.flush()
    return Movement(MoveKind.MOVE, student, from_class, to_class, day)


async def leave(
    session: AsyncSession, actor: Actor, *, student_id: int, day: dt.date, today: dt.date,
) -> Movement:
    """Leaves the school from `day` on (выбыл): out of every class, status left."""
    student, from_class = await studying_student(session, actor, student_id)
    await _check_date(session, student, from_class, day, today)
    student.class_id = None
    student.status = StudentStatus.LEFT
    _record(session, actor, student, MoveKind.LEAVE, from_class, None, day)
    await session.flush()
    return Movement(MoveKind.LEAVE, student, from_class, None, day)


async def history(session: AsyncSession, student_id: int) -> list[ClassMove]:
    return list(await session.scalars(
        select(ClassMove).where(ClassMove.student_id == student_id).order_by(ClassMove.date, ClassMove.id)
    ))


# --- checks -------------------------------------------------------------------------------------

async def studying_student(session: AsyncSession, actor: Actor, student_id: int) -> tuple[Student, SchoolClass]:
    """A student in a class the actor may move students out of, with that class."""
    student = await session.get(Student, student_id)
    if student is None:
        raise NotFound("movement-unknown-student", id=str(student_id))
    if student.class_id is None or student.status == StudentStatus.LEFT:
        raise ValidationFailed("movement-not-studying", id=student.external_id)
    ensure_homeroom_of(actor, student.class_id)
    return student, await class_by_id(session, student.class_id)


async def _check_date(session: AsyncSession, student: Student, from_class: SchoolClass, day: dt.date,
                      today: dt.date) -> None:
    _not_in_future(day, today)
    await _after_last_move(session, student, day)
    entries_after = or_(
        exists().where(
            Mark.student_id == student.id, Mark.deleted_at.is_(None), Mark.lesson_id == Lesson.id,
            Lesson.class_id == from_class.id, Lesson.date >= day,
        ),
        exists().where(
            Attendance.student_id == student.id, Attendance.deleted_at.is_(None), Attendance.lesson_id == Lesson.id,
            Lesson.class_id == from_class.id, Lesson.date >= day,
        ),
    )
    if await session.scalar(select(entries_after)):
        raise ValidationFailed(
            "movement-entries-after", name=student.full_name, cls=from_class.name, date=day.strftime("%d.%m.%Y"),
        )


def _not_in_future(day: dt.date, today: dt.date) -> None:
    if day > today:
        raise ValidationFailed("movement-future-date", date=day.strftime("%d.%m.%Y"))


async def _after_last_move(session: AsyncSession, student: Student, day: dt.date) -> None:
    last = await session.scalar(select(func.max(ClassMove.date)).where(ClassMove.student_id == student.id))
    if last is not None and day < last:
        raise ValidationFailed("movement-before-history", date=last.strftime("%d.%m.%Y"))


def _record(session: AsyncSession, actor: Actor, student: Student, kind: MoveKind,
            from_class: SchoolClass | None, to_class: SchoolClass | None, day: dt.date) -> None:
    session.add(ClassMove(
        student_id=student.id, kind=kind,
        from_class_id=from_class.id if from_class else None, to_class_id=to_class.id if to_class else None,
        date=day, created_by_staff_id=actor.staff_id,
    ))
