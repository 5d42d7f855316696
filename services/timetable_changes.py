"""Lessons outside the weekly timetable, each by an explicit act that is audited.

- The deputy (or the administrator) records a substitution for one dated lesson: another teacher,
  another subject, or a cancellation; or puts the lesson back as in the timetable. The class's
  families are told of the change of that day's timetable (one notice a child, rewritten while pending).
- A teacher adds an extra lesson, or removes one made by mistake (services.extra_lessons, built on the
  checks, the journal-row look-ups and the families' notice here).

Every change to a class's day holds that day's lock (services.timetable_day.class_day_lock), as does
every entry into a lesson of that day while it finds the lesson: a change and an entry made at once
are applied one after the other, and the later one sees the earlier (no entry in a lesson cancelled
meanwhile, no cancellation of a lesson that has just been written).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attendance, AuditAction, Lesson, LessonChange, LessonChangeKind, Mark, Student, StudentStatus
from models.writing import begin_writing
from services.actor import Actor, Role
from services.audit import record_changes
from services.errors import AccessDenied, DomainError, NotFound
from services.notices import DayLesson, TimetableChange, TimetableChanged
from services.outbox import FamilyNotice, notify_families
from services.school_reference import ClassInfo, SchoolReference, SubjectInfo, school_reference
from services.timetable_day import ClassDay, ClassLesson, class_day, class_day_lock, day_lessons, lessons_listing


@dataclass(frozen=True)
class DayChange:
    """What was done to a class's day, for the answer."""

    class_name: str
    date: dt.date
    lesson_no: int
    kind: str  # "substitution", "cancellation", "extra", "restored", "removed"
    subject: str  # the lesson's subject as given (the timetabled one when cancelled or restored)
    timetabled_subject: str  # the subject the timetable has there ("" for an extra lesson)
    teacher: str  # who gives it ("" when cancelled)
    told: bool = False  # the class's families were told of the change of their day


