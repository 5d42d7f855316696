"""School days and the lessons due on them: what the scheduler's lesson jobs and the control reports count.

A school day is a weekday with lessons in the timetable in force that day (services.timetable_versions),
inside a period, and not a holiday (weekends by the timetable, holidays and the gaps between periods
from the import).

It stays one module over 400 lines: the facts read here (journal rows, timetable slots) are the input
of the sweep below that turns them into the lessons due, and services.journal_fill takes the two together.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from models import BellTime, Holiday, Lesson, Mark, Period, SchoolClass, Subject
from services.marking import any_without_marks, lesson_rule
from services.school_reference import school_reference
from services.subgroups import group_label
from services.timetable_day import ChangeFact, read_changes
from services.timetable_versions import Timetable, read_timetable

# How far back or forward the neighbouring school day is looked for (summer holidays are longer,
# but the jobs only ask across weekends and short holidays).
SEARCH_DAYS = 31


@dataclass(frozen=True)
class SchoolCalendar:
    """Periods, holidays and the timetable's versions, loaded once to answer many dates."""

    periods: tuple[Period, ...]
    holidays: tuple[Holiday, ...]
    timetable: Timetable  # a weekday is a school day when the version in force then has lessons on it
    classes: frozenset[int] | None = None  # whose lessons make a school day; None: any class's

    def period_of(self, day: dt.date) -> Period | None:
        return next((p for p in self.periods if p.start <= day <= p.end), None)

    def is_holiday(self, day: dt.date) -> bool:
        return any(h.start <= day <= h.end for h in self.holidays)

    def is_school_day(self, day: dt.date) -> bool:
        return self.has_lessons(day) and self.period_of(day) is not None and not self.is_holiday(day)

    def has_lessons(self, day: dt.date) -> bool:
        """The timetable in force on `day` has lessons on its weekday (of the calendar's classes)."""
        version, weekday = self.timetable.on(day), day.isoweekday()
        if self.classes is None:
            return version.has_lessons(weekday)
        return any(version.has_lessons(weekday, class_id) for class_id in self.classes)

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


async def load_calendar(session: AsyncSession, timetable: Timetable | None = None) -> SchoolCalendar:
    """The calendar; `timetable` when the caller has read it already, else as the school's reference
    keeps it (services.school_reference)."""
    periods = tuple(await session.scalars(select(Period).order_by(Period.start)))
    holidays = tuple(await session.scalars(select(Holiday).order_by(Holiday.start)))
    if timetable is None:
        timetable = (await school_reference(session)).timetable
    return SchoolCalendar(periods, holidays, timetable)


async def is_school_day(session: AsyncSession, day: dt.date) -> bool:
    return (await load_calendar(session)).is_school_day(day)


# --- what is read: the timetable and the journal's rows --------------------------------------------

ATTENDANCE_TAKEN, HAS_TOPIC, HAS_HOMEWORK, NO_MARKS_ON_PURPOSE, HAS_MARKS = 1, 2, 4, 8, 16  # JournalRow.flags


class JournalRow(NamedTuple):
    """What the journal holds for a lesson, as far as the control of the journal looks at it.

    (This and DueLesson are named tuples: a term of a big school has tens of thousands of each.)
    """

    teacher_id: int | None
    flags: int  # the bits above, packed by the database: one column instead of five
    # When each entry was first made (None: not made, or made before these times were kept).
    attendance_at: dt.datetime | None = None
    topic_at: dt.datetime | None = None
    marks_at: dt.datetime | None = None  # the first standing mark, or the lesson closed without marks
    homework_at: dt.datetime | None = None  # the homework written at this row (set at the lesson before)

    @property
    def has_homework(self) -> bool:
        return bool(self.flags & HAS_HOMEWORK)

    @property
    def marks_done(self) -> bool:
        """Marks given, or none on purpose («Урок без отметок»)."""
        return bool(self.flags & (HAS_MARKS | NO_MARKS_ON_PURPOSE))


LessonKey = tuple[int, int, dt.date, int, str]  # class, subject, date, lesson number, group ("" whole class)
VersionDay = tuple[int, int]  # the timetable version in force (Timetable.index_on), weekday
Page = tuple[int, int, str]  # class, subject, group: a journal page (services.subgroups)


@dataclass(frozen=True)
class LessonFacts:
    """Everything the lesson accounting needs from `first` to `last` and the homework horizon after it,
    read in a fixed number of queries as plain values, so that it can be worked over anywhere."""

    calendar: SchoolCalendar
    classes: dict[int, tuple[str, int]]  # id → (name, grade)
    subjects: dict[int, str]
    bells: dict[int, dt.time]
    timetable: Timetable  # every version; each day is read through its own (services.timetable_versions)
    written: dict[LessonKey, JournalRow]
    changes: tuple[ChangeFact, ...]  # substitutions, cancellations, extra lessons (services.timetable_day)
    first: dt.date
    last: dt.date  # the last day asked for; `written` reaches NEXT_LESSON_HORIZON further
    # (class, subject, day) → True where the lesson takes no marks: a subject or period without marks
    # (services.marking); None: every lesson beyond grade 1 takes marks
    no_marks: Callable[[int, int, dt.date], bool] | None = None


