"""The journal as the paper journal lays it out (АП-147/07 keeps it on paper as well as electronically).

One Document per class and subject, or per group where the class learns the subject in groups
(Lesson.subgroup): a group's lessons are a journal of their own, as they are in the chat. For each
period the document has the two facing pages of the paper journal:
- on the left, the class list with its fixed numbers × the dated lessons («02.09», …), each cell the
  pupil's marks of the lesson («5», «3/4») and their attendance code («н», «б», «оп»; the class
  teacher's explanation, «уп» or «нп», in place of the teacher's code once it is given);
- on the right, the same lessons with their dates, topics, homework and teacher.
Grade 1 keeps attendance only (regulation 1.3): no marks and no homework.

The list is the class's on the year's last day, leavers included with the date they left. A group's
list is the pupils who were in the group at some time in the year, numbered in the class's order as
services.subgroups numbers a group; a pupil who changed groups is on both lists, with the lessons of
each. The class's whole year is read in a fixed number of statements, whatever the number of lessons.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AcademicYear, Attendance, AttendanceCode, Lesson, Mark, SchoolClass, Staff, SubgroupMember, Subject
from services.calendar import periods_of_year
from services.names import gender_of
from services.reports.document import CellKind, Column, Document, Table
from services.reports.request import school_name
from services.roster import RosterEntry, roster_on
from services.subgroups import WHOLE_CLASS, group_list

KIND = "journal"
TITLE = "Классный журнал"
CODES_NOTE = (
    "н — отсутствовал, б — болел, уп — отсутствовал по уважительной причине, "
    "нп — по неуважительной причине, оп — опоздал"
)


@dataclass(frozen=True)
class _Lesson:
    id: int
    subject_id: int
    subject: str
    subgroup: str
    date: dt.date
    lesson_no: int
    topic: str
    homework: str
    teacher: str


@dataclass(frozen=True)
class _ClassYear:
    """Everything the class's journal prints, read once."""

    school: str
    school_class: SchoolClass
    year: AcademicYear
    period_starts: tuple[dt.date, ...]
    period_names: tuple[str, ...]
    roster: list[RosterEntry]
    lessons: list[_Lesson]  # by subject, group, date and number
    cells: dict[tuple[int, int], str]  # (lesson id, student id) → «5», «3/4 оп», «н»
    groups: dict[tuple[int, str], set[int]]  # (subject id, group) → the pupils in it at some time in the year


@dataclass(frozen=True)
class JournalBook:
    """One subject's journal of a class, or one group's: what the archive writes as one file."""

    subject: str
    subgroup: str  # "" for the whole class
    document: Document


async def journal_books(session: AsyncSession, class_id: int, year: AcademicYear) -> list[JournalBook]:
    """The class's journal for the year, a book per subject and group, by subject name and group."""
    data = await _read_class_year(session, class_id, year)
    books: dict[tuple[int, str], list[_Lesson]] = defaultdict(list)
    for lesson in data.lessons:
        books[(lesson.subject_id, lesson.subgroup)].append(lesson)
    return [
        _book(data, lessons, _pupils(data, subject_id, subgroup)) for (subject_id, subgroup), lessons in books.items()
    ]


async def class_journal(session: AsyncSession, class_id: int, year: AcademicYear) -> Document:
    """The class's whole journal for the year as one document, as the paper journal is one book: each
    subject's (each group's) spreads in turn, headed with the subject. One file a class rather than one a
    subject: the archive of a school is then hundreds of files, not thousands."""
    books = await journal_books(session, class_id, year)
    school_class = await session.get(SchoolClass, class_id)
    tables = tuple(
        replace(table, title=f"{_book_name(book)}: {table.title}", sheet=_sheet_name(book, table, number))
        for book in books
        for number, table in enumerate(book.document.tables)
    )
    if not books:
        return Document(KIND, TITLE, await school_name(session), f"{year.name} учебный год", school_class.name, ())
    return replace(books[0].document, about=school_class.name, tables=tables)


def _book_name(book: JournalBook) -> str:
    return f"{book.subject}, группа {book.subgroup}" if book.subgroup else book.subject


