"""«Сведения о пропусках уроков»: a class's pupils, or the school's classes, over a period or one day.

What a missed lesson was is the class teacher's explanation once given (б, уп, нп), else the
subject teacher's code: «б» by either is по болезни, «н» not explained yet is counted apart, and
«оп» (late) is no missed lesson. A full day missed is a day on which the pupil missed every lesson of
theirs that was held: the class's lessons with attendance taken, and of a split subject only their
own group's (services.subgroups).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attendance, AttendanceCode, Lesson
from services.reports.document import CellKind, Column, Document, Table
from services.reports.reach import (
    NO_GROUPS,
    Reach,
    class_lists_on,
    counted_days,
    document_of,
    placements,
    reach_of,
    short_scope,
)
from services.reports.request import ReportRequest
from services.reports.wording import leaver
from services.roster import roster_on
from services.russian import counted, predicate
from services.subgroups import PupilGroups

TITLE = "Сведения о пропусках уроков"
CLASS_TEACHER, DEPUTY = "Классный руководитель", "Заместитель директора по УВР"
NOTE = (
    "Пропущено уроков — без опозданий; «не объяснено» — отмечено «н», причина ещё не указана; "
    "дней целиком — дни, когда пропущены все проведённые уроки ученика."
)


@dataclass
class Tally:
    """Lessons missed by reason, late arrivals and full days, of a pupil or a class."""

    missed: int = 0
    ill: int = 0
    excused: int = 0
    unexcused: int = 0
    unexplained: int = 0
    late: int = 0
    days: int = 0

    def count(self, reason: AttendanceCode) -> None:
        if reason is AttendanceCode.LATE:
            self.late += 1
            return
        self.missed += 1
        name = _BY_REASON[reason]
        setattr(self, name, getattr(self, name) + 1)

    def add(self, other: Tally) -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    @property
    def cells(self) -> tuple[int, ...]:
        return tuple(getattr(self, field.name) for field in fields(self))


_BY_REASON = {
    AttendanceCode.ILL: "ill",
    AttendanceCode.EXCUSED: "excused",
    AttendanceCode.UNEXCUSED: "unexcused",
    AttendanceCode.ABSENT: "unexplained",
}

TALLY_COLUMNS = (
    Column("Пропущено уроков", 10, CellKind.INTEGER),
    Column("По болезни", 9, CellKind.INTEGER),
    Column("Уважительные", 11, CellKind.INTEGER),
    Column("Неуважительные", 13, CellKind.INTEGER),
    Column("Не объяснено", 11, CellKind.INTEGER),
    Column("Опоздания", 9, CellKind.INTEGER),
    Column("Дней целиком", 9, CellKind.INTEGER),
)


def total_of(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


# --- what is read -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Absence:
    student_id: int
    class_id: int
    date: dt.date
    lesson_id: int
    reason: AttendanceCode  # the explanation once given, else the teacher's code


@dataclass(frozen=True, slots=True)
class HeldLesson:
    id: int
    subject_id: int
    subgroup: str


@dataclass(frozen=True)
class AttendanceFacts:
    absences: list[Absence]
    held: dict[tuple[int, dt.date], list[HeldLesson]]  # (class, date) → its lessons with attendance taken
    groups: dict[int, PupilGroups]  # student → their groups in the classes read


async def read_attendance(
    session: AsyncSession, class_ids: Iterable[int], first: dt.date, last: dt.date
) -> AttendanceFacts:
    """The absences in the classes' lessons from `first` to `last`, their lessons held and the pupils'
    groups: three statements, whatever the number of classes."""
    class_ids = sorted(class_ids)
    connection = await session.connection()  # plain rows: no ORM bookkeeping for a term of a school
    lesson_columns = (Lesson.id, Lesson.class_id, Lesson.date, Lesson.subject_id, Lesson.subgroup)
    in_days = (Lesson.class_id.in_(class_ids), Lesson.date >= first, Lesson.date <= last)
    held: dict[tuple[int, dt.date], dict[int, HeldLesson]] = defaultdict(dict)
    absences = []
    for student_id, reason, lesson_id, class_id, date, subject_id, subgroup in await connection.execute(
        select(Attendance.student_id, func.coalesce(Attendance.explanation, Attendance.code), *lesson_columns)
        .join(Lesson, Lesson.id == Attendance.lesson_id)
        .where(Attendance.deleted_at.is_(None), *in_days)
    ):
        absences.append(Absence(student_id, class_id, date, lesson_id, AttendanceCode(reason)))
        held[(class_id, date)][lesson_id] = HeldLesson(lesson_id, subject_id, subgroup)  # an absence: it was held
    for lesson_id, class_id, date, subject_id, subgroup in await connection.execute(
        select(*lesson_columns).where(*in_days, Lesson.attendance_taken)
    ):
        held[(class_id, date)][lesson_id] = HeldLesson(lesson_id, subject_id, subgroup)
    return AttendanceFacts(
        absences,
        {key: list(lessons.values()) for key, lessons in held.items()},
        await placements(session, class_ids, last),
    )


def tally(facts: AttendanceFacts) -> dict[tuple[int, int], Tally]:
    """(student, class) → their tally in that class's lessons."""
    tallies: dict[tuple[int, int], Tally] = defaultdict(Tally)
    missed: dict[tuple[int, int, dt.date], set[int]] = defaultdict(set)
    for absence in facts.absences:
        tallies[(absence.student_id, absence.class_id)].count(absence.reason)
        if absence.reason is not AttendanceCode.LATE:
            missed[(absence.student_id, absence.class_id, absence.date)].add(absence.lesson_id)
    for (student_id, class_id, date), lessons in missed.items():
        groups = facts.groups.get(student_id, NO_GROUPS)
        theirs = {
            held.id
            for held in facts.held.get((class_id, date), ())
            if held.id in lessons or groups.is_theirs(class_id, held.subject_id, held.subgroup, date)
        }
        if theirs <= lessons:
            tallies[(student_id, class_id)].days += 1
    return dict(tallies)


