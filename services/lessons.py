"""Which dated lesson a teacher means, from the timetable and the journal; a teacher's day.

A lesson is identified by class, subject, date and lesson number, and exists only where the class's
day has it (services.timetable_day: the timetable and its changes); its journal row (models.Lesson)
is created the first time anything is written to it. Homework lives on the lesson it is due at:
the homework set at a lesson is written to the next lesson of that subject.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attendance, BellTime, Holiday, Lesson, Mark, utcnow
from models.writing import begin_writing, upsert
from services.calendar import bell_times, year_for
from services.errors import DomainError, Listing
from services.school_days import HOMEWORK, DueLesson, SchoolCalendar, lessons_due, load_calendar, missing_for_lessons
from services.school_reference import SchoolReference, school_reference
from services.subgroups import WHOLE_CLASS, group_label
from services.timetable_day import class_day, class_day_lock, read_changes

# How far ahead the next lesson of a subject is looked for (the winter break and a weekend fit).
NEXT_LESSON_HORIZON = dt.timedelta(days=45)


@dataclass(frozen=True)
class LessonSlot:
    """A dated lesson, whether or not the journal has a row for it yet."""

    class_id: int
    subject_id: int
    date: dt.date
    lesson_no: int
    teacher_id: int | None  # a substitute's or an extra lesson's, else the journal row's, else the timetable's
    in_timetable: bool  # False: a journal row the class's day lacks (written before lessons came
    #                            from the timetable): only its entries may be removed, and it may be removed
    lesson: Lesson | None
    change: str | None = None  # LessonChangeKind of a substitution or an extra lesson
    subgroup: str = ""  # the group whose lesson it is; "" for the whole class (services.subgroups)


async def find_slot(
    session: AsyncSession,
    class_id: int,
    subject_id: int,
    day: dt.date,
    lesson_no: int | None = None,
    subgroup: str = WHOLE_CLASS,
) -> LessonSlot | None:
    """The lesson of the subject (of the group `subgroup`) numbered `lesson_no` on `day`, or without a
    number the first of the day, among the class's lessons of that day (services.timetable_day); None
    when there is no such lesson.

    A journal row outside the class's day that still holds entries is found only by its number
    (in_timetable False), so that they can be removed.
    """
    found = (await class_day(session, class_id, day)).of_subject(subject_id, lesson_no, subgroup)
    rows = {
        lesson.lesson_no: lesson
        for lesson in await session.scalars(
            select(Lesson).where(
                Lesson.class_id == class_id,
                Lesson.subject_id == subject_id,
                Lesson.date == day,
                Lesson.subgroup == subgroup,
            )
        )
    }
    if not found:
        orphan = rows.get(lesson_no) if lesson_no is not None else None
        if orphan is None or not await _holds_entries(session, orphan.id):
            return None  # (one emptied and removed stays only for its entries' history)
        return LessonSlot(
            class_id, subject_id, day, orphan.lesson_no, orphan.teacher_id, False, orphan, subgroup=subgroup
        )
    planned = found[0]
    lesson = rows.get(planned.lesson_no)
    teacher_id = (
        planned.teacher_id
        if planned.change
        else (lesson.teacher_id if lesson is not None and lesson.teacher_id else planned.teacher_id)
    )
    return LessonSlot(class_id, subject_id, day, planned.lesson_no, teacher_id, True, lesson, planned.change, subgroup)


async def lesson_group(
    session: AsyncSession,
    reference: SchoolReference,
    staff_id: int | None,
    class_id: int,
    subject_id: int,
    day: dt.date | None,
    lesson_no: int | None,
    asked: str | None,
) -> str:
    """Which group's lesson an entry means: the group typed (`asked`, «англ/2»), else the one the day
    holds among the writer's groups, else the one the day holds; "" when the subject is not split.

    Refused when the typed group is not one of the class's, or when several groups have such a lesson
    and the writer teaches all of them or none (the deputy): then the group must be named. `day` None:
    the next lesson, whose day is not known yet; the writer's one group, if they have one.
    """
    groups = reference.groups(class_id, subject_id)
    names = _names(reference, class_id, subject_id)
    if asked is not None:
        if asked and asked not in groups:
            raise DomainError(
                "entry-no-such-group" if groups else "entry-subject-not-split",
                group=asked,
                groups=Listing(", ".join(groups)),
                **names,
            )
        return asked
    if not groups:
        return WHOLE_CLASS
    mine = set(reference.teacher_groups(staff_id, class_id, subject_id)) - {WHOLE_CLASS}
    held = (
        set(groups)
        if day is None
        else {lesson.subgroup for lesson in (await class_day(session, class_id, day)).of_subject(subject_id, lesson_no)}
    )
    choice = (held & mine) or held
    if len(choice) == 1:
        return choice.pop()
    if not choice:  # no such lesson that day: the refusal says so (services.timetable_day.no_such_lesson)
        return min(mine) if len(mine) == 1 else WHOLE_CLASS
    ordered = [group for group in groups if group in choice]
    raise DomainError(
        "entry-name-the-group",
        groups=Listing(", ".join(ordered)),
        example=group_label(names["subject"], ordered[0]),
        **names,
    )


def _names(reference: SchoolReference, class_id: int, subject_id: int) -> dict[str, str]:
    school_class, subject = reference.classes.get(class_id), reference.subject(subject_id)
    return {"class_name": school_class.name if school_class else "?", "subject": subject.name if subject else "?"}


async def _holds_entries(session: AsyncSession, lesson_id: int) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(Mark.lesson_id == lesson_id, Mark.deleted_at.is_(None))
                | exists().where(Attendance.lesson_id == lesson_id, Attendance.deleted_at.is_(None))
            )
        )
    )


def lesson_lock(slot: LessonSlot) -> str:
    """What a writer of the lesson holds (models.writing.begin_writing): one writer per lesson at a time.

    It is the lock of the class's day, which an entry takes already while it finds its lesson
    (services.journal.rules) and a change to the day holds (services.timetable_changes): one lock
    statement an entry, and no entry in a lesson that a change is taking away at that moment.
    """
    return class_day_lock(slot.class_id, slot.date)


async def lesson_row(
    session: AsyncSession, slot: LessonSlot, teacher_id: int | None, *, attendance_taken: bool = False
) -> Lesson:
    """The journal row of `slot`, created now if it has none, and this transaction's to write.

    One upsert on the lesson's natural key (class, subject, date, number, group): two teachers, or one teacher
    twice, writing the same lesson at the same moment both get the one row, one after the other
    (lesson_lock). `teacher_id` is the writer, recorded when the timetable names nobody;
    `attendance_taken` marks the attendance as taken (it is never unmarked here).
    """
    await begin_writing(session, lesson_lock(slot))
    now = utcnow()
    insert = upsert(session, Lesson).values(
        class_id=slot.class_id,
        subject_id=slot.subject_id,
        date=slot.date,
        lesson_no=slot.lesson_no,
        subgroup=slot.subgroup,
        teacher_id=slot.teacher_id or teacher_id,
        topic="",
        homework="",
        attendance_taken=attendance_taken,
        attendance_taken_at=now if attendance_taken else None,
        no_marks_on_purpose=False,
        updated_at=now,
    )
    statement = insert.on_conflict_do_update(
        index_elements=[Lesson.class_id, Lesson.subject_id, Lesson.date, Lesson.lesson_no, Lesson.subgroup],
        set_={
            "updated_at": now,
            "attendance_taken": or_(Lesson.attendance_taken, insert.excluded.attendance_taken),
            # the first time it was taken stays (services.journal_fill reads lateness from it)
            "attendance_taken_at": func.coalesce(Lesson.attendance_taken_at, insert.excluded.attendance_taken_at),
        },
    ).returning(Lesson)
    lesson = await session.scalar(statement, execution_options={"populate_existing": True})
    assert lesson is not None
    return lesson


async def next_slot(
    session: AsyncSession,
    class_id: int,
    subject_id: int,
    after: dt.date,
    calendar: SchoolCalendar | None = None,
    subgroup: str = WHOLE_CLASS,
) -> LessonSlot | None:
    """The first lesson of the subject (of the group) on a school day after `after` (None at the end
    of the year)."""
    calendar = calendar or await load_calendar(session)
    reference = await school_reference(session)
    horizon = after + NEXT_LESSON_HORIZON
    changed = {
        change.date
        for change in await read_changes(session, after + dt.timedelta(days=1), horizon, class_id)
        if change.subject_id == subject_id
    }
    for day in calendar.days(after + dt.timedelta(days=1), horizon):
        if reference.timetabled(class_id, subject_id, day) or day in changed:
            found = await find_slot(session, class_id, subject_id, day, subgroup=subgroup)
            if found is not None:  # (not when the day's lesson is cancelled, or is the other group's)
                return found
    return None


# --- a teacher's day -----------------------------------------------------------------------


@dataclass(frozen=True)
class DayLesson:
    due: DueLesson
    ends: dt.time | None
    missing: tuple[str, ...]  # of services.school_days.MISSING_ORDER


@dataclass(frozen=True)
class TeacherDay:
    date: dt.date
    in_year: bool
    holiday: Holiday | None
    lessons: tuple[DayLesson, ...]


async def teacher_day(session: AsyncSession, staff_id: int, day: dt.date) -> TeacherDay:
    """The teacher's lessons on `day` in time order, each with what is still unwritten.

    Homework counts as written when the next lesson of the subject has it (it is due there).
    """
    calendar = await load_calendar(session)
    holiday = next((h for h in calendar.holidays if h.start <= day <= h.end), None)
    in_year = await year_for(session, day) is not None
    if not calendar.is_school_day(day):
        return TeacherDay(day, in_year, holiday, ())
    due = await lessons_due(session, [day], teacher_id=staff_id)
    missing = await missing_for_lessons(session, due)
    bells: dict[int, BellTime] = await bell_times(session)
    lessons = []
    for item in due:
        needs = [need for need in missing.get(item.key, []) if need != HOMEWORK]
        if not item.attendance_only and not await _homework_given(session, item, calendar):
            needs.append(HOMEWORK)
        bell = bells.get(item.lesson_no)
        lessons.append(DayLesson(item, bell.end if bell else None, tuple(needs)))
    return TeacherDay(day, True, None, tuple(lessons))


async def _homework_given(session: AsyncSession, item: DueLesson, calendar: SchoolCalendar) -> bool:
    following = await next_slot(session, item.class_id, item.subject_id, item.date, calendar, item.subgroup)
    if following is None:  # the last lesson of the year: nothing to set
        return True
    return following.lesson is not None and bool(following.lesson.homework.strip())