def _sheet_name(book: JournalBook, table: Table, number: int) -> str:
    """«Математика 1ч отм», «Английский яз. г2 3ч темы»: a page's sheet, within a workbook's 31 characters
    (a term's two pages alternate: the list with marks, then the topics)."""
    subject = book.subject if len(book.subject) <= 14 else book.subject[:13].rstrip() + "."
    group = f" г{book.subgroup}" if book.subgroup else ""
    first, *rest = table.title.split(" — ")[0].split()  # «1 четверть» → «1ч»
    period = first + (rest[0][0] if rest else "")
    return f"{subject}{group} {period} {'темы' if number % 2 else 'отм'}"


# --- reading ---------------------------------------------------------------------------------------


async def _read_class_year(session: AsyncSession, class_id: int, year: AcademicYear) -> _ClassYear:
    """Eight statements at most for the whole year: the class, the school, the periods, the list, the
    lessons, the marks, the attendance, and the groups where there are group lessons."""
    school_class = await session.get(SchoolClass, class_id)
    assert school_class is not None
    periods = await periods_of_year(session, year.id)
    in_year = (Lesson.class_id == class_id, Lesson.date >= year.start, Lesson.date <= year.end)
    lessons = [
        _Lesson(*row)
        for row in await session.execute(
            select(
                Lesson.id,
                Lesson.subject_id,
                Subject.name,
                Lesson.subgroup,
                Lesson.date,
                Lesson.lesson_no,
                Lesson.topic,
                Lesson.homework,
                Staff.full_name,
            )
            .join(Subject, Subject.id == Lesson.subject_id)
            .outerjoin(Staff, Staff.id == Lesson.teacher_id)
            .where(*in_year)
            .order_by(Subject.name, Lesson.subject_id, Lesson.subgroup, Lesson.date, Lesson.lesson_no, Lesson.id)
        )
    ]
    marks: dict[tuple[int, int], list[str]] = defaultdict(list)
    if not school_class.attendance_only:
        for lesson_id, student_id, value in await session.execute(
            select(Mark.lesson_id, Mark.student_id, Mark.value)
            .join(Lesson, Lesson.id == Mark.lesson_id)
            .where(*in_year, Mark.deleted_at.is_(None))
            .order_by(Mark.lesson_id, Mark.student_id, Mark.slot)
        ):
            marks[(lesson_id, student_id)].append(str(value))
    codes: dict[tuple[int, int], str] = {}
    for lesson_id, student_id, code, explanation in await session.execute(
        select(Attendance.lesson_id, Attendance.student_id, Attendance.code, Attendance.explanation)
        .join(Lesson, Lesson.id == Attendance.lesson_id)
        .where(*in_year, Attendance.deleted_at.is_(None))
    ):
        codes[(lesson_id, student_id)] = AttendanceCode(explanation or code).value
    groups = (
        await _groups_in_year(session, class_id, year)
        if any(lesson.subgroup != WHOLE_CLASS for lesson in lessons)
        else {}
    )
    return _ClassYear(
        school=await school_name(session),
        school_class=school_class,
        year=year,
        period_starts=tuple(period.start for period in periods),
        period_names=tuple(period.name for period in periods),
        roster=await roster_on(session, class_id, year.end, with_leavers=True),
        lessons=lessons,
        cells=_cells(marks, codes),
        groups=groups,
    )


def _cells(marks: dict[tuple[int, int], list[str]], codes: dict[tuple[int, int], str]) -> dict[tuple[int, int], str]:
    """A cell as the paper journal has it: the marks of the lesson («3/4»), then the attendance code."""
    cells = {key: "/".join(values) for key, values in marks.items()}
    for key, code in codes.items():
        cells[key] = f"{cells[key]} {code}" if key in cells else code
    return cells


async def _groups_in_year(session: AsyncSession, class_id: int, year: AcademicYear) -> dict[tuple[int, str], set[int]]:
    """(subject, group) → the pupils in that group on some day of the year (services.subgroups: a
    pupil's group on a day is their placement with the latest `since` not after it)."""
    rows = await session.execute(
        select(SubgroupMember.subject_id, SubgroupMember.student_id, SubgroupMember.since, SubgroupMember.subgroup)
        .where(SubgroupMember.class_id == class_id, SubgroupMember.since <= year.end)
        .order_by(SubgroupMember.subject_id, SubgroupMember.student_id, SubgroupMember.since, SubgroupMember.id)
    )
    placements: dict[tuple[int, int], list[tuple[dt.date, str]]] = defaultdict(list)
    for subject_id, student_id, since, subgroup in rows:
        placements[(subject_id, student_id)].append((since, subgroup))
    groups: dict[tuple[int, str], set[int]] = defaultdict(set)
    for (subject_id, student_id), moves in placements.items():
        for subgroup in _groups_held(moves, year.start):
            groups[(subject_id, subgroup)].add(student_id)
    return groups


