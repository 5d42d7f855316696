"""The school's reference data, read once and kept until the school changes it.

Nearly every update consults the same tables: classes, subjects, work types, staff and their roles,
who teaches what, the timetable, the bells, the year with its periods and holidays, the school's
settings. They change a few times a term (an import, a period closed), while teachers consult them on
every message. So they are read into one immutable `SchoolReference` per database and process, and
each session checks a single number, `school_settings.reference_version`, which every change to these
tables moves in the same transaction (models.reference_version); only when it has moved are they read
again. A session checks once (a session is one update); a session that itself changes the reference
checks again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import weakref
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AcademicYear,
    BellTime,
    Holiday,
    Marking,
    Period,
    SchoolClass,
    SchoolSettings,
    Staff,
    StaffRole,
    StaffRoleGrant,
    Subject,
    TeachingAssignment,
    WorkType,
)
from models.reference_version import REFERENCE_MOVED
from services.marking import parse_unmarked_periods
from services.timetable_versions import Timetable, TimetableSlot, TimetableVersion, read_timetable

_SNAPSHOT = "school_reference"  # Session.info key: the reference this session has checked


@dataclass(frozen=True)
class YearInfo:
    id: int
    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class PeriodInfo:
    id: int
    year_id: int
    name: str
    start: dt.date
    end: dt.date
    finals_locked_at: dt.datetime | None


@dataclass(frozen=True)
class HolidayInfo:
    id: int
    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class ClassInfo:
    id: int
    name: str
    grade: int
    homeroom_teacher_id: int | None = None
    year_id: int | None = None  # the academic year the class belongs to (services.school_years)

    @property
    def attendance_only(self) -> bool:
        """Regulation 1.3: grade 1 keeps attendance only, no marks and no homework."""
        return self.grade == 1


@dataclass(frozen=True)
class SubjectInfo:
    id: int
    name: str


@dataclass(frozen=True)
class WorkTypeInfo:
    id: int
    name: str
    weight: float


@dataclass(frozen=True)
class StaffInfo:
    id: int
    full_name: str
    active: bool
    roles: frozenset[StaffRole]
    external_id: str | None = None  # the school's id (t1), as typed in commands


@dataclass(frozen=True)
class BellInfo:
    lesson_no: int
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class ReferenceDay:
    """What the calendar says of a date."""

    date: dt.date
    year: YearInfo | None
    period: PeriodInfo | None
    holiday: HolidayInfo | None

    @property
    def in_year(self) -> bool:
        return self.year is not None


@dataclass(frozen=True)
class SchoolReference:
    version: int | None
    allow_mark_one: bool
    years: tuple[YearInfo, ...]
    periods: tuple[PeriodInfo, ...]
    holidays: tuple[HolidayInfo, ...]
    classes: Mapping[int, ClassInfo]
    subjects: tuple[SubjectInfo, ...]  # by name
    work_types: tuple[WorkTypeInfo, ...]  # by id
    staff: Mapping[int, StaffInfo]
    assignments: frozenset[tuple[int, int, int]]  # (staff, class, subject)
    group_assignments: frozenset[tuple[int, int, int, str]]  # (staff, class, subject, subgroup or "")
    # every version of the timetable, by the date it starts (services.timetable_versions)
    timetable: Timetable
    bells: Mapping[int, BellInfo]
    # (class, subject) → its marking where it is not Marking.MARKS (services.marking)
    markings: Mapping[tuple[int, int], Marking] = field(default_factory=dict)
    unmarked_periods: frozenset[tuple[int, int]] = frozenset()  # (grade, period's place in the year)

    def marking(self, class_id: int, subject_id: int) -> Marking:
        return self.markings.get((class_id, subject_id), Marking.MARKS)

    @property
    def lowest_mark(self) -> int:
        return 1 if self.allow_mark_one else 2

    def day(self, date: dt.date) -> ReferenceDay:
        def containing(items):
            return next((item for item in items if item.start <= date <= item.end), None)

        return ReferenceDay(date, containing(self.years), containing(self.periods), containing(self.holidays))

    def subject(self, subject_id: int) -> SubjectInfo | None:
        return next((subject for subject in self.subjects if subject.id == subject_id), None)

    def teaches(self, staff_id: int | None, class_id: int, subject_id: int, subgroup: str = "") -> bool:
        """Assigned to the class–subject; for a group's lesson (`subgroup`), to that group or the whole class."""
        if not subgroup:
            return (staff_id, class_id, subject_id) in self.assignments
        return bool(
            {(staff_id, class_id, subject_id, subgroup), (staff_id, class_id, subject_id, "")} & self.group_assignments
        )

    def groups(self, class_id: int, subject_id: int) -> tuple[str, ...]:
        """The groups a class is split into for the subject (services.subgroups); () when it is not."""
        return self._groups.get((class_id, subject_id), ())

    def split_subjects(self) -> frozenset[tuple[int, int]]:
        """The (class, subject) pairs taught in groups."""
        return frozenset(self._groups)

    @cached_property
    def _groups(self) -> dict[tuple[int, int], tuple[str, ...]]:
        """(class, subject) → its groups, from the assignments and the timetable: asked on every entry."""
        named: dict[tuple[int, int], set[str]] = defaultdict(set)
        for _, class_id, subject_id, group in self.group_assignments:
            if group:
                named[(class_id, subject_id)].add(group)
        for row in self.timetable.rows():  # (of any version: a group's journal page stays)
            if row.subgroup:
                named[(row.class_id, row.subject_id)].add(row.subgroup)
        return {pair: tuple(sorted(groups, key=_group_order)) for pair, groups in named.items() if groups}

    def teacher_groups(self, staff_id: int | None, class_id: int, subject_id: int) -> tuple[str, ...]:
        """The groups of the class–subject the teacher is assigned to ("" for the whole class)."""
        return tuple(
            sorted(
                (
                    group
                    for (staff_of, class_of, subject_of, group) in self.group_assignments
                    if (staff_of, class_of, subject_of) == (staff_id, class_id, subject_id)
                ),
                key=_group_order,
            )
        )

    @property
    def current_year_id(self) -> int | None:
        """The newest year: the school's present (services.school_years)."""
        return max(self.years, key=lambda year: (year.start, year.id)).id if self.years else None

    def current_classes(self) -> list[ClassInfo]:
        """The current year's classes: the ones a typed name means."""
        return self.classes_of_year(self.current_year_id)

    def classes_of_year(self, year_id: int | None) -> list[ClassInfo]:
        return [c for c in self.classes.values() if c.year_id == year_id]

    def homeroom_of(self, staff_id: int) -> frozenset[int]:
        """The classes the staff member leads this year (a past year's class is no longer theirs to lead)."""
        return frozenset(c.id for c in self.current_classes() if c.homeroom_teacher_id == staff_id)

    def class_subjects(self) -> dict[int, frozenset[int]]:
        """The subjects each class has: assigned to a teacher or in the timetable (of any version)."""
        pairs: dict[int, set[int]] = {}
        for _, class_id, subject_id in self.assignments:
            pairs.setdefault(class_id, set()).add(subject_id)
        for row in self.timetable.rows():
            pairs.setdefault(row.class_id, set()).add(row.subject_id)
        return {class_id: frozenset(subjects) for class_id, subjects in pairs.items()}

    def timetable_on(self, day: dt.date) -> TimetableVersion:
        """The timetable in force on `day` (services.timetable_versions)."""
        return self.timetable.on(day)

    def timetabled(self, class_id: int, subject_id: int, day: dt.date) -> tuple[TimetableSlot, ...]:
        """The class's lessons of the subject on `day` by the timetable in force then (no day's changes)."""
        return self.timetable.on(day).slots.get((class_id, subject_id, day.isoweekday()), ())

    def work_type(self, work_type_id: int | None) -> WorkTypeInfo | None:
        return next((work_type for work_type in self.work_types if work_type.id == work_type_id), None)

    def lightest_work_type(self) -> WorkTypeInfo | None:
        return min(self.work_types, key=lambda work_type: (work_type.weight, work_type.id), default=None)