# --- the document -------------------------------------------------------------------------------------


async def build(session: AsyncSession, request: ReportRequest) -> Document:
    reach = await reach_of(session, request)
    first, last = counted_days(request)
    tallies = tally(await read_attendance(session, reach.ids, first, last))
    if reach.class_id is not None:
        table, total = await _class_table(session, reach.class_id, last, tallies)
        signature = CLASS_TEACHER
    else:
        table, total = await _school_table(session, reach, last, tallies)
        signature = DEPUTY
    return await document_of(
        session,
        request,
        reach,
        title=TITLE,
        tables=(table,),
        summary=summary_line(reach, request, total),
        signatures=(signature,),
    )


async def _class_table(
    session: AsyncSession, class_id: int, last: dt.date, tallies: dict[tuple[int, int], Tally]
) -> tuple[Table, Tally]:
    """Per pupil on the class list (those who left marked with the date), and the total."""
    roster = await roster_on(session, class_id, last, with_leavers=True)
    rows, counted_tallies = [], []
    for entry in roster:
        pupil = tallies.get((entry.student.id, class_id), Tally())
        counted_tallies.append(pupil)
        name = entry.student.full_name if entry.present else leaver(entry.student.full_name, entry.left_on)
        rows.append((entry.number, name, *pupil.cells))
    total = total_of(counted_tallies)
    table = Table(
        title="Пропуски уроков",
        columns=(Column("№", 4, CellKind.INTEGER), Column("Ученик", 36), *TALLY_COLUMNS),
        rows=tuple(rows),
        total=(None, "Итого", *total.cells),
        key_columns=2,
        note=NOTE,
    )
    return table, total


async def _school_table(
    session: AsyncSession, reach: Reach, last: dt.date, tallies: dict[tuple[int, int], Tally]
) -> tuple[Table, Tally]:
    """Per class: its pupils on the list and the tallies of its lessons; and the total."""
    lists = await class_lists_on(session, last)
    by_class: dict[int, Tally] = defaultdict(Tally)
    for (_, class_id), pupil in tallies.items():
        by_class[class_id].add(pupil)
    rows = [(info.name, len(lists.get(info.id, ())), *by_class.get(info.id, Tally()).cells) for info in reach.classes]
    total = total_of(by_class.get(info.id, Tally()) for info in reach.classes)
    table = Table(
        title="Пропуски уроков по классам",
        columns=(Column("Класс", 8), Column("Учащихся", 9, CellKind.INTEGER), *TALLY_COLUMNS),
        rows=tuple(rows),
        total=("Итого", sum(row[1] for row in rows), *total.cells),
        note=NOTE,
    )
    return table, total


def summary_line(reach: Reach, request: ReportRequest, total: Tally) -> str:
    """«5А, 1 четверть: пропущено 120 уроков, из них по болезни 80, без уважительной причины 12»."""
    head = f"{reach.about}, {short_scope(request)}"
    if not total.missed:
        return f"{head}: пропусков уроков нет"
    line = (
        f"{head}: {predicate('пропущено', total.missed, 'урок')} "
        f"{counted(total.missed, 'урок')}, "
        f"из них по болезни {total.ill}, без уважительной причины {total.unexcused}"
    )
    return line + (f", не объяснено {total.unexplained}" if total.unexplained else "")
