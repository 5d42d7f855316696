"""A class's lessons on a date: the weekly timetable in force that day (services.timetable_versions)
with that day's changes (models.LessonChange).

This is the one answer to "is there such a lesson": an entry by date goes only to a lesson found here,
and the reminders and reports count only these. Substitutions and cancellations change a timetabled
lesson; an extra lesson adds one. Nothing else makes a lesson.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import LessonChange, LessonChangeKind
from services.errors import DomainError, Listing
from services.school_reference import ClassInfo, HolidayInfo, SchoolReference, SubjectInfo, school_reference
from services.subgroups import group_label


def class_day_lock(class_id: int, day: dt.date) -> str:
    """What changes to a class's day, and entries while they find their lesson, hold (models.writing)."""
    return f"class-day:{class_id}:{day.isoformat()}"


class ChangeFact(NamedTuple):
    """A LessonChange as plain values (the sweep of services.school_days reads a term of them)."""

    class_id: int
    date: dt.date
    lesson_no: int
    kind: str
    slot_subject_id: int
    subject_id: int | None
    staff_id: int | None

    @property
    def gives(self) -> bool:
        """A lesson is given here: a substitution or an extra lesson, not a cancellation."""
        return self.kind != LessonChangeKind.CANCELLATION

    @property
    def takes_slot(self) -> bool:
        """The timetabled lesson of `slot_subject_id` is not given as planned."""
        return self.kind != LessonChangeKind.EXTRA


CHANGE_COLUMNS = (
    LessonChange.class_id,
    LessonChange.date,
    LessonChange.lesson_no,
    LessonChange.kind,
    LessonChange.slot_subject_id,
    LessonChange.subject_id,
    LessonChange.staff_id,
)


async def read_changes(
    session: AsyncSession, first: dt.date, last: dt.date, class_id: int | None = None
) -> list[ChangeFact]:
    query = select(*CHANGE_COLUMNS).where(LessonChange.date >= first, LessonChange.date <= last)
    if class_id is not None:
        query = query.where(LessonChange.class_id == class_id)
    return [ChangeFact(*row) for row in await session.execute(query)]


@dataclass(frozen=True)
class ClassLesson:
    lesson_no: int
    subject_id: int
    teacher_id: int | None
    change: str | None  # a LessonChangeKind, or None: as in the timetable
    subgroup: str = ""  # the group whose lesson it is; "" for the whole class (services.subgroups)


@dataclass(frozen=True)
class ClassDay:
    class_id: int
    date: dt.date
    school_day: bool  # in a period, not a holiday, and the class has lessons that weekday
    holiday: HolidayInfo | None
    lessons: tuple[ClassLesson, ...]  # the lessons given, by number
    cancelled: tuple[ClassLesson, ...]

    def of_subject(
        self, subject_id: int, lesson_no: int | None = None, subgroup: str | None = None
    ) -> list[ClassLesson]:
        """The subject's lessons of the day (of one number, of one group), by number."""
        return [
            lesson
            for lesson in self.lessons
            if lesson.subject_id == subject_id
            and lesson_no in (None, lesson.lesson_no)
            and subgroup in (None, lesson.subgroup)
        ]

    def numbers_taken(self) -> set[int]:
        return {lesson.lesson_no for lesson in self.lessons}


def day_lessons(
    reference: SchoolReference, class_id: int, day: dt.date, changes: Iterable[ChangeFact]
) -> tuple[list[ClassLesson], list[ClassLesson]]:
    """The lessons given and the lessons cancelled, from the timetable in force on `day`
    (services.timetable_versions) and the day's changes.

    Each group of a split subject has its own lesson at its hour. A change names a number and a
    subject, not a group: it takes the lessons of every group there, and gives one lesson to the
    whole class.
    """
    weekday = day.isoweekday()
    planned: dict[tuple[int, int, str], ClassLesson] = {}
    for (class_of, subject_id, on), slots in reference.timetable_on(day).slots.items():
        if class_of == class_id and on == weekday:
            for slot in slots:  # the first imported entry of a number names the teacher (see school_reference)
                planned[(slot.lesson_no, subject_id, slot.subgroup)] = ClassLesson(
                    slot.lesson_no, subject_id, slot.staff_id, None, slot.subgroup
                )
    cancelled = []
    for change in changes:
        if change.takes_slot:
            taken = [planned.pop(key) for key in list(planned) if key[:2] == (change.lesson_no, change.slot_subject_id)]
            if not change.gives:
                cancelled += taken
        if change.gives and change.subject_id is not None:
            planned[(change.lesson_no, change.subject_id, "")] = ClassLesson(
                change.lesson_no, change.subject_id, change.staff_id, change.kind
            )
    given = sorted(planned.values(), key=lambda lesson: (lesson.lesson_no, lesson.subject_id, lesson.subgroup))
    return given, sorted(cancelled, key=lambda lesson: lesson.lesson_no)


async def class_day(session: AsyncSession, class_id: int, day: dt.date) -> ClassDay:
    reference = await school_reference(session)
    calendar_day = reference.day(day)
    open_day = calendar_day.period is not None and calendar_day.holiday is None
    if not open_day:
        return ClassDay(class_id, day, False, calendar_day.holiday, (), ())
    given, cancelled = day_lessons(reference, class_id, day, await read_changes(session, day, day, class_id))
    has_timetable = reference.timetable_on(day).has_lessons(day.isoweekday(), class_id)
    return ClassDay(class_id, day, has_timetable or bool(given), None, tuple(given), tuple(cancelled))


def lessons_listing(reference: SchoolReference, lessons: Iterable[ClassLesson]) -> Listing:
    """«1 — Русский язык, 2 — Математика, …»: the lessons of a class's day, for the user to choose from."""
    names = {subject.id: subject.name for subject in reference.subjects}
    return Listing(
        ", ".join(
            f"{lesson.lesson_no} — {group_label(names.get(lesson.subject_id, '?'), lesson.subgroup)}"
            for lesson in lessons
        )
    )


async def no_such_lesson(
    session: AsyncSession,
    reference: SchoolReference,
    school_class: ClassInfo,
    subject: SubjectInfo,
    day: dt.date,
    lesson_no: int | None,
) -> DomainError:
    """The refusal for an entry to a lesson the class's day lacks: why, and that day's lessons."""
    calendar_day, date = reference.day(day), day.strftime("%d.%m.%Y")
    if calendar_day.holiday is not None:
        return DomainError("entry-holiday", date=date, holiday=calendar_day.holiday.name)
    if calendar_day.period is None:
        return DomainError("entry-not-study-day", date=date)
    found = await class_day(session, school_class.id, day)
    if not found.lessons:
        return DomainError("timetable-day-off", date=date, class_name=school_class.name)
    cancelled = [
        lesson
        for lesson in found.cancelled
        if lesson.subject_id == subject.id and lesson_no in (None, lesson.lesson_no)
    ]
    if cancelled:
        return DomainError(
            "timetable-lesson-cancelled",
            date=date,
            class_name=school_class.name,
            subject=subject.name,
            lesson_no=cancelled[0].lesson_no,
        )
    return DomainError(
        "timetable-no-lesson" if lesson_no is None else "timetable-no-lesson-numbered",
        date=date,
        day=day.strftime("%d.%m"),
        class_name=school_class.name,
        subject=subject.name,
        lesson_no=lesson_no or 0,
        lessons=lessons_listing(reference, found.lessons),
    )