def _group_order(name: str) -> tuple[int, str]:
    """Groups «1», «2», «10» in number order, named ones after them."""
    return (int(name), "") if name.isdigit() else (10**6, name)


async def school_reference(session: AsyncSession) -> SchoolReference:
    """The reference as of now: one small query, and a full read only when the school changed it."""
    snapshot = session.info.get(_SNAPSHOT)
    own_change = session.info.pop(REFERENCE_MOVED, False)
    if snapshot is not None and not own_change:
        return snapshot
    version = await session.scalar(select(SchoolSettings.reference_version).order_by(SchoolSettings.id).limit(1))
    if own_change:
        # This session changed the reference and may still roll it back: what it reads is its own.
        snapshot = await _read(session, version)
    else:
        snapshot = await _kept(session).current(session, version)
    session.info[_SNAPSHOT] = snapshot
    return snapshot


class _Kept:
    """The reference last read from one database in this process."""

    def __init__(self) -> None:
        self._snapshot: SchoolReference | None = None
        self._reading = asyncio.Lock()  # updates that find it stale at the same moment read it once

    async def current(self, session: AsyncSession, version: int | None) -> SchoolReference:
        if version is not None and self._snapshot is not None and self._snapshot.version == version:
            return self._snapshot
        async with self._reading:
            if version is not None and self._snapshot is not None and self._snapshot.version == version:
                return self._snapshot
            snapshot = await _read(session, version)
            if version is not None:  # no settings row yet (nothing imported): nothing to keep
                self._snapshot = snapshot
            return snapshot


