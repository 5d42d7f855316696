"""Makes the database match a valid school file.

Each kind of record is loaded once into a dict by its key and diffed in memory. Changed records are
updated through the ORM; new ones go in as one bulk INSERT per table (the ORM would insert them one
by one on SQLite to read back their ids), and what later steps need is then loaded again by key.

People, classes, subjects and work types are matched by their keys and updated, never deleted:
the journal refers to them. Assignments, bells, holidays and parent links are replaced to match the
file; so is each version of the timetable the file holds (others are kept: services.timetable_versions);
so is a period, unless final marks hang on it, and so are the groups of the file's pupils from the
year's start (no lesson or mark refers to a group membership).

It stays one module over 400 lines: it is one class, SchoolWriter, whose steps run in one order and
hand each other the records loaded by key, so parting them would only spread that one walk thinner.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Hashable, Mapping
from typing import Any, TypeVar

from sqlalchemy import and_, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AcademicYear,
    BellTime,
    ClassMove,
    FinalMark,
    Holiday,
    MoveKind,
    Parent,
    ParentStudent,
    Period,
    SchoolClass,
    SchoolSettings,
    Staff,
    StaffRole,
    StaffRoleGrant,
    Student,
    StudentStatus,
    SubgroupMember,
    Subject,
    TeachingAssignment,
    TimetableEntry,
    WorkType,
)
from models.writing import begin_writing
from services.class_numbers import give_numbers, number_from_scratch, numbering_lock
from services.names import normalize_class_name, normalize_text_key
from services.school_import.report import ChangeCounts, ImportProblem, TimetableVersionNote
from services.school_import.rows import SchoolFile
from services.school_import.sheets import DEFAULT_WORK_TYPES

K = TypeVar("K", bound=Hashable)
M = TypeVar("M")
# Changes beyond plain columns (roles, a student's class) on an existing record; says if it changed.
ExtraSync = Callable[[Any, Any], bool]

MOVE_NOTE = "import"


def assign(record: object, values: Mapping[str, Any]) -> bool:
    """Sets only the attributes that differ, so an unchanged file leaves rows untouched."""
    changed = False
    for attribute, value in values.items():
        if getattr(record, attribute) != value:
            setattr(record, attribute, value)
            changed = True
    return changed


def natural_key(text: str) -> list[object]:
    """'s2' before 's10', as a person would list ids."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def unlisted_students(students: Mapping[str, Student], listed: Collection[str]) -> list[str]:
    """Students still studying whom the file leaves out: kept, but the school should look at them."""
    return sorted(
        (
            external_id
            for external_id, student in students.items()
            if external_id not in listed and student.status == StudentStatus.STUDYING.value
        ),
        key=natural_key,
    )


def sync_roles(member: Staff, wanted: frozenset[StaffRole]) -> bool:
    """Makes the staff member's role grants exactly `wanted`; says whether anything changed."""
    grants = {StaffRole(grant.role): grant for grant in member.roles}
    for role, grant in grants.items():
        if role not in wanted:
            member.roles.remove(grant)  # delete-orphan removes the row
    for role in sorted(wanted - grants.keys(), key=lambda r: r.value):
        member.roles.append(StaffRoleGrant(role=role.value))
    return grants.keys() != wanted


