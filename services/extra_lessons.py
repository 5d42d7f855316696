"""Lessons added or removed by a teacher, outside the weekly timetable (services.timetable_changes
holds the deputy's substitutions, the checks both share and the notice to the families).

- A teacher adds an extra lesson of a class–subject they teach, on a school day of the class, at a
  lesson number that day leaves free, once they have confirmed the date and number.
- A lesson created by mistake (an extra lesson, or a journal row outside the class's day written
  before lessons came from the timetable) is removed by its teacher once it holds no entries.

Both hold the class's day lock, as every change to a class's day does (services.timetable_changes).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attendance, AuditAction, AuditEntry, Lesson, LessonChange, LessonChangeKind, Mark
from models.writing import begin_writing
from services.access import ensure_teaches
from services.actor import Actor, Role
from services.audit import record_changes
from services.errors import AccessDenied, DomainError, ValidationFailed
from services.school_reference import school_reference
from services.timetable_changes import (
    DayChange,
    change_state,
    checked_day,
    known_class,
    known_subject,
    live_entries,
    teacher_name,
    tell_families,
    written_row,
)
from services.timetable_day import class_day, class_day_lock, lessons_listing

# --- a teacher's extra lesson --------------------------------------------------------------------------


class ExtraLessonConfirmation(DomainError):
    """The extra lesson is allowed: the teacher confirms the date and number, and it is added."""


async def add_extra_lesson(
    session: AsyncSession,
    actor: Actor,
    class_id: int,
    subject_id: int,
    day: dt.date,
    lesson_no: int,
    *,
    confirmed: bool,
    now: dt.datetime,
    today: dt.date,
) -> DayChange:
    """An extra lesson of a class–subject the actor teaches, on a school day of the class, at a number
    the bells ring for and the class's day leaves free. Without `confirmed`, ExtraLessonConfirmation."""
    reference = await school_reference(session)
    school_class, subject = known_class(reference, class_id), known_subject(reference, subject_id)
    try:
        await ensure_teaches(session, actor, class_id, subject_id)
    except AccessDenied:
        raise AccessDenied("entry-not-your-lesson", class_name=school_class.name, subject=subject.name) from None
    if reference.bells and lesson_no not in reference.bells:
        raise ValidationFailed("timetable-no-such-bell", lesson_no=lesson_no, last=max(reference.bells))
    await begin_writing(session, class_day_lock(class_id, day))
    found = await class_day(session, class_id, day)
    checked_day(reference, school_class, found)
    taken = [lesson for lesson in found.lessons if lesson.lesson_no == lesson_no]
    if taken:
        raise DomainError(
            "timetable-number-taken",
            day=day.strftime("%d.%m"),
            class_name=school_class.name,
            lesson_no=lesson_no,
            subject=known_subject(reference, taken[0].subject_id).name,
            lessons=lessons_listing(reference, found.lessons),
        )
    old_row = await written_row(session, class_id, subject_id, day, lesson_no)
    if old_row is not None and sum(await live_entries(session, old_row.id)):
        raise DomainError(
            "timetable-old-row",
            day=day.strftime("%d.%m"),
            class_name=school_class.name,
            lesson_no=lesson_no,
            subject=subject.name,
        )
    if not confirmed:
        raise ExtraLessonConfirmation(
            "timetable-extra-confirm",
            date=day.strftime("%d.%m.%Y"),
            class_name=school_class.name,
            subject=subject.name,
            lesson_no=lesson_no,
        )
    change = LessonChange(
        class_id=class_id,
        date=day,
        lesson_no=lesson_no,
        kind=LessonChangeKind.EXTRA,
        slot_subject_id=subject_id,
        subject_id=subject_id,
        staff_id=actor.staff_id,
        created_by_staff_id=actor.staff_id,
        created_at=now,
    )
    session.add(change)
    await session.flush()
    await record_changes(
        session,
        actor,
        [
            dict(
                entity="lesson_change",
                entity_id=change.id,
                action=AuditAction.CREATE,
                before=None,
                after=change_state(reference, change),
            )
        ],
    )
    told = day >= today
    if told:
        await tell_families(session, reference, school_class, day, now)
    return DayChange(
        school_class.name, day, lesson_no, "extra", subject.name, "", teacher_name(reference, actor.staff_id), told
    )