def _day_text(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def checked_day(reference: SchoolReference, school_class: ClassInfo, found: ClassDay) -> None:
    """A change is made on a school day of the class (a period, not a holiday, a timetabled weekday)."""
    calendar_day = reference.day(found.date)
    if not calendar_day.in_year:
        raise DomainError("entry-outside-year", date=_day_text(found.date))
    if calendar_day.holiday is not None:
        raise DomainError("entry-holiday", date=_day_text(found.date), holiday=calendar_day.holiday.name)
    if calendar_day.period is None:
        raise DomainError("entry-not-study-day", date=_day_text(found.date))
    if not found.school_day:
        raise DomainError("timetable-day-off", date=_day_text(found.date), class_name=school_class.name)


def known_class(reference: SchoolReference, class_id: int) -> ClassInfo:
    school_class = reference.classes.get(class_id)
    if school_class is None:
        raise NotFound("entry-lesson-not-found")
    return school_class


def known_subject(reference: SchoolReference, subject_id: int) -> SubjectInfo:
    subject = reference.subject(subject_id)
    if subject is None:
        raise NotFound("entry-lesson-not-found")
    return subject


def teacher_name(reference: SchoolReference, staff_id: int | None) -> str:
    staff = reference.staff.get(staff_id) if staff_id is not None else None
    return staff.full_name if staff else ""


# --- the deputy's substitutions ------------------------------------------------------------------------


async def record_substitution(
    session: AsyncSession,
    actor: Actor,
    class_id: int,
    day: dt.date,
    lesson_no: int,
    *,
    teacher_id: int | None = None,
    subject_id: int | None = None,
    cancel: bool = False,
    restore: bool = False,
    now: dt.datetime,
    today: dt.date,
) -> DayChange:
    """The timetabled lesson `lesson_no` of the class on `day`: given by `teacher_id` (in `subject_id`,
    default the timetabled subject; its teacher by default when only the subject changes), cancelled,
    or restored as in the timetable. Refused for a lesson the timetable lacks, and for cancelling or
    changing the subject of a lesson that already holds entries."""
    if not actor.has(Role.DEPUTY, Role.ADMIN):
        raise AccessDenied("timetable-deputy-only")
    reference = await school_reference(session)
    school_class = known_class(reference, class_id)
    await begin_writing(session, class_day_lock(class_id, day))
    found = await class_day(session, class_id, day)
    checked_day(reference, school_class, found)
    planned = _timetabled(reference, class_id, day, lesson_no)
    if planned is None:
        raise DomainError(
            "timetable-no-such-slot",
            day=day.strftime("%d.%m"),
            class_name=school_class.name,
            lesson_no=lesson_no,
            lessons=lessons_listing(reference, found.lessons),
        )
    timetabled = known_subject(reference, planned.subject_id)
    existing = await session.scalar(
        select(LessonChange).where(
            LessonChange.class_id == class_id,
            LessonChange.date == day,
            LessonChange.lesson_no == lesson_no,
            LessonChange.slot_subject_id == planned.subject_id,
        )
    )
    given_subject = None if cancel or restore else known_subject(reference, subject_id or planned.subject_id)
    if given_subject is not None and teacher_id is None:
        teacher_id = _usual_teacher(reference, class_id, given_subject.id, planned)
    if given_subject is not None and teacher_id is None:
        raise DomainError("timetable-name-teacher", subject=given_subject.name, class_name=school_class.name)
    if teacher_id is not None and not _is_teacher(reference, teacher_id):
        raise DomainError("timetable-not-a-teacher", name=teacher_name(reference, teacher_id))
    as_planned = given_subject is not None and (given_subject.id, teacher_id) == (
        planned.subject_id,
        planned.teacher_id,
    )
    restore = restore or as_planned
    before = change_state(reference, existing)
    if cancel or (given_subject is not None and given_subject.id != planned.subject_id):
        await _refuse_if_written(session, reference, school_class, planned.subject_id, day, lesson_no)
    if (
        existing is not None
        and existing.subject_id not in (None, planned.subject_id)
        and (restore or given_subject is None or existing.subject_id != given_subject.id)
    ):
        await _refuse_if_written(session, reference, school_class, existing.subject_id, day, lesson_no)
    if restore:
        if existing is None:
            raise DomainError(
                "timetable-nothing-to-restore",
                day=day.strftime("%d.%m"),
                class_name=school_class.name,
                lesson_no=lesson_no,
            )
        await session.delete(existing)
        kind, change_id, after = "restored", existing.id, None
    else:
        change = existing or LessonChange(
            class_id=class_id,
            date=day,
            lesson_no=lesson_no,
            slot_subject_id=planned.subject_id,
            created_by_staff_id=actor.staff_id,
        )
        change.kind = LessonChangeKind.CANCELLATION if cancel else LessonChangeKind.SUBSTITUTION
        change.subject_id = given_subject.id if given_subject else None
        change.staff_id = None if cancel else teacher_id
        change.created_by_staff_id, change.created_at = actor.staff_id, now
        if existing is None:
            session.add(change)
        await session.flush()
        kind, change_id, after = change.kind.value, change.id, change_state(reference, change)
    await record_changes(
        session,
        actor,
        [
            dict(
                entity="lesson_change",
                entity_id=change_id,
                before=before,
                after=after,
                action=AuditAction.CREATE
                if before is None
                else AuditAction.DELETE
                if after is None
                else AuditAction.UPDATE,
            )
        ],
    )
    told = day >= today
    if told:
        await tell_families(session, reference, school_class, day, now)
    shown = timetabled if given_subject is None else given_subject
    return DayChange(
        school_class.name,
        day,
        lesson_no,
        kind,
        shown.name,
        timetabled.name,
        "" if cancel else teacher_name(reference, teacher_id if not restore else planned.teacher_id),
        told,
    )


def _timetabled(reference: SchoolReference, class_id: int, day: dt.date, lesson_no: int) -> ClassLesson | None:
    """The weekly timetable's lesson of that number, as if the day had no changes."""
    planned, _ = day_lessons(reference, class_id, day, ())
    return next((lesson for lesson in planned if lesson.lesson_no == lesson_no), None)


def _usual_teacher(reference: SchoolReference, class_id: int, subject_id: int, planned: ClassLesson) -> int | None:
    if subject_id == planned.subject_id:
        return planned.teacher_id
    teachers = sorted(
        staff
        for staff, class_of, subject_of in reference.assignments
        if (class_of, subject_of) == (class_id, subject_id)
    )
    return teachers[0] if len(teachers) == 1 else None


def _is_teacher(reference: SchoolReference, staff_id: int) -> bool:
    staff = reference.staff.get(staff_id)
    return staff is not None and staff.active and Role.TEACHER in {role.value for role in staff.roles}


def change_state(reference: SchoolReference, change: LessonChange | None) -> dict[str, Any] | None:
    if change is None:
        return None
    subject = reference.subject(change.subject_id) if change.subject_id else None
    return {
        "class_id": change.class_id,
        "date": change.date.isoformat(),
        "lesson_no": change.lesson_no,
        "kind": LessonChangeKind(change.kind).value,
        "subject": subject.name if subject else "",
        "teacher": teacher_name(reference, change.staff_id),
    }


async def written_row(
    session: AsyncSession, class_id: int, subject_id: int, day: dt.date, lesson_no: int
) -> Lesson | None:
    return await session.scalar(
        select(Lesson).where(
            Lesson.class_id == class_id,
            Lesson.subject_id == subject_id,
            Lesson.date == day,
            Lesson.lesson_no == lesson_no,
        )
    )


async def live_entries(session: AsyncSession, lesson_id: int) -> tuple[int, int]:
    marks = await session.scalar(
        select(func.count()).select_from(Mark).where(Mark.lesson_id == lesson_id, Mark.deleted_at.is_(None))
    )
    absences = await session.scalar(
        select(func.count())
        .select_from(Attendance)
        .where(Attendance.lesson_id == lesson_id, Attendance.deleted_at.is_(None))
    )
    return marks or 0, absences or 0


async def _refuse_if_written(
    session: AsyncSession,
    reference: SchoolReference,
    school_class: ClassInfo,
    subject_id: int,
    day: dt.date,
    lesson_no: int,
) -> None:
    """A lesson that holds entries is not cancelled or given another subject: they would be lost to it."""
    row = await written_row(session, school_class.id, subject_id, day, lesson_no)
    if row is None:
        return
    marks, absences = await live_entries(session, row.id)
    if marks or absences or row.topic.strip():
        raise DomainError(
            "timetable-lesson-written",
            day=day.strftime("%d.%m"),
            class_name=school_class.name,
            lesson_no=lesson_no,
            subject=known_subject(reference, subject_id).name,
        )


# --- telling the families ------------------------------------------------------------------------------


async def tell_families(
    session: AsyncSession, reference: SchoolReference, school_class: ClassInfo, day: dt.date, now: dt.datetime
) -> int:
    """One notice a child of the class: that day's changes as they stand now (a pending notice of the same
    day is rewritten, so a second change before it goes out makes no second message)."""
    found = await class_day(session, school_class.id, day)
    names = {subject.id: subject.name for subject in reference.subjects}
    changes = [
        TimetableChange(
            lesson.lesson_no,
            lesson.change,
            names.get(lesson.subject_id, ""),
            teacher_name(reference, lesson.teacher_id),
        )
        for lesson in found.lessons
        if lesson.change
    ]
    changes += [
        TimetableChange(lesson.lesson_no, LessonChangeKind.CANCELLATION.value, names.get(lesson.subject_id, ""))
        for lesson in found.cancelled
    ]
    changes.sort(key=lambda item: item.lesson_no)
    lessons = tuple(DayLesson(lesson.lesson_no, names.get(lesson.subject_id, "")) for lesson in found.lessons)
    students = list(
        await session.execute(
            select(Student.id, Student.full_name).where(
                Student.class_id == school_class.id, Student.status == StudentStatus.STUDYING
            )
        )
    )
    day_notice = TimetableChanged(class_name=school_class.name, date=day, changes=tuple(changes), lessons=lessons)
    return await notify_families(
        session,
        [
            FamilyNotice(
                student_id,
                replace(day_notice, student=name, student_id=student_id),
                source_entity="class_day",
                source_id=school_class.id,
                group_key=f"timetable:{school_class.id}:{day.isoformat()}:{student_id}",
            )
            for student_id, name in students
        ],
        now=now,
    )