_kept_by_engine: weakref.WeakKeyDictionary[Engine, _Kept] = weakref.WeakKeyDictionary()


def _kept(session: AsyncSession) -> _Kept:
    engine = session.get_bind()
    kept = _kept_by_engine.get(engine)
    if kept is None:
        kept = _kept_by_engine[engine] = _Kept()
    return kept


async def _read(session: AsyncSession, version: int | None) -> SchoolReference:
    async def rows(*columns, order_by=()):
        return list(await session.execute(select(*columns).order_by(*order_by)))

    roles: dict[int, set[StaffRole]] = {}
    for staff_id, role in await rows(StaffRoleGrant.staff_id, StaffRoleGrant.role):
        roles.setdefault(staff_id, set()).add(StaffRole(role))
    group_assignments = frozenset(
        tuple(row)
        for row in await rows(
            TeachingAssignment.staff_id,
            TeachingAssignment.class_id,
            TeachingAssignment.subject_id,
            TeachingAssignment.subgroup,
        )
    )
    allow_mark_one, unmarked = (
        await session.execute(
            select(SchoolSettings.allow_mark_one, SchoolSettings.unmarked_periods).order_by(SchoolSettings.id).limit(1)
        )
    ).first() or (False, "")
    markings = {
        (class_id, subject_id): Marking(marking)
        for class_id, subject_id, marking in await rows(
            TeachingAssignment.class_id, TeachingAssignment.subject_id, TeachingAssignment.marking
        )
        if marking != Marking.MARKS.value
    }
    return SchoolReference(
        version=version,
        allow_mark_one=bool(allow_mark_one),
        years=tuple(
            YearInfo(*row)
            for row in await rows(
                AcademicYear.id, AcademicYear.name, AcademicYear.start, AcademicYear.end, order_by=(AcademicYear.start,)
            )
        ),
        periods=tuple(
            PeriodInfo(*row)
            for row in await rows(
                Period.id,
                Period.year_id,
                Period.name,
                Period.start,
                Period.end,
                Period.finals_locked_at,
                order_by=(Period.start,),
            )
        ),
        holidays=tuple(
            HolidayInfo(*row)
            for row in await rows(Holiday.id, Holiday.name, Holiday.start, Holiday.end, order_by=(Holiday.start,))
        ),
        classes={
            row.id: ClassInfo(*row)
            for row in await rows(
                SchoolClass.id,
                SchoolClass.name,
                SchoolClass.grade,
                SchoolClass.homeroom_teacher_id,
                SchoolClass.year_id,
            )
        },
        subjects=tuple(SubjectInfo(*row) for row in await rows(Subject.id, Subject.name, order_by=(Subject.name,))),
        work_types=tuple(
            WorkTypeInfo(*row)
            for row in await rows(WorkType.id, WorkType.name, WorkType.weight, order_by=(WorkType.id,))
        ),
        staff={
            row.id: StaffInfo(row.id, row.full_name, row.active, frozenset(roles.get(row.id, ())), row.external_id)
            for row in await rows(Staff.id, Staff.full_name, Staff.active, Staff.external_id)
        },
        assignments=frozenset(assignment[:3] for assignment in group_assignments),
        group_assignments=group_assignments,
        timetable=await read_timetable(session),
        bells={row.lesson_no: BellInfo(*row) for row in await rows(BellTime.lesson_no, BellTime.start, BellTime.end)},
        markings=markings,
        unmarked_periods=_unmarked_periods(unmarked or ""),
    )


def _unmarked_periods(text: str) -> frozenset[tuple[int, int]]:
    """The stored setting; one the bot would not start with (services.marking) counts as none."""
    try:
        return parse_unmarked_periods(text)
    except ValueError:
        return frozenset()
