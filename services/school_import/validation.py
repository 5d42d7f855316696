"""Reads every sheet into typed rows, checking each cell and every reference across sheets.

All problems are collected in one pass, so the user fixes the whole file at once.

One module past 400 lines because it is one parser: each sheet's checks read what the sheets before it
parsed, in the single pass that collects every problem.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator

from models import Marking, StaffRole
from services.names import normalize_class_name, normalize_text_key
from services.school_import.cells import (
    RowReader,
    parse_class_name,
    parse_date,
    parse_roles,
    parse_time,
    parse_weekday,
    parse_weight,
    split_list,
    whole_number,
)
from services.school_import.consent_rows import read_consent_rows
from services.school_import.marking_rows import MarkingAgreement, parse_marking
from services.school_import.report import ImportProblem
from services.school_import.rows import (
    AssignmentRow,
    BellRow,
    ClassRow,
    DateRange,
    ParentRow,
    SchoolFile,
    StaffRow,
    StudentRow,
    SubgroupRow,
    TimetableRow,
)
from services.school_import.sheets import OPTIONAL_SHEETS, ROW_NUMBER, SHEETS, SheetRows, required_columns
from services.school_import.subgroup_rows import NO_PUPILS, GroupPlacement, pupil_ids

MAX_LESSON_NO = 20
MAX_SUBGROUP_LENGTH = 20  # models.SubgroupMember.subgroup
GROUP_NAME = re.compile(r"\w{1,10}")  # «1», «2», «мальчики»: typed after a subject, carried by buttons
# The columns holding each sheet's key, where other sheets refer to it.
KEY_COLUMNS = {
    "staff": ("id",),
    "classes": ("name",),
    "subjects": ("name",),
    "students": ("id",),
    "bells": ("lesson_no",),
    "subgroups": ("class", "subject", "subgroup"),
}
# A class's lessons at one hour (version, class, weekday, lesson number) → the rows already there, with their numbers
Booked = dict[tuple[dt.date | None, str, int, int], list[tuple[TimetableRow, int]]]


def normalize_sheets(sheets: SheetRows) -> SheetRows:
    """Sheet and column names compared without case or spaces; cells as stripped strings."""
    result: SheetRows = {}
    for sheet, rows in sheets.items():
        result[sheet.strip().lower()] = [
            {
                **{
                    str(column).strip().lower(): "" if value is None else str(value).strip()
                    for column, value in row.items()
                    if column != ROW_NUMBER
                },
                ROW_NUMBER: int(row.get(ROW_NUMBER) or index + 2),  # header is row 1
            }
            for index, row in enumerate(rows)
        ]
    return result


class SchoolFileParser:
    """Parses sheets in dependency order; later sheets check references against earlier ones."""

    def __init__(self, sheets: SheetRows, *, today: dt.date) -> None:
        self._sheets = normalize_sheets(sheets)
        self._today = today
        self.problems: list[ImportProblem] = []
        self.warnings: list[ImportProblem] = []
        # Keys each sheet defines, with the row they stand in: other sheets refer to them.
        self._keys: dict[str, dict[object, int]] = defaultdict(dict)
        # Sheets whose keys cannot be read (sheet or key column missing): already reported once,
        # so references to them are not reported again on every row.
        self._unreadable: set[str] = set()

    def parse(self) -> SchoolFile | None:
        """The valid file, or None when there are problems (then see `problems`)."""
        self._unknown_sheets()
        periods = self._periods()
        holidays = self._holidays(periods)
        subjects = self._subjects()
        work_types = self._work_types()
        staff = self._staff()
        classes = self._classes()
        students = self._students()
        parents = self._parents()
        subgroups = self._subgroups(students)
        assignments = self._assignments(staff)
        bells = self._bells()
        timetable = self._timetable(assignments, periods)
        consents = read_consent_rows(self._rows("consents"), students, parents)
        if self.problems:
            return None
        return SchoolFile(
            periods,
            holidays,
            subjects,
            work_types,
            staff,
            classes,
            students,
            parents,
            subgroups,
            assignments,
            bells,
            timetable,
            consents,
        )

    # --- sheets --------------------------------------------------------------------------

    def _periods(self) -> list[DateRange]:
        seen: dict[object, int] = {}
        periods: list[tuple[DateRange, RowReader]] = []
        for row in self._rows("periods"):
            name = row.text("name", 50)
            row.unique("name", name, seen)
            dates = self._dates(row)
            if row.ok:
                periods.append((DateRange(name, *dates), row))
        if self._sheets.get("periods") == []:
            self._problem("periods", "at least one period is required")
        self._check_no_overlap(periods)
        found = [period for period, _row in periods]
        if found and (max(p.end for p in found) - min(p.start for p in found)).days > 366:
            self._problem("periods", "periods span more than one year")
        return found

    def _holidays(self, periods: list[DateRange]) -> list[DateRange]:
        holidays = []
        for row in self._rows("holidays"):
            name = row.text("name", 100, required=False) or ""
            dates = self._dates(row)
            if dates and periods:
                self._check_within_year(row, dates, periods)
            if row.ok:
                holidays.append(DateRange(name, *dates))
        return holidays

    def _subjects(self) -> dict[str, str]:
        subjects = {}
        for row in self._rows("subjects"):
            name = row.text("name", 100)
            key = name and normalize_text_key(name)
            row.unique("name", key, self._keys["subjects"])
            if name and row.ok:
                subjects[key] = name
        return subjects

    def _work_types(self) -> dict[str, tuple[str, float]] | None:
        if "work_types" not in self._sheets:
            return None
        seen: dict[object, int] = {}
        work_types = {}
        for row in self._rows("work_types"):
            name = row.text("name", 100)
            weight = row.parsed("weight", parse_weight)
            key = name and normalize_text_key(name)
            row.unique("name", key, seen)
            if row.ok:
                work_types[key] = (name, weight)
        return work_types

    def _staff(self) -> list[StaffRow]:
        staff = []
        for row in self._rows("staff"):
            external_id = row.text("id", 64)
            row.unique("id", external_id, self._keys["staff"])
            full_name = row.name("full_name", 200)
            roles = row.parsed("roles", parse_roles)
            if row.ok:
                staff.append(StaffRow(external_id, full_name, roles))
        return staff

    def _classes(self) -> list[ClassRow]:
        classes = []
        for row in self._rows("classes"):
            class_name = row.parsed("name", parse_class_name)
            row.unique("name", class_name and class_name.name, self._keys["classes"])
            grade = row.parsed("grade", whole_number(1, 11), required=False)
            if class_name and grade is not None and grade != class_name.grade:
                row.fail("grade", f"does not agree with the class name {class_name.name}")
            homeroom = row.text("homeroom_teacher", 64, required=False)
            self._refer(row, "homeroom_teacher", (homeroom,), "staff", "staff id")
            if row.ok:
                classes.append(ClassRow(class_name.name, class_name.grade, class_name.letter, homeroom))
        return classes

    def _students(self) -> list[StudentRow]:
        students = []
        for row in self._rows("students"):
            external_id = row.text("id", 64)
            row.unique("id", external_id, self._keys["students"])
            full_name = row.name("full_name", 200)
            class_name = self._class_reference(row)
            birth_date = row.parsed("birth_date", parse_date, required=False)
            if birth_date and birth_date > self._today:
                row.fail("birth_date", "in the future")
            if row.ok:
                students.append(StudentRow(external_id, full_name, class_name, birth_date))
        return students

    def _parents(self) -> list[ParentRow]:
        seen: dict[object, int] = {}
        parents = []
        for row in self._rows("parents"):
            external_id = row.text("id", 64)
            row.unique("id", external_id, seen)
            full_name = row.name("full_name", 200)
            children = row.parsed("children", split_list) or ()
            self._refer(row, "children", children, "students", "student id")
            phone = row.text("phone", 32, required=False)
            if row.ok:
                parents.append(ParentRow(external_id, full_name, children, phone))
        return parents

    def _subgroups(self, students: list[StudentRow]) -> list[SubgroupRow]:
        placement = GroupPlacement(students)
        subgroups = []
        for row in self._rows("subgroups"):
            class_name = self._class_reference(row)
            subject = self._subject_reference(row)
            class_and_subject_known = row.ok
            subgroup = row.text("subgroup", MAX_SUBGROUP_LENGTH)
            if subgroup and not GROUP_NAME.fullmatch(subgroup):
                row.fail(
                    "subgroup",
                    "a group is named by letters or digits, at most 10 (teachers type it after "
                    "the subject, «англ/2», and it goes on buttons)",
                )
            if class_name and subject and subgroup:
                row.unique("subgroup", (class_name, subject, subgroup), self._keys["subgroups"])
            members = row.parsed("students", pupil_ids, missing=NO_PUPILS) or ()
            self._refer(row, "students", members, "students", "student id")
            if class_and_subject_known and subgroup:
                placement.place(row, class_name, subject, subgroup, members)
            if row.ok:
                subgroups.append(SubgroupRow(class_name, subject, subgroup, members))
        placement.check_everyone_placed()
        return subgroups

    def _assignments(self, staff: list[StaffRow]) -> list[AssignmentRow]:
        roles = {member.external_id: member.roles for member in staff}
        seen: dict[object, int] = {}
        agreement = MarkingAgreement()
        assignments = []
        for row in self._rows("assignments"):
            teacher = self._staff_reference(row, "teacher")
            class_name = self._class_reference(row)
            subject = self._subject_reference(row)
            subgroup = self._subgroup(row)
            if not row.ok:
                continue
            self._group_reference(row, class_name, subject, subgroup)
            marking = row.parsed("marking", parse_marking, required=False) or Marking.MARKS
            if row.ok:
                agreement.check(row, class_name, subject, marking)
            assignment = AssignmentRow(teacher, class_name, subject, subgroup, marking)
            row.unique("teacher", assignment, seen)  # only a complete row can repeat another
            if row.ok:
                assignments.append(assignment)
            if StaffRole.TEACHER not in roles.get(teacher, {StaffRole.TEACHER}):
                self._warn(row, "teacher", "this staff member does not have the teacher role")
        return assignments

    def _bells(self) -> list[BellRow]:
        bells = []
        for row in self._rows("bells"):
            lesson_no = row.parsed("lesson_no", whole_number(0, MAX_LESSON_NO))
            row.unique("lesson_no", lesson_no, self._keys["bells"])
            start = row.parsed("start", parse_time)
            end = row.parsed("end", parse_time)
            if start and end and end <= start:
                row.fail("end", "end is not after start")
            if row.ok:
                bells.append(BellRow(lesson_no, start, end))
        return bells

    def _timetable(self, assignments: list[AssignmentRow], periods: list[DateRange]) -> list[TimetableRow]:
        taught = {(a.teacher, a.class_name, a.subject, a.subgroup) for a in assignments}
        booked: Booked = defaultdict(list)
        teacher_classes_at: dict[tuple[dt.date | None, str, int, int], set[tuple[str, str]]] = defaultdict(set)
        entries = []
        for row in self._rows("timetable"):
            class_name = self._class_reference(row)
            weekday = row.parsed("weekday", parse_weekday)
            lesson_no = row.parsed("lesson_no", whole_number(0, MAX_LESSON_NO))
            self._refer(row, "lesson_no", (lesson_no,), "bells", "lesson number (not in bells)")
            subject = self._subject_reference(row)
            teacher = self._staff_reference(row, "teacher")
            room = row.text("room", 20, required=False) or ""
            subgroup = self._subgroup(row)
            valid_from = self._valid_from(row, periods)
            if not row.ok:
                continue
            self._group_reference(row, class_name, subject, subgroup)
            entry = TimetableRow(class_name, weekday, lesson_no, subject, teacher, room, subgroup, valid_from)
            self._check_no_clash(row, entry, booked)
            if not row.ok:
                continue
            entries.append(entry)
            if (teacher, class_name, subject, subgroup) not in taught:
                group = f" (group {subgroup})" if subgroup else ""
                self._warn(row, "teacher", f"this teacher has no assignment for this class and subject{group}")
            classes_at_once = teacher_classes_at[(entry.valid_from, teacher, weekday, lesson_no)]
            classes_at_once.add((class_name, subgroup))
            if len(classes_at_once) > 1:  # a combined lesson is possible, so only a warning
                self._warn(row, "teacher", "teacher already has another class or group at this lesson")
        return entries

    def _check_no_clash(self, row: RowReader, entry: TimetableRow, booked: Booked) -> None:
        """A class has one lesson at a time, or one for each of its groups: two rows at one hour must name
        two different groups. Names are compared, not pupils: group 1 of English and group 1 of informatics
        at one hour is refused, since a class split once for both would be in two rooms at once."""
        hour = (entry.valid_from, entry.class_name, entry.weekday, entry.lesson_no)
        for other, number in booked[hour]:
            if entry.subgroup and other.subgroup and entry.subgroup != other.subgroup:
                continue
            if dataclasses.replace(other, room="") == dataclasses.replace(entry, room=""):
                row.fail("lesson_no", f"duplicate of row {number}")  # the room may not tell rows apart
            else:
                row.fail(
                    "lesson_no",
                    f"{entry.class_name} already has a lesson at this time (row {number}); "
                    "two lessons at once must be for two different groups (subgroup column)",
                )
            return
        booked[hour].append((entry, row.number))

    def _valid_from(self, row: RowReader, periods: list[DateRange]) -> dt.date | None:
        """The date the row's timetable starts (services.timetable_versions): a day of the file's year."""
        valid_from = row.parsed("valid_from", parse_date, required=False)
        if valid_from is not None and periods:
            if not min(p.start for p in periods) <= valid_from <= max(p.end for p in periods):
                row.fail("valid_from", "outside the academic year given by the periods")
            elif valid_from == min(p.start for p in periods):
                return None  # the year's start, as an empty cell says it
        return valid_from

    # --- shared pieces -------------------------------------------------------------------

    def _rows(self, sheet: str) -> Iterator[RowReader]:
        """Row readers for a sheet, after reporting a missing sheet or missing columns once."""
        rows = self._sheets.get(sheet)
        if rows is None:
            if sheet not in OPTIONAL_SHEETS:  # an optional sheet left out is an empty one
                self._unreadable.add(sheet)
                self._problem(sheet, "sheet is missing")
            return
        absent = self._absent_columns(sheet, rows)
        self._unknown_columns(sheet, rows)
        if absent.intersection(KEY_COLUMNS.get(sheet, ())):
            self._unreadable.add(sheet)
        for row in rows:
            yield RowReader(sheet, int(row[ROW_NUMBER]), row, self.problems, absent)

    def _absent_columns(self, sheet: str, rows: list[dict[str, str | int]]) -> set[str]:
        if not rows:
            return set()
        absent = {column for column in required_columns(sheet) if column not in rows[0]}
        for column in required_columns(sheet):
            if column in absent:
                self.problems.append(ImportProblem(sheet, 1, column, "column is missing"))
        return absent

    def _unknown_columns(self, sheet: str, rows: list[dict[str, str | int]]) -> None:
        """A column the import does not read would lose its cells without a word: a misspelt name, most likely."""
        written = dict.fromkeys(column for row in rows for column in row if column != ROW_NUMBER)
        for column in written:
            if column not in SHEETS[sheet]:
                self.problems.append(
                    ImportProblem(
                        sheet,
                        1,
                        str(column),
                        f"unknown column (the columns of {sheet} are: {', '.join(SHEETS[sheet])})",
                    )
                )

    def _dates(self, row: RowReader) -> tuple[dt.date, dt.date] | None:
        start = row.parsed("start", parse_date)
        end = row.parsed("end", parse_date)
        if start is None or end is None:
            return None
        if end < start:
            row.fail("end", "end is before start")
        return start, end

    def _check_within_year(self, row: RowReader, dates: tuple[dt.date, dt.date], periods: list[DateRange]) -> None:
        reason = "outside the academic year given by the periods"
        if dates[0] < min(period.start for period in periods):
            row.fail("start", reason)
        elif dates[1] > max(period.end for period in periods):
            row.fail("end", reason)

    def _check_no_overlap(self, periods: list[tuple[DateRange, RowReader]]) -> None:
        ordered = sorted(periods, key=lambda pair: pair[0].start)
        for (previous, previous_row), (period, row) in zip(ordered, ordered[1:]):
            if period.start <= previous.end:
                row.fail("start", f"overlaps period {previous.name!r} (row {previous_row.number})")

    def _refer(self, row: RowReader, column: str, keys: tuple[object, ...], sheet: str, what: str) -> None:
        """References to keys another sheet defines; the raw cell is quoted so the user finds it."""
        if sheet in self._unreadable:
            return
        known = self._keys[sheet]
        unknown = [key for key in keys if key is not None and key not in known]
        if len(keys) == 1 and unknown:
            row.fail(column, f"unknown {what} {row.raw(column)!r}")
        elif unknown:
            row.fail(column, f"unknown {what} " + ", ".join(repr(key) for key in unknown))

    def _class_reference(self, row: RowReader) -> str | None:
        class_name = row.parsed("class", normalize_class_name)
        self._refer(row, "class", (class_name,), "classes", "class")
        return class_name

    def _subject_reference(self, row: RowReader) -> str | None:
        subject = row.parsed("subject", normalize_text_key)
        self._refer(row, "subject", (subject,), "subjects", "subject")
        return subject

    def _staff_reference(self, row: RowReader, column: str) -> str | None:
        external_id = row.text(column, 64)
        self._refer(row, column, (external_id,), "staff", "staff id")
        return external_id

    @staticmethod
    def _subgroup(row: RowReader) -> str:
        return row.text("subgroup", MAX_SUBGROUP_LENGTH, required=False) or ""  # "": the whole class

    def _group_reference(self, row: RowReader, class_name: str, subject: str, subgroup: str) -> None:
        """A group's lessons and teachers need its pupils, and only the subgroups sheet says who they are."""
        if (
            subgroup
            and "subgroups" not in self._unreadable
            and (class_name, subject, subgroup) not in self._keys["subgroups"]
        ):
            row.fail(
                "subgroup", f"no group {subgroup!r} of {class_name} in {row.raw('subject')} in the subgroups sheet"
            )

    def _problem(self, sheet: str, reason: str) -> None:
        """A problem with a whole sheet rather than one cell."""
        self.problems.append(ImportProblem(sheet, None, None, reason))

    def _warn(self, row: RowReader, column: str, reason: str) -> None:
        self.warnings.append(ImportProblem(row.sheet, row.number, column, reason))

    def _unknown_sheets(self) -> None:
        """A sheet the import does not read would be lost without a word: a misspelt name, most likely.
        An empty one (a spreadsheet's default «Лист1») loses nothing: it is only named among the warnings."""
        for sheet, rows in self._sheets.items():
            if sheet in SHEETS:
                continue
            reason = f"unknown sheet (the sheets are: {', '.join(SHEETS)})"
            if rows:
                self._problem(sheet, reason)
            else:
                self.warnings.append(ImportProblem(sheet, None, None, f"{reason}; it is empty and was skipped"))
