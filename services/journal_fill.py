"""How well the journal is kept: what is missing, what was written late, fill rates.

A lesson due on a school day misses what is unwritten now (services.school_days). It is late when
something it needs was first written after the deadline of its day (MARKS_DEADLINE, 17:00 by
regulation 3.3): read from the entries' own times, whether or not any job ran that day. At the
deadline the scheduler still records what is missing as an overdue entry; for rows written before
the entries' times were kept, those entries are what tells that they came late. The fill rate of a
teacher counts their lessons on time, late and still missing. All of it is counted over plain rows
read in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import OverdueEntry, Staff
from services.school_days import (
    ATTENDANCE,
    HOMEWORK,
    MARKS,
    TOPIC,
    DueLesson,
    LessonKey,
    SchoolCalendar,
    due_lessons,
    missing_items,
    read_lesson_facts,
)


@dataclass(frozen=True)
class Deadline:
    """MARKS_DEADLINE in the school's time zone: entries first made after it on their lesson's day are late."""

    time: dt.time
    timezone: dt.tzinfo

    def on(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.time, self.timezone)


def late_items(lesson: DueLesson, deadline: Deadline) -> tuple[str, ...]:
    """What a lesson that lacks nothing now had first written after the deadline of its day."""
    due = deadline.on(lesson.date)
    return tuple(item for item, at in _first_made(lesson) if at is not None and at > due)


def _made_after(lesson: DueLesson, due: dt.datetime) -> bool:
    return any(at is not None and at > due for _, at in _first_made(lesson))


def _first_made(lesson: DueLesson) -> tuple[tuple[str, dt.datetime | None], ...]:
    """When each entry of a lesson that lacks nothing now was first made, in MISSING_ORDER; () while
    something is missing (that lesson is not late but missing)."""
    row = lesson.lesson
    if row is None or lesson.missing:
        return ()
    made = ((ATTENDANCE, row.attendance_at), (TOPIC, row.topic_at))
    return made if lesson.attendance_only else (*made, (MARKS, row.marks_at), (HOMEWORK, lesson.homework_at))


# --- today's missing entries -----------------------------------------------------------------------


@dataclass(frozen=True)
class MissingLesson:
    lesson: DueLesson
    missing: tuple[str, ...]


async def missing_by_teacher(session: AsyncSession, day: dt.date) -> dict[int, list[MissingLesson]]:
    """Teacher → their lessons on `day` with something missing (nothing for a day without lessons)."""
    facts = await read_lesson_facts(session, day, day)
    if not facts.calendar.is_school_day(day):
        return {}
    found: dict[int, list[MissingLesson]] = defaultdict(list)
    for lesson in due_lessons(facts, [day]):
        if lesson.teacher_id is not None and lesson.missing:
            found[lesson.teacher_id].append(MissingLesson(lesson, lesson.missing))
    return dict(found)


async def record_overdue(session: AsyncSession, day: dt.date, now: dt.datetime) -> int:
    """At the deadline: everything still missing on `day` becomes an overdue entry (once per lesson).

    Returns how many were recorded.
    """
    return await insert_overdue(session, await overdue_at_deadline(session, day, now))


async def overdue_at_deadline(session: AsyncSession, day: dt.date, now: dt.datetime) -> list[dict[str, Any]]:
    """The overdue entries (rows to insert) of what is still missing on `day` and not yet recorded."""
    recorded = {
        tuple(row)
        for row in await session.execute(
            select(
                OverdueEntry.class_id,
                OverdueEntry.subject_id,
                OverdueEntry.date,
                OverdueEntry.lesson_no,
                OverdueEntry.subgroup,
            ).where(OverdueEntry.date == day)
        )
    }
    return [
        {
            "teacher_id": teacher_id,
            "class_id": item.lesson.class_id,
            "subject_id": item.lesson.subject_id,
            "date": day,
            "lesson_no": item.lesson.lesson_no,
            "subgroup": item.lesson.subgroup,
            "missing": list(item.missing),
            "recorded_at": now,
        }
        for teacher_id, items in (await missing_by_teacher(session, day)).items()
        for item in items
        if item.lesson.key not in recorded
    ]


async def insert_overdue(session: AsyncSession, entries: list[dict[str, Any]]) -> int:
    if entries:
        await session.execute(insert(OverdueEntry), entries)
    return len(entries)


# --- overdue entries ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Overdue:
    id: int
    teacher_id: int
    key: LessonKey
    missing: tuple[str, ...]
    filled: bool  # written since the deadline (as last recorded)

    @property
    def date(self) -> dt.date:
        return self.key[2]


async def overdue_since(session: AsyncSession, since: dt.date | None, *, only_open: bool = False) -> list[Overdue]:
    query = select(
        OverdueEntry.id,
        OverdueEntry.teacher_id,
        OverdueEntry.class_id,
        OverdueEntry.subject_id,
        OverdueEntry.date,
        OverdueEntry.lesson_no,
        OverdueEntry.subgroup,
        OverdueEntry.missing,
        OverdueEntry.filled_at.is_not(None),
    ).order_by(OverdueEntry.id)
    if since is not None:
        query = query.where(OverdueEntry.date >= since)
    if only_open:
        query = query.where(OverdueEntry.filled_at.is_(None))
    return [
        Overdue(id_, teacher_id, (class_id, subject_id, day, lesson_no, subgroup), tuple(missing), bool(filled))
        for id_, teacher_id, class_id, subject_id, day, lesson_no, subgroup, missing, filled in await session.execute(
            query
        )
    ]


def filled_since(entries: list[Overdue], missing: dict[LessonKey, list[str]]) -> list[int]:
    """Open entries whose lesson is no longer missing anything (or is no longer due at all)."""
    return [entry.id for entry in entries if not entry.filled and entry.key not in missing]


async def close_overdue(session: AsyncSession, entry_ids: list[int], now: dt.datetime) -> int:
    """Mark the entries filled in late (`filled_at`) unless someone has meanwhile; returns how many."""
    closed = 0
    for start in range(0, len(entry_ids), 500):
        result = await session.execute(
            update(OverdueEntry)
            .where(OverdueEntry.id.in_(entry_ids[start : start + 500]), OverdueEntry.filled_at.is_(None))
            .values(filled_at=now)
        )
        closed += result.rowcount
    return closed


async def refresh_overdue(session: AsyncSession, now: dt.datetime, *, since: dt.date | None = None) -> int:
    """Overdue entries filled in since are marked late (`filled_at`); returns how many were closed."""
    open_entries = await overdue_since(session, since, only_open=True)
    if not open_entries:
        return 0
    dates = {entry.date for entry in open_entries}
    facts = await read_lesson_facts(session, min(dates), max(dates))
    missing = missing_items(due_lessons(facts, dates))
    return await close_overdue(session, filled_since(open_entries, missing), now)


# --- fill rates --------------------------------------------------------------------------------------


@dataclass
class FillRate:
    teacher_id: int
    teacher: str
    lessons: int = 0
    late: int = 0
    missing: int = 0

    @property
    def on_time(self) -> int:
        return self.lessons - self.late - self.missing

    def share(self, count: int) -> float:
        return count / self.lessons if self.lessons else 0.0


def count_fill_rates(
    lessons: list[DueLesson], overdue: set[LessonKey], names: dict[int, str], deadline: Deadline
) -> list[FillRate]:
    """Per teacher: the lessons, those still missing something, and those written late (by the entries'
    times, or recorded overdue by the deadline job and written since)."""
    rates: dict[int, FillRate] = {}
    # A term of a big school has tens of thousands of lessons on a hundred-odd days: each day's deadline
    # once, in UTC as the entries' times are.
    due_on = {day: deadline.on(day).astimezone(dt.timezone.utc) for day in {lesson.date for lesson in lessons}}
    for lesson in lessons:
        if lesson.teacher_id is None:
            continue
        rate = rates.get(lesson.teacher_id)
        if rate is None:
            rate = rates[lesson.teacher_id] = FillRate(lesson.teacher_id, names.get(lesson.teacher_id, "?"))
        rate.lessons += 1
        if lesson.missing:
            rate.missing += 1
        elif lesson.key in overdue or _made_after(lesson, due_on[lesson.date]):
            rate.late += 1
    return sorted(rates.values(), key=lambda r: r.teacher.casefold())


async def fill_rates(
    session: AsyncSession, calendar: SchoolCalendar, start: dt.date, end: dt.date, deadline: Deadline
) -> list[FillRate]:
    """Per teacher, over the school days from `start` to `end`: lessons on time, late, still missing.

    Missing is what is unwritten now; late is what was first written after its day's deadline.
    """
    facts = await read_lesson_facts(session, start, end)
    lessons = due_lessons(facts, calendar.days(start, end), in_order=False)
    overdue = {entry.key for entry in await overdue_since(session, start) if entry.date <= end}
    return count_fill_rates(lessons, overdue, await staff_names(session), deadline)


async def staff_names(session: AsyncSession) -> dict[int, str]:
    return dict((await session.execute(select(Staff.id, Staff.full_name))).all())


@dataclass(frozen=True)
class LessonAccount:
    """The lessons of some school days as they stand now, and the overdue entries since the first."""

    lessons: list[DueLesson]  # of the school days counted
    missing: dict[LessonKey, list[str]]  # what those and the lessons of the open entries lack
    entries: list[Overdue]
    filled: list[int]  # open entries now written: to close


async def account_lessons(session: AsyncSession, start: dt.date, end: dt.date) -> LessonAccount:
    """Read and count the lessons of the school days from `start` to `end`, and the overdue entries
    from `start` on (with the lessons of their days, to see which of them are written by now)."""
    entries = await overdue_since(session, start)
    open_days = {entry.date for entry in entries if not entry.filled}
    facts = await read_lesson_facts(session, start, max([end, *open_days]))
    days = frozenset(facts.calendar.days(start, end))
    everything = due_lessons(facts, days | open_days, in_order=False)
    missing = missing_items(everything)
    lessons = [lesson for lesson in everything if lesson.date in days]
    return LessonAccount(lessons, missing, entries, filled_since(entries, missing))