async def read_lesson_facts(session: AsyncSession, first: dt.date, last: dt.date) -> LessonFacts:
    """The facts for the lessons due from `first` to `last`: a fixed number of queries whatever the size
    of the school and the number of timetable versions."""
    timetable = await read_timetable(session)  # (one query, as the other facts: no reference read here)
    calendar = await load_calendar(session, timetable)
    classes = {
        id_: (name, grade)
        for id_, name, grade in await session.execute(select(SchoolClass.id, SchoolClass.name, SchoolClass.grade))
    }
    subjects = dict((await session.execute(select(Subject.id, Subject.name))).all())
    bells = dict((await session.execute(select(BellTime.lesson_no, BellTime.start))).all())
    first_mark = (
        select(func.min(Mark.created_at))
        .where(Mark.lesson_id == Lesson.id, Mark.deleted_at.is_(None))
        .scalar_subquery()
    )
    rows = await (await session.connection()).execute(  # plain rows: no ORM bookkeeping for a term of lessons
        select(
            Lesson.class_id,
            Lesson.subject_id,
            Lesson.date,
            Lesson.lesson_no,
            Lesson.subgroup,
            Lesson.teacher_id,
            _journal_flags(),
            Lesson.attendance_taken_at,
            Lesson.topic_at,
            first_mark,
            Lesson.no_marks_at,
            Lesson.homework_at,
        ).where(Lesson.date >= first, Lesson.date <= last + NEXT_LESSON_HORIZON)
    )
    written = {
        (class_id, subject_id, day, number, subgroup): JournalRow(
            teacher_id,
            flags if marked_at is None else flags | HAS_MARKS,
            attendance_at,
            topic_at,
            _earliest(marked_at, no_marks_at),
            homework_at,
        )
        for (
            class_id,
            subject_id,
            day,
            number,
            subgroup,
            teacher_id,
            flags,
            attendance_at,
            topic_at,
            marked_at,
            no_marks_at,
            homework_at,
        ) in rows
    }
    changes = tuple(await read_changes(session, first, last + NEXT_LESSON_HORIZON))
    no_marks = None
    if await any_without_marks(session):  # else spare a report's own engine the reference's full read
        reference = await school_reference(session)
        no_marks = lambda class_id, subject_id, day: lesson_rule(reference, class_id, subject_id, day) is not None  # noqa: E731
    return LessonFacts(calendar, classes, subjects, bells, timetable, written, changes, first, last, no_marks)


def _earliest(first: dt.datetime | None, second: dt.datetime | None) -> dt.datetime | None:
    if first is None or second is None:
        return second if first is None else first
    return min(first, second)


def _journal_flags() -> ColumnElement[int]:
    """JournalRow.flags of a lesson row, in SQL, but HAS_MARKS: a lesson has marks when its first mark
    has a time, read beside it (one look at the lesson's marks instead of two)."""
    flags = case((Lesson.attendance_taken, ATTENDANCE_TAKEN), else_=0)
    for condition, bit in (
        (func.trim(Lesson.topic) != "", HAS_TOPIC),
        (func.trim(Lesson.homework) != "", HAS_HOMEWORK),
        (Lesson.no_marks_on_purpose, NO_MARKS_ON_PURPOSE),
    ):
        flags = flags + case((condition, bit), else_=0)
    return flags


# --- the lessons due and what they lack ------------------------------------------------------------

ATTENDANCE, TOPIC, MARKS, HOMEWORK = "attendance", "topic", "marks", "homework"
MISSING_ORDER = (ATTENDANCE, TOPIC, MARKS, HOMEWORK)

# How far ahead the next lesson of a subject is looked for (homework is written there).
NEXT_LESSON_HORIZON = dt.timedelta(days=45)


class DueLesson(NamedTuple):
    """A lesson the timetable (or a substitution or an extra lesson) puts on a school day."""

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
    missing: tuple[str, ...]  # what is unwritten now, in MISSING_ORDER; () when nothing
    homework_at: dt.datetime | None = None  # when its homework was given (on the next lesson's row)
    change: str | None = None  # "substitution" or "extra" (models.LessonChangeKind); None: as timetabled
    subgroup: str = ""  # a group's lesson (services.subgroups); "" the whole class's

    @property
    def key(self) -> LessonKey:
        return (self.class_id, self.subject_id, self.date, self.lesson_no, self.subgroup)

    @property
    def attendance_only(self) -> bool:
        """Regulation 1.3: grade 1 keeps attendance (and the topic), no marks and no homework."""
        return self.grade == 1