class SchoolWriter:
    def __init__(self, session: AsyncSession, school: SchoolFile, *, today: dt.date) -> None:
        self._session = session
        self._school = school
        self._today = today
        self.counts = ChangeCounts()
        self.warnings: list[ImportProblem] = []
        self.missing_students: list[str] = []
        self.timetable_versions: list[TimetableVersionNote] = []
        self._new_year = False  # the file starts a school year the journal did not have
        self.year_id = 0  # the file's academic year: its classes are that year's (models.SchoolClass)

    async def write(self) -> None:
        await self._ensure_settings()
        await self._calendar()
        await self._work_types()
        subjects = await self._subjects()
        staff = await self._staff()
        classes = await self._classes(staff)
        students = await self._students(classes)
        parents = await self._parents()
        await self._parent_links(parents, students)
        await self._subgroup_members(classes, subjects, students)
        await self._assignments(staff, classes, subjects)
        await self._timetable(staff, classes, subjects)
        await self._bells()
        await self._session.flush()

    async def _keyed(self, model: type[M], key: Callable[[M], K], *where: Any) -> dict[K, M]:
        """All rows of a table (optionally filtered), by the key the file uses for them."""
        return {key(record): record for record in await self._session.scalars(select(model).where(*where))}

    async def _bulk_insert(self, model: type, rows: list[dict[str, Any]]) -> None:
        # render_nulls: by default the ORM leaves None values out, and rows with and without a phone
        # would then go in as separate statements (one each, when they alternate).
        await self._session.execute(insert(model).execution_options(render_nulls=True), rows)

    async def _sync(
        self,
        kind: str,
        model: type,
        existing: Mapping[K, Any],
        wanted: Mapping[K, dict[str, Any]],
        *,
        extra: ExtraSync | None = None,
        delete_missing: bool = False,
    ) -> list[K]:
        """Creates, updates (and optionally deletes) rows so that `existing` becomes `wanted`.

        Returns the keys it created; their rows are not loaded into the session.
        """
        created = [key for key in wanted if key not in existing]
        for key, values in wanted.items():
            record = existing.get(key)
            if record is None:
                continue
            # `extra` first: it may need the values the record has before `assign` overwrites them.
            changed = extra(record, key) if extra is not None else False
            changed = assign(record, values) or changed
            (self.counts.updated if changed else self.counts.unchanged)[kind] += 1
        if created:
            await self._bulk_insert(model, [wanted[key] for key in created])
            self.counts.created[kind] += len(created)
        if delete_missing:
            for key, record in existing.items():
                if key not in wanted:
                    await self._session.delete(record)
                    self.counts.deleted[kind] += 1
        return created

    async def _upsert(
        self,
        kind: str,
        model: type[M],
        key: Callable[[M], K],
        wanted: Mapping[K, dict[str, Any]],
        *where: Any,
        extra: ExtraSync | None = None,
    ) -> tuple[dict[K, M], list[K]]:
        """Creates and updates, never deletes. Returns every row by key (new ones loaded) and the keys created."""
        existing = await self._keyed(model, key, *where)
        created = await self._sync(kind, model, existing, wanted, extra=extra)
        if created:
            existing = await self._keyed(model, key, *where)
        return existing, created

    async def _replace(
        self, kind: str, model: type, key_columns: tuple[str, ...], rows: list[dict[str, Any]], *where: Any
    ) -> None:
        """Makes the table (or the part `where` selects) hold exactly `rows`, matched on `key_columns`."""
        existing = await self._keyed(model, lambda record: tuple(getattr(record, c) for c in key_columns), *where)
        wanted = {tuple(row[column] for column in key_columns): row for row in rows}
        await self._sync(kind, model, existing, wanted, delete_missing=True)

    # --- the school year -----------------------------------------------------------------

    async def _ensure_settings(self) -> None:
        if await self._session.get(SchoolSettings, 1) is None:
            self._session.add(SchoolSettings(id=1))
            self.counts.created["school_settings"] += 1

    async def _calendar(self) -> None:
        school = self._school
        wanted = {school.year_name: {"name": school.year_name, "start": school.year_start, "end": school.year_end}}
        years, created = await self._upsert("academic_years", AcademicYear, lambda year: year.name, wanted)
        self._new_year = bool(created)
        year = years[school.year_name]
        self.year_id = year.id
        await self._periods(year)
        await self._holidays(year)

    async def _periods(self, year: AcademicYear) -> None:
        existing = await self._keyed(Period, lambda period: period.name, Period.year_id == year.id)
        wanted = {
            period.name: {"year_id": year.id, "name": period.name, "start": period.start, "end": period.end}
            for period in self._school.periods
        }
        with_final_marks = set(
            await self._session.scalars(
                select(FinalMark.period_id).where(FinalMark.period_id.in_([p.id for p in existing.values()]))
            )
        )
        for name, period in list(existing.items()):
            if name not in wanted and period.id in with_final_marks:
                # Deleting it would orphan period marks already given: keep it and say so.
                del existing[name]
                self.warnings.append(
                    ImportProblem(
                        "periods", None, "name", f"period {name!r} is not in the file but has final marks; kept"
                    )
                )
        await self._sync("periods", Period, existing, wanted, delete_missing=True)

    async def _holidays(self, year: AcademicYear) -> None:
        rows = [
            {"year_id": year.id, "name": holiday.name, "start": holiday.start, "end": holiday.end}
            for holiday in self._school.holidays
        ]
        await self._replace("holidays", Holiday, ("name", "start", "end"), rows, Holiday.year_id == year.id)

    async def _work_types(self) -> None:
        existing = await self._keyed(WorkType, lambda work_type: normalize_text_key(work_type.name))
        if self._school.work_types is None:
            # No sheet: make sure the usual kinds exist, but leave weights the school has set alone.
            wanted = {
                normalize_text_key(name): {"name": name, "weight": weight}
                for name, weight in DEFAULT_WORK_TYPES.items()
                if normalize_text_key(name) not in existing
            }
        else:
            wanted = {key: {"name": name, "weight": weight} for key, (name, weight) in self._school.work_types.items()}
        await self._sync("work_types", WorkType, existing, wanted)

    # --- people and classes --------------------------------------------------------------

    async def _subjects(self) -> dict[str, Subject]:
        wanted = {key: {"name": name} for key, name in self._school.subjects.items()}
        subjects, _ = await self._upsert("subjects", Subject, lambda subject: normalize_text_key(subject.name), wanted)
        return subjects

    async def _staff(self) -> dict[str, Staff]:
        roles = {row.external_id: row.roles for row in self._school.staff}
        wanted = {
            row.external_id: {"external_id": row.external_id, "full_name": row.full_name} for row in self._school.staff
        }
        staff, created = await self._upsert(
            "staff",
            Staff,
            lambda member: member.external_id,
            wanted,
            # Staff added in the bot have no external id; the file does not speak about them.
            Staff.external_id.is_not(None),
            extra=lambda member, external_id: sync_roles(member, roles[external_id]),
        )
        for external_id in created:  # loaded after the insert, their (empty) roles with them
            sync_roles(staff[external_id], roles[external_id])
        return staff

    async def _classes(self, staff: Mapping[str, Staff]) -> dict[str, SchoolClass]:
        wanted = {
            row.name: {
                "year_id": self.year_id,
                "name": row.name,
                "grade": row.grade,
                "letter": row.letter,
                "homeroom_teacher_id": staff[row.homeroom_teacher].id if row.homeroom_teacher else None,
            }
            for row in self._school.classes
        }
        classes, _ = await self._upsert(
            "classes",
            SchoolClass,
            lambda school_class: normalize_class_name(school_class.name),
            wanted,
            SchoolClass.year_id == self.year_id,
        )
        return classes

    async def _students(self, classes: Mapping[str, SchoolClass]) -> dict[str, Student]:
        class_ids = {row.external_id: classes[row.class_name].id for row in self._school.students}
        wanted = {
            row.external_id: {
                "external_id": row.external_id,
                "full_name": row.full_name,
                "birth_date": row.birth_date,
                "class_id": class_ids[row.external_id],
            }
            for row in self._school.students
        }
        moves: list[dict[str, Any]] = []

        def record_move(student: Student, external_id: str) -> bool:
            moves.extend(self._class_move(student, class_ids[external_id]))
            return False  # the class itself is among the plain columns `_sync` compares

        students, created = await self._upsert(
            "students", Student, lambda student: student.external_id, wanted, extra=record_move
        )
        self.missing_students = unlisted_students(students, class_ids.keys())
        # A new student enrols in the file's class from the start of the year.
        moves += [
            {
                "student_id": students[external_id].id,
                "kind": MoveKind.ENROL.value,
                "from_class_id": None,
                "to_class_id": class_ids[external_id],
                "date": self._school.year_start,
                "note": MOVE_NOTE,
            }
            for external_id in created
        ]
        if moves:
            await self._bulk_insert(ClassMove, moves)
            self.counts.created["class_moves"] += len(moves)
        await self._class_numbers(classes, students)
        return students

    async def _class_numbers(self, classes: Mapping[str, SchoolClass], students: Mapping[str, Student]) -> None:
        """A new school year's lists are numbered alphabetically; within the year a newcomer (or a
        student the file moves) gets the next free number at the end, and nobody else's number moves."""
        class_ids = sorted(school_class.id for school_class in classes.values())
        await begin_writing(self._session, *(numbering_lock(class_id) for class_id in class_ids))
        members: dict[int, list[tuple[int, str]]] = {class_id: [] for class_id in class_ids}
        for student in students.values():
            if student.class_id in members and student.status != StudentStatus.LEFT.value:
                members[student.class_id].append((student.id, student.full_name))
        for class_id in class_ids:
            if self._new_year:
                await number_from_scratch(self._session, class_id, members[class_id])
            else:
                await give_numbers(self._session, class_id, members[class_id])

    def _class_move(self, student: Student, target_class_id: int) -> list[dict[str, Any]]:
        """«Движение учащихся» for an existing student whose class the file changes, dated today.

        Runs before `_sync` assigns the new class, so `student.class_id` is still the old one.
        """
        if student.class_id == target_class_id:
            return []
        kind = MoveKind.ENROL if student.class_id is None else MoveKind.MOVE
        return [
            {
                "student_id": student.id,
                "kind": kind.value,
                "from_class_id": student.class_id,
                "to_class_id": target_class_id,
                "date": self._today,
                "note": MOVE_NOTE,
            }
        ]

    async def _parents(self) -> dict[str, Parent]:
        wanted = {
            row.external_id: {"external_id": row.external_id, "full_name": row.full_name, "phone": row.phone}
            for row in self._school.parents
        }
        parents, _ = await self._upsert("parents", Parent, lambda parent: parent.external_id, wanted)
        return parents

    async def _parent_links(self, parents: Mapping[str, Parent], students: Mapping[str, Student]) -> None:
        rows = [
            {"parent_id": parents[row.external_id].id, "student_id": students[child].id}
            for row in self._school.parents
            for child in row.children
        ]
        # Only the links of parents the file lists: it says nothing about anyone else.
        listed = [parents[row.external_id].id for row in self._school.parents]
        await self._replace(
            "parent_links", ParentStudent, ("parent_id", "student_id"), rows, ParentStudent.parent_id.in_(listed)
        )

    async def _subgroup_members(
        self, classes: Mapping[str, SchoolClass], subjects: Mapping[str, Subject], students: Mapping[str, Student]
    ) -> None:
        """Each pupil's group from the year's start; moves dated later (made in the bot) are not the file's."""
        since = self._school.year_start
        rows = [
            {
                "class_id": classes[group.class_name].id,
                "subject_id": subjects[group.subject].id,
                "student_id": students[member].id,
                "subgroup": group.subgroup,
                "since": since,
            }
            for group in self._school.subgroups
            for member in group.students
        ]
        # Only the file's pupils: of a pupil it leaves out (kept, as `missing_students`) it says nothing.
        listed = [students[row.external_id].id for row in self._school.students]
        await self._replace(
            "subgroup_members",
            SubgroupMember,
            ("class_id", "subject_id", "student_id", "since"),
            rows,
            SubgroupMember.since == since,
            SubgroupMember.student_id.in_(listed),
        )

    # --- teaching ------------------------------------------------------------------------

    async def _assignments(
        self, staff: Mapping[str, Staff], classes: Mapping[str, SchoolClass], subjects: Mapping[str, Subject]
    ) -> None:
        rows = [
            {
                "staff_id": staff[row.teacher].id,
                "class_id": classes[row.class_name].id,
                "subject_id": subjects[row.subject].id,
                "subgroup": row.subgroup,
                "marking": row.marking,
            }
            for row in self._school.assignments
        ]
        await self._replace(
            "assignments",
            TeachingAssignment,
            ("staff_id", "class_id", "subject_id", "subgroup"),
            rows,
            TeachingAssignment.class_id.in_(self._year_classes()),  # a past year's stay as they were
        )

    async def _timetable(
        self, staff: Mapping[str, Staff], classes: Mapping[str, SchoolClass], subjects: Mapping[str, Subject]
    ) -> None:
        """Each version the file holds replaces the version of the same date, and only that one: the
        timetable from 11.01 leaves the one from 01.09 in force before it (services.timetable_versions)."""
        year_start = self._school.year_start
        had = {
            valid_from or year_start
            for valid_from in await self._session.scalars(select(TimetableEntry.valid_from).distinct())
        }
        for valid_from, file_rows in sorted(self._school.timetable_versions().items()):
            rows = [
                {
                    "valid_from": valid_from,
                    "class_id": classes[row.class_name].id,
                    "weekday": row.weekday,
                    "lesson_no": row.lesson_no,
                    "subject_id": subjects[row.subject].id,
                    "staff_id": staff[row.teacher].id,
                    "room": row.room,
                    "subgroup": row.subgroup,
                }
                for row in file_rows
            ]
            this_version = TimetableEntry.valid_from == valid_from
            if valid_from == year_start:  # rows from before dated timetables are the year's first version
                this_version = or_(this_version, TimetableEntry.valid_from.is_(None))
            this_version = and_(this_version, TimetableEntry.class_id.in_(self._year_classes()))  # not last year's
            before = self.counts.changed("timetable")
            # The key is the table's unique constraint; the room is what may change in place.
            await self._replace(
                "timetable",
                TimetableEntry,
                ("valid_from", "class_id", "weekday", "lesson_no", "subject_id", "staff_id", "subgroup"),
                rows,
                this_version,
            )
            state = "created" if valid_from not in had else "unchanged"
            if state == "unchanged" and self.counts.changed("timetable") != before:
                state = "replaced"
            previous = max((start for start in had if start < valid_from), default=None)
            self.timetable_versions.append(TimetableVersionNote(valid_from, len(rows), state, previous))
            had.add(valid_from)
            if previous is not None and previous >= year_start:
                await self._classes_left_out(classes, previous, valid_from, {row["class_id"] for row in rows})

    async def _classes_left_out(
        self, classes: Mapping[str, SchoolClass], previous: dt.date, valid_from: dt.date, kept: set[int]
    ) -> None:
        """A version is the whole school's: a class it leaves out has no lessons from its date on. Said,
        since a school that meant to change a few classes only would otherwise lose the others'."""
        had_lessons = set(
            await self._session.scalars(
                select(TimetableEntry.class_id).where(TimetableEntry.valid_from == previous).distinct()
            )
        )
        names = sorted(school_class.name for school_class in classes.values() if school_class.id in had_lessons - kept)
        if names:
            self.warnings.append(
                ImportProblem(
                    "timetable",
                    None,
                    "valid_from",
                    f"{', '.join(names)} had lessons in the timetable from {previous:%d.%m.%Y} and have none "
                    f"in the one from {valid_from:%d.%m.%Y}: from that day they have no lessons",
                )
            )

    def _year_classes(self) -> Any:
        return select(SchoolClass.id).where(SchoolClass.year_id == self.year_id)

    async def _bells(self) -> None:
        rows = [{"lesson_no": bell.lesson_no, "start": bell.start, "end": bell.end} for bell in self._school.bells]
        await self._replace("bells", BellTime, ("lesson_no",), rows)