# --- removing a lesson made by mistake ------------------------------------------------------------------


async def remove_lesson(
    session: AsyncSession,
    actor: Actor,
    class_id: int,
    subject_id: int,
    day: dt.date,
    lesson_no: int,
    *,
    now: dt.datetime,
    today: dt.date,
) -> DayChange:
    """Removes an extra lesson, or a journal row outside the class's day, when it holds no marks and no
    attendance. Its teacher does it (or the deputy, the administrator). A timetabled lesson is not
    removed here: the deputy cancels it (record_substitution)."""
    reference = await school_reference(session)
    school_class, subject = known_class(reference, class_id), known_subject(reference, subject_id)
    await begin_writing(session, class_day_lock(class_id, day))
    found = await class_day(session, class_id, day)
    change = await session.scalar(
        select(LessonChange).where(
            LessonChange.class_id == class_id,
            LessonChange.date == day,
            LessonChange.lesson_no == lesson_no,
            LessonChange.slot_subject_id == subject_id,
            LessonChange.kind == LessonChangeKind.EXTRA,
        )
    )
    row = await written_row(session, class_id, subject_id, day, lesson_no)
    in_day = bool(found.of_subject(subject_id, lesson_no))
    if change is None and (row is None or in_day):
        key = "timetable-remove-timetabled" if in_day else "timetable-remove-nothing"
        raise DomainError(
            key, day=day.strftime("%d.%m"), class_name=school_class.name, subject=subject.name, lesson_no=lesson_no
        )
    teacher_id = change.staff_id if change is not None else (row.teacher_id if row is not None else None)
    if teacher_id != actor.staff_id and not actor.has(Role.DEPUTY, Role.ADMIN):
        raise AccessDenied("timetable-remove-not-yours", class_name=school_class.name, subject=subject.name)
    if row is not None:
        marks, absences = await live_entries(session, row.id)
        if marks or absences:
            raise DomainError(
                "timetable-remove-has-entries",
                day=day.strftime("%d.%m"),
                class_name=school_class.name,
                subject=subject.name,
                lesson_no=lesson_no,
                marks=marks,
                absences=absences,
            )
        await _drop_row(session, row)
    before = (
        change_state(reference, change)
        if change is not None
        else {
            "class_id": class_id,
            "date": day.isoformat(),
            "lesson_no": lesson_no,
            "kind": "journal_row",
            "subject": subject.name,
            "teacher": teacher_name(reference, teacher_id),
        }
    )
    if change is not None:
        await session.delete(change)
    await record_changes(
        session,
        actor,
        [
            dict(
                entity="lesson_change",
                entity_id=change.id if change else 0,
                action=AuditAction.DELETE,
                before=before,
                after=None,
            )
        ],
    )
    told = change is not None and day >= today
    if told:
        await tell_families(session, reference, school_class, day, now)
    return DayChange(
        school_class.name, day, lesson_no, "removed", subject.name, "", teacher_name(reference, teacher_id), told
    )


async def _has_history(session: AsyncSession, lesson_id: int) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(Mark.lesson_id == lesson_id)
                | exists().where(Attendance.lesson_id == lesson_id)
                | exists().where(AuditEntry.lesson_id == lesson_id)
            )
        )
    )


async def _drop_row(session: AsyncSession, row: Lesson) -> None:
    """The journal row goes; one whose entries were removed keeps its place in the audit trail, emptied
    (the entries' history refers to it), and is no lesson any more since the class's day lacks it."""
    if await _has_history(session, row.id):
        await session.execute(
            update(Lesson)
            .where(Lesson.id == row.id)
            .values(topic="", homework="", attendance_taken=False, no_marks_on_purpose=False)
        )
    else:
        await session.execute(delete(Lesson).where(Lesson.id == row.id))
