"""School days and the lessons due on them: what the scheduler's lesson jobs and the control reports count.

A school day is a weekday with lessons in the timetable, inside a period, and not a holiday
(weekends by the timetable, holidays and the gaps between periods from the import).
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

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


async def load_calendar(session: AsyncSession, weekdays: frozenset[int] | None = None) -> SchoolCalendar:
    """The calendar; `weekdays` when the caller has read the timetable already."""
    periods = tuple(await session.scalars(select(Period).order_by(Period.start)))
    holidays = tuple(await session.scalars(select(Holiday).order_by(Holiday.start)))
    if weekdays is None:
        weekdays = frozenset(await session.scalars(select(TimetableEntry.weekday).distinct()))
    return SchoolCalendar(periods, holidays, weekdays)


async def is_school_day(session: AsyncSession, day: dt.date) -> bool:
    return (await load_calendar(session)).is_school_day(day)


# --- the lessons due -----------------------------------------------------------------------------

ATTENDANCE_TAKEN, HAS_TOPIC, HAS_HOMEWORK, NO_MARKS_ON_PURPOSE, HAS_MARKS = 1, 2, 4, 8, 16  # JournalRow.flags


class JournalRow(NamedTuple):
    """What the journal holds for a lesson, as far as the control of the journal looks at it.

    (This and DueLesson are named tuples: a term of a big school has tens of thousands of each.)
    """

    teacher_id: int | None
    flags: int  # the bits above, packed by the database: one column instead of five

    @property
    def attendance_taken(self) -> bool:
        return bool(self.flags & ATTENDANCE_TAKEN)

    @property
    def has_topic(self) -> bool:
        return bool(self.flags & HAS_TOPIC)

    @property
    def has_homework(self) -> bool:
        return bool(self.flags & HAS_HOMEWORK)

    @property
    def marks_done(self) -> bool:
        """Marks given, or none on purpose («Урок без отметок»)."""
        return bool(self.flags & (HAS_MARKS | NO_MARKS_ON_PURPOSE))


class DueLesson(NamedTuple):
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
    lesson: JournalRow | None  # the journal row, once anything has been written

    @property
    def key(self) -> tuple[int, int, dt.date, int]:
        return (self.class_id, self.subject_id, self.date, self.lesson_no)

    @property
    def attendance_only(self) -> bool:
        """Regulation 1.3: grade 1 keeps attendance (and the topic), no marks and no homework."""
        return self.grade == 1


class TimetableSlot(NamedTuple):
    id: int
    class_id: int
    weekday: int
    lesson_no: int
    subject_id: int
    staff_id: int | None


LessonKey = tuple[int, int, dt.date, int]  # class, subject, date, lesson number


@dataclass(frozen=True)
class LessonFacts:
    """Everything the lesson accounting needs from `first` to `last` and the homework horizon after it,
    read in a fixed number of queries as plain values, so that it can be worked over anywhere."""

    calendar: SchoolCalendar
    classes: dict[int, tuple[str, int]]  # id → (name, grade)
    subjects: dict[int, str]
    bells: dict[int, dt.time]
    timetable: tuple[TimetableSlot, ...]
    written: dict[LessonKey, JournalRow]
    first: dt.date
    last: dt.date  # the last day asked for; `written` reaches NEXT_LESSON_HORIZON further


async def read_lesson_facts(session: AsyncSession, first: dt.date, last: dt.date) -> LessonFacts:
    """The facts for the lessons due from `first` to `last`: seven queries whatever the size of the school."""
    timetable = tuple(TimetableSlot(*row) for row in await session.execute(select(
        TimetableEntry.id, TimetableEntry.class_id, TimetableEntry.weekday, TimetableEntry.lesson_no,
        TimetableEntry.subject_id, TimetableEntry.staff_id,
    )))
    calendar = await load_calendar(session, frozenset(slot.weekday for slot in timetable))
    classes = {id_: (name, grade) for id_, name, grade in await session.execute(
        select(SchoolClass.id, SchoolClass.name, SchoolClass.grade))}
    subjects = dict((await session.execute(select(Subject.id, Subject.name))).all())
    bells = dict((await session.execute(select(BellTime.lesson_no, BellTime.start))).all())
    rows = await (await session.connection()).execute(  # plain rows: no ORM bookkeeping for a term of lessons
        select(Lesson.class_id, Lesson.subject_id, Lesson.date, Lesson.lesson_no, Lesson.teacher_id, _journal_flags())
        .where(Lesson.date >= first, Lesson.date <= last + NEXT_LESSON_HORIZON)
    )
    written = {(class_id, subject_id, day, number): JournalRow(teacher_id, flags)
               for class_id, subject_id, day, number, teacher_id, flags in rows}
    return LessonFacts(calendar, classes, subjects, bells, timetable, written, first, last)


def _journal_flags() -> ColumnElement[int]:
    """JournalRow.flags of a lesson row, in SQL."""
    has_marks = exists().where(Mark.lesson_id == Lesson.id, Mark.deleted_at.is_(None))
    flags = case((Lesson.attendance_taken, ATTENDANCE_TAKEN), else_=0)
    for condition, bit in ((func.trim(Lesson.topic) != "", HAS_TOPIC),
                           (func.trim(Lesson.homework) != "", HAS_HOMEWORK),
                           (Lesson.no_marks_on_purpose, NO_MARKS_ON_PURPOSE), (has_marks, HAS_MARKS)):
        flags = flags + case((condition, bit), else_=0)
    return flags


def due_lessons(
    facts: LessonFacts, days: Iterable[dt.date], *, teacher_id: int | None = None, in_order: bool = True,
) -> list[DueLesson]:
    """Every lesson on the given (school) days, from the timetable and the journal, in time order
    (or, with in_order=False, in no order, for counting).

    The journal row's teacher wins over the timetable's (a substitution); the caller passes only
    school days (see SchoolCalendar) between `facts.first` and `facts.last`.
    """
    days = sorted(set(days))
    by_weekday: dict[int, list[TimetableSlot]] = defaultdict(list)
    for slot in sorted(facts.timetable, key=lambda e: (e.lesson_no, e.class_id, e.id)):
        by_weekday[slot.weekday].append(slot)
    written, classes, subjects, bells = facts.written, facts.classes, facts.subjects, facts.bells
    due: dict[LessonKey, DueLesson] = {}

    def add(key: LessonKey, teacher: int | None) -> None:
        if key in due:  # two subgroup teachers share one journal row: the first keeps it
            return
        class_id, subject_id, day, lesson_no = key
        row = written.get(key)
        class_name, grade = classes[class_id]
        due[key] = DueLesson(
            day, lesson_no, class_id, class_name, grade, subject_id, subjects.get(subject_id, ""),
            row.teacher_id if row is not None and row.teacher_id else teacher, bells.get(lesson_no), row,
        )

    for day in days:
        for slot in by_weekday.get(day.isoweekday(), ()):
            add((slot.class_id, slot.subject_id, day, slot.lesson_no), slot.staff_id)
    asked = set(days)
    for key in sorted((key for key in written if key[2] in asked and key not in due), key=lambda k: (k[2], k[3], k[0])):
        add(key, written[key].teacher_id)
    lessons = list(due.values())
    if teacher_id is not None:
        lessons = [lesson for lesson in lessons if lesson.teacher_id == teacher_id]
    if in_order:
        lessons.sort(key=lambda d: (d.date, d.lesson_no, d.class_name, d.subject))
    return lessons


async def lessons_due(
    session: AsyncSession, days: Iterable[dt.date], *, teacher_id: int | None = None,
) -> list[DueLesson]:
    """`due_lessons` read from the database (school days only; see SchoolCalendar)."""
    days = set(days)
    if not days:
        return []
    return due_lessons(await read_lesson_facts(session, min(days), max(days)), days, teacher_id=teacher_id)


# --- what is missing -----------------------------------------------------------------------------

ATTENDANCE, TOPIC, MARKS, HOMEWORK = "attendance", "topic", "marks", "homework"
MISSING_ORDER = (ATTENDANCE, TOPIC, MARKS, HOMEWORK)


# How far ahead the next lesson of a subject is looked for (homework is written there).
NEXT_LESSON_HORIZON = dt.timedelta(days=45)


def missing_items(facts: LessonFacts, lessons: list[DueLesson]) -> dict[LessonKey, list[str]]:
    """For each lesson with something unwritten, what: attendance, topic, marks, homework.

    Grade 1 needs attendance and the topic only (regulation 1.3); a lesson closed on purpose needs
    no marks. Homework set at a lesson is written on the next lesson of the subject (where it is
    due), so it counts as given when that lesson has it; the year's last lesson needs none.
    Lessons with nothing missing are left out.
    """
    homework_given = _homework_given(facts, [d for d in lessons if d.grade != 1])
    missing: dict[LessonKey, list[str]] = {}
    for due in lessons:
        row, key = due.lesson, due.key
        items = []
        if row is None or not row.attendance_taken:
            items.append(ATTENDANCE)
        if row is None or not row.has_topic:
            items.append(TOPIC)
        if not due.attendance_only:
            if row is None or not row.marks_done:
                items.append(MARKS)
            if key not in homework_given:
                items.append(HOMEWORK)
        if items:
            missing[key] = items
    return missing


async def missing_for_lessons(session: AsyncSession, lessons: list[DueLesson]) -> dict[LessonKey, list[str]]:
    """`missing_items` read from the database: a fixed number of queries for any number of lessons."""
    if not lessons:
        return {}
    days = [d.date for d in lessons]
    return missing_items(await read_lesson_facts(session, min(days), max(days)), lessons)


def _homework_given(facts: LessonFacts, lessons: list[DueLesson]) -> set[LessonKey]:
    """Keys of the lessons whose homework is written on the subject's next lesson (or need none).

    The next lesson is the first one of the subject on the first school day within the horizon
    on which the timetable or the journal has the subject; no such day, no homework to set.
    """
    if not lessons:
        return set()
    first = min(d.date for d in lessons)
    last = max(d.date for d in lessons) + NEXT_LESSON_HORIZON
    school_days: dict[int, list[dt.date]] = defaultdict(list)  # weekday → school days after `first`
    for day in facts.calendar.days(first + dt.timedelta(days=1), last):
        school_days[day.isoweekday()].append(day)
    is_school_day = {day for days in school_days.values() for day in days}.__contains__
    first_numbers: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)  # pair → weekday → its first lesson №
    for slot in facts.timetable:
        known = first_numbers[(slot.class_id, slot.subject_id)].get(slot.weekday, slot.lesson_no)
        first_numbers[(slot.class_id, slot.subject_id)][slot.weekday] = min(known, slot.lesson_no)
    rows: dict[tuple[int, int], dict[dt.date, dict[int, JournalRow]]] = defaultdict(lambda: defaultdict(dict))
    for (class_id, subject_id, day, lesson_no), row in facts.written.items():
        if first < day <= last:
            rows[(class_id, subject_id)][day][lesson_no] = row
    lesson_days: dict[tuple[int, int], list[dt.date]] = {}
    verdicts: dict[tuple[int, int, dt.date], bool] = {}  # (pair, date) → given
    given: set[LessonKey] = set()
    for due in lessons:
        pair = (due.class_id, due.subject_id)
        verdict = verdicts.get((*pair, due.date))
        if verdict is None:
            if pair not in lesson_days:
                found = {day for weekday in first_numbers.get(pair, {}) for day in school_days.get(weekday, ())}
                found.update(day for day in rows.get(pair, {}) if is_school_day(day))
                lesson_days[pair] = sorted(found)
            verdict = verdicts[(*pair, due.date)] = _next_has_homework(
                due.date, lesson_days[pair], first_numbers.get(pair, {}), rows.get(pair, {}),
            )
        if verdict:
            given.add(due.key)
    return given


def _next_has_homework(
    day: dt.date, lesson_days: list[dt.date], first_numbers: dict[int, int], rows: dict[dt.date, dict[int, JournalRow]],
) -> bool:
    """Whether the first lesson of the subject's next lesson day after `day` has homework (or there is none)."""
    index = bisect_right(lesson_days, day)
    if index == len(lesson_days) or lesson_days[index] > day + NEXT_LESSON_HORIZON:
        return True  # no later lesson this year: nothing to set
    following_day = lesson_days[index]
    on_day = rows.get(following_day, {})
    numbers = list(on_day)
    if following_day.isoweekday() in first_numbers:
        numbers.append(first_numbers[following_day.isoweekday()])
    following = on_day.get(min(numbers))  # the day's first lesson of the subject
    return following is not None and following.has_homework