def due_lessons(
    facts: LessonFacts, days: Iterable[dt.date], *, teacher_id: int | None = None, in_order: bool = True
) -> list[DueLesson]:
    """Every lesson on the given school days (between `facts.first` and `facts.last`), with what it
    lacks now; in time order, or with in_order=False in no order (for counting).

    A lesson is a timetable entry on its weekday, less those substituted or cancelled that day, plus
    substitutions and extra lessons (services.timetable_day); a journal row outside these is no
    lesson. A substitute or an extra lesson's teacher is the lesson's teacher; otherwise the journal
    row's teacher wins over the timetable's. Each group of a split subject has lessons of its own,
    counted on its own journal page (class, subject, group); a change to a number takes every
    group's lesson there (services.timetable_day.day_lessons).

    A lesson lacks attendance and the topic until they are written; beyond grade 1 (regulation 1.3)
    also marks, unless closed without marks on purpose or taught without marks (services.marking), and
    homework. Homework set at a lesson is
    written on the next lesson of the subject (where it is due), so it counts as given when the
    first lesson of the subject's next lesson day within the horizon has it; with no later lesson
    (the end of the year) there is nothing to set. No query: one pass per class and subject.
    """
    sweep = _Sweep(facts, days)
    lessons = [lesson for pair in sweep.pairs for lesson in sweep.lessons_of(pair)]
    if teacher_id is not None:
        lessons = [lesson for lesson in lessons if lesson.teacher_id == teacher_id]
    if in_order:
        lessons.sort(key=lambda d: (d.date, d.lesson_no, d.class_name, d.subject, d.subgroup))
    return lessons


