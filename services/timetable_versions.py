"""Dated timetables: which rows of the timetable are in force on a date.

The timetable is rebuilt during the year (a new one from 11.01), and each day is read through the
timetable of its own date: December's lessons, reminders, deadlines and refusals by December's
timetable, January's by January's. The rows that share one `valid_from` are a version; the version in
force on a date is the one with the latest `valid_from` not after it. Rows without a date (written
before timetables had dates, or by hand) belong to the first version: the timetable from the start.

Versions are the school's, not a class's: a school imports its whole timetable at once, so a class
that the new version leaves out has no lessons from its date on (a class keeping its old timetable
appears in the new file again, unchanged). Read per class, a version could never take a class's
lessons away, and a date would be read through pieces of several imports.

Everything that asks "which lessons does the timetable put on D" comes here, through
`Timetable.on(D)`: the whole table is read in one query (services.school_reference keeps it), and a
term of days is answered from memory, one bisection a day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import TimetableEntry

FROM_THE_START = dt.date.min  # where the first version starts when only undated rows make it


class TimetableRow(NamedTuple):
    id: int
    class_id: int
    weekday: int  # 1 = Monday … 7 = Sunday
    lesson_no: int
    subject_id: int
    staff_id: int | None
    subgroup: str = ""  # "" for the whole class (services.subgroups)
    room: str = ""


@dataclass(frozen=True)
class TimetableSlot:
    lesson_no: int
    staff_id: int
    subgroup: str = ""  # "" for the whole class (services.subgroups)


@dataclass(frozen=True)
class TimetableVersion:
    """The rows of one version, by id (import order)."""

    valid_from: dt.date | None  # None: undated rows only, in force from the start
    rows: tuple[TimetableRow, ...] = ()

    @cached_property
    def slots(self) -> Mapping[tuple[int, int, int], tuple[TimetableSlot, ...]]:
        """(class, subject, weekday) → that day's lessons, by number then import order, descending (a
        reader that keeps the last one it meets of a number keeps the first imported)."""
        slots: dict[tuple[int, int, int], list[TimetableSlot]] = defaultdict(list)
        for row in sorted(self.rows, key=lambda row: (row.lesson_no, row.id), reverse=True):
            slots[(row.class_id, row.subject_id, row.weekday)].append(
                TimetableSlot(row.lesson_no, row.staff_id, row.subgroup)  # type: ignore[arg-type]
            )
        return {key: tuple(found) for key, found in slots.items()}

    @cached_property
    def _weekdays(self) -> dict[int | None, frozenset[int]]:
        """Class (None: any class) → the weekdays it has lessons on."""
        found: dict[int | None, set[int]] = defaultdict(set)
        for row in self.rows:
            found[row.class_id].add(row.weekday)
            found[None].add(row.weekday)
        return {class_id: frozenset(days) for class_id, days in found.items()}

    def has_lessons(self, weekday: int, class_id: int | None = None) -> bool:
        """The class (None: any class) has lessons on that weekday."""
        return weekday in self._weekdays.get(class_id, ())

    @cached_property
    def _by_class(self) -> dict[int, tuple[TimetableRow, ...]]:
        found: dict[int, list[TimetableRow]] = defaultdict(list)
        for row in self.rows:
            found[row.class_id].append(row)
        return {class_id: tuple(rows) for class_id, rows in found.items()}

    def of_class(self, class_id: int) -> tuple[TimetableRow, ...]:
        return self._by_class.get(class_id, ())


NO_TIMETABLE = TimetableVersion(None)


@dataclass(frozen=True)
class Timetable:
    """Every version of the school's timetable, by valid_from."""

    versions: tuple[TimetableVersion, ...] = ()
    _starts: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(_start(version) for version in self.versions))

    def on(self, day: dt.date) -> TimetableVersion:
        """The version in force on `day`: the latest to start not after it (none before the first)."""
        index = bisect_right(self._starts, day) - 1
        return self.versions[index] if index >= 0 else NO_TIMETABLE

    def index_on(self, day: dt.date) -> int:
        """The number of the version in force on `day` (-1 before the first): days with one number
        share one timetable, for readers that group days by it."""
        return bisect_right(self._starts, day) - 1

    def version(self, index: int) -> TimetableVersion:
        return self.versions[index] if index >= 0 else NO_TIMETABLE

    def rows(self) -> Iterable[TimetableRow]:
        """The rows of every version, for questions about the whole year (which subjects a class has)."""
        return (row for version in self.versions for row in version.rows)

    def starting_after(self, day: dt.date) -> TimetableVersion | None:
        """The first version still to come after `day`, if one is imported."""
        index = bisect_right(self._starts, day)
        return self.versions[index] if index < len(self.versions) else None


def _start(version: TimetableVersion) -> dt.date:
    return FROM_THE_START if version.valid_from is None else version.valid_from


def timetable_of(rows: Iterable[tuple[dt.date | None, TimetableRow]]) -> Timetable:
    """(valid_from, row) pairs, in any order → the versions; undated rows join the first."""
    by_start: dict[dt.date | None, list[TimetableRow]] = defaultdict(list)
    for valid_from, row in rows:
        by_start[valid_from].append(row)
    undated = by_start.pop(None, [])
    if undated:
        dated = [start for start in by_start if start is not None]
        by_start[min(dated) if dated else None].extend(undated)
    return Timetable(
        tuple(
            TimetableVersion(valid_from, tuple(sorted(found)))
            for valid_from, found in sorted(by_start.items(), key=lambda item: item[0] or FROM_THE_START)
        )
    )


async def read_timetable(session: AsyncSession) -> Timetable:
    """The whole table, every version, in one query (services.school_reference keeps it)."""
    rows = await session.execute(
        select(
            TimetableEntry.valid_from,
            TimetableEntry.id,
            TimetableEntry.class_id,
            TimetableEntry.weekday,
            TimetableEntry.lesson_no,
            TimetableEntry.subject_id,
            TimetableEntry.staff_id,
            TimetableEntry.subgroup,
            TimetableEntry.room,
        )
    )
    return timetable_of((valid_from, TimetableRow(*rest)) for valid_from, *rest in rows)
