"""School days and the lessons due on them: what the scheduler's lesson jobs and the control reports count.

A school day is a weekday with lessons in the timetable, inside a period, and not a holiday
(weekends by the timetable, holidays and the gaps between periods from the import).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import BellTime, Holiday, Lesson, Mark, Period, SchoolClass, Subject, TimetableEntry

# How far back or forward the neighbouring school day is looked for (summer holidays are longer,
# but the jobs only ask across weekends and short holidays).
SEARCH_DAYS = 31


@dataclass(frozen=True)
class SchoolCalendar:
    """Periods, holidays and the timetable's weekdays, loaded once to answer many dates."""

    periods: tuple[Period, ...]
    holidays: tuple[Holiday, ...]
    weekdays: frozenset[int]  # 1 = Monday … 7 = Sunday, days with at least one lesson

    def period_of(self, day: dt.date) -> Period | None:
        return next((p for p in self.periods if p.start <= day <= p.end), None)

    def is_holiday(self, day: dt.date) -> bool:
        return any(h.start <= day <= h.end for h in self.holidays)

    def is_school_day(self, day: dt.date) -> bool:
        return day.isoweekday() in self.weekdays and self.period_of(day) is not None and not self.is_holiday(day)

    def days(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """School days from `start` to `end`, both included."""
        day = start
        while day <= end:
            if self.is_school_day(day):
                yield day
            day += dt.timedelta(days=1)

    def previous(self, day: dt.date) -> dt.date | None:
        """The last school day before `day`."""
        return next(self.days_back(day - dt.timedelta(days=1)), None)

    def next(self, day: dt.date) -> dt.date | None:
        """The first school day after `day`."""
        return next(self.days(day + dt.timedelta(days=1), day + dt.timedelta(days=SEARCH_DAYS)), None)

    def days_back(self, day: dt.date) -> Iterator[dt.date]:
        for back in range(SEARCH_DAYS):
            candidate = day - dt.timedelta(days=back)
            if self.is_school_day(candidate):
                yield candidate


async def load_calendar(session: AsyncSession) -> SchoolCalendar:
    periods = tuple(await session.scalars(select(Period).order_by(Period.start)))
    holidays = tuple(await session.scalars(select(Holiday).order_by(Holiday.start)))
    weekdays = frozenset(await session.scalars(select(TimetableEntry.weekday).distinct()))
    return SchoolCalendar(periods, holidays, weekdays)


async def is_school_day(session: AsyncSession, day: dt.date) -> bool:
    return (await load_calendar(session)).is_school_day(day)


# --- the lessons due -----------------------------------------------------------------------------

@dataclass(frozen=True)
class DueLesson:
    """A lesson the timetable (or a lesson written off-timetable) puts on a school day."""

    date: dt.date
    lesson_no: int
    class_id: int
    class_name: str
    grade: int
    subject_id: int
    subject: str
    teacher_id: int | None
    starts: dt.time | None
    lesson: Lesson | None  # the journal row, once anything has been written

    @property
    def key(self) -> tuple[int, int, dt.date, int]:
        return (self.class_id, self.subject_id, self.date, self.lesson_no)

    @property
    def attendance_only(self) -> bool:
        """Regulation 1.3: grade 1 keeps attendance (and the topic), no marks and no homework."""
        return self.grade == 1


async def lessons_due(
    session: AsyncSession, days: Iterable[dt.date], *, teacher_id: int | None = None,
) -> list[DueLesson]:
    """Every lesson on the given (school) days, from the timetable and the journal, in time order.

    The journal row's teacher wins over the timetable's (a substitution); the caller passes only
    school days (see SchoolCalendar).
    """
    days = sorted(set(days))
    if not days:
        return []
    classes = {c.id: c for c in await session.scalars(select(SchoolClass))}
    subjects = {s.id: s.name for s in await session.scalars(select(Subject))}
    bells = {b.lesson_no: b.start for b in await session.scalars(select(BellTime))}
    weekdays = {day.isoweekday() for day in days}
    timetable = list(await session.scalars(select(TimetableEntry).where(TimetableEntry.weekday.in_(weekdays))))
    written = {
        (l.class_id, l.subject_id, l.date, l.lesson_no): l
        for l in await session.scalars(select(Lesson).where(Lesson.date.in_(days)))
    }
    due: dict[tuple[int, int, dt.date, int], DueLesson] = {}

    def add(day: dt.date, class_id: int, subject_id: int, lesson_no: int, teacher: int | None) -> None:
        key = (class_id, subject_id, day, lesson_no)
        if key in due:  # two subgroup teachers share one journal row: the first keeps it
            return
        lesson = written.get(key)
        school_class = classes[class_id]
        due[key] = DueLesson(
            date=day, lesson_no=lesson_no, class_id=class_id, class_name=school_class.name,
            grade=school_class.grade, subject_id=subject_id, subject=subjects.get(subject_id, ""),
            teacher_id=(lesson.teacher_id if lesson is not None and lesson.teacher_id else teacher),
            starts=bells.get(lesson_no), lesson=lesson,
        )

    for day in days:
        for entry in sorted(timetable, key=lambda e: (e.lesson_no, e.class_id, e.id)):
            if entry.weekday == day.isoweekday():
                add(day, entry.class_id, entry.subject_id, entry.lesson_no, entry.staff_id)
    for key, lesson in sorted(written.items(), key=lambda item: (item[0][2], item[0][3], item[0][0])):
        add(lesson.date, lesson.class_id, lesson.subject_id, lesson.lesson_no, lesson.teacher_id)
    lessons = sorted(due.values(), key=lambda d: (d.date, d.lesson_no, d.class_name, d.subject))
    if teacher_id is not None:
        lessons = [lesson for lesson in lessons if lesson.teacher_id == teacher_id]
    return lessons


# --- what is missing -----------------------------------------------------------------------------

ATTENDANCE, TOPIC, MARKS, HOMEWORK = "attendance", "topic", "marks", "homework"
MISSING_ORDER = (ATTENDANCE, TOPIC, MARKS, HOMEWORK)


# How far ahead the next lesson of a subject is looked for (homework is written there).
NEXT_LESSON_HORIZON = dt.timedelta(days=45)


async def missing_for_lessons(session: AsyncSession, lessons: list[DueLesson]) -> dict[tuple, list[str]]:
    """For each lesson with something unwritten, what: attendance, topic, marks, homework.

    Grade 1 needs attendance and the topic only (regulation 1.3); a lesson closed on purpose needs
    no marks. Homework set at a lesson is written on the next lesson of the subject (where it is
    due), so it counts as given when that lesson has it; the year's last lesson needs none.
    Lessons with nothing missing are left out. A few queries for any number of lessons.
    """
    lesson_ids = [d.lesson.id for d in lessons if d.lesson is not None]
    with_marks: set[int] = set()
    if lesson_ids:
        with_marks = set(await session.scalars(
            select(Mark.lesson_id).where(Mark.lesson_id.in_(lesson_ids), Mark.deleted_at.is_(None)).distinct()
        ))
    homework_given = await _homework_given(session, [d for d in lessons if not d.attendance_only])
    missing: dict[tuple, list[str]] = {}
    for due in lessons:
        lesson = due.lesson
        items = []
        if lesson is None or not lesson.attendance_taken:
            items.append(ATTENDANCE)
        if lesson is None or not lesson.topic.strip():
            items.append(TOPIC)
        if not due.attendance_only:
            if lesson is None or (not lesson.no_marks_on_purpose and lesson.id not in with_marks):
                items.append(MARKS)
            if due.key not in homework_given:
                items.append(HOMEWORK)
        if items:
            missing[due.key] = items
    return missing


async def _homework_given(session: AsyncSession, lessons: list[DueLesson]) -> set[tuple]:
    """Keys of the lessons whose homework is written on the subject's next lesson (or need none)."""
    if not lessons:
        return set()
    calendar = await load_calendar(session)
    pairs = {(d.class_id, d.subject_id) for d in lessons}
    class_ids = {c for c, _ in pairs}
    first = min(d.date for d in lessons)
    last = max(d.date for d in lessons) + NEXT_LESSON_HORIZON
    timetable: dict[tuple[int, int], dict[int, set[int]]] = {}  # (class, subject) → weekday → numbers
    for entry in await session.scalars(select(TimetableEntry).where(TimetableEntry.class_id.in_(class_ids))):
        timetable.setdefault((entry.class_id, entry.subject_id), {}).setdefault(entry.weekday, set()).add(entry.lesson_no)
    written: dict[tuple[int, int], dict[dt.date, dict[int, Lesson]]] = {}
    for row in await session.scalars(
        select(Lesson).where(Lesson.class_id.in_(class_ids), Lesson.date > first, Lesson.date <= last)
    ):
        written.setdefault((row.class_id, row.subject_id), {}).setdefault(row.date, {})[row.lesson_no] = row
    given: set[tuple] = set()
    for due in lessons:
        pair = (due.class_id, due.subject_id)
        weekdays, rows = timetable.get(pair, {}), written.get(pair, {})
        for day in calendar.days(due.date + dt.timedelta(days=1), due.date + NEXT_LESSON_HORIZON):
            numbers = weekdays.get(day.isoweekday(), set()) | set(rows.get(day, {}))
            if not numbers:
                continue
            following = rows.get(day, {}).get(min(numbers))  # the day's first lesson of the subject
            if following is not None and following.homework.strip():
                given.add(due.key)
            break
        else:  # no later lesson this year: nothing to set
            given.add(due.key)
    return given
