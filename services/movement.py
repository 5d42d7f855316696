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

Each movement is first checked (`check_*`, nothing written) so the chat can show what will be
recorded and ask for a confirmation; the confirmed one checks again and writes. A student joining
a class gets the next free № in it (services.class_numbers); one who leaves keeps theirs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attendance, ClassMove, Lesson, Mark, MoveKind, SchoolClass, Student, StudentStatus
from services.access import ensure_homeroom_of
from services.actor import Actor, Role
from services.class_numbers import give_numbers
from services.errors import NotFound, ValidationFailed
from services.homeroom.classes import class_by_id
from services.names import is_person_name, name_in_case, normalize_text_key

# As long as the journal keeps them (and the school import accepts).
MAX_NAME_LENGTH = Student.__table__.c.full_name.type.length
MAX_ID_LENGTH = Student.__table__.c.external_id.type.length
# A transfer goes to a parallel class or the next (or previous) grade; anything further is a data error.
MAX_GRADE_STEP = 1
CORRECTION_NOTE = "correction"


@dataclass(frozen=True)
class Movement:
    """A movement as checked (to be confirmed) or as written (`number` set: the № in the new class)."""

    kind: MoveKind
    external_id: str
    full_name: str
    from_class: SchoolClass | None
    to_class: SchoolClass | None
    day: dt.date
    student_id: int | None = None  # None only for a new student not written yet
    returning: bool = False  # an enrolment of someone who had left
    correction: bool = False  # a move across more than one grade: the administrator corrects the data
    number: int | None = None


async def find_student(session: AsyncSession, external_id: str) -> Student:
    student = await session.scalar(select(Student).where(Student.external_id == external_id.strip()))
    if student is None:
        raise NotFound("movement-unknown-student", id=external_id)
    return student


# --- checked first: what the confirmation shows -------------------------------------------------