def _groups_held(moves: Sequence[tuple[dt.date, str]], first_day: dt.date) -> set[str]:
    """The groups a pupil was in from `first_day` on: the placement in force that day, and every later
    one (`moves`: their placements, earliest first, none after the year)."""
    before = bisect_right(moves, first_day, key=lambda move: move[0])  # moves[:before] began by first_day
    return {subgroup for _, subgroup in moves[max(before - 1, 0) :]}


def _pupils(data: _ClassYear, subject_id: int, subgroup: str) -> list[RosterEntry]:
    if subgroup == WHOLE_CLASS:
        return data.roster
    return group_list(data.roster, data.groups.get((subject_id, subgroup), ()))


# --- the pages ---------------------------------------------------------------------------------------


def _book(data: _ClassYear, lessons: list[_Lesson], pupils: list[RosterEntry]) -> JournalBook:
    first = lessons[0]
    about = f"{data.school_class.name}, {first.subject}" + (f", группа {first.subgroup}" if first.subgroup else "")
    tables: list[Table] = []
    for period, held in _by_period(data, lessons):
        tables.append(_left_page(data, period, held, pupils))
        tables.append(_right_page(data, period, held))
    document = Document(
        kind=KIND,
        title=TITLE,
        school=data.school,
        scope=f"{data.year.name} учебный год",
        about=about,
        tables=tuple(tables),
        made_on=None,  # an archived page prints no day: the same journal gives the same bytes
    )
    return JournalBook(first.subject, first.subgroup, document)


def _by_period(data: _ClassYear, lessons: Iterable[_Lesson]) -> list[tuple[str, list[_Lesson]]]:
    """The lessons by the period they fall in (a lesson before the first period goes with the first),
    each period as a spread of its own, as the paper journal gives each term its pages."""
    if not data.period_starts:
        return [(f"{data.year.name} учебный год", list(lessons))]
    by_period: dict[int, list[_Lesson]] = defaultdict(list)
    for lesson in lessons:
        by_period[max(bisect_right(data.period_starts, lesson.date) - 1, 0)].append(lesson)
    return [(data.period_names[index], held) for index, held in sorted(by_period.items())]


def _left_page(data: _ClassYear, period: str, lessons: list[_Lesson], pupils: list[RosterEntry]) -> Table:
    marks = not data.school_class.attendance_only
    columns = (
        Column("№", 4, CellKind.INTEGER),
        Column("ФИО", 30),
        *(Column(f"{lesson.date:%d.%m}", 5) for lesson in lessons),
    )
    rows = tuple(
        (entry.number, _name(entry), *(data.cells.get((lesson.id, entry.student.id), "") for lesson in lessons))
        for entry in pupils
    )
    return Table(
        title=f"{period} — {'отметки, пропуски' if marks else 'посещаемость'}",
        columns=columns,
        rows=rows,
        key_columns=2,  # № and the name stay at the left of every printed page of a long term
        note=CODES_NOTE,
    )


def _right_page(data: _ClassYear, period: str, lessons: list[_Lesson]) -> Table:
    homework = not data.school_class.attendance_only
    columns = (
        Column("Дата", 6),
        Column("Урок", 5, CellKind.INTEGER),
        Column("Тема урока", 45),
        *((Column("Домашнее задание", 45),) if homework else ()),
        Column("Учитель", 24),
    )
    rows = tuple(
        (
            f"{lesson.date:%d.%m}",
            lesson.lesson_no,
            lesson.topic,
            *((lesson.homework,) if homework else ()),
            lesson.teacher or "",
        )
        for lesson in lessons
    )
    return Table(title=f"{period} — {'темы, задания' if homework else 'темы уроков'}", columns=columns, rows=rows)


LEFT_WORDS = {"female": "выбыла", "male": "выбыл"}


def _name(entry: RosterEntry) -> str:
    """The pupil's full name; a leaver's with the day they left, as the paper list notes it."""
    name = entry.student.full_name
    if entry.left_on is None:
        return name
    return f"{name} ({LEFT_WORDS.get(gender_of(name), 'выбытие')} {entry.left_on:%d.%m.%Y})"