class _Sweep:
    """The facts arranged by class and subject, to walk each one's lesson days in date order."""

    def __init__(self, facts: LessonFacts, days: Iterable[dt.date]) -> None:
        self.facts = facts
        self.due_days = sorted(set(days))
        self.asked = set(self.due_days)
        # Days are grouped by (the timetable version in force, weekday): days in one group have one plan.
        self.version_on = facts.timetable.index_on
        self.due_by_weekday: dict[VersionDay, list[dt.date]] = defaultdict(list)
        for day in self.due_days:
            self.due_by_weekday[(self.version_on(day), day.isoweekday())].append(day)
        # page → (version, weekday) → lesson № → the teacher of its first timetable entry
        self.planned: dict[Page, dict[VersionDay, dict[int, int | None]]] = defaultdict(lambda: defaultdict(dict))
        for index, version in enumerate(facts.timetable.versions):
            for slot in version.rows:  # (by id: the first imported names the teacher)
                self.planned[(slot.class_id, slot.subject_id, slot.subgroup)][(index, slot.weekday)].setdefault(
                    slot.lesson_no, slot.staff_id
                )
        # page (the whole class's) → day → lesson № → (teacher, kind) of a substitution or an extra lesson
        self.changed_in: dict[Page, dict[dt.date, dict[int, tuple[int | None, str]]]] = defaultdict(
            lambda: defaultdict(dict)
        )
        # (class, subject) → day → numbers of timetabled lessons not given as planned (substituted, cancelled)
        self.taken: dict[tuple[int, int], dict[dt.date, set[int]]] = defaultdict(lambda: defaultdict(set))
        for change in facts.changes:
            if change.takes_slot:
                self.taken[(change.class_id, change.slot_subject_id)][change.date].add(change.lesson_no)
            if change.gives and change.subject_id is not None:
                self.changed_in[(change.class_id, change.subject_id, "")][change.date][change.lesson_no] = (
                    change.staff_id,
                    change.kind,
                )
        self.pairs = sorted(set(self.planned) | set(self.changed_in))
        self._as_planned: dict[tuple[Page, VersionDay], dict[int, tuple[int | None, str | None]]] = {}
        # School days after the first day asked, up to the horizon after the last, by version and weekday.
        self.school_days: dict[VersionDay, list[dt.date]] = defaultdict(list)
        if self.due_days:  # (a lesson's homework looks at the days after it)
            for day in facts.calendar.days(
                self.due_days[0] + dt.timedelta(days=1), self.due_days[-1] + NEXT_LESSON_HORIZON
            ):
                self.school_days[(self.version_on(day), day.isoweekday())].append(day)
        self.is_school_day = {day for found in self.school_days.values() for day in found}.__contains__

    def numbers_on(self, pair: Page, day: dt.date) -> dict[int, tuple[int | None, str | None]]:
        """The pair's lessons of the day: lesson № → (teacher, the kind of change that names them or None).
        Read only: a day without changes shares its weekday's dict (a term of days asks this tens of
        thousands of times)."""
        version_day = (self.version_on(day), day.isoweekday())
        pair_on_weekday = (pair, version_day)
        as_planned = self._as_planned.get(pair_on_weekday)
        if as_planned is None:
            planned = self.planned.get(pair, {}).get(version_day, {})
            as_planned = {number: (teacher, None) for number, teacher in planned.items()}
            self._as_planned[pair_on_weekday] = as_planned
        taken = self.taken[pair[:2]].get(day) if pair[:2] in self.taken else None
        given = self.changed_in[pair].get(day) if pair in self.changed_in else None
        if not taken and not given:
            return as_planned
        numbers = {number: value for number, value in as_planned.items() if number not in (taken or ())}
        numbers.update(given or {})
        return numbers

    def lessons_of(self, pair: Page) -> Iterator[DueLesson]:
        class_id, subject_id, subgroup = pair
        class_name, grade = self.facts.classes[class_id]
        subject = group_label(self.facts.subjects.get(subject_id, ""), subgroup)  # as the page is headed
        planned, changed_in = self.planned.get(pair, {}), self.changed_in.get(pair, {})
        written, bells = self.facts.written, self.facts.bells
        no_marks = self.facts.no_marks
        days = {day for version_day in planned for day in self.due_by_weekday.get(version_day, ())}
        days.update(day for day in changed_in if day in self.asked)
        homework_given = self._homework_given(pair, sorted(days)) if grade != 1 else {}
        for day in days:
            for lesson_no, (named, change) in self.numbers_on(pair, day).items():
                row = written.get((class_id, subject_id, day, lesson_no, subgroup))
                teacher = named if change or row is None or not row.teacher_id else row.teacher_id
                given, given_at = homework_given.get(day, (True, None))
                yield DueLesson(
                    day,
                    lesson_no,
                    class_id,
                    class_name,
                    grade,
                    subject_id,
                    subject,
                    teacher,
                    bells.get(lesson_no),
                    row,
                    _lacks(row, grade, given, no_marks is not None and no_marks(class_id, subject_id, day)),
                    given_at,
                    change,
                    subgroup,
                )

    def _homework_given(self, pair: Page, days: list[dt.date]) -> dict[dt.date, tuple[bool, dt.datetime | None]]:
        """For each of `days` (in order): whether the first lesson of the subject's next lesson day has
        homework, or there is no next lesson day within the horizon (the end of the year); and when
        that homework was first written."""
        planned, changed_in = self.planned.get(pair, {}), self.changed_in.get(pair, {})
        lesson_days = {day for version_day in planned for day in self.school_days.get(version_day, ())}
        lesson_days.update(day for day in changed_in if self.is_school_day(day))
        numbers = {day: self.numbers_on(pair, day) for day in lesson_days}
        following = sorted(day for day, found in numbers.items() if found)
        given: dict[dt.date, tuple[bool, dt.datetime | None]] = {}
        index = 0
        for day in days:
            index = bisect_right(following, day, index)
            if index == len(following) or following[index] > day + NEXT_LESSON_HORIZON:
                given[day] = (True, None)  # no later lesson this year: nothing to set
                continue
            next_day = following[index]
            row = self.facts.written.get((*pair[:2], next_day, min(numbers[next_day]), pair[2]))  # the day's first
            given[day] = (True, row.homework_at) if row is not None and row.has_homework else (False, None)
        return given


def _lacks(row: JournalRow | None, grade: int, homework_given: bool, no_marks: bool = False) -> tuple[str, ...]:
    flags = row.flags if row is not None else 0
    lacking = []
    if not flags & ATTENDANCE_TAKEN:
        lacking.append(ATTENDANCE)
    if not flags & HAS_TOPIC:
        lacking.append(TOPIC)
    if grade != 1:
        if not no_marks and (row is None or not row.marks_done):
            lacking.append(MARKS)
        if not homework_given:
            lacking.append(HOMEWORK)
    return tuple(lacking)


def missing_items(lessons: Iterable[DueLesson]) -> dict[LessonKey, list[str]]:
    """Lesson key → what it lacks, for the lessons that lack anything."""
    return {lesson.key: list(lesson.missing) for lesson in lessons if lesson.missing}


async def lessons_due(
    session: AsyncSession, days: Iterable[dt.date], *, teacher_id: int | None = None
) -> list[DueLesson]:
    """`due_lessons` read from the database (school days only; see SchoolCalendar)."""
    days = set(days)
    if not days:
        return []
    return due_lessons(await read_lesson_facts(session, min(days), max(days)), days, teacher_id=teacher_id)


async def missing_for_lessons(_session: AsyncSession, lessons: list[DueLesson]) -> dict[LessonKey, list[str]]:
    """`missing_items`, for the callers that ask the database (the lessons know it already)."""
    return missing_items(lessons)