async def check_enrol(
    session: AsyncSession,
    actor: Actor,
    *,
    class_id: int,
    external_id: str,
    full_name: str,
    day: dt.date,
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
    if full_name and not is_person_name(full_name):
        raise ValidationFailed("movement-name-invalid", name=full_name)
    student = await session.scalar(select(Student).where(Student.external_id == external_id))
    if student is None:
        if len(full_name.split()) < 2:
            raise ValidationFailed("movement-name-needed")
        return Movement(MoveKind.ENROL, external_id, full_name, None, to_class, day)
    if student.class_id is not None and student.status != StudentStatus.LEFT:
        current = await class_by_id(session, student.class_id)
        raise ValidationFailed("movement-already-studying", id=external_id, cls=current.name)
    if full_name and normalize_text_key(full_name) != normalize_text_key(student.full_name):
        raise ValidationFailed("movement-id-taken", id=external_id)
    await _after_last_move(session, student, day)
    return Movement(
        MoveKind.ENROL,
        student.external_id,
        student.full_name,
        None,
        to_class,
        day,
        student_id=student.id,
        returning=True,
    )


async def check_move(
    session: AsyncSession,
    actor: Actor,
    *,
    student_id: int,
    to_class_id: int,
    day: dt.date,
    today: dt.date,
    as_correction: bool | None = None,
) -> Movement:
    """To another class of the school from `day` on.

    A move across more than one grade (5 → 1) is no real transfer but a mistake in the data: only the
    administrator records it, confirmed as a correction (`as_correction`; None while only asking).
    """
    student, from_class = await studying_student(session, actor, student_id)
    to_class = await class_by_id(session, to_class_id)
    if to_class.id == from_class.id:
        raise ValidationFailed("movement-same-class", name=student.full_name, cls=to_class.name)
    correction = abs(to_class.grade - from_class.grade) > MAX_GRADE_STEP
    if correction and (not actor.has(Role.ADMIN) or as_correction is False):
        raise ValidationFailed(
            "movement-grade-jump-admin" if actor.has(Role.ADMIN) else "movement-grade-jump",
            name=student.full_name,
            from_class=from_class.name,
            to_class=to_class.name,
        )
    await _check_date(session, student, from_class, day, today)
    return Movement(
        MoveKind.MOVE,
        student.external_id,
        student.full_name,
        from_class,
        to_class,
        day,
        student_id=student.id,
        correction=correction,
    )


async def check_leave(
    session: AsyncSession, actor: Actor, *, student_id: int, day: dt.date, today: dt.date
) -> Movement:
    """Leaves the school from `day` on (выбыл): out of every class; keeps their № in the old list."""
    student, from_class = await studying_student(session, actor, student_id)
    await _check_date(session, student, from_class, day, today)
    return Movement(
        MoveKind.LEAVE, student.external_id, student.full_name, from_class, None, day, student_id=student.id
    )


# --- written once confirmed (checked again: things may have changed since) --------------------------


async def enrol(
    session: AsyncSession,
    actor: Actor,
    *,
    class_id: int,
    external_id: str,
    full_name: str,
    day: dt.date,
    today: dt.date,
) -> Movement:
    checked = await check_enrol(
        session, actor, class_id=class_id, external_id=external_id, full_name=full_name, day=day, today=today
    )
    assert checked.to_class is not None
    if checked.student_id is None:
        student = Student(external_id=checked.external_id, full_name=checked.full_name, status=StudentStatus.STUDYING)
        session.add(student)
        await session.flush()
    else:
        student = await session.get_one(Student, checked.student_id)
    student.class_id = checked.to_class.id
    student.status = StudentStatus.STUDYING
    return await _write(session, actor, student, checked)


async def move(
    session: AsyncSession,
    actor: Actor,
    *,
    student_id: int,
    to_class_id: int,
    day: dt.date,
    today: dt.date,
    as_correction: bool = False,
) -> Movement:
    checked = await check_move(
        session,
        actor,
        student_id=student_id,
        to_class_id=to_class_id,
        day=day,
        today=today,
        as_correction=as_correction,
    )
    assert checked.to_class is not None
    student = await session.get_one(Student, student_id)
    student.class_id = checked.to_class.id
    return await _write(session, actor, student, checked)


async def leave(session: AsyncSession, actor: Actor, *, student_id: int, day: dt.date, today: dt.date) -> Movement:
    checked = await check_leave(session, actor, student_id=student_id, day=day, today=today)
    student = await session.get_one(Student, student_id)
    student.class_id = None
    student.status = StudentStatus.LEFT
    return await _write(session, actor, student, checked)


async def _write(session: AsyncSession, actor: Actor, student: Student, checked: Movement) -> Movement:
    """The ClassMove row, and the student's № in the class they join (kept if they were in it before)."""
    session.add(
        ClassMove(
            student_id=student.id,
            kind=checked.kind,
            from_class_id=checked.from_class.id if checked.from_class else None,
            to_class_id=checked.to_class.id if checked.to_class else None,
            date=checked.day,
            created_by_staff_id=actor.staff_id,
            note=CORRECTION_NOTE if checked.correction else "",
        )
    )
    await session.flush()
    number = None
    if checked.to_class is not None:
        numbers = await give_numbers(session, checked.to_class.id, [(student.id, student.full_name)])
        number = numbers[student.id]
    return replace(checked, student_id=student.id, number=number)


async def history(session: AsyncSession, student_id: int) -> list[ClassMove]:
    return list(
        await session.scalars(
            select(ClassMove).where(ClassMove.student_id == student_id).order_by(ClassMove.date, ClassMove.id)
        )
    )


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


async def _check_date(
    session: AsyncSession, student: Student, from_class: SchoolClass, day: dt.date, today: dt.date
) -> None:
    _not_in_future(day, today)
    await _after_last_move(session, student, day)
    entries_after = or_(
        exists().where(
            Mark.student_id == student.id,
            Mark.deleted_at.is_(None),
            Mark.lesson_id == Lesson.id,
            Lesson.class_id == from_class.id,
            Lesson.date >= day,
        ),
        exists().where(
            Attendance.student_id == student.id,
            Attendance.deleted_at.is_(None),
            Attendance.lesson_id == Lesson.id,
            Lesson.class_id == from_class.id,
            Lesson.date >= day,
        ),
    )
    if await session.scalar(select(entries_after)):
        raise ValidationFailed(
            "movement-entries-after",
            name=student.full_name,
            name_gent=name_in_case(student.full_name, "gent"),
            cls=from_class.name,
            date=day.strftime("%d.%m.%Y"),
        )


def _not_in_future(day: dt.date, today: dt.date) -> None:
    if day > today:
        raise ValidationFailed("movement-future-date", date=day.strftime("%d.%m.%Y"))


async def last_move_date(session: AsyncSession, student_id: int) -> dt.date | None:
    """The date of the student's latest movement: for one studying, when they joined their class."""
    return await session.scalar(select(func.max(ClassMove.date)).where(ClassMove.student_id == student_id))


async def _after_last_move(session: AsyncSession, student: Student, day: dt.date) -> None:
    last = await last_move_date(session, student.id)
    if last is not None and day < last:
        raise ValidationFailed("movement-before-history", date=last.strftime("%d.%m.%Y"))
