"""The file's rows once read: typed values, references still by the school's own ids and names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from models import Marking, StaffRole
from services.school_import.consent_rows import ConsentRow
from services.school_import.sheets import first_year_of_school_year


@dataclass(frozen=True)
class DateRange:
    """A period or a holiday."""

    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class StaffRow:
    external_id: str
    full_name: str
    roles: frozenset[StaffRole]


@dataclass(frozen=True)
class ClassRow:
    name: str
    grade: int
    letter: str
    homeroom_teacher: str | None


@dataclass(frozen=True)
class StudentRow:
    external_id: str
    full_name: str
    class_name: str
    birth_date: dt.date | None


@dataclass(frozen=True)
class ParentRow:
    external_id: str
    full_name: str
    children: tuple[str, ...]
    phone: str | None


@dataclass(frozen=True)
class SubgroupRow:
    """One group (подгруппа) of a class in a subject, and its pupils."""

    class_name: str
    subject: str  # normalize_text_key of the subject's name
    subgroup: str
    students: tuple[str, ...]  # the pupils' ids


@dataclass(frozen=True)
class AssignmentRow:
    teacher: str
    class_name: str
    subject: str  # normalize_text_key of the subject's name
    subgroup: str
    marking: Marking = Marking.MARKS  # the class–subject's, the same on each of its rows


@dataclass(frozen=True)
class BellRow:
    lesson_no: int
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class TimetableRow:
    class_name: str
    weekday: int
    lesson_no: int
    subject: str  # normalize_text_key of the subject's name
    teacher: str
    room: str
    subgroup: str  # "" for the whole class
    valid_from: dt.date | None = None  # the version it belongs to; None: from the year's start


@dataclass
class SchoolFile:
    """The whole valid file, references still by the school's own ids and names."""

    periods: list[DateRange]
    holidays: list[DateRange]
    subjects: dict[str, str]  # key → name as written
    work_types: dict[str, tuple[str, float]] | None  # key → (name, weight); None when the sheet is absent
    staff: list[StaffRow]
    classes: list[ClassRow]
    students: list[StudentRow]
    parents: list[ParentRow]
    subgroups: list[SubgroupRow]
    assignments: list[AssignmentRow]
    bells: list[BellRow]
    timetable: list[TimetableRow]
    consents: list[ConsentRow] = field(default_factory=list)

    @property
    def year_start(self) -> dt.date:
        return min(period.start for period in self.periods)

    @property
    def year_end(self) -> dt.date:
        return max(period.end for period in self.periods)

    def timetable_versions(self) -> dict[dt.date, list[TimetableRow]]:
        """The file's timetable by the date each version starts (an empty cell: the year's start)."""
        versions: dict[dt.date, list[TimetableRow]] = {}
        for row in self.timetable:
            versions.setdefault(row.valid_from or self.year_start, []).append(row)
        return versions or {self.year_start: []}  # an empty sheet: the year's timetable is empty

    @property
    def year_name(self) -> str:
        first = first_year_of_school_year(self.year_start)
        return f"{first}/{first + 1}"
