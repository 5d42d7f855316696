"""The school import: one file in, the school's structure in the database, every problem reported at once.

Past 400 lines because its stories (a valid file, mistakes, importing again, the template) share the helpers at its top.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bench.school_generator import make_school_sheets
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
    Student,
    SubgroupMember,
    Subject,
    TeachingAssignment,
    TimetableEntry,
    WorkType,
)
from models.base import Base
from services.demo_school import demo_school_sheets
from services.school_import import (
    SHEETS,
    ImportProblem,
    ImportReport,
    check_rows,
    import_path,
    import_rows,
    read_workbook,
    write_template,
    write_workbook,
)
from services.school_import.cells import parse_weekday
from services.school_import.sheets import ROW_NUMBER, SheetRows

TODAY = dt.date(2026, 11, 28)


# --- helpers -------------------------------------------------------------------------------


def demo() -> SheetRows:
    return copy.deepcopy(demo_school_sheets(TODAY))


def find(sheets: SheetRows, sheet: str, **match: str) -> dict:
    return next(row for row in sheets[sheet] if all(row[k] == v for k, v in match.items()))


def row_number(sheets: SheetRows, sheet: str, **match: str) -> int:
    """The row as a spreadsheet shows it: the header is row 1."""
    return sheets[sheet].index(find(sheets, sheet, **match)) + 2


def write_csv_folder(sheets: SheetRows, folder: Path) -> Path:
    folder.mkdir()
    for sheet, rows in sheets.items():
        # Students as a Russian-locale Excel saves CSV: a BOM and semicolons.
        excel_style = sheet == "students"
        with open(folder / f"{sheet}.csv", "w", newline="", encoding="utf-8-sig" if excel_style else "utf-8") as f:
            writer = csv.DictWriter(
                f, fieldnames=SHEETS[sheet], delimiter=";" if excel_style else ",", extrasaction="ignore"
            )
            writer.writeheader()
            writer.writerows(rows)
    return folder


async def imported(session: AsyncSession, source: SheetRows | Path, today: dt.date = TODAY) -> ImportReport:
    """Imports and commits, as the command line does."""
    if isinstance(source, Path):
        report = await import_path(session, source, today=today)
    else:
        report = await import_rows(session, source, today=today)
    await session.commit()
    return report


async def count(session: AsyncSession, model: type) -> int:
    return await session.scalar(select(func.count()).select_from(model))


async def snapshot(session: AsyncSession) -> dict[str, list[tuple]]:
    """Every row of every table, to compare the database before and after."""
    tables = {}
    for table in Base.metadata.sorted_tables:
        rows = (await session.execute(select(table))).all()
        tables[table.name] = sorted(tuple(row) for row in rows)
    return tables


async def student(session: AsyncSession, external_id: str) -> Student:
    return await session.scalar(select(Student).where(Student.external_id == external_id))


async def class_name_of(session: AsyncSession, external_id: str) -> str:
    return await session.scalar(
        select(SchoolClass.name)
        .join(Student, Student.class_id == SchoolClass.id)
        .where(Student.external_id == external_id)
    )


async def children_of(session: AsyncSession, parent_id: str) -> set[str]:
    return set(
        await session.scalars(
            select(Student.external_id)
            .join(ParentStudent, ParentStudent.student_id == Student.id)
            .join(Parent, Parent.id == ParentStudent.parent_id)
            .where(Parent.external_id == parent_id)
        )
    )


async def roles_of(session: AsyncSession, staff_id: str) -> set[StaffRole]:
    member = await session.scalar(select(Staff).where(Staff.external_id == staff_id))
    await session.refresh(member, ["roles"])
    return {StaffRole(role) for role in member.role_set}


async def timetable_cell(session: AsyncSession, class_name: str, weekday: int, lesson_no: int) -> tuple:
    entry = await session.scalar(
        select(TimetableEntry)
        .join(SchoolClass, SchoolClass.id == TimetableEntry.class_id)
        .where(SchoolClass.name == class_name, TimetableEntry.weekday == weekday, TimetableEntry.lesson_no == lesson_no)
    )
    subject = await session.get(Subject, entry.subject_id)
    teacher = await session.get(Staff, entry.staff_id)
    return subject.name, teacher.external_id, entry.room


# --- a valid file --------------------------------------------------------------------------


async def test_a_valid_workbook_builds_the_school(session: AsyncSession, tmp_path: Path) -> None:
    write_workbook(tmp_path / "school.xlsx", demo())

    report = await imported(session, tmp_path / "school.xlsx")

    assert report.ok and report.warnings == [], report.summary_lines()
    expected = {
        SchoolSettings: 1,
        AcademicYear: 1,
        Period: 4,
        Holiday: 3,
        Subject: 6,
        WorkType: 4,
        Staff: 9,
        SchoolClass: 3,
        Student: 24,
        Parent: 23,
        ParentStudent: 26,
        TeachingAssignment: 17,
        BellTime: 6,
        TimetableEntry: 74,
        ClassMove: 24,
        SubgroupMember: 8,
    }
    assert {model: await count(session, model) for model in expected} == expected
    year = await session.scalar(select(AcademicYear))
    assert (year.name, year.start, year.end) == ("2026/2027", dt.date(2026, 9, 1), dt.date(2027, 5, 26))

    polina = await student(session, "s17")
    assert polina.full_name == "Алексеева Полина Игоревна"
    assert await class_name_of(session, "s17") == "1А"
    assert await children_of(session, "p1") == {"s1", "s17"}
    assert await roles_of(session, "d1") == {StaffRole.DEPUTY, StaffRole.TEACHER}
    assert await roles_of(session, "dir1") == {StaffRole.DIRECTOR}
    assert await timetable_cell(session, "5А", 1, 1) == ("Математика", "t1", "21")
    assert await timetable_cell(session, "5Б", 1, 1) == ("Русский язык", "t2", "22")

    homeroom = await session.scalar(
        select(Staff.external_id)
        .join(SchoolClass, SchoolClass.homeroom_teacher_id == Staff.id)
        .where(SchoolClass.name == "5А")
    )
    assert homeroom == "t1"
    enrolment = await session.scalar(select(ClassMove).where(ClassMove.student_id == polina.id))
    assert (enrolment.kind, enrolment.date) == (MoveKind.ENROL.value, dt.date(2026, 9, 1))
    # No work_types sheet: the usual four with their weights.
    weights = dict((await session.execute(select(WorkType.name, WorkType.weight))).all())
    assert weights["контрольная работа"] == 3 and weights["работа на уроке"] == 1


async def test_the_demo_school_imports_cleanly_in_any_month(session: AsyncSession) -> None:
    for today in (dt.date(2026, 9, 1), dt.date(2027, 2, 15), dt.date(2027, 8, 20)):
        report = await import_rows(session, demo_school_sheets(today), today=today)
        assert report.ok and report.warnings == [], report.summary_lines()
        await session.rollback()


async def test_the_bench_generator_makes_a_valid_school(session: AsyncSession) -> None:
    report = await imported(session, make_school_sheets(60, today=TODAY))

    assert report.ok and report.warnings == [], report.summary_lines()
    assert await count(session, Student) == 60
    assert await count(session, TimetableEntry) == 3 * 5 * 6


# --- a file with mistakes ------------------------------------------------------------------


async def test_five_mistakes_are_all_reported_and_nothing_is_written(session: AsyncSession, tmp_path: Path) -> None:
    sheets = demo()
    find(sheets, "periods", name="2 четверть")["end"] = "2026-10-01"
    find(sheets, "staff", id="d1")["roles"] = "deputy, boss"
    find(sheets, "students", id="s5")["class"] = "7В"
    find(sheets, "bells", lesson_no="3")["start"] = "10:75"
    sheets["timetable"][0]["weekday"] = "Funday"
    write_workbook(tmp_path / "school.xlsx", sheets)

    report = await imported(session, tmp_path / "school.xlsx")

    assert not report.ok
    assert [(p.sheet, p.row, p.column) for p in report.problems] == [
        ("periods", 3, "end"),
        ("staff", row_number(sheets, "staff", id="d1"), "roles"),
        ("students", row_number(sheets, "students", id="s5"), "class"),
        ("bells", 4, "start"),
        ("timetable", 2, "weekday"),
    ]
    assert "boss" in report.problems[1].reason and "7В" in report.problems[2].reason
    assert all(rows == [] for rows in (await snapshot(session)).values()), "nothing may be written"


MISTAKES = [  # sheet, row to find (None: a new row), column, bad value, words the reason must contain
    ("students", {"id": "s2"}, "birth_date", "2015-02-30", "not a date"),
    ("students", {"id": "s3"}, "full_name", "", "required"),
    ("classes", {"name": "5Б"}, "grade", "6", "does not agree"),
    ("classes", {"name": "5Б"}, "homeroom_teacher", "t99", "unknown staff id 't99'"),
    ("classes", None, "name", "12Б", "grade must be from 1 to 11"),
    ("parents", {"id": "p3"}, "children", "s3, s99", "unknown student id 's99'"),
    ("assignments", {"teacher": "t4", "class": "5Б"}, "subject", "Химия", "unknown subject 'Химия'"),
    ("timetable", {"class": "1А", "weekday": "Пн", "lesson_no": "1"}, "lesson_no", "9", "not in bells"),
    ("timetable", {"class": "1А", "weekday": "Пн", "lesson_no": "2"}, "teacher", "x1", "unknown staff id"),
    ("periods", {"name": "3 четверть"}, "start", "2026-12-01", "overlaps period '2 четверть'"),
    ("holidays", {"name": "весенние каникулы"}, "end", "2027-06-30", "outside the academic year"),
    ("bells", {"lesson_no": "2"}, "end", "09:00", "end is not after start"),
    ("staff", {"id": "a1"}, "roles", "", "required"),
]


@pytest.mark.parametrize(("sheet", "match", "column", "value", "reason"), MISTAKES)
def test_each_mistake_is_placed_by_sheet_row_and_column(
    sheet: str, match: dict | None, column: str, value: str, reason: str
) -> None:
    sheets = demo()
    if match is None:  # a change to an existing row would also break the rows that refer to it
        sheets[sheet].append({**sheets[sheet][0], column: value})
        row = len(sheets[sheet]) + 1
    else:
        row = row_number(sheets, sheet, **match)
        find(sheets, sheet, **match)[column] = value

    report = check_rows(sheets, today=TODAY)

    assert [(p.sheet, p.row, p.column) for p in report.problems] == [(sheet, row, column)], report.summary_lines()
    assert reason in report.problems[0].reason
    assert report.summary_lines()[0] == "problems in the file: 1; nothing was imported:"  # not «1 problem(s)»


def test_duplicates_point_at_the_row_they_repeat() -> None:
    sheets = demo()
    sheets["staff"].append({"id": "t1", "full_name": "Иванова Мария Петровна", "roles": "teacher"})
    sheets["timetable"].append(dict(sheets["timetable"][0]))

    report = check_rows(sheets, today=TODAY)

    assert [str(problem) for problem in report.problems] == [
        f"staff, row {len(sheets['staff']) + 1}, id: duplicate of row 2",
        f"timetable, row {len(sheets['timetable']) + 1}, lesson_no: duplicate of row 2",
    ]


async def test_doubtful_rows_are_warnings_and_the_file_still_imports(session: AsyncSession) -> None:
    sheets = demo()
    find(sheets, "timetable", **{"class": "5А", "weekday": "Пн", "lesson_no": "1"})["teacher"] = "d1"
    sheets["assignments"].append({"teacher": "dir1", "class": "5Б", "subject": "История"})

    report = await imported(session, sheets)

    assert report.ok
    assert [(w.sheet, w.row, w.column) for w in report.warnings] == [
        ("assignments", len(sheets["assignments"]) + 1, "teacher"),
        ("timetable", row_number(sheets, "timetable", **{"class": "5А", "weekday": "Пн", "lesson_no": "1"}), "teacher"),
    ]
    assert await timetable_cell(session, "5А", 1, 1) == ("Математика", "d1", "21")


def test_a_missing_sheet_or_column_is_reported_once() -> None:
    sheets = demo()
    del sheets["bells"]
    for row in sheets["staff"]:
        del row["roles"]

    report = check_rows(sheets, today=TODAY)

    # Not also one "unknown lesson number" per timetable row: the cause is said once.
    assert [str(problem) for problem in report.problems] == [
        "staff, row 1, roles: column is missing",
        "bells: sheet is missing",
    ]


async def test_an_unreadable_file_is_a_problem_not_a_crash(session: AsyncSession, tmp_path: Path) -> None:
    (tmp_path / "school.xlsx").write_text("not a workbook")

    report = await import_path(session, tmp_path / "school.xlsx", today=TODAY)

    assert not report.ok and report.problems[0].sheet == "school.xlsx"


def test_a_problem_reads_as_sheet_row_column_reason() -> None:
    assert str(ImportProblem("staff", 3, "roles", "unknown role 'boss'")) == "staff, row 3, roles: unknown role 'boss'"
    assert str(ImportProblem("bells", None, None, "sheet is missing")) == "bells: sheet is missing"


@pytest.mark.parametrize("typed", ["1", "Пн", "пн.", "понедельник", "Понедельник", "Mon", "monday"])
def test_monday_may_be_written_many_ways(typed: str) -> None:
    assert parse_weekday(typed) == 1


def test_typed_excel_cells_read_as_the_text_people_see(tmp_path: Path) -> None:
    workbook = Workbook()
    bells = workbook.active
    bells.title = "Bells"
    bells.append(["Lesson_No", "Start", "End", None])
    bells.append([])  # a blank line is skipped, but still counted
    bells.append([1.0, dt.time(8, 30), dt.datetime(2026, 9, 1), "  5a  "])
    workbook.save(tmp_path / "typed.xlsx")

    assert read_workbook(tmp_path / "typed.xlsx") == {
        "bells": [{"lesson_no": "1", "start": "08:30", "end": "2026-09-01", ROW_NUMBER: 3}]
    }


# --- importing again -----------------------------------------------------------------------


async def test_importing_the_same_file_again_changes_nothing(session: AsyncSession, tmp_path: Path) -> None:
    write_workbook(tmp_path / "school.xlsx", demo())
    await imported(session, tmp_path / "school.xlsx")
    before = await snapshot(session)

    report = await imported(session, tmp_path / "school.xlsx")

    assert report.ok and not report.changed
    assert report.created == {} and report.updated == {} and report.deleted == {}
    assert report.unchanged["students"] == 24 and report.unchanged["timetable"] == 74
    assert await snapshot(session) == before


async def test_a_csv_folder_gives_the_same_school_as_the_workbook(session: AsyncSession, tmp_path: Path) -> None:
    write_workbook(tmp_path / "school.xlsx", demo())
    folder = write_csv_folder(demo(), tmp_path / "school")
    assert read_workbook(folder) == read_workbook(tmp_path / "school.xlsx")

    assert (await imported(session, folder)).ok
    from_csv = await snapshot(session)
    report = await imported(session, tmp_path / "school.xlsx")

    assert not report.changed, report.summary_lines()
    assert await snapshot(session) == from_csv


async def test_a_changed_file_updates_records_by_their_ids(session: AsyncSession) -> None:
    await imported(session, demo())
    kirill_id = (await student(session, "s3")).id
    sheets = demo()
    find(sheets, "students", id="s3")["full_name"] = "Васильев Кирилл Андреевич-младший"
    find(sheets, "students", id="s5")["class"] = "5Б"
    sheets["students"].append({"id": "s25", "full_name": "Новикова Ольга Ильинична", "class": "5Б"})
    find(sheets, "subgroups", subgroup="2")["students"] += ", s5, s25"  # 5Б learns English in groups
    find(sheets, "staff", id="t2")["roles"] = "teacher, deputy"
    find(sheets, "staff", id="d1")["roles"] = "deputy"
    find(sheets, "parents", id="p1")["children"] = "s1"
    find(sheets, "parents", id="p3")["phone"] = "+7 900 000-00-00"
    find(sheets, "timetable", **{"class": "5А", "weekday": "Пн", "lesson_no": "1"})["room"] = "31"
    sheets["timetable"].remove(find(sheets, "timetable", **{"class": "1А", "weekday": "Пт", "lesson_no": "4"}))
    find(sheets, "bells", lesson_no="6")["end"] = "14:05"
    sheets["holidays"].remove(find(sheets, "holidays", name="весенние каникулы"))
    next_day = TODAY + dt.timedelta(days=1)

    report = await imported(session, sheets, today=next_day)

    assert report.ok, report.summary_lines()
    assert report.created == {"students": 1, "class_moves": 2, "subgroup_members": 2}
    assert report.updated == {"staff": 2, "students": 2, "parents": 1, "timetable": 1, "bells": 1}
    assert report.deleted == {"holidays": 1, "parent_links": 1, "timetable": 1}
    kirill = await student(session, "s3")
    assert kirill.id == kirill_id and kirill.full_name.endswith("младший")
    assert await class_name_of(session, "s5") == "5Б"
    move = await session.scalar(
        select(ClassMove).where(
            ClassMove.student_id == (await student(session, "s5")).id, ClassMove.kind == MoveKind.MOVE.value
        )
    )
    assert move.date == next_day
    assert await class_name_of(session, "s25") == "5Б"
    assert await roles_of(session, "t2") == {StaffRole.TEACHER, StaffRole.DEPUTY}
    assert await roles_of(session, "d1") == {StaffRole.DEPUTY}
    assert await children_of(session, "p1") == {"s1"}
    assert await timetable_cell(session, "5А", 1, 1) == ("Математика", "t1", "31")
    assert await count(session, TimetableEntry) == 73
    assert (await session.get(BellTime, 6)).end == dt.time(14, 5)
    assert set(await session.scalars(select(Holiday.name))) == {"осенние каникулы", "зимние каникулы"}


async def test_a_student_missing_from_the_file_is_listed_and_kept(session: AsyncSession) -> None:
    await imported(session, demo())
    sheets = demo()
    sheets["students"].remove(find(sheets, "students", id="s8"))
    sheets["parents"].remove(find(sheets, "parents", id="p9"))  # s8's only parent

    report = await imported(session, sheets)

    assert report.ok and report.missing_students == ["s8"]
    assert await class_name_of(session, "s8") == "5А"
    assert await children_of(session, "p9") == {"s8"}
    assert "s8" in "\n".join(report.summary_lines())


async def test_final_marks_keep_a_period_the_file_drops(session: AsyncSession) -> None:
    await imported(session, demo())
    first_quarter = await session.scalar(select(Period).where(Period.name == "1 четверть"))
    session.add(
        FinalMark(
            student_id=(await student(session, "s1")).id,
            subject_id=await session.scalar(select(Subject.id)),
            year_id=first_quarter.year_id,
            period_id=first_quarter.id,
            value=5,
            set_by_staff_id=await session.scalar(select(Staff.id).where(Staff.external_id == "t1")),
        )
    )
    await session.commit()
    sheets = demo()
    find(sheets, "periods", name="1 четверть")["name"] = "I четверть"

    report = await imported(session, sheets)

    assert report.ok and [w.column for w in report.warnings] == ["name"]
    assert set(await session.scalars(select(Period.name))) >= {"1 четверть", "I четверть"}
    assert await count(session, FinalMark) == 1


# --- names as people type them -------------------------------------------------------------


async def test_5a_in_latin_letters_is_the_class_5А(session: AsyncSession) -> None:
    sheets = demo()
    find(sheets, "classes", name="5А")["name"] = "5A"  # Latin A
    for row in sheets["students"]:
        if row["class"] == "5А":
            row["class"] = "5a"
    for row in sheets["timetable"]:
        if row["class"] == "5А":
            row["class"] = " 5 a "
            row["subject"] = row["subject"].upper()
    for row in sheets["assignments"]:
        if row["class"] == "5А":
            row["class"] = "5-а"

    report = await imported(session, sheets)

    assert report.ok and report.warnings == [], report.summary_lines()
    assert set(await session.scalars(select(SchoolClass.name))) == {"1А", "5А", "5Б"}
    assert await class_name_of(session, "s1") == "5А"
    assert await timetable_cell(session, "5А", 1, 1) == ("Математика", "t1", "21")
    assert not (await imported(session, demo())).changed, "the Cyrillic file is the same school"


# --- the template --------------------------------------------------------------------------


async def test_the_template_reads_back_and_its_examples_import(session: AsyncSession, tmp_path: Path) -> None:
    write_template(tmp_path / "template.xlsx", today=TODAY)

    sheets = read_workbook(tmp_path / "template.xlsx")

    assert list(sheets) == list(SHEETS)
    for sheet, columns in SHEETS.items():
        assert [len(sheets[sheet]), sheets[sheet][0][ROW_NUMBER]] == [1, 2]
        assert [column for column in sheets[sheet][0] if column != ROW_NUMBER] == list(columns)
    report = await imported(session, tmp_path / "template.xlsx")
    assert report.ok and report.warnings == [], report.summary_lines()
    assert await class_name_of(session, "s1") == "5А"
    assert await children_of(session, "p1") == {"s1"}
    assert await roles_of(session, "t1") == {StaffRole.TEACHER, StaffRole.DEPUTY}
    assert await timetable_cell(session, "5А", 1, 1) == ("Математика", "t1", "21")
